// The store's side of a buyer's history on PostgreSQL: the queries of the SQLite backend's
// buyerHistory.ts (see there for the rules and the README's copy), in PostgreSQL's words. Times
// compare as instants (timestamptz), as julianday() compares them on SQLite; ties go by ID as
// compareRefundIds orders them (length, then text: every text column is COLLATE "C").
import type { BuyerCaseRow, BuyerIdentityRow, BuyerWindow } from '../../app/ports/reports.js';
import type { PgQuery } from './query.js';

/** Refund only (仅退款) once the goods had arrived (buyerHistory.ts REFUND_ONLY_AFTER_DELIVERY). */
const REFUND_ONLY_AFTER_DELIVERY = `(r.refund_type = 'refund_only'
      AND (coalesce(r.goods_status, '') LIKE '%已收到货%' OR coalesce(o.status, '') = 'TRADE_FINISHED'
           OR (coalesce(r.goods_status, '') = '' AND r.shipped = true)))`;

const BUYER_OF = `coalesce(nullif(r.buyer_nick, ''), nullif(o.buyer_nick, ''))`;

const APPLIED = 'coalesce(r.applied_at, r.first_seen_at)';

export async function buyerIdentity(q: PgQuery, refundId: string): Promise<BuyerIdentityRow | null> {
  const rows = await q.rows<BuyerIdentityRow & Record<string, unknown>>(
    `SELECT ${BUYER_OF} AS buyer, r.platform,
            nullif(trim(coalesce(ox.extra_json ->> '确认收货时间', ox.extra_json ->> '签收时间', '')), '') AS received_text
     FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id LEFT JOIN orders_extra ox ON ox.order_id = r.order_id
     WHERE r.refund_id = $1`,
    [refundId],
  );
  return rows[0] ?? null;
}

export async function buyerCases(q: PgQuery, w: BuyerWindow): Promise<BuyerCaseRow[]> {
  const latestReceipt = (col: string) =>
    `(SELECT w.${col} FROM warehouse_receipts w WHERE w.waybill_key = r.return_waybill_key ORDER BY w.received_at DESC, w.id DESC LIMIT 1)`;
  const rows = await q.rows<BuyerCaseRow & Record<string, unknown>>(
    `WITH mine AS (
       SELECT refund_id FROM refunds WHERE platform = $1 AND buyer_nick = $2
       UNION
       SELECT r.refund_id FROM orders o JOIN refunds r ON r.order_id = o.order_id
       WHERE o.platform = $1 AND o.buyer_nick = $2 AND coalesce(r.buyer_nick, '') = '' AND r.platform = $1
       UNION
       SELECT $5::text
     )
     SELECT r.refund_id, r.order_id, r.status, ${APPLIED} AS applied_at, r.amount_cents, r.refund_type, r.reason,
            ${REFUND_ONLY_AFTER_DELIVERY} AS refund_only_after_delivery,
            r.dispute_state <> 'none' AS disputed,
            ${latestReceipt('condition')} AS return_condition,
            ${latestReceipt('received_at')} AS return_received_at
     FROM mine JOIN refunds r ON r.refund_id = mine.refund_id LEFT JOIN orders o ON o.order_id = r.order_id
     WHERE r.refund_id = $5
        OR (${APPLIED} >= $3::timestamptz AND ${APPLIED} <= $4::timestamptz)
     ORDER BY ${APPLIED}, length(r.refund_id), r.refund_id`,
    [w.platform, w.buyer, w.since, w.until, w.refundId],
  );
  return rows;
}

export async function buyerOrderCount(q: PgQuery, w: BuyerWindow, refundedOrderIds: string[]): Promise<number> {
  const rows = await q.rows<{ n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT order_id FROM orders
       WHERE platform = $1 AND buyer_nick = $2
         AND coalesce(paid_at, created_at) >= $3::timestamptz
         AND coalesce(paid_at, created_at) <= $4::timestamptz
       UNION
       SELECT unnest($5::text[])
     ) x`,
    [w.platform, w.buyer, w.since, w.until, refundedOrderIds],
  );
  return rows[0]!.n;
}
