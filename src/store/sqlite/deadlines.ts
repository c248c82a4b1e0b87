// Stored deadlines (Deadlines: the domain computes them, the store keeps one beside each open
// refund so that the sweep can rank in SQL) and the small named values of Meta.
import type { DeadlineRow } from '../../domain/inputs.js';
import type { Refund } from '../../domain/types.js';
import type { Connection } from './connection.js';
import type { Row } from '../common/rows.js';
import { refundFromRow } from '../common/rows.js';

export function openRefundIds(c: Connection): string[] {
  return c.st("SELECT refund_id FROM refunds WHERE status NOT IN ('CLOSED', 'SUCCESS') ORDER BY refund_id").pluck().all() as string[];
}

export function refundsNeedingDeadlines(c: Connection, limit = -1): Refund[] {
  // waiting_on is NULL for rows never computed, or whose data changed since (an update clears it).
  // INDEXED BY: without statistics the planner would read every open row to test waiting_on.
  return (
    c
      .st(
        `SELECT r.*, o.shipped AS order_shipped
         FROM refunds r INDEXED BY refunds_needing_deadline LEFT JOIN orders o ON o.order_id = r.order_id
         WHERE r.status NOT IN ('CLOSED', 'SUCCESS') AND r.waiting_on IS NULL LIMIT ?`,
      )
      .all(limit) as Row[]
  ).map(refundFromRow);
}

/** Stores the deadlines; in the caller's transaction, else in one of its own. */
export function saveDeadlines(c: Connection, rows: DeadlineRow[]): void {
  const up = c.st('UPDATE refunds SET deadline_at = ?, deadline_source = ?, deadline_rule = ?, waiting_on = ?, at_timeout = ? WHERE refund_id = ?');
  c.db.transaction((list: DeadlineRow[]) => {
    for (const d of list) up.run(d.at, d.source, d.rule, d.actor, d.atTimeout, d.refundId);
  })(rows);
}

export function getMeta(c: Connection, key: string): string | null {
  return (c.st('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

export function setMeta(c: Connection, key: string, value: string): void {
  c.st('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
