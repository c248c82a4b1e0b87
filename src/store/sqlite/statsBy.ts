// Set-wise queries of `refunds stats --by` (app/statsBy.ts): refunds applied in a window grouped by
// product, reason or platform (with the reason, for the merchant-side share), and the decisions
// of a window with what their agents need (applied time, carried out by a later import).
// Conventions as store/reports.ts: half-open windows [:since, :until) compared with julianday();
// the application time is applied_at, else first_seen_at.
import type { SqlRunner } from './connection.js';
import { platformToKindSql } from '../common/sql.js';
export type { GroupKey, GroupReasonRow, AgentDecisionRow } from '../../app/ports/reports.js';
import type { GroupKey, GroupReasonRow, AgentDecisionRow, Window } from '../../app/ports/reports.js';


/** The grouping expression of each key ('' for none: no title nor SKU, no reason). */
export const GROUP_EXPR: Record<GroupKey, string> = {
  product: `coalesce(nullif(trim(item_title), ''), nullif(trim(sku), ''), '')`,
  reason: `coalesce(trim(reason), '')`,
  platform: 'platform',
};


/** Refunds applied in the window per (key, reason). */
export function refundsByKeyAndReason(store: SqlRunner, w: Window, by: GroupKey): GroupReasonRow[] {
  return store.sql<GroupReasonRow>(
    `SELECT ${GROUP_EXPR[by]} AS key, coalesce(trim(reason), '') AS reason,
            count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
     FROM refunds
     WHERE julianday(coalesce(applied_at, first_seen_at)) >= julianday(:since)
       AND julianday(coalesce(applied_at, first_seen_at)) <  julianday(:until)
     GROUP BY 1, 2
     ORDER BY 1, 2`,
    [w],
  );
}


/** Decisions recorded in the window, oldest first, with their refunds' application times. */
export function decisionsInWindow(store: SqlRunner, w: Window): AgentDecisionRow[] {
  return store.sql<AgentDecisionRow>(
    `SELECT d.agent, d.refund_id, d.decided_at, coalesce(r.applied_at, r.first_seen_at) AS applied_at, r.amount_cents,
            (d.expected_status_json IS NOT NULL AND d.expected_status_json <> '[]') AS expecting,
            EXISTS (SELECT 1 FROM imports i
                    WHERE i.kind = ${platformToKindSql('r.platform')}
                      AND julianday(i.imported_at) > julianday(d.decided_at)) AS checked,
            EXISTS (SELECT 1 FROM refund_history h
                    WHERE h.refund_id = d.refund_id AND julianday(h.seen_at) > julianday(d.decided_at)
                      AND instr(coalesce(d.expected_status_json, ''), '"' || h.status || '"') > 0) AS carried_out
     FROM decisions d LEFT JOIN refunds r ON r.refund_id = d.refund_id
     WHERE julianday(d.decided_at) >= julianday(:since)
       AND julianday(d.decided_at) <  julianday(:until)
     ORDER BY julianday(d.decided_at), d.id`,
    [w],
  );
}
