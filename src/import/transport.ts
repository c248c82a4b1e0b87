// How normalized rows cross from the parsing worker to the writing thread. postMessage clones
// objects key by key; a refund row is 33 keys, 200,000 times per big file. Sent as positional
// arrays instead (field order fixed here), the clone costs both threads far less (BENCHMARKS.md).
import type { OrderInput, RefundInput } from '../domain/inputs.js';
import type { Produced } from './produce.js';

export const REFUND_FIELDS = [
  'refundId', 'orderId', 'platform', 'status', 'statusText', 'amountCents', 'paidCents', 'appliedAt', 'exportDeadline',
  'refundType', 'returnRequired', 'goodsStatus', 'shipped', 'phase', 'disputeState', 'disputeText', 'evidenceDeadline',
  'buyerNick', 'itemTitle', 'sku', 'reason', 'buyerNote', 'returnWaybill', 'returnCarrier', 'returnedAt', 'finishedAt',
  'sellerNote', 'extraLayout', 'extraValues', 'extraCells',
] as const satisfies readonly (keyof RefundInput)[];

export const ORDER_FIELDS = [
  'orderId', 'platform', 'buyerNick', 'statusText', 'status', 'paidCents', 'postageCents', 'totalCents', 'createdAt',
  'paidAt', 'shipped', 'waybill', 'carrier', 'receiverName', 'address', 'phone', 'buyerMessage', 'itemTitle', 'quantity',
  'shopName', 'closeReason', 'extraLayout', 'extraValues', 'extraCells',
] as const satisfies readonly (keyof OrderInput)[];

/** One batch on the wire: refunds as [line, unknownStatus, ...fields], orders as [line, ...fields]; anything else as is. */
export interface PackedBatch {
  refunds: unknown[][];
  orders: unknown[][];
  other: Produced[];
  /** Where each item goes back in the batch's order: 0 refunds, 1 orders, 2 other. */
  order: number[];
}

export function packBatch(items: Produced[]): PackedBatch {
  const packed: PackedBatch = { refunds: [], orders: [], other: [], order: [] };
  for (const item of items) {
    const r = item.result;
    // Rows with warnings are few: they travel as they are.
    if ('warnings' in r && r.warnings) {
      packed.other.push(item);
      packed.order.push(2);
    } else if ('target' in r && r.target === 'refunds') {
      const a: unknown[] = [item.line, r.unknownStatus];
      for (const k of REFUND_FIELDS) a.push(r.row[k]);
      packed.refunds.push(a);
      packed.order.push(0);
    } else if ('target' in r && r.target === 'orders') {
      const a: unknown[] = [item.line];
      for (const k of ORDER_FIELDS) a.push(r.row[k]);
      packed.orders.push(a);
      packed.order.push(1);
    } else {
      packed.other.push(item);
      packed.order.push(2);
    }
  }
  return packed;
}

export function unpackBatch(p: PackedBatch): Produced[] {
  const out: Produced[] = [];
  let ri = 0;
  let oi = 0;
  let xi = 0;
  for (const kind of p.order) {
    if (kind === 0) {
      const a = p.refunds[ri++]!;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < REFUND_FIELDS.length; i++) row[REFUND_FIELDS[i]!] = a[i + 2];
      out.push({ line: a[0] as number, result: { target: 'refunds', row: row as unknown as RefundInput, unknownStatus: a[1] as boolean } });
    } else if (kind === 1) {
      const a = p.orders[oi++]!;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < ORDER_FIELDS.length; i++) row[ORDER_FIELDS[i]!] = a[i + 1];
      out.push({ line: a[0] as number, result: { target: 'orders', row: row as unknown as OrderInput } });
    } else {
      out.push(p.other[xi++]!);
    }
  }
  return out;
}
