// The store's side of a buyer's history (domain/buyerHistory.ts adds the rows up). The buyer's
// identity is the refund's nick, else its order's buyer; it is matched exactly, on the same
// platform. Both lookups seek the buyer indexes (schema migration "buyer history").
//
// The README ("Buyer history") prints one query that re-derives every figure; a test runs it on
// the fixture shop and compares it with `show --json`, so change both together.
import type { SqlRunner } from './connection.js';
export type { BuyerIdentityRow, BuyerCaseRow, BuyerWindow } from '../../app/ports/reports.js';
import type { BuyerIdentityRow, BuyerCaseRow, BuyerWindow } from '../../app/ports/reports.js';

/**
 * Refund only (仅退款) once the goods had arrived: 货物状态 says so, or the order was finished
 * (交易成功), or — exports without 货物状态, such as Douyin's — the refund row says shipped
 * (已发货仅退款).
 */
export const REFUND_ONLY_AFTER_DELIVERY = `(r.refund_type = 'refund_only'
      AND (coalesce(r.goods_status, '') LIKE '%已收到货%' OR coalesce(o.status, '') = 'TRADE_FINISHED'
           OR (coalesce(r.goods_status, '') = '' AND r.shipped = 1)))`;

/** The identity a refund's buyer is matched by: the refund's nick, else the order's buyer. */
const BUYER_OF = `coalesce(nullif(r.buyer_nick, ''), nullif(o.buyer_nick, ''))`;


// The order's extras are read by a correlated subquery: SQLite cannot push a join's condition into
// the view on the right of a LEFT JOIN, and built every order's extra_json (2 s at 200k orders).
export function buyerIdentity(store: SqlRunner, refundId: string): BuyerIdentityRow | null {
  return (
    store.sql<BuyerIdentityRow>(
      `SELECT ${BUYER_OF} AS buyer, r.platform,
              (SELECT nullif(trim(coalesce(json_extract(ox.extra_json, '$."确认收货时间"'), json_extract(ox.extra_json, '$."签收时间"'), '')), '')
               FROM orders_extra ox WHERE ox.order_id = r.order_id) AS received_text
       FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id
       WHERE r.refund_id = ?`,
      [refundId],
    )[0] ?? null
  );
}



/**
 * applied_ms's own expression (schema.ts) on a parameter. A buyer of two years can have thousands of
 * refunds (issue 18: 5,939 on one nick of the 1M history, 45 ms a card): the window is applied
 * while their IDs are collected, so only the window's rows are read twice. Rounding to the ms keeps
 * the order, so this keeps every row the julianday() test below keeps; that test still decides.
 */
const EPOCH_MS = (p: string) => `CAST(round((julianday(${p}) - 2440587.5) * 86400000) AS INTEGER)`;

/** The buyer's refunds applied in the window (this one included), oldest first. */
export function buyerCases(store: SqlRunner, w: BuyerWindow): BuyerCaseRow[] {
  return store.sql<BuyerCaseRow>(
    `WITH mine AS (
       SELECT refund_id FROM refunds WHERE platform = :platform AND buyer_nick = :buyer
         AND applied_ms >= ${EPOCH_MS(':since')} AND applied_ms <= ${EPOCH_MS(':until')}
       UNION
       SELECT r.refund_id FROM orders o JOIN refunds r ON r.order_id = o.order_id
       WHERE o.platform = :platform AND o.buyer_nick = :buyer AND coalesce(r.buyer_nick, '') = '' AND r.platform = :platform
       UNION
       SELECT :refund
     )
     SELECT r.refund_id, r.order_id, r.status, coalesce(r.applied_at, r.first_seen_at) AS applied_at, r.amount_cents, r.refund_type, r.reason,
            ${REFUND_ONLY_AFTER_DELIVERY} AS refund_only_after_delivery,
            r.dispute_state <> 'none' AS disputed,
            (SELECT w.condition FROM warehouse_receipts w WHERE w.waybill_key = r.return_waybill_key ORDER BY w.received_at DESC, w.id DESC LIMIT 1) AS return_condition,
            (SELECT w.received_at FROM warehouse_receipts w WHERE w.waybill_key = r.return_waybill_key ORDER BY w.received_at DESC, w.id DESC LIMIT 1) AS return_received_at
     FROM mine JOIN refunds r ON r.refund_id = mine.refund_id LEFT JOIN orders o ON o.order_id = r.order_id
     WHERE r.refund_id = :refund
        OR (julianday(coalesce(r.applied_at, r.first_seen_at)) >= julianday(:since)
            AND julianday(coalesce(r.applied_at, r.first_seen_at)) <= julianday(:until))
     ORDER BY julianday(coalesce(r.applied_at, r.first_seen_at)), length(r.refund_id), r.refund_id`,
    [{ platform: w.platform, buyer: w.buyer, since: w.since, until: w.until, refund: w.refundId }],
  );
}

/** The buyer's orders paid (else created) in the window, plus the orders of `refundedOrderIds`. */
export function buyerOrderCount(store: SqlRunner, w: BuyerWindow, refundedOrderIds: string[]): number {
  return store.sql<{ n: number }>(
    `SELECT count(*) AS n FROM (
       SELECT order_id FROM orders
       WHERE platform = :platform AND buyer_nick = :buyer
         AND julianday(coalesce(paid_at, created_at)) >= julianday(:since)
         AND julianday(coalesce(paid_at, created_at)) <= julianday(:until)
       UNION
       SELECT value FROM json_each(:refunded)
     )`,
    [{ platform: w.platform, buyer: w.buyer, since: w.since, until: w.until, refunded: JSON.stringify(refundedOrderIds) }],
  )[0]!.n;
}
