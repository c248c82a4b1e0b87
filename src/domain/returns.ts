// The returns desk: what the warehouse's receipts mean for a refund, and which refund a received
// parcel belongs to. Pure functions, no store and no clock: matching is computed at read time from
// the refunds' return waybills (退货物流单号) and the warehouse receipts, so a later refund import
// (a buyer filling in the waybill after the parcel arrived) re-runs matching by itself and nothing
// stored can go stale.
//
// Two parcels are "the same" when their waybills have the same key (waybillKey: spaces, dashes,
// dots and underscores dropped, upper case), so "sf 1234-5678" scanned matches "SF12345678" typed
// by the buyer.
import { waybillKey } from './waybill.js';
import { FINISHED_STATUSES, compareRefundIds, type Refund, type RefundStatus, type WarehouseReceipt } from './types.js';

/**
 * What the warehouse knows about a refund's return parcel.
 * - no-waybill:   the buyer never gave a return waybill (so no parcel can be matched to it);
 * - not-received: there is a waybill but the warehouse has no receipt for it yet;
 * - received-ok / damaged / wrong-item / empty: the condition of the LATEST receipt of that waybill.
 */
export type ReceiptState = 'not-received' | 'received-ok' | 'wrong-item' | 'damaged' | 'empty' | 'no-waybill';

/**
 * What the agent should do now:
 * - confirm-now:        the goods are back in order → confirm receipt in the seller backend and refund;
 * - refuse-and-return:  not the goods the shop shipped (or an empty parcel) → refuse, with the
 *                       inspection as evidence, and send a wrong parcel back;
 * - negotiate-partial:  damaged on return → talk to the buyer, offer a partial refund, keep evidence;
 * - check-waybill:      look the waybill up in the carrier's tracking (parcel not here yet, or a
 *                       waybill shared by refunds of different orders);
 * - ask-waybill:        ask the buyer for the return waybill number and carrier.
 */
export type ReturnNextStep = 'confirm-now' | 'refuse-and-return' | 'negotiate-partial' | 'check-waybill' | 'ask-waybill';

export interface ReceiptStatus {
  state: ReceiptState;
  /** The receipt that decided the state (the latest of the refund's waybill), or null. */
  receipt: WarehouseReceipt | null;
  nextStep: ReturnNextStep;
  /** The refund's normalized return waybill; null when the buyer gave none. */
  waybillKey: string | null;
  /** How many receipts the waybill has (a parcel scanned, then re-inspected, or imported too). */
  receiptCount: number;
  /**
   * False when the state is for information only: the refund is finished (CLOSED, SUCCESS), or
   * it expects no return (refund only, nothing sent back) and nothing arrived. Callers listing
   * "what to do" should skip refunds that are not actionable.
   */
  actionable: boolean;
  /**
   * True when open refunds of DIFFERENT orders share this waybill (a typo, or a buyer quoting
   * someone else's parcel): the state is kept but nextStep is check-waybill, never confirm-now.
   * Only known when the caller passes the refunds sharing the waybill.
   */
  sharedWaybill: boolean;
}

const isFinished = (s: RefundStatus): boolean => FINISHED_STATUSES.includes(s);

/** The key of a refund's return waybill, or null when there is none (or it is only blanks/dashes). */
export function refundWaybillKey(refund: Pick<Refund, 'returnWaybill'>): string | null {
  if (refund.returnWaybill === null) return null;
  const key = waybillKey(refund.returnWaybill);
  return key === '' ? null : key;
}

/** Whether goods are expected back for the refund (a return is part of it). */
export function expectsReturn(refund: Refund): boolean {
  if (refund.status === 'WAIT_BUYER_RETURN_GOODS' || refund.status === 'WAIT_SELLER_CONFIRM_GOODS') return true;
  if (refund.refundType === 'return_refund' || refund.refundType === 'exchange') return true;
  if (refund.refundType === null && refund.returnRequired === true) return true;
  return refundWaybillKey(refund) !== null;
}

function receivedMs(r: WarehouseReceipt): number {
  const ms = Date.parse(r.receivedAt);
  return Number.isFinite(ms) ? ms : Number.NEGATIVE_INFINITY;
}

