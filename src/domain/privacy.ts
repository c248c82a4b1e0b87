// Personal data on paper and screens: phones and addresses masked unless asked for, and who to
// call about a refund. One copy of the rule for every view (ui/mask.ts re-exports the masks).
import type { Order } from './types.js';

/** 13812345678 -> 138****5678; other numbers keep their first 3 and last 2 characters. */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  const p = phone.replace(/\s/g, '');
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  if (p.length <= 5) return '*'.repeat(p.length);
  return `${p.slice(0, 3)}${'*'.repeat(p.length - 5)}${p.slice(-2)}`;
}

/** Keeps the province/city part (first 6 characters) of an address, masks the rest. */
export function maskAddress(address: string | null): string {
  if (!address) return '';
  const chars = [...address.trim()];
  if (chars.length <= 6) return '*'.repeat(chars.length);
  return `${chars.slice(0, 6).join('')}****`;
}

export interface Contact {
  name: string | null;
  phone: string | null;
  address: string | null;
}

/** A refund with its order, as the summary lists it (app/summary.ts SummaryRow). */
export interface ContactSource {
  order: Order | null;
  item: { refund: { buyerNick: string | null } };
}

/** Who to call about a refund: the order's receiver, else the buyer's nick; masked unless asked. */
export function contactOf(r: ContactSource, mask: boolean): Contact {
  const o = r.order;
  if (!o) return { name: r.item.refund.buyerNick, phone: null, address: null };
  return {
    name: o.receiverName ?? r.item.refund.buyerNick,
    phone: o.phone ? (mask ? maskPhone(o.phone) : o.phone) : null,
    address: o.address ? (mask ? maskAddress(o.address) : o.address) : null,
  };
}
