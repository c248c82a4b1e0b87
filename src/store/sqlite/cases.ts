// Reads of one case and its neighbours (CaseReader): refunds, orders, history, decisions, receipts.
import type { OpenRefundFilter } from '../../domain/inputs.js';
import type { Decision, Order, Platform, Refund, RefundStatus, StatusChange, WarehouseReceipt } from '../../domain/types.js';
import { lastRefundImportSql } from '../common/sql.js';
import { closestIds, similarIdPatterns } from '../common/similarIds.js';
import type { Connection } from './connection.js';
import type { Row } from '../common/rows.js';
import { decisionFromRow, orderFromRow, receiptFromRow, REFUND_SELECT, refundFromRow } from '../common/rows.js';

/** The WHERE terms of the open refunds a filter selects; `dueWithinMs`: only those due within it of `nowMs`. */
export function openWhere(filter: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number }): { where: string[]; params: unknown[] } {
  const where = ["r.status NOT IN ('CLOSED', 'SUCCESS')"];
  const params: unknown[] = [];
  if (filter.platform) {
    where.push('r.platform = ?');
    params.push(filter.platform);
  }
  if (filter.statuses?.length) {
    where.push(`r.status IN (${filter.statuses.map(() => '?').join(',')})`);
    params.push(...filter.statuses);
  }
  if (filter.dueWithinMs !== undefined && filter.dueWithinMs !== null) {
    where.push('r.deadline_at IS NOT NULL AND r.deadline_at - ? <= ?');
    params.push(filter.nowMs ?? 0, filter.dueWithinMs);
  }
  return { where, params };
}

export function openRefunds(c: Connection, filter: OpenRefundFilter = {}): Refund[] {
  const { where, params } = openWhere(filter);
  return (c.st(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`).all(...params) as Row[]).map(refundFromRow);
}

export function refund(c: Connection, id: string): Refund | null {
  const row = c.st(`${REFUND_SELECT} WHERE r.refund_id = ?`).get(id) as Row | undefined;
  return row ? refundFromRow(row) : null;
}

export function refundIdsForOrder(c: Connection, orderId: string): string[] {
  return c.st('SELECT refund_id FROM refunds WHERE order_id = ? ORDER BY refund_id').pluck().all(orderId) as string[];
}

export function similarRefundIds(c: Connection, id: string, limit: number): string[] {
  // Typos in long IDs are usually a wrong or missing digit: same prefix or same suffix finds them.
  const rows = c
    .st(
      `SELECT refund_id FROM refunds WHERE refund_id LIKE ? ESCAPE '\\' OR refund_id LIKE ? ESCAPE '\\'
         OR order_id = ? LIMIT 200`,
    )
    .all(...similarIdPatterns(id), id) as { refund_id: string }[];
  return closestIds(id, rows.map((r) => r.refund_id), limit);
}

export function order(c: Connection, id: string): Order | null {
  const row = c.st('SELECT * FROM orders WHERE order_id = ?').get(id) as Row | undefined;
  return row ? orderFromRow(row) : null;
}

/** Orders by ID in one query per 500 IDs (IDs not found are absent). */
export function orders(c: Connection, ids: string[]): Map<string, Order> {
  const out = new Map<string, Order>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = c.st('SELECT * FROM orders WHERE order_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids.slice(i, i + 500))) as Row[];
    for (const r of rows) out.set(r.order_id as string, orderFromRow(r));
  }
  return out;
}

export function history(c: Connection, refundId: string): StatusChange[] {
  return (c.st('SELECT status, status_text, seen_at FROM refund_history WHERE refund_id = ? ORDER BY id').all(refundId) as Row[]).map((r) => ({
    status: r.status as RefundStatus,
    statusText: r.status_text as string,
    seenAt: r.seen_at as string,
  }));
}

export function decisions(c: Connection, refundId: string): Decision[] {
  return (c.st('SELECT * FROM decisions WHERE refund_id = ? ORDER BY id').all(refundId) as Row[]).map(decisionFromRow);
}

export function receiptsForWaybill(c: Connection, key: string): WarehouseReceipt[] {
  return (c.st('SELECT * FROM warehouse_receipts WHERE waybill_key = ? ORDER BY received_at, id').all(key) as Row[]).map(receiptFromRow);
}

export function refundsByWaybill(c: Connection, key: string): Refund[] {
  return (c.st(`${REFUND_SELECT} WHERE r.return_waybill_key = ?`).all(key) as Row[]).map(refundFromRow);
}

/** Refunds by return waybill key, in one query per 500 keys (keys without refunds are absent). */
export function refundsByWaybills(c: Connection, keys: string[]): Map<string, Refund[]> {
  const out = new Map<string, Refund[]>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = c
      .st(`${REFUND_SELECT} WHERE r.return_waybill_key IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(keys.slice(i, i + 500))) as Row[];
    for (const row of rows) {
      const key = row.return_waybill_key as string;
      const list = out.get(key) ?? [];
      list.push(refundFromRow(row));
      out.set(key, list);
    }
  }
  return out;
}

export function allReceipts(c: Connection): (WarehouseReceipt & { waybillKey: string; source: string })[] {
  return (c.st('SELECT * FROM warehouse_receipts ORDER BY received_at, id').all() as Row[]).map(receiptFromRow);
}

export function lastRefundImports(c: Connection): Map<Platform, string> {
  const rows = c.st(lastRefundImportSql()).all() as { platform: Platform; at: string }[];
  return new Map(rows.map((r) => [r.platform, r.at]));
}

export function lastImportId(c: Connection): number | null {
  return (c.st('SELECT max(id) FROM imports').pluck().get() as number | null) ?? null;
}

