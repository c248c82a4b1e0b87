// The buyer's history on the case card (`show`, the triage card): one summary line, the reasons,
// and each flag with its reason term by term. Buyer-written text (the nick, reasons) is sanitized.
import type { BuyerHistory } from '../domain/buyerHistory.js';
import { caseTranslator } from './caseWording.js';
import { t } from './i18n.js';
import { padEnd, yuan, type Output } from './output.js';
import { forTerminal } from './sanitize.js';
import { cutToWidth, widthOf } from './width.js';
import { PAGE_WIDTH, wrap } from './summaryView.js';

const pct = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

/** The placeholders of the buyer.line / buyer.card1 / buyer.card2 texts. */
function figuresOf(h: BuyerHistory): Record<string, string | number> {
  return {
    refunds: h.refunds,
    amount: yuan(h.amountCents),
    onlyAfter: h.refundOnlyAfterDelivery,
    disputes: h.disputes,
    orders: h.orders,
    refunded: h.refundedOrders,
    share: pct(h.refundShare),
  };
}

/** The figures of the history as one line (also used by the evidence pack). */
export function buyerHistoryLine(h: BuyerHistory): string {
  return caseTranslator({ platform: h.platform, overdue: false })('buyer.line', figuresOf(h));
}

/** Lines of the card, at most `width` columns (the terminal's; the triage card is 80 wide). */
export function renderBuyerHistory(h: BuyerHistory, io: Output, o: { compact?: boolean; width?: number } = {}): string[] {
  const c = io.chalk;
  const tw = caseTranslator({ platform: h.platform, overdue: false });
  const width = o.width ?? PAGE_WIDTH;
  const indent = `  ${' '.repeat(14)} `;
  const lines: string[] = [];
  const head = `  ${c.dim(padEnd(t('buyer.heading', { days: h.windowDays }), 14))} `;
  const wrapped = (text: string, paint: (s: string) => string = (s) => s, more = '') =>
    wrap(text, width, indent + more).map((l) => indent + more + paint(l.slice(indent.length + more.length)));
  if (h.buyer === null) {
    lines.push(`${head}${c.dim(t('buyer.unknown'))}`);
    return lines;
  }
  const figures = figuresOf(h);
  lines.push(`${head}${t('buyer.card1', figures)}`, `${indent}${tw('buyer.card2', figures)}`);
  if (!o.compact && h.reasons.length) {
    const reasons = h.reasons.map((r) => `${r.reason === null ? t('buyer.noReason') : forTerminal(r.reason)} ${r.refunds}`).join(' · ');
    lines.push(...wrapped(t('buyer.reasons', { reasons }), c.dim));
  }
  if (h.masked) lines.push(...wrapped(t('buyer.masked', { buyer: forTerminal(h.buyer) }), c.yellow));
  if (h.flags.length === 0 && !o.compact) lines.push(`${indent}${c.dim(h.refunds < 2 ? t('buyer.noFlagsOne') : t('buyer.noFlags'))}`);
  for (const f of h.flags) {
    lines.push(`${indent}${c.bold.yellow(`⚑ ${tw(`buyer.flag.${f.id}`)}`)} ${c.dim(`(${f.id})`)}`);
    lines.push(...wrapped(forTerminal(f.why), (s) => s, '  '));
  }
  return lines;
}

/**
 * The compact triage card's buyer section: the figures on one line, and the flags by name on the
 * next (each flag's reason is in the details, `d`), so the card still fits 80×24 with its question.
 */
export function compactBuyerHistory(h: BuyerHistory, io: Pick<Output, 'chalk'>, width: number): string[] {
  const c = io.chalk;
  if (h.buyer === null) return [];
  const params = { days: h.windowDays, refunds: h.refunds, amount: yuan(h.amountCents), onlyAfter: h.refundOnlyAfterDelivery };
  const figures = `${t(h.refunds === 1 ? 'buyer.compactOne' : 'buyer.compact', params)}${h.masked ? ' · *' : ''}`;
  // Labelled like the card's other fields (8 columns), so the figures line up with theirs.
  const lines = [`  ${c.dim(padEnd(t('card.buyer'), 8))} ${cutToWidth(figures, Math.max(10, width - 12))}`];
  // Every flag by name, packed whole onto as few lines as fit (a name is cut only if wider than a line).
  const room = Math.max(10, width - 12);
  let line = '';
  for (const name of h.flags.map((f) => `⚑ ${caseTranslator({ platform: h.platform, overdue: false })(`buyer.flag.${f.id}`)}`)) {
    if (line && widthOf(`${line} · ${name}`) > room) {
      lines.push(`           ${c.bold.yellow(line)}`);
      line = '';
    }
    line = line ? `${line} · ${name}` : cutToWidth(name, room);
  }
  if (line) lines.push(`           ${c.bold.yellow(line)}`);
  return lines;
}
