// The morning sweep on screen: a header with counts, then sections most urgent first, each a table
// aligned for double-width Chinese text. Colour only when the Output says so.
import type { SweepCounts, SweepItem } from '../app/sweep.js';
import { formatTimeLeft, URGENCY_SECTIONS, type UrgencySection } from '../domain/urgency.js';
import { getLang, t } from './i18n.js';
import { yuan, type Output } from './output.js';
import { renderColumns, widthOf } from './width.js';
import { forTerminal, truncateTo } from './sanitize.js';
import type { ShopZone } from '../domain/time.js';
import { backendButton } from './messages/morning.js';

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
  /** The terminal's width; null (piped) keeps every column at full width. */
  width: number | null;
}

/** What `renderToday` printed: the text, and the refund of each row number (1 = ids[0]). */
export interface TodayScreen {
  text: string;
  ids: string[];
}

// Column indexes of a row: # refund order buyer amount state left next.
const COL = { row: 0, refund: 1, order: 2, buyer: 3, amount: 4, state: 5, left: 6, next: 7 } as const;
const ALIGN: ('left' | 'right')[] = ['right', 'left', 'left', 'left', 'right', 'left', 'right', 'left'];
/** The narrowest a shortened "next step" gets before whole lines are cut. */
const MIN_NEXT = 6;
/** The narrowest a shortened state gets. */
const MIN_STATE = 6;

/** Display width of a table as renderColumns lays it out: indent 2, two spaces between columns. */
function tableWidth(rows: string[][], keep: number[]): number {
  const widths = keep.map((i) => Math.max(...rows.map((r) => widthOf(r[i]!))));
  return 2 + widths.reduce((a, b) => a + b, 0) + 2 * (keep.length - 1);
}

/**
 * Which columns a terminal of `width` columns keeps, and how wide "next step" (and, on the
 * narrowest terminals, "state") may be: the order ID goes first, then the buyer, then the next step
 * is shortened, down to MIN_NEXT, then the state (README, "today on a narrow terminal").
 */
export function fitColumns(rows: string[][], width: number | null): { keep: number[]; nextMax: number | null; stateMax: number | null } {
  let keep = [0, 1, 2, 3, 4, 5, 6, 7];
  if (width === null) return { keep, nextMax: null, stateMax: null };
  for (const drop of [COL.order, COL.buyer]) {
    if (tableWidth(rows, keep) <= width) return { keep, nextMax: null, stateMax: null };
    keep = keep.filter((i) => i !== drop);
  }
  const rest = tableWidth(rows, keep.filter((i) => i !== COL.next)) + 2;
  if (rest + Math.max(...rows.map((r) => widthOf(r[COL.next]!))) <= width) return { keep, nextMax: null, stateMax: null };
  if (rest + MIN_NEXT <= width) return { keep, nextMax: width - rest, stateMax: null };
  const stateWidth = Math.max(...rows.map((r) => widthOf(r[COL.state]!)));
  return { keep, nextMax: MIN_NEXT, stateMax: Math.max(MIN_STATE, stateWidth - (rest + MIN_NEXT - width)) };
}

/** A line cut to the terminal's width (nothing cut when piped). */
function fit(line: string, width: number | null): string {
  return width === null || widthOf(line) <= width ? line : truncateTo(line, width, widthOf);
}

