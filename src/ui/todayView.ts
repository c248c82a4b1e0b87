// The morning sweep on screen: a header with counts, then sections most urgent first, each a table
// aligned for double-width Chinese text. Colour only when the Output says so.
import type { SweepCounts, SweepItem } from '../app/sweep.js';
import { formatTimeLeft, URGENCY_SECTIONS, type UrgencySection } from '../domain/urgency.js';
import { getLang, t } from './i18n.js';
import { yuan, type Output } from './output.js';
import { renderColumns, widthOf } from './width.js';
import { forTerminal, truncateTo } from './sanitize.js';
import type { ShopZone } from '../domain/time.js';

export interface TodayViewOptions {
  asOfMs: number;
  nowMs: number;
  projected: boolean;
  zone: ShopZone;
  windowText: string;
  perSection: number | null;
  filtered: boolean;
  /** Rows per section before the cut, when `items` holds only the rows to show. */
  sectionSizes?: Map<string, number>;
}

const ORANGE = '#FF8C00';

export function renderToday(items: SweepItem[], counts: SweepCounts, io: Output, o: TodayViewOptions): string {
  const c = io.chalk;
  const lang = getLang();
  const out: string[] = [];
  out.push(
    c.bold(
      o.projected
        ? t('today.headerProjected', { asOf: o.zone.short(o.asOfMs), zone: o.zone.name, now: o.zone.short(o.nowMs) })
        : t('today.header', { asOf: o.zone.short(o.asOfMs), zone: o.zone.name }),
    ),
  );
  let countLine = t('today.counts', {
    open: counts.open,
    overdue: counts.overdue,
    dueSoon: counts.dueSoon,
    window: o.windowText,
    orange: counts.orange,
    buyer: counts.waitingOnBuyer,
  });
  if (counts.notCarriedOut) countLine += ` · ${t('today.countsNotCarried', { n: counts.notCarriedOut })}`;
  out.push(countLine);
  if (items.length === 0) {
    out.push('', o.filtered ? t('today.emptyFiltered') : t('today.empty'));
    return out.join('\n');
  }
  for (const section of URGENCY_SECTIONS) {
    const rows = items.filter((i) => i.urgency.section === section);
    if (rows.length === 0) continue;
    const shown = o.perSection === null ? rows : rows.slice(0, o.perSection);
    const total = o.sectionSizes?.get(section) ?? rows.length;
    out.push('');
    out.push(paintSection(io, section, `${t(`today.section.${section}`, { window: o.windowText })} (${total})`));
    const head = ['refund', 'order', 'buyer', 'amount', 'state', 'left', 'next'].map((k) => t(`today.col.${k}`));
    const body = shown.map((item) => {
      const r = item.refund;
      return [
        r.refundId,
        r.orderId,
        truncateTo(forTerminal(r.buyerNick) || '—', 14, widthOf),
        yuan(r.amountCents),
        t(`state.short.${r.status}`),
        formatTimeLeft(item.urgency.secondsLeft, lang),
        t(`next.${item.next}`),
      ].map((cell) => paintRow(io, item, cell));
    });
    out.push(renderColumns([head, ...body], ['left', 'left', 'left', 'right', 'left', 'right', 'left']));
    if (shown.length < total) out.push(c.dim(`  ${t('today.more', { n: total - shown.length })}`));
  }
  out.push('', c.dim(t('today.footer')));
  return out.join('\n');
}

function paintSection(io: Output, section: UrgencySection, text: string): string {
  const c = io.chalk;
  switch (section) {
    case 'overdue':
      return c.bold.red(text);
    case 'dueSoon':
      return c.bold.yellow(text);
    case 'orange':
      return c.bold.hex(ORANGE)(text);
    case 'buyer':
    case 'other':
      return c.dim(text);
    default:
      return c.bold(text);
  }
}

function paintRow(io: Output, item: SweepItem, cell: string): string {
  const c = io.chalk;
  if (!io.color) return cell;
  if (item.urgency.section === 'overdue') return c.red(cell);
  if (item.urgency.orange) return c.hex(ORANGE)(cell);
  if (item.urgency.section === 'dueSoon') return c.yellow(cell);
  if (item.urgency.section === 'buyer' || item.urgency.section === 'other') return c.dim(cell);
  return cell;
}
