// The merge rules of an import, shared by every backend (SQLite store.ts, PostgreSQL pg/importWriter.ts):
// which columns an export fills, how a row's content is compared with the stored one (so both give the
// same inserted / updated / unchanged outcomes), and which personal columns a purge keeps out. Pure.
import type { OrderInput, RefundInput } from '../../domain/inputs.js';
import { waybillKey } from '../../domain/waybill.js';
import { boolIn } from './rows.js';

// The columns an export fills, in this order. A re-import compares them one by one with what is
// stored: a row is unchanged when every one is equal (no row hash: hashing 200,000 rows cost the
// parsing worker a quarter of its time, BENCHMARKS.md).
export const REFUND_CONTENT = [
  'platform', 'order_id', 'status', 'status_text', 'amount_cents', 'paid_cents', 'applied_at', 'export_deadline',
  'refund_type', 'return_required', 'goods_status', 'shipped', 'phase', 'dispute_state', 'dispute_text',
  'evidence_deadline', 'buyer_nick', 'item_title', 'sku', 'reason', 'buyer_note', 'return_waybill', 'return_waybill_key',
  'return_carrier', 'returned_at', 'finished_at', 'seller_note', 'extra_columns', 'extra_values',
] as const;
export const REFUND_STATUS = REFUND_CONTENT.indexOf('status');
export const REFUND_STATUS_TEXT = REFUND_CONTENT.indexOf('status_text');
/** What `purge` erases from a finished refund, and an import never writes back once it has. */
export const REFUND_PERSONAL = ['buyer_nick', 'buyer_note', 'extra_columns', 'extra_values'] as const;
export const REFUND_EXTRAS = REFUND_CONTENT.indexOf('extra_columns');

/** `extras`: the row's layout ID in import_columns and its own cells (SqliteStore.extrasOf). */
export function refundContent(r: RefundInput, extras: [number | null, string | null]): unknown[] {
  const out: unknown[] = [];
  refundContentInto(out, r);
  out[REFUND_EXTRAS] = extras[0];
  out[REFUND_EXTRAS + 1] = extras[1];
  return out;
}

/**
 * refundContent written into `out` (reused row after row by the SQLite writer: no array per row),
 * all but the extras (the caller's, at REFUND_EXTRAS).
 */
export function refundContentInto(out: unknown[], r: RefundInput): void {
  out[0] = r.platform;
  out[1] = r.orderId;
  out[2] = r.status;
  out[3] = r.statusText;
  out[4] = r.amountCents;
  out[5] = r.paidCents;
  out[6] = r.appliedAt;
  out[7] = r.exportDeadline;
  out[8] = r.refundType;
  out[9] = boolIn(r.returnRequired);
  out[10] = r.goodsStatus;
  out[11] = boolIn(r.shipped);
  out[12] = r.phase;
  out[13] = r.disputeState;
  out[14] = r.disputeText;
  out[15] = r.evidenceDeadline;
  out[16] = r.buyerNick;
  out[17] = r.itemTitle;
  out[18] = r.sku;
  out[19] = r.reason;
  out[20] = r.buyerNote;
  out[21] = r.returnWaybill;
  out[22] = r.returnWaybill ? waybillKey(r.returnWaybill) : null;
  out[23] = r.returnCarrier;
  out[24] = r.returnedAt;
  out[25] = r.finishedAt;
  out[26] = r.sellerNote;
}

export const ORDER_CONTENT = [
  'platform', 'buyer_nick', 'status', 'status_text', 'paid_cents', 'postage_cents', 'total_cents', 'created_at', 'paid_at',
  'shipped', 'waybill', 'carrier', 'receiver_name', 'address', 'phone', 'buyer_message', 'item_title', 'quantity',
  'shop_name', 'close_reason', 'extra_columns', 'extra_values',
] as const;
export const ORDER_EXTRAS = ORDER_CONTENT.indexOf('extra_columns');

/** What `purge` erases from an order whose refunds are all finished, and an import never writes back once it has. */
export const ORDER_PERSONAL = ['buyer_nick', 'receiver_name', 'address', 'phone', 'buyer_message', 'extra_columns', 'extra_values'] as const;

export function orderContent(o: OrderInput, extras: [number | null, string | null]): unknown[] {
  return [
    o.platform, o.buyerNick, o.status, o.statusText, o.paidCents, o.postageCents, o.totalCents, o.createdAt, o.paidAt,
    boolIn(o.shipped), o.waybill, o.carrier, o.receiverName, o.address, o.phone, o.buyerMessage, o.itemTitle,
    o.quantity, o.shopName, o.closeReason, ...extras,
  ];
}

/** Blanks the personal columns of `content` (in `columns` order) when the stored row was purged. */
export function keepPurged(content: unknown[], purgedAt: unknown, columns: readonly string[], personal: readonly string[]): void {
  if (purgedAt === null || purgedAt === undefined) return;
  for (const c of personal) content[columns.indexOf(c)] = null;
}

/**
 * Whether a stored row (its content columns first, as read raw) says what `content` says. The
 * extras (layout ID and cells at `extrasAt`) are equal when they read back alike (`sameExtras`):
 * another file's layout may hold the same cells.
 */
export function sameContent(stored: unknown[], content: unknown[], extrasAt: number, sameExtras: (a: unknown[], b: unknown[]) => boolean): boolean {
  let extrasDiffer = false;
  for (let i = 0; i < content.length; i++) {
    if (stored[i] === (content[i] ?? null)) continue;
    if (i !== extrasAt && i !== extrasAt + 1) return false;
    extrasDiffer = true;
  }
  return !extrasDiffer || sameExtras(stored.slice(extrasAt, extrasAt + 2), content.slice(extrasAt, extrasAt + 2));
}