/** Parts joined with " · ", broken onto more lines where one would not fit. */
function fitParts(parts: string[], width: number | null): string[] {
  if (width === null) return [parts.join(' · ')];
  const lines: string[] = [];
  let line = '';
  for (const p of parts) {
    const next = line ? `${line} · ${p}` : p;
    if (line && widthOf(next) > width) {
      lines.push(line);
      line = p;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.map((l) => fit(l, width));
}

function decidedAt(zone: ShopZone, decidedIso: string, asOfMs: number): string {
  const at = Date.parse(decidedIso);
  if (!Number.isFinite(at)) return forTerminal(decidedIso);
  const s = zone.short(at);
  return s.slice(0, 10) === zone.short(asOfMs).slice(0, 10) ? s.slice(11) : s.slice(5);
}

const ORANGE = '#FF8C00';

export function renderToday(items: SweepItem[], counts: SweepCounts, io: Output, o: TodayViewOptions): TodayScreen {
  const c = io.chalk;
  const lang = getLang();
  const out: string[] = [];
  const ids: string[] = [];
  out.push(
    c.bold(
      fit(
        o.projected
          ? t('today.headerProjected', { asOf: o.zone.short(o.asOfMs), zone: o.zone.name, now: o.zone.short(o.nowMs) })
          : t('today.header', { asOf: o.zone.short(o.asOfMs), zone: o.zone.name }),
        o.width,
      ),
    ),
  );
  const countLine = t('today.counts', {
    open: counts.open,
    overdue: counts.overdue,
    dueSoon: counts.dueSoon,
    window: o.windowText,
    orange: counts.orange,
    buyer: counts.waitingOnBuyer,
  });
  const countParts = countLine.split(' · ');
  if (counts.notCarriedOut) countParts.push(t('today.countsNotCarried', { n: counts.notCarriedOut }));
  out.push(...fitParts(countParts, o.width));
  if (items.length === 0) {
    out.push('', o.filtered ? t('today.emptyFiltered') : t('today.empty'));
    return { text: out.join('\n'), ids };
  }
  for (const section of URGENCY_SECTIONS) {
    const rows = items.filter((i) => i.urgency.section === section);
    if (rows.length === 0) continue;
    const shown = o.perSection === null ? rows : rows.slice(0, o.perSection);
    const total = o.sectionSizes?.get(section) ?? rows.length;
    out.push('');
    out.push(paintSection(io, section, fit(`${t(`today.section.${section}`, { window: o.windowText })} (${total})`, o.width)));
    const head = ['row', 'refund', 'order', 'buyer', 'amount', 'state', 'left', 'next'].map((k) => t(`today.col.${k}`));
    const body = shown.map((item) => {
      const r = item.refund;
      ids.push(r.refundId);
      return [
        String(ids.length),
        r.refundId,
        r.orderId,
        truncateTo(forTerminal(r.buyerNick) || '—', 14, widthOf),
        yuan(r.amountCents),
        t(`state.short.${r.status}`),
        formatTimeLeft(item.urgency.secondsLeft, lang),
        item.next === 'carry-out' && item.decision
          ? item.decision.action === 'wait'
            ? t('today.waitCell')
            : t('today.carryOutCell', { button: backendButton(r.platform, item.decision.action) })
          : t(`next.${item.next}`),
      ];
    });
    const { keep, nextMax, stateMax } = fitColumns([head, ...body], o.width);
    const cut = (row: string[]) =>
      keep.map((i) => {
        const max = i === COL.next ? nextMax : i === COL.state ? stateMax : null;
        return max === null ? row[i]! : truncateTo(row[i]!, max, widthOf);
      });
    const aligns = keep.map((i) => ALIGN[i]!);
    const plain = renderColumns([cut(head), ...body.map(cut)], aligns).split('\n');
    // Each cell painted by itself, so every line carries its own colour (a terminal's copy of a
    // line, or a pager's, starts without the previous line's attributes).
    // Without colour every painted cell is the plain one: the table is laid out once.
    const painted = io.color ? renderColumns([cut(head), ...body.map((row, n) => cut(row).map((cell) => paintRow(io, shown[n]!, cell)))], aligns).split('\n') : plain;
    // Narrower still than the minimum "next step": lines are cut at the edge rather than wrapped.
    const line = (n: number) => (o.width === null || widthOf(plain[n]!) <= o.width ? painted[n]! : fit(plain[n]!, o.width));
    out.push(line(0));
    shown.forEach((item, n) => {
      out.push(line(n + 1));
      // A decision recorded since the last import: say who decided what, and what is left to do.
      if (item.next === 'carry-out' && item.decision) {
        const d = item.decision;
        const text = t(d.action === 'wait' ? 'today.decidedWaitLine' : 'today.decidedLine', {
          agent: forTerminal(d.agent),
          at: decidedAt(o.zone, d.decidedAt, o.asOfMs),
          button: backendButton(item.refund.platform, d.action),
        });
        out.push(c.cyan(fit(`       ↳ ${text}`, o.width)));
      }
    });
    if (shown.length < total) out.push(c.dim(fit(`  ${t('today.more', { n: total - shown.length })}`, o.width)));
  }
  out.push('', ...fitParts(t('today.footerNumbered').split(' · '), o.width).map((l) => c.dim(l)));
  return { text: out.join('\n'), ids };
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
