// Flags on a buyer's history, each with its reason spelled out term by term (as Taskwarrior
// explains a task's urgency): the figure, the threshold it reached, and the refunds behind it.
// A flag never refuses anything: it changes what triage offers (collect evidence, the appeal path,
// the polite "the period has passed" reply) and is recorded with the decision. A buyer with one
// refund in the window carries no flag. Pure; the caller brings the translator and the zone.
// The tree's parts, not its barrel: the tree's walker imports this module (no run-time cycle).
import { reasonBucket } from './tree/facts.js';
import type { Translate } from './tree/describe.js';
import type { BuyerFlag, BuyerHistory } from './buyerHistory.js';
import type { ShopZone } from './time.js';

export interface BuyerFlagThresholds {
  /** repeat-refund-only: refund-only requests after delivery in the window, at least. */
  refundOnlyAfterDelivery: number;
  /** high-refund-share: refunded orders / orders, at least (0–1)… */
  refundShare: number;
  /** …over at least this many orders. */
  refundShareMinOrders: number;
  /** late-request: this request came more than this many days after the goods arrived (long use)… */
  lateAfterReceiptDays: number;
  /** …or more than this many days after, for a buyer-side reason (七天无理由, 不想要, 拍错…). */
  noReasonDays: number;
  /** dispute-history: refunds with 客服介入 in the window, at least. */
  disputes: number;
}

export const DEFAULT_BUYER_FLAG_THRESHOLDS: Readonly<BuyerFlagThresholds> = {
  refundOnlyAfterDelivery: 2,
  refundShare: 0.5,
  refundShareMinOrders: 2,
  lateAfterReceiptDays: 30,
  noReasonDays: 7,
  disputes: 1,
};

/** This request, as the late-request flag needs it. */
export interface CurrentRequest {
  refundId: string;
  reason: string | null;
  appliedAtMs: number | null;
  /** When the buyer received the goods (the order's 确认收货时间 / 签收时间), if known. */
  receivedAtMs: number | null;
}

const DAY = 86_400_000;

function days(ms: number): string {
  const d = ms / DAY;
  return Number.isInteger(d) ? String(d) : (Math.floor(d * 10) / 10).toFixed(1);
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

/** Refund IDs as a short list: the first three, then "+N". */
function ids(list: string[]): string {
  return list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} +${list.length - 3}`;
}

/** Days between receipt and application (null when either is unknown). */
export function daysSinceReceipt(req: CurrentRequest): number | null {
  if (req.appliedAtMs === null || req.receivedAtMs === null) return null;
  return (req.appliedAtMs - req.receivedAtMs) / DAY;
}

export function buyerFlags(h: BuyerHistory, req: CurrentRequest, th: BuyerFlagThresholds, tr: Translate, zone: ShopZone): BuyerFlag[] {
  if (h.buyer === null || h.refunds < 2) return [];
  const flags: BuyerFlag[] = [];
  const base = { days: h.windowDays };

  const onlyAfter = h.cases.filter((c) => c.refundOnlyAfterDelivery).map((c) => c.refundId);
  if (onlyAfter.length >= th.refundOnlyAfterDelivery) {
    flags.push({
      id: 'repeat-refund-only',
      why: tr('buyer.why.repeat-refund-only', { ...base, n: onlyAfter.length, threshold: th.refundOnlyAfterDelivery, ids: ids(onlyAfter) }),
    });
  }

  if (h.refundShare !== null && h.orders >= th.refundShareMinOrders && h.refundShare >= th.refundShare) {
    flags.push({
      id: 'high-refund-share',
      why: tr('buyer.why.high-refund-share', {
        ...base,
        refunded: h.refundedOrders,
        orders: h.orders,
        share: pct(h.refundShare),
        threshold: pct(th.refundShare),
        minOrders: th.refundShareMinOrders,
      }),
    });
  }

  const since = req.appliedAtMs !== null && req.receivedAtMs !== null ? req.appliedAtMs - req.receivedAtMs : null;
  if (since !== null && req.receivedAtMs !== null) {
    const received = zone.short(req.receivedAtMs);
    if (since > th.lateAfterReceiptDays * DAY) {
      flags.push({ id: 'late-request', why: tr('buyer.why.late-request.long', { n: days(since), receivedAt: received, threshold: th.lateAfterReceiptDays }) });
    } else if (reasonBucket(req.reason) === 'buyer' && since > th.noReasonDays * DAY) {
      flags.push({ id: 'late-request', why: tr('buyer.why.late-request.noReason', { n: days(since), receivedAt: received, threshold: th.noReasonDays }) });
    }
  }

  const bad = h.cases.filter((c) => c.returnCondition === 'wrong-item' || c.returnCondition === 'empty');
  if (bad.length > 0) {
    const terms = bad.map((c) =>
      tr('buyer.why.bad-return.term', {
        refundId: c.refundId,
        condition: tr(`buyer.condition.${c.returnCondition}`),
        receivedAt: c.returnReceivedAt && Number.isFinite(Date.parse(c.returnReceivedAt)) ? zone.short(Date.parse(c.returnReceivedAt)) : '—',
      }),
    );
    flags.push({ id: 'bad-return', why: tr('buyer.why.bad-return', { n: bad.length, days: h.windowDays, terms: terms.join('; ') }) });
  }

  const disputed = h.cases.filter((c) => c.disputed).map((c) => c.refundId);
  if (disputed.length >= th.disputes) {
    flags.push({ id: 'dispute-history', why: tr('buyer.why.dispute-history', { ...base, n: disputed.length, threshold: th.disputes, ids: ids(disputed) }) });
  }
  return flags;
}

/** What triage offers because of the flags (decisionTree.ts reads these). */
export function flagOffers(flags: readonly { id: string }[]): { collectEvidence: boolean; periodPassed: boolean } {
  const has = (id: string) => flags.some((f) => f.id === id);
  return {
    collectEvidence: has('repeat-refund-only') || has('high-refund-share') || has('bad-return') || has('dispute-history'),
    periodPassed: has('late-request'),
  };
}
