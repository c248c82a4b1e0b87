// The shapes every layer agrees on. Times are ISO 8601 strings with the shop's offset
// (e.g. "2025-04-21T09:00:00+08:00"); money is integer cents (fen); IDs are strings.

export type Platform = 'taobao' | 'douyin' | 'pdd';

/** Normalized refund states (DOMAIN.md). UNKNOWN keeps a status text we could not map. */
export type RefundStatus =
  | 'WAIT_SELLER_AGREE'
  | 'WAIT_BUYER_RETURN_GOODS'
  | 'WAIT_SELLER_CONFIRM_GOODS'
  | 'SELLER_REFUSE_BUYER'
  | 'CLOSED'
  | 'SUCCESS'
  | 'UNKNOWN';

export const FINISHED_STATUSES: readonly RefundStatus[] = ['CLOSED', 'SUCCESS'];

/**
 * Refund IDs in order: shorter first, then by text. For the platforms' numeric IDs that is numeric
 * order; for any others it is still a total order, and the same key the store's SQL sorts by
 * (`length(refund_id), refund_id`), so the sweep ranks alike in SQL and in memory.
 */
export function compareRefundIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export type RefundType = 'refund_only' | 'return_refund' | 'exchange';

/** 客服介入 (platform staff) involvement, normalized from 客服介入状态 / 仲裁状态. */
export type DisputeState = 'none' | 'requested' | 'in_progress' | 'finished';

/** Who the platform is waiting on. */
export type Actor = 'seller' | 'buyer' | 'platform' | 'none';

export interface Refund {
  refundId: string;
  orderId: string;
  platform: Platform;
  status: RefundStatus;
  /** The platform's own words, as exported. */
  statusText: string;
  /** What the buyer asks back, in cents. */
  amountCents: number;
  /** What the buyer paid for the order line, in cents, when exported. */
  paidCents: number | null;
  appliedAt: string | null;
  /** The export's own deadline (超时时间 / 自动处理截止时间), when present. */
  exportDeadline: string | null;
  refundType: RefundType | null;
  /** 是否需要退货 */
  returnRequired: boolean | null;
  /** 货物状态 as exported (买家未收到货 / 买家已收到货 / 买家已退货). */
  goodsStatus: string | null;
  /** Whether the seller had shipped: from the order when known, else inferred from the refund row. */
  shipped: boolean | null;
  /** 售中 or 售后 */
  phase: string | null;
  disputeState: DisputeState;
  disputeText: string | null;
  evidenceDeadline: string | null;
  buyerNick: string | null;
  itemTitle: string | null;
  sku: string | null;
  reason: string | null;
  /** Buyer-written explanation: untrusted. */
  buyerNote: string | null;
  returnWaybill: string | null;
  returnCarrier: string | null;
  /** 买家退货时间 */
  returnedAt: string | null;
  /** 退款完结时间 / 完结时间 */
  finishedAt: string | null;
  sellerNote: string | null;
  /** When the tool first saw the refund in its current status. */
  statusSince: string;
  firstSeenAt: string;
}

export interface Order {
  orderId: string;
  platform: Platform;
  buyerNick: string | null;
  statusText: string | null;
  /** Normalized order state, e.g. WAIT_SELLER_SEND_GOODS, WAIT_BUYER_CONFIRM_GOODS. */
  status: string | null;
  paidCents: number | null;
  postageCents: number | null;
  createdAt: string | null;
  paidAt: string | null;
  shipped: boolean | null;
  waybill: string | null;
  carrier: string | null;
  receiverName: string | null;
  address: string | null;
  phone: string | null;
  buyerMessage: string | null;
  itemTitle: string | null;
  quantity: number | null;
  shopName: string | null;
  closeReason: string | null;
}

export interface StatusChange {
  status: RefundStatus;
  statusText: string;
  seenAt: string;
}

export const DECISION_ACTIONS = [
  'approve',
  'approve-return',
  'partial',
  'refuse',
  'contact-buyer',
  'mark-shipped',
  'refund-postage',
  'escalate',
  'wait',
] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export interface Decision {
  id: number;
  refundId: string;
  action: DecisionAction;
  amountCents: number | null;
  note: string | null;
  evidence: string[];
  agent: string;
  decidedAt: string;
  /** The platform state we expect once the decision is carried out in the seller backend. */
  expectedStatus: RefundStatus[] | null;
  /** Steps to carry out in the seller backend, in the agent's language at decision time. */
  checklist: string[];
  /** Ready-to-paste message to the buyer (Chinese), when one is needed. */
  buyerMessage: string | null;
  /** decide-forced: recorded with `decide --force` over another agent's claim. */
  source: 'triage' | 'decide' | 'decide-forced';
  /** The buyer flags on the case when it was decided (domain/buyerFlags.ts); null when none. */
  flags?: { id: string; why: string }[] | null;
}

export interface WarehouseReceipt {
  id: number;
  waybill: string;
  carrier: string | null;
  receivedAt: string;
  sku: string | null;
  quantity: number | null;
  condition: 'ok' | 'damaged' | 'wrong-item' | 'empty';
  inspector: string | null;
  note: string | null;
}