/**
 * The latest receipt: greatest receivedAt (as an instant, whatever offset it was written with);
 * on a tie the one recorded last (greatest id). null for an empty list.
 */
export function latestReceipt<R extends WarehouseReceipt>(receipts: readonly R[]): R | null {
  let best: R | null = null;
  for (const r of receipts) {
    if (best === null) {
      best = r;
      continue;
    }
    const d = receivedMs(r) - receivedMs(best);
    if (d > 0 || (d === 0 && r.id > best.id)) best = r;
  }
  return best;
}

const STATE_OF_CONDITION: Record<WarehouseReceipt['condition'], ReceiptState> = {
  ok: 'received-ok',
  damaged: 'damaged',
  'wrong-item': 'wrong-item',
  empty: 'empty',
};

const STEP_OF_STATE: Record<ReceiptState, ReturnNextStep> = {
  'received-ok': 'confirm-now',
  // An empty parcel is refused like a wrong one: the inspection (photos, weight) is the evidence.
  'wrong-item': 'refuse-and-return',
  empty: 'refuse-and-return',
  damaged: 'negotiate-partial',
  'not-received': 'check-waybill',
  'no-waybill': 'ask-waybill',
};

/**
 * The return status of one refund: the single source of truth for `receive`, `returns`, `today`,
 * `show`, `triage` and `summary`.
 *
 * `receipts` may be the receipts of the refund's waybill (store.receiptsForWaybill(key)) or any
 * larger list: only those whose waybill has the refund's key are considered. The latest of them
 * wins (see latestReceipt), so a re-inspection recorded later corrects an earlier one.
 *
 * `sharing` (optional) is the list of refunds carrying the same waybill
 * (store.refundsByWaybill(key)); when open refunds of different orders share it, nextStep is
 * check-waybill and sharedWaybill is true.
 */
export function receiptStatusFor(
  refund: Refund,
  receipts: readonly WarehouseReceipt[],
  sharing: readonly Refund[] = [],
): ReceiptStatus {
  const key = refundWaybillKey(refund);
  const mine = key === null ? [] : receipts.filter((r) => waybillKey(r.waybill) === key);
  const receipt = latestReceipt(mine);
  const state: ReceiptState = key === null ? 'no-waybill' : receipt === null ? 'not-received' : STATE_OF_CONDITION[receipt.condition];
  const open = !isFinished(refund.status);
  const actionable = open && (receipt !== null || expectsReturn(refund));
  let sharedWaybill = false;
  if (key !== null) {
    const orders = new Set<string>();
    for (const r of [refund, ...sharing]) {
      if (isFinished(r.status) || refundWaybillKey(r) !== key) continue;
      orders.add(r.orderId);
    }
    sharedWaybill = orders.size > 1;
  }
  const nextStep = sharedWaybill && state !== 'not-received' ? 'check-waybill' : STEP_OF_STATE[state];
  return { state, receipt, nextStep, waybillKey: key, receiptCount: mine.length, actionable, sharedWaybill };
}

/**
 * Which refund a received parcel belongs to.
 * - matched:   exactly one refund is meant. `refunds` holds it. When one OPEN refund and some
 *              finished ones (an earlier, closed request re-filed by the buyer with the same
 *              parcel) share the waybill, the open one is matched and the finished ones are in
 *              `superseded`.
 * - ambiguous: several candidates, all listed in `refunds` (open ones only when there are several
 *              open; otherwise all the finished ones). `sameOrder` is true when they all belong to
 *              one order: one parcel returning several lines of the same order, which is normal;
 *              false means different buyers quote the same waybill and an agent must check.
 * - unmatched: no refund carries the waybill: the parcel is a 无主件 (kept, listed, matched later
 *              when a refund import brings its waybill).
 * Candidates are the refunds whose return waybill has the receipt's key (others are ignored), in
 * refund ID order (compareRefundIds: numeric IDs numerically).
 */
