// The privacy purge (Admin.purgePersonalData): buyers' personal data erased from finished cases,
// marked so that no later import writes it back.
import { ORDER_PERSONAL, REFUND_PERSONAL } from '../common/rowMerge.js';
import type { Connection } from './connection.js';

export function purgePersonalData(c: Connection, beforeIso: string, dryRun: boolean, nowIso: string): { refunds: number; orders: number } {
  // A case is finished when its refund is CLOSED/SUCCESS; its finish time is finished_at, else
  // when it entered that state. Orders are purged when every refund on them is purged-eligible.
  // purged_at marks every eligible row, so that no later import writes the data back.
  const finished = `r.status IN ('CLOSED', 'SUCCESS') AND COALESCE(r.finished_at, r.status_since) < ?`;
  const personal = `(${REFUND_PERSONAL.map((col) => `r.${col} IS NOT NULL`).join(' OR ')})`;
  const orderEligible = `o.order_id IN (SELECT r.order_id FROM refunds r WHERE ${finished})
    AND NOT EXISTS (SELECT 1 FROM refunds r2 WHERE r2.order_id = o.order_id
      AND NOT (r2.status IN ('CLOSED', 'SUCCESS') AND COALESCE(r2.finished_at, r2.status_since) < ?))`;
  const orderPersonal = `(${ORDER_PERSONAL.map((col) => `o.${col} IS NOT NULL`).join(' OR ')})`;
  const count = () => ({
    refunds: (c.db.prepare(`SELECT count(*) AS n FROM refunds r WHERE ${finished} AND ${personal}`).get(beforeIso) as { n: number }).n,
    orders: (c.db.prepare(`SELECT count(*) AS n FROM orders o WHERE ${orderEligible} AND ${orderPersonal}`).get(beforeIso, beforeIso) as { n: number })
      .n,
  });
  const n = count();
  if (dryRun) return n;
  c.db.transaction(() => {
    c.db.prepare(`UPDATE orders AS o SET ${ORDER_PERSONAL.map((col) => `${col} = NULL`).join(', ')}, purged_at = COALESCE(purged_at, ?)
      WHERE ${orderEligible} AND (${orderPersonal} OR purged_at IS NULL)`).run(nowIso, beforeIso, beforeIso);
    c.db.prepare(`UPDATE refunds AS r SET ${REFUND_PERSONAL.map((col) => `${col} = NULL`).join(', ')}, purged_at = COALESCE(purged_at, ?)
      WHERE ${finished} AND (${personal} OR purged_at IS NULL)`).run(nowIso, beforeIso);
    // A layout's constants are cells too (a buyer's, in a small file): none outlives its rows.
    c.db.prepare(`DELETE FROM import_columns WHERE id NOT IN (SELECT extra_columns FROM refunds WHERE extra_columns IS NOT NULL)
      AND id NOT IN (SELECT extra_columns FROM orders WHERE extra_columns IS NOT NULL)`).run();
  }).immediate();
  c.forgetLayouts();
  return n;
}
