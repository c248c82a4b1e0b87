// The appeal pack as a page (the summary's page model, summaryView.ts): rendered as one printable
// A4 HTML page (inline CSS and SVG, no external assets, everything escaped) and a Markdown copy.
// Everything from the exports is untrusted and goes through forTerminal here and the renderers'
// escaping after.
import type { EvidencePack, TimelineEvent } from '../app/evidence.js';
import { parseShopTime } from '../domain/time.js';
import { buyerHistoryLine } from './buyerHistoryView.js';
import { caseTranslator } from './caseWording.js';
import { getLang, hasKey, t } from './i18n.js';
import { maskAddress, maskPhone } from './mask.js';
import { yuan } from './output.js';
import { forTerminal } from './sanitize.js';
import { dailySvg, productsSvg, reasonsSvg } from './statsCharts.js';
import { sparkline } from './statsView.js';
import { barChartSvg } from './svgCharts.js';
import { renderHtml, renderMarkdown, type Block, type Page, type Section } from './summaryView.js';

const clean = (s: string | null | undefined): string => forTerminal(s ?? '').replace(/\s+/g, ' ').trim();

function when(iso: string | null, p: EvidencePack): string {
  if (!iso) return '—';
  const ms = parseShopTime(iso, p.zone);
  return ms === null ? clean(iso) : p.zone.short(ms);
}

function eventText(e: TimelineEvent): string {
  const f = e.fields;
  const cond = (c: string | undefined) => (c ? t(`buyer.condition.${c}`) : '');
  switch (e.kind) {
    case 'created':
      return t('evidence.ev.created');
    case 'paid':
      return t('evidence.ev.paid');
    case 'shipped':
      return f.waybill ? t('evidence.ev.shipped', { carrier: clean(f.carrier), waybill: clean(f.waybill) }) : t('evidence.ev.shippedNoWaybill');
    case 'delivered':
      return t('evidence.ev.delivered');
    case 'orderMessage':
      return t('evidence.ev.orderMessage', { text: `“${clean(f.text)}”` });
    case 'applied':
      return t('evidence.ev.applied', { reason: clean(f.reason) || '—' });
    case 'refundNote':
      return t('evidence.ev.refundNote', { text: `“${clean(f.text)}”` });
    case 'status':
      return t('evidence.ev.status', { statusText: clean(f.statusText) });
    case 'returned':
      return t('evidence.ev.returned', { carrier: clean(f.carrier), waybill: clean(f.waybill) });
    case 'receipt': {
      const extra = [f.quantity ? `×${f.quantity}` : '', clean(f.inspector), clean(f.note)].filter(Boolean).join(' · ');
      return t('evidence.ev.receipt', { condition: cond(f.condition), note: extra ? ` · ${extra}` : '' });
    }
    case 'decision': {
      const extra = [clean(f.note), f.evidence ? clean(f.evidence) : ''].filter(Boolean).join(' · ');
      return t('evidence.ev.decision', { action: hasKey(`triage.action.${f.action}`) ? t(`triage.action.${f.action}`) : clean(f.action), agent: clean(f.agent), note: extra ? ` · ${extra}` : '' });
    }
  }
}

const CHECK_KEYS = ['chat', 'signed', 'photos', 'weight', 'shipWeight', 'listing', 'history'] as const;

