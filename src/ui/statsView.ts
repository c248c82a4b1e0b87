// Shop metrics for people: the figures of app/stats.ts as page sections (see summaryView.ts for
// the page model and its text, Markdown and HTML renderers), in full for `refunds stats` and
// compact for the summary's "last 28 days" section. Per-day bars / a sparkline drawn with block
// characters show the trend.
import type { Stats } from '../app/stats.js';
import type { ShopZone } from '../domain/time.js';
import { hasKey, t } from './i18n.js';
import { padEnd, widthOf, yuan } from './output.js';
import { forTerminal } from './sanitize.js';
import type { Block, Section } from './summaryView.js';
import { dailySvg, productsSvg, reasonsSvg } from './statsCharts.js';

export function pct(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

function platformName(p: string): string {
  return hasKey(`platform.${p}`) ? t(`platform.${p}`) : forTerminal(p);
}

function shareValue(s: { count: number; of: number; share: number | null }): string {
  return t('stats.selfValue', { n: s.count, of: s.of, pct: pct(s.share) });
}

/** The headline figures as label/value pairs, plus notes for the refund share per platform. */
function figures(s: Stats, compact: boolean): Block[] {
  const rs = s.refundShare;
  let shareText: string;
  if (!rs.orderExportImported) shareText = t('stats.noOrders');
  else if (rs.paidCents === 0) shareText = t('stats.noPaid');
  else {
    shareText = t('stats.refundShareValue', { refunded: yuan(rs.refundedCents), paid: yuan(rs.paidCents), pct: pct(rs.share) });
    if (rs.share !== null && rs.share > rs.ruleOfThumb) shareText += ` (${t('stats.overRule')})`;
  }
  const pairs: [string, string][] = [
    [t('stats.finished'), t('stats.finishedValue', { n: s.finished.count, success: s.finished.success, closed: s.finished.closed })],
    [t('stats.selfFinished'), shareValue(s.selfFinished)],
    [
      t('stats.meanTime'),
      s.meanHoursToFinish === null ? '—' : t('stats.meanValue', { hours: s.meanHoursToFinish.toFixed(1), n: s.meanHoursOver }),
    ],
    [t('stats.timeouts'), shareValue(s.timeouts)],
    ...(compact ? [] : ([[t('stats.applied'), t('stats.appliedValue', { n: s.applied.count, amount: yuan(s.applied.amountCents) })]] as [string, string][])),
    [t('stats.disputes'), shareValue(s.disputes)],
    [t('stats.refundShare', { rule: pct(rs.ruleOfThumb).replace('.0%', '%') }), shareText],
  ];
  const blocks: Block[] = [{ kind: 'pairs', rows: pairs }];
  // Per platform when it matters: platforms without their order export (their refunds are not
  // in the share), and each platform's own share when several have one.
  const notes: string[] = [];
  if (rs.orderExportImported) {
    const withOrders = rs.platforms.filter((p) => p.orderExportImported);
    for (const p of rs.platforms) {
      if (!p.orderExportImported) {
        if (p.refunds > 0) notes.push(t('stats.platformNoOrders', { platform: platformName(p.platform), refunded: yuan(p.refundedCents) }));
      } else if (withOrders.length > 1) {
        notes.push(t('stats.platformShare', { platform: platformName(p.platform), refunded: yuan(p.refundedCents), paid: yuan(p.paidCents), pct: pct(p.share) }));
      }
    }
  }
  if (notes.length) blocks.push({ kind: 'notes', lines: notes });
  return blocks;
}

function bucketsLine(s: Stats): string {
  const b = s.reasons.buckets;
  return t('stats.bucketsLine', { buyer: b.buyer.refunds, merchant: b.merchant.refunds, unknown: b.unknown.refunds });
}

function reasonTable(s: Stats, limit: number | null): Block {
  const ranked = limit === null ? s.reasons.ranked : s.reasons.ranked.slice(0, limit);
  return {
    kind: 'table',
    head: ['', '', t('summary.col.refunds'), t('summary.col.amount')],
    align: ['l', 'l', 'r', 'r'],
    rows: ranked.map((r) => ({
      cells: [r.reason === null ? t('stats.noReason') : forTerminal(r.reason), t(`stats.bucket.${r.bucket}`), String(r.refunds), yuan(r.amountCents)],
    })),
    more: s.reasons.ranked.length - ranked.length,
  };
}

function productTable(s: Stats, limit: number | null): Block {
  const top = limit === null ? s.topProducts : s.topProducts.slice(0, limit);
  return {
    kind: 'table',
    head: ['', t('summary.col.refunds'), t('summary.col.amount')],
    align: ['l', 'r', 'r'],
    rows: top.map((p) => ({ cells: [p.product === null ? t('stats.noProduct') : forTerminal(p.product), String(p.refunds), yuan(p.amountCents)] })),
  };
}

const SPARK = ['▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per day: ▁ for none, then ▂…█ scaled to the busiest day. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (v <= 0 || max === 0 ? '▁' : SPARK[Math.min(SPARK.length - 1, Math.ceil((v / max) * SPARK.length) - 1)]!))
    .join('');
}

const BAR_WIDTH = 20;

function bar(n: number, max: number, ch: string): string {
  if (n <= 0 || max <= 0) return '';
  return ch.repeat(Math.max(1, Math.round((n / max) * BAR_WIDTH)));
}

function weekday(date: string, zone: ShopZone): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = zone.fromLocal({ year: y, month: m, day: d, hour: 12, minute: 0, second: 0 });
  return t(`stats.weekday.${zone.toLocal(ms).weekday}`);
}

