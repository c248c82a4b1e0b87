// The buyer's history on the case card (`show`, the triage card): one summary line, the reasons,
// and each flag with its reason term by term. Buyer-written text (the nick, reasons) is sanitized.
import type { BuyerHistory } from '../domain/buyerHistory.js';
import { t } from './i18n.js';
import { padEnd, yuan, type Output } from './output.js';
import { forTerminal } from './sanitize.js';

const pct = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

/** The figures of the history as one line (also used by the evidence pack). */
export function buyerHistoryLine(h: BuyerHistory): string {
  return t('buyer.line', {
    refunds: h.refunds,
    amount: yuan(h.amountCents),
    onlyAfter: h.refundOnlyAfterDelivery,
    disputes: h.disputes,
    orders: h.orders,
    refunded: h.refundedOrders,
    share: pct(h.refundShare),
  });
}

export function renderBuyerHistory(h: BuyerHistory, io: Output, o: { compact?: boolean } = {}): string[] {
  const c = io.chalk;
  const indent = `  ${' '.repeat(14)} `;
  const lines: string[] = [];
  const head = `  ${c.dim(padEnd(t('buyer.heading', { days: h.windowDays }), 14))} `;
  if (h.buyer === null) {
    lines.push(`${head}${c.dim(t('buyer.unknown'))}`);
    return lines;
  }
  lines.push(`${head}${buyerHistoryLine(h)}`);
  if (!o.compact && h.reasons.length) {
    const reasons = h.reasons.map((r) => `${r.reason === null ? t('buyer.noReason') : forTerminal(r.reason)} ${r.refunds}`).join(' · ');
    lines.push(`${indent}${c.dim(t('buyer.reasons', { reasons }))}`);
  }
  if (h.masked) lines.push(`${indent}${c.yellow(t('buyer.masked', { buyer: forTerminal(h.buyer) }))}`);
  if (h.flags.length === 0) {
    if (!o.compact) lines.push(`${indent}${c.dim(h.refunds < 2 ? t('buyer.noFlagsOne') : t('buyer.noFlags'))}`);
  }
  for (const f of h.flags) lines.push(`${indent}${c.bold.yellow(`⚑ ${t(`buyer.flag.${f.id}`)}`)} ${c.dim(`(${f.id})`)}: ${forTerminal(f.why)}`);
  return lines;
}
