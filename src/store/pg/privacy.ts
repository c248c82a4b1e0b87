// The privacy purge on PostgreSQL: the same rule as the SQLite store (purgePersonalData), in one write
// transaction. A case is finished when its refund is CLOSED/SUCCESS, at finished_at, else when it
// entered that state; an order is purged when every refund on it is. purged_at marks every eligible
// row, so that no later import writes the data back (rowMerge keepPurged).
import { ORDER_PERSONAL, REFUND_PERSONAL } from '../common/rowMerge.js';
import type { PgQuery } from './query.js';

const FINISHED = (r: string) => `${r}.status IN ('CLOSED', 'SUCCESS') AND coalesce(${r}.finished_at, ${r}.status_since) < $1::timestamptz`;
const REFUND_HAS_PERSONAL = `(${REFUND_PERSONAL.map((c) => `r.${c} IS NOT NULL`).join(' OR ')})`;
const ORDER_ELIGIBLE = `o.order_id IN (SELECT r.order_id FROM refunds r WHERE ${FINISHED('r')})
  AND NOT EXISTS (SELECT 1 FROM refunds r2 WHERE r2.order_id = o.order_id AND NOT (${FINISHED('r2')}))`;
const ORDER_HAS_PERSONAL = `(${ORDER_PERSONAL.map((c) => `o.${c} IS NOT NULL`).join(' OR ')})`;

export async function pgPurgePersonalData(q: PgQuery, beforeIso: string, dryRun: boolean, nowIso: string): Promise<{ refunds: number; orders: number }> {
  const count = async () =>
    (await q.one<{ refunds: number; orders: number }>(
      `SELECT (SELECT count(*) FROM refunds r WHERE ${FINISHED('r')} AND ${REFUND_HAS_PERSONAL}) AS refunds,
              (SELECT count(*) FROM orders o WHERE ${ORDER_ELIGIBLE} AND ${ORDER_HAS_PERSONAL}) AS orders`,
      [beforeIso],
    ))!;
  if (dryRun) return count();
  return q.atomic(async () => {
    const n = await count();
    await q.run(
      `UPDATE orders AS o SET ${ORDER_PERSONAL.map((c) => `${c} = NULL`).join(', ')}, purged_at = coalesce(purged_at, $2::timestamptz)
       WHERE ${ORDER_ELIGIBLE} AND (${ORDER_HAS_PERSONAL} OR purged_at IS NULL)`,
      [beforeIso, nowIso],
    );
    await q.run(
      `UPDATE refunds AS r SET ${REFUND_PERSONAL.map((c) => `${c} = NULL`).join(', ')}, purged_at = coalesce(purged_at, $2::timestamptz)
       WHERE ${FINISHED('r')} AND (${REFUND_HAS_PERSONAL} OR purged_at IS NULL)`,
      [beforeIso, nowIso],
    );
    // A layout's constants are cells too (a buyer's, in a small file): none outlives its rows.
    await q.run(
      `DELETE FROM import_columns l WHERE NOT EXISTS (SELECT 1 FROM refunds WHERE extra_columns = l.id)
         AND NOT EXISTS (SELECT 1 FROM orders WHERE extra_columns = l.id)`,
    );
    return n;
  }, 'admin.purgePersonalData');
}
