// A buyer's past with the shop, as one case's card shows it: the same buyer's refunds on the same
// platform applied in the last `windowDays` (this one included), their orders and the share
// refunded. Pure: the store hands over the rows (store/buyerHistory.ts), this adds them up.
//
// Buyers are matched by the platform's buyer identity exactly as exported (the refund's nick, or
// its order's buyer where the refund export has none). A masked identity (`王*: 1*****9`) matches
// only the same mask exactly: two buyers can share a mask, and one buyer can appear under several.
import type { Platform, RefundStatus, RefundType, WarehouseReceipt } from './types.js';

export const DEFAULT_BUYER_HISTORY_DAYS = 90;

/** One refund of the buyer in the window. */
export interface BuyerCase {
  refundId: string;
  orderId: string;
  status: RefundStatus;
  appliedAt: string | null;
  amountCents: number;
  refundType: RefundType | null;
  reason: string | null;
  /** Refund only (仅退款) asked once the goods had arrived (货物状态 买家已收到货, or the order finished). */
  refundOnlyAfterDelivery: boolean;
  /** 客服介入 at some point (dispute_state not 'none'). */
  disputed: boolean;
  /** The returns desk's latest inspection of the parcel sent back for it, if any. */
  returnCondition: WarehouseReceipt['condition'] | null;
  returnReceivedAt: string | null;
}

export interface BuyerHistoryInput {
  /** The identity matched on; null when neither the refund nor its order names the buyer. */
  buyer: string | null;
  platform: Platform;
  windowDays: number;
  /** The buyer's refunds in the window, this one included, oldest first. */
  cases: BuyerCase[];
  /** The buyer's orders: paid (or created) in the window, or refunded in it. */
  orders: number;
}

export interface BuyerFlag {
  id: BuyerFlagId;
  /** The reason, term by term, in the agent's language. */
  why: string;
}

export const BUYER_FLAG_IDS = ['repeat-refund-only', 'high-refund-share', 'late-request', 'bad-return', 'dispute-history'] as const;
export type BuyerFlagId = (typeof BUYER_FLAG_IDS)[number];

export interface BuyerHistory {
  buyer: string | null;
  /** The identity is masked by the platform: matched only exactly. */
  masked: boolean;
  platform: Platform;
  windowDays: number;
  refunds: number;
  amountCents: number;
  refundOnlyAfterDelivery: number;
  disputes: number;
  orders: number;
  /** Orders with at least one of these refunds. */
  refundedOrders: number;
  /** refundedOrders / orders; null without orders. */
  refundShare: number | null;
  reasons: { reason: string | null; refunds: number }[];
  cases: BuyerCase[];
  flags: BuyerFlag[];
}

const MASK_RE = /[*＊]/;

export function isMaskedIdentity(buyer: string | null): boolean {
  return buyer !== null && MASK_RE.test(buyer);
}

/** The figures of the history, without flags (buyerFlags.ts adds them). */
export function buyerHistory(input: BuyerHistoryInput): BuyerHistory {
  const cases = input.cases;
  const refundedOrders = new Set(cases.map((c) => c.orderId)).size;
  // A refund always has an order: never fewer orders than refunded ones, whatever was imported.
  const orders = Math.max(input.orders, refundedOrders);
  const reasons = new Map<string | null, number>();
  for (const c of cases) {
    const key = c.reason?.trim() ? c.reason.trim() : null;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  return {
    buyer: input.buyer,
    masked: isMaskedIdentity(input.buyer),
    platform: input.platform,
    windowDays: input.windowDays,
    refunds: cases.length,
    amountCents: cases.reduce((s, c) => s + c.amountCents, 0),
    refundOnlyAfterDelivery: cases.filter((c) => c.refundOnlyAfterDelivery).length,
    disputes: cases.filter((c) => c.disputed).length,
    orders,
    refundedOrders,
    refundShare: orders > 0 ? refundedOrders / orders : null,
    // Most frequent first; then by text (code points, whatever the locale), no reason last.
    reasons: [...reasons].map(([reason, refunds]) => ({ reason, refunds })).sort(
      (a, b) => b.refunds - a.refunds || (a.reason === null ? 1 : b.reason === null ? -1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
    ),
    cases,
    flags: [],
  };
}
