// `refunds stats --by …` for people: one table of the key's rows with the trend against the
// previous window, a total row, and for mostly merchant-side products what to look at.
import type { ByItem, StatsBy } from '../app/statsBy.js';
import type { ShopZone } from '../domain/time.js';
import { hasKey, t } from './i18n.js';
import { yuan } from './output.js';
import { forTerminal } from './sanitize.js';
import type { Block, Page, TableRow } from './summaryView.js';

const pct = (share: number | null | undefined): string => (share === null || share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`);

function trendText(it: Pick<ByItem, 'trend' | 'refunds' | 'previousRefunds'>): string {
  if (it.trend === null) return it.refunds > 0 ? t('statsBy.new') : '—';
  const p = Math.round(it.trend * 1000) / 10;
  return `${p > 0 ? '▲ +' : p < 0 ? '▼ ' : '= '}${p === 0 ? '0%' : `${p}%`}`;
}

function keyText(s: StatsBy, key: string | null): string {
  if (key === null) return t('statsBy.noKey');
  if (s.by === 'platform' && hasKey(`platform.${key}`)) return t(`platform.${key}`);
  return forTerminal(key);
}

export function statsByPage(s: StatsBy, zone: ShopZone): Page {
  const short = (iso: string) => zone.short(Date.parse(iso));
  const days = Number.isInteger(s.days) ? String(s.days) : s.days.toFixed(1);
  const byLabel = t(`statsBy.key.${s.by}`);
  const blocks: Block[] = [];
  let head: string[];
  let align: ('l' | 'r')[];
  let rows: TableRow[];
  let total: string[];
  const tot = s.totals;
  if (s.by === 'agent') {
    head = [byLabel, t('statsBy.col.decisions'), t('statsBy.col.refunds'), t('statsBy.col.median'), t('statsBy.col.carried'), t('statsBy.col.prev'), t('statsBy.col.trend')];
    align = ['l', 'r', 'r', 'r', 'r', 'r', 'r'];
    rows = s.items.map((it) => ({
      cells: [
        keyText(s, it.key),
        String(it.decisions ?? 0),
        String(it.refunds),
        it.medianHoursToDecision === null || it.medianHoursToDecision === undefined ? '—' : `${it.medianHoursToDecision} h`,
        it.checked ? `${it.carriedOut}/${it.checked} ${pct(it.carriedOutShare)}` : '—',
        String(it.previousRefunds),
        trendText(it),
      ],
    }));
    total = [t('statsBy.total'), String(tot.decisions ?? 0), String(tot.refunds), '', '', String(tot.previousRefunds), trendText({ trend: tot.previousRefunds > 0 ? tot.refunds / tot.previousRefunds - 1 : null, refunds: tot.refunds, previousRefunds: tot.previousRefunds })];
  } else {
    const merchant = s.by === 'product' || s.by === 'platform';
    head = [byLabel, ...(s.by === 'reason' ? [''] : []), t('statsBy.col.refunds'), t('statsBy.col.amount'), t('statsBy.col.prev'), t('statsBy.col.trend'), ...(merchant ? [t('statsBy.col.merchant')] : [])];
    align = ['l', ...(s.by === 'reason' ? ['l' as const] : []), 'r', 'r', 'r', 'r', ...(merchant ? ['r' as const] : [])];
    rows = s.items.map((it) => ({
      cells: [
        keyText(s, it.key),
        ...(s.by === 'reason' ? [t(`stats.bucket.${it.bucket ?? 'unknown'}`)] : []),
        String(it.refunds),
        yuan(it.amountCents),
        String(it.previousRefunds),
        trendText(it),
        ...(merchant ? [pct(it.merchantSideShare)] : []),
      ],
    }));
    total = [
      t('statsBy.total'),
      ...(s.by === 'reason' ? [''] : []),
      String(tot.refunds),
      yuan(tot.amountCents),
      String(tot.previousRefunds),
      trendText({ trend: tot.previousRefunds > 0 ? tot.refunds / tot.previousRefunds - 1 : null, refunds: tot.refunds, previousRefunds: tot.previousRefunds }),
      ...(merchant ? [''] : []),
    ];
  }
  if (rows.length === 0) blocks.push({ kind: 'para', text: s.by === 'agent' ? t('statsBy.noDecisions') : t('statsBy.none') });
  else blocks.push({ kind: 'table', head, align, rows: [...rows, { cells: total }], flex: 0 });
  const advice = s.items
    .filter((it) => it.advice)
    .map((it) =>
      t('statsBy.advice', {
        product: keyText(s, it.key),
        pct: pct(it.merchantSideShare),
        n: it.refunds,
        reasons: it.advice!.reasons.map((r) => `${forTerminal(r.reason)} ${r.refunds}`).join(' · '),
        what: it.advice!.lookAt.length ? it.advice!.lookAt.map((a) => t(`statsBy.look.${a}`)).join(t('statsBy.sep')) : t('statsBy.look.quality'),
      }),
    );
  if (advice.length) blocks.push({ kind: 'notes', lines: advice });
  return {
    title: t('statsBy.title', { by: byLabel, since: short(s.since), until: short(s.until), days }),
    subtitle: [t('statsBy.previous', { prevSince: short(s.previous.since), since: short(s.since) })],
    sections: [{ title: '', blocks }],
    footer: s.by === 'agent' ? [t('statsBy.agentNote')] : [],
  };
}