export interface ReceiptMatch {
  kind: 'matched' | 'ambiguous' | 'unmatched';
  refunds: Refund[];
  superseded: Refund[];
  sameOrder: boolean;
}

export function matchReceipt(receipt: Pick<WarehouseReceipt, 'waybill'>, refundsWithThatWaybill: readonly Refund[]): ReceiptMatch {
  const key = waybillKey(receipt.waybill);
  const candidates = refundsWithThatWaybill
    .filter((r) => key !== '' && refundWaybillKey(r) === key)
    .sort((a, b) => compareRefundIds(a.refundId, b.refundId));
  if (candidates.length === 0) return { kind: 'unmatched', refunds: [], superseded: [], sameOrder: false };
  if (candidates.length === 1) return { kind: 'matched', refunds: candidates, superseded: [], sameOrder: true };
  const open = candidates.filter((r) => !isFinished(r.status));
  const finished = candidates.filter((r) => isFinished(r.status));
  if (open.length === 1) return { kind: 'matched', refunds: open, superseded: finished, sameOrder: true };
  const listed = open.length > 1 ? open : candidates;
  const sameOrder = new Set(listed.map((r) => r.orderId)).size === 1;
  return { kind: 'ambiguous', refunds: listed, superseded: open.length > 1 ? finished : [], sameOrder };
}

// ---------------------------------------------------------------------------------------------
// The returns desk's words and rules (refunds receive)

export type Condition = WarehouseReceipt['condition'];

/** Words accepted for a condition, on the command line or after a waybill on a scanned line. */
const CONDITION_WORDS: Record<string, Condition> = {
  ok: 'ok',
  damaged: 'damaged',
  'wrong-item': 'wrong-item',
  wrong: 'wrong-item',
  empty: 'empty',
  正常: 'ok',
  破损: 'damaged',
  错货: 'wrong-item',
  空包: 'empty',
};

export function conditionFromWord(word: string): Condition | null {
  return CONDITION_WORDS[word.trim().toLowerCase()] ?? null;
}

/** The desk's answer to "condition?": Enter = ok, 1 damaged, 2 wrong item, 3 empty (or a word). */
export function conditionFromAnswer(text: string): Condition | null {
  const s = text.trim();
  if (s === '') return 'ok';
  const n: Record<string, Condition> = { '1': 'damaged', '2': 'wrong-item', '3': 'empty', '0': 'ok' };
  return n[s] ?? conditionFromWord(s);
}

const WAYBILL_RE = /^[A-Z0-9]{5,40}$/;
/** Real waybill numbers are digits after a short carrier prefix (SF, YT, JDVA, ZTO …). */
const MIN_DIGITS = 6;
const MAX_LETTERS = 6;

/**
 * Why this text cannot be a waybill number (the ui says it), or null when it can:
 * 'chars' — not 5 to 40 letters and digits once spaces and dashes are dropped; 'digits' — too few
 * digits; 'letters' — more letters than a carrier prefix.
 */
export type WaybillProblem = { kind: 'chars' } | { kind: 'digits'; digits: number } | { kind: 'letters'; letters: number };

export function waybillProblem(raw: string): WaybillProblem | null {
  const key = waybillKey(raw);
  if (!WAYBILL_RE.test(key)) return { kind: 'chars' };
  const digits = key.replace(/[^0-9]/g, '').length;
  if (digits < MIN_DIGITS) return { kind: 'digits', digits };
  const letters = key.length - digits;
  if (letters > MAX_LETTERS) return { kind: 'letters', letters };
  return null;
}

/**
 * "The same scan": the waybill's latest receipt has this condition and was received on the same
 * shop-local day (`dayOf`: ShopZone.dateKey). Such a scan records nothing; the first scan's time
 * stays the receipt time. A different condition (a re-inspection) or another day is a new receipt.
 */
export function repeatsToday(latest: Pick<WarehouseReceipt, 'condition' | 'receivedAt'> | null, condition: Condition, nowMs: number, dayOf: (ms: number) => string): boolean {
  return latest !== null && latest.condition === condition && dayOf(Date.parse(latest.receivedAt)) === dayOf(nowMs);
}