/** Per-day bars: applied █, finished ░, one line per shop-local day. */
export function dayBars(s: Stats, zone: ShopZone): string[] {
  const max = Math.max(0, ...s.perDay.map((d) => Math.max(d.applied, d.finished)));
  const nw = String(max).length;
  return s.perDay.map((d) => {
    const day = `${d.date.slice(5)} ${padEnd(weekday(d.date, zone), 4)}`;
    const a = d.applied ? `${bar(d.applied, max, '█').padEnd(BAR_WIDTH)} ${String(d.applied).padStart(nw)}` : ' '.repeat(BAR_WIDTH + 1 + nw);
    const f = d.finished ? `${bar(d.finished, max, '░').padEnd(BAR_WIDTH)} ${String(d.finished).padStart(nw)}` : '';
    return `${day}  ${a}  ${f}`.replace(/\s+$/, '');
  });
}

function totals(s: Stats): { applied: number; finished: number } {
  return {
    applied: s.perDay.reduce((n, d) => n + d.applied, 0),
    finished: s.perDay.reduce((n, d) => n + d.finished, 0),
  };
}

function legend(): string {
  return `█ ${t('stats.sparkApplied')} · ░ ${t('stats.sparkFinished')}`;
}

function sparkBlock(s: Stats): Extract<Block, { kind: 'chart' }> {
  const first = s.perDay[0]?.date.slice(5) ?? '';
  const last = s.perDay.at(-1)?.date.slice(5) ?? '';
  const labels = [t('stats.sparkApplied'), t('stats.sparkFinished')];
  const lw = Math.max(...labels.map(widthOf));
  const tot = totals(s);
  const line = (label: string, values: number[], total: number) =>
    `${padEnd(label, lw)}  ${first} ${sparkline(values)} ${last}  (${total}, max ${Math.max(0, ...values)})`;
  return {
    kind: 'chart',
    lines: [line(labels[0]!, s.perDay.map((d) => d.applied), tot.applied), line(labels[1]!, s.perDay.map((d) => d.finished), tot.finished)],
  };
}

export function statsTitle(s: Stats, zone: ShopZone): string {
  return t('stats.title', { since: zone.short(Date.parse(s.since)), until: zone.short(Date.parse(s.until)), days: trimDays(s.days) });
}

/** `refunds stats`: figures, reasons, products, per-day bars. */
export function statsSections(s: Stats, zone: ShopZone): Section[] {
  const none: Block = { kind: 'para', text: t('stats.none') };
  const tot = totals(s);
  return [
    { title: '', blocks: figures(s, false) },
    {
      title: t('stats.reasons'),
      blocks: s.reasons.ranked.length ? [{ kind: 'para', text: bucketsLine(s) }, reasonTable(s, null)] : [none],
    },
    { title: t('stats.products'), blocks: s.topProducts.length ? [productTable(s, null)] : [none] },
    {
      title: t('stats.chart', tot),
      blocks: s.perDay.length ? [{ kind: 'para', text: legend() }, { kind: 'chart', lines: dayBars(s, zone) }] : [none],
    },
  ];
}

/** The summary's "last N days" section: figures, top reasons and products, sparklines. */
export function statsSummarySection(s: Stats): Section {
  const blocks: Block[] = [...figures(s, true)];
  const reasons = s.reasons.ranked
    .slice(0, 3)
    .map((r) => `${r.reason === null ? t('stats.noReason') : forTerminal(r.reason)} ${r.refunds}`)
    .join(' · ');
  blocks.push({ kind: 'para', text: t('stats.topReasons', { buckets: bucketsLine(s), top: reasons || t('stats.none') }) });
  const products = s.topProducts
    .slice(0, 3)
    .map((p) => `${p.product === null ? t('stats.noProduct') : forTerminal(p.product)} ${p.refunds}`)
    .join(' · ');
  blocks.push({ kind: 'para', text: t('stats.topProducts', { top: products || t('stats.none') }) });
  if (s.perDay.length) blocks.push({ ...sparkBlock(s), svg: dailySvg(s) });
  // Drawn on the HTML page only (no text lines): the paragraphs above say the same.
  // Reasons and products side by side, half the page each.
  const bars = [s.reasons.ranked.length ? reasonsSvg(s) : '', s.topProducts.length ? productsSvg(s) : ''].join('');
  if (bars) blocks.push({ kind: 'chart', lines: [], svg: bars });
  return { title: t('summary.metrics', { days: trimDays(s.days) }), blocks };
}

function trimDays(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}