export function evidencePage(p: EvidencePack, o: { mask: boolean }): Page {
  const cf = p.case;
  const r = cf.refund;
  const h = cf.buyerHistory;
  const platform = hasKey(`platform.${r.platform}`) ? t(`platform.${r.platform}`) : r.platform;
  const sections: Section[] = [];

  const facts: [string, string][] = [
    [t('show.order'), r.orderId],
    [t('show.state'), `${t(`status.${r.status}`)} · ${clean(r.statusText)}`],
    [t('show.amount'), t('show.amountLine', { amount: yuan(r.amountCents), paid: yuan(r.paidCents) })],
    [t('show.type'), t(`show.type.${r.refundType}`)],
  ];
  if (r.buyerNick || h.buyer) facts.push([t('show.buyer'), clean(r.buyerNick ?? h.buyer)]);
  if (r.itemTitle) facts.push([t('evidence.product'), clean(r.itemTitle)]);
  if (cf.order && (cf.order.receiverName || cf.order.phone || cf.order.address)) {
    const od = cf.order;
    const phone = o.mask ? maskPhone(od.phone) : clean(od.phone);
    const addr = o.mask ? maskAddress(od.address) : clean(od.address);
    facts.push([t('show.receiver'), [clean(od.receiverName), phone, addr].filter(Boolean).join(' · ')]);
  }
  if (cf.deadline.at !== null) facts.push([t('show.deadline'), p.zone.short(cf.deadline.at)]);
  sections.push({ title: t('evidence.case'), blocks: [{ kind: 'pairs', rows: facts }] });

  sections.push({
    title: t('evidence.timeline'),
    blocks: [
      {
        kind: 'table',
        head: ['', ''],
        align: ['l', 'l'],
        rows: p.timeline.map((e) => ({ cells: [when(e.at, p), eventText(e)] })),
        flex: 1,
      },
    ],
  });

  const buyerBlocks: Block[] = [];
  if (h.buyer === null) buyerBlocks.push({ kind: 'para', text: t('buyer.unknown') });
  else {
    buyerBlocks.push({ kind: 'para', text: `${clean(h.buyer)} · ${t('buyer.heading', { days: h.windowDays })}: ${buyerHistoryLine(h)}` });
    if (h.masked) buyerBlocks.push({ kind: 'para', text: t('buyer.masked', { buyer: clean(h.buyer) }) });
    buyerBlocks.push({
      kind: 'table',
      head: [t('evidence.col.refund'), t('evidence.col.applied'), t('evidence.col.amount'), t('evidence.col.reason'), t('evidence.col.state'), t('evidence.col.notes')],
      align: ['l', 'l', 'r', 'l', 'l', 'l'],
      rows: h.cases.map((c) => ({
        cells: [
          c.refundId,
          when(c.appliedAt, p),
          yuan(c.amountCents),
          clean(c.reason) || '—',
          t(`status.${c.status}`),
          [
            c.refundId === r.refundId ? t('evidence.note.thisOne') : '',
            c.refundOnlyAfterDelivery ? t('evidence.note.afterDelivery') : '',
            c.disputed ? caseTranslator({ platform: r.platform, overdue: false })('evidence.note.dispute') : '',
            c.returnCondition ? t('evidence.note.return', { condition: t(`buyer.condition.${c.returnCondition}`) }) : '',
          ]
            .filter(Boolean)
            .join(' · '),
        ],
      })),
      flex: 5,
    });
    if (h.reasons.length > 1) {
      buyerBlocks.push({
        kind: 'chart',
        lines: [],
        svg: barChartSvg(t('evidence.buyerReasons', { days: h.windowDays }), h.reasons.map((x) => ({ label: x.reason === null ? t('buyer.noReason') : clean(x.reason), value: x.refunds }))),
      });
    }
  }
  sections.push({ title: t('evidence.buyer'), blocks: buyerBlocks });
  sections.push({
    title: t('evidence.flags'),
    blocks: [h.flags.length ? { kind: 'notes', lines: h.flags.map((f) => `${caseTranslator({ platform: r.platform, overdue: false })(`buyer.flag.${f.id}`)} (${f.id}): ${clean(f.why)}`) } : { kind: 'para', text: t('evidence.noFlags') }],
  });

  const words: [string, string][] = [[t('evidence.words.status'), clean(r.statusText)]];
  if (r.reason) words.push([t('evidence.words.reason'), clean(r.reason)]);
  if (r.buyerNote) words.push([t('evidence.words.note'), clean(r.buyerNote)]);
  if (r.goodsStatus) words.push([t('evidence.words.goods'), clean(r.goodsStatus)]);
  if (r.disputeText) words.push([caseTranslator({ platform: r.platform, overdue: false })('evidence.words.dispute'), clean(r.disputeText)]);
  if (r.sellerNote) words.push([t('evidence.words.sellerNote'), clean(r.sellerNote)]);
  sections.push({ title: t('evidence.platformWords'), blocks: [{ kind: 'pairs', rows: words }] });

  const platformKey = r.platform === 'douyin' ? 'douyin' : r.platform === 'taobao' ? 'taobao' : 'pdd';
  sections.push({
    title: t('evidence.checklist'),
    blocks: [
      { kind: 'list', items: CHECK_KEYS.map((k) => `☐ ${t(`evidence.check.${k}`)}`) },
      { kind: 'para', text: t(`evidence.check.${platformKey}`) },
    ],
  });

  const shop = p.shop;
  const charts: Block[] = [];
  if (shop.perDay.length) {
    const first = shop.perDay[0]!.date.slice(5);
    const last = shop.perDay.at(-1)!.date.slice(5);
    const line = `${t('stats.sparkApplied')}  ${first} ${sparkline(shop.perDay.map((d) => d.applied))} ${last}`;
    charts.push({ kind: 'chart', lines: [line], svg: dailySvg(shop) });
  }
  const bars = [shop.reasons.ranked.length ? reasonsSvg(shop) : '', shop.topProducts.length ? productsSvg(shop) : ''].join('');
  if (bars) charts.push({ kind: 'chart', lines: [], svg: bars });
  if (charts.length) sections.push({ title: t('evidence.charts', { days: shop.days }), blocks: charts });

  return {
    title: t('evidence.title', { refundId: r.refundId }),
    subtitle: [t('evidence.subtitle', { platform, orderId: r.orderId, now: when(p.madeAt, p) })],
    sections,
    footer: [t('evidence.footer')],
  };
}

export function evidenceFiles(p: EvidencePack, o: { mask: boolean }): { name: string; content: string }[] {
  const page = evidencePage(p, o);
  const base = `appeal-${p.case.refund.refundId.replace(/[^0-9A-Za-z_-]/g, '_')}`;
  return [
    { name: `${base}.html`, content: renderHtml(page, getLang()) },
    { name: `${base}.md`, content: renderMarkdown(page) },
  ];
}

