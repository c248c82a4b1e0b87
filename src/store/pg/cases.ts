// CaseReader on PostgreSQL: one case and its neighbours (show, lookup, receive, the case file), the
// SQLite backend's queries in PostgreSQL's words, with the same orders (COLLATE "C" text, ids).
import type { CaseReader } from '../../app/ports/cases.js';
import type { BuyerWindow } from '../../app/ports/reports.js';
import type { Order, Platform, Refund, RefundStatus } from '../../domain/types.js';
import { lastRefundImportSql } from '../common/sql.js';
import { closestIds, similarIdPatterns } from '../common/similarIds.js';
import { buyerCases, buyerIdentity, buyerOrderCount } from './buyers.js';
import { decisionFromRow, orderFromRow, receiptFromRow, REFUND_SELECT, refundFromRow } from '../common/rows.js';
import type { PgQuery } from './query.js';
import { openWhere, Params } from './readSql.js';


/** Package C's batch reads (port-changes.md), implemented here before its port change merges; then they are CaseReader's own. */
interface BatchCaseReads {
  orders(ids: string[]): Promise<Map<string, Order>>;
  refundsByWaybills(keys: string[]): Promise<Map<string, Refund[]>>;
}

export function pgCaseReader(q: PgQuery): CaseReader {
  const reader: CaseReader & BatchCaseReads = {
    async refund(id) {
      const rows = await q.rows(`${REFUND_SELECT} WHERE r.refund_id = $1`, [id]);
      return rows[0] ? refundFromRow(rows[0]) : null;
    },
    async refundIdsForOrder(orderId) {
      const rows = await q.rows<{ refund_id: string }>('SELECT refund_id FROM refunds WHERE order_id = $1 ORDER BY refund_id', [orderId]);
      return rows.map((r) => r.refund_id);
    },
    async similarRefundIds(id, limit) {
      // Typos in long IDs are usually a wrong or missing digit: same prefix or same suffix finds them.
      const rows = await q.rows<{ refund_id: string }>(
        `SELECT refund_id FROM refunds WHERE refund_id LIKE $1 ESCAPE '\\' OR refund_id LIKE $2 ESCAPE '\\' OR order_id = $3 LIMIT 200`,
        [...similarIdPatterns(id), id],
      );
      return closestIds(id, rows.map((r) => r.refund_id), limit);
    },
    async order(id) {
      const rows = await q.rows('SELECT * FROM orders WHERE order_id = $1', [id]);
      return rows[0] ? orderFromRow(rows[0]) : null;
    },
    async history(refundId) {
      const rows = await q.rows<{ status: string; status_text: string; seen_at: string }>(
        'SELECT status, status_text, seen_at FROM refund_history WHERE refund_id = $1 ORDER BY id',
        [refundId],
      );
      return rows.map((r) => ({ status: r.status as RefundStatus, statusText: r.status_text, seenAt: r.seen_at }));
    },
    async decisions(refundId) {
      const rows = await q.rows('SELECT * FROM decisions WHERE refund_id = $1 ORDER BY id', [refundId]);
      return rows.map(decisionFromRow);
    },
    async receiptsForWaybill(key) {
      const rows = await q.rows('SELECT * FROM warehouse_receipts WHERE waybill_key = $1 ORDER BY received_at, id', [key]);
      return rows.map(receiptFromRow);
    },
    async refundsByWaybill(key) {
      const rows = await q.rows(`${REFUND_SELECT} WHERE r.return_waybill_key = $1`, [key]);
      return rows.map(refundFromRow);
    },
    async allReceipts() {
      const rows = await q.rows('SELECT * FROM warehouse_receipts ORDER BY received_at, id');
      return rows.map(receiptFromRow);
    },
    async openRefunds(filter = {}) {
      const p = new Params();
      const where = openWhere(p, filter);
      const rows = await q.rows(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`, p.values);
      return rows.map(refundFromRow);
    },
    async lastRefundImports() {
      const rows = await q.rows<{ platform: Platform; at: string }>(lastRefundImportSql());
      return new Map(rows.map((r) => [r.platform, r.at]));
    },
    async lastImportId() {
      const rows = await q.rows<{ id: number | null }>('SELECT max(id) AS id FROM imports');
      return rows[0]?.id ?? null;
    },
    buyerIdentity: (refundId: string) => buyerIdentity(q, refundId),
    buyerCases: (w: BuyerWindow) => buyerCases(q, w),
    buyerOrderCount: (w: BuyerWindow, ids: string[]) => buyerOrderCount(q, w, ids),
    /** The orders with these IDs, by ID in the order asked (IDs not found are absent). */
    async orders(ids: string[]): Promise<Map<string, Order>> {
      const found = new Map<string, Order>();
      if (ids.length === 0) return found;
      const rows = await q.rows('SELECT * FROM orders WHERE order_id = ANY($1::text[])', [ids]);
      const byId = new Map(rows.map((r) => [r.order_id as string, r]));
      for (const id of ids) {
        const row = byId.get(id);
        if (row && !found.has(id)) found.set(id, orderFromRow(row));
      }
      return found;
    },
    /** The refunds on each of these waybill keys, by key in the order asked (keys without refunds are absent). */
    async refundsByWaybills(keys: string[]): Promise<Map<string, Refund[]>> {
      const found = new Map<string, Refund[]>();
      if (keys.length === 0) return found;
      const rows = await q.rows(`${REFUND_SELECT} WHERE r.return_waybill_key = ANY($1::text[])`, [keys]);
      const byKey = new Map<string, Refund[]>();
      for (const row of rows) {
        const key = row.return_waybill_key as string;
        const list = byKey.get(key);
        if (list) list.push(refundFromRow(row));
        else byKey.set(key, [refundFromRow(row)]);
      }
      for (const key of keys) {
        const list = byKey.get(key);
        if (list && !found.has(key)) found.set(key, list);
      }
      return found;
    },
  };
  return reader;
}
