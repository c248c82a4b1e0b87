// ReportReader on PostgreSQL: the figures of summary, stats and stats --by, the SQLite backend's
// queries (store/reports.ts, store/statsBy.ts; see there for the conventions) in PostgreSQL's words:
// - a window [since, until) compares timestamptz values, i.e. instants (julianday() on SQLite);
// - the finish and application times are the generated finished_ms / applied_ms, and a window's
//   refunds are one range of refunds_active (active_ms, the later of the two: exact here, so no
//   27-hour margin as on SQLite, whose active_ms compares texts);
// - per-day buckets are the shop-local date (the session's TimeZone is the shop's, connect.ts), the
//   first 10 characters of the stored text on SQLite;
// - keys sort by code point (COLLATE "C"), as SQLite's BINARY;
// - mean_hours is computed from the julianday values SQLite computes (double precision, the same
//   operations), so that a mean on a .x5 boundary rounds the same way on both.
import type {
  AgentActionRow,
  AgentDecisionRow,
  AppliedRow,
  CountRow,
  DayRow,
  FinishedRow,
  GroupKey,
  GroupReasonRow,
  PlatformMoneyRow,
  ReportReader,
  Window,
} from '../../app/ports/reports.js';
import { platformToKindSql } from '../common/sql.js';
import type { PgQuery } from './query.js';

/** $1 = since, $2 = until (ISO instants). */
const SINCE_MS = 'refunds_epoch_ms($1::timestamptz)';
const UNTIL_MS = 'refunds_epoch_ms($2::timestamptz)';
/** Every refund applied or finished in the window, and more: one range of refunds_active. */
const ACTIVE = `active_ms >= ${SINCE_MS}`;
const FINISHED_IN_WINDOW = `finished_ms >= ${SINCE_MS} AND finished_ms < ${UNTIL_MS}`;
const APPLIED_IN_WINDOW = `applied_ms >= ${SINCE_MS} AND applied_ms < ${UNTIL_MS}`;
/** SQLite's julianday() of an epoch-ms value: its integer ms since the julian epoch over 86,400,000.0. */
const JULIANDAY = (ms: string) => `((${ms}) + 210866760000000)::float8 / 86400000.0`;

/** The grouping expression of each key ('' for none), as store/statsBy.ts GROUP_EXPR. */
const GROUP_EXPR: Record<GroupKey, string> = {
  product: `coalesce(nullif(trim(item_title), ''), nullif(trim(sku), ''), '')`,
  reason: `coalesce(trim(reason), '')`,
  platform: 'platform',
};

const win = (w: Window) => [w.since, w.until];

export function pgReportReader(q: PgQuery): ReportReader {
  const one = async <R>(sql: string, params: unknown[]): Promise<R> => (await q.rows<R & Record<string, unknown>>(sql, params))[0]!;
  const all = async <R>(sql: string, params: unknown[]): Promise<R[]> => q.rows<R & Record<string, unknown>>(sql, params);
  return {
    finishedInWindow: (w) =>
      one<FinishedRow>(
        `WITH f AS (
           SELECT status, export_deadline, dispute_state, applied_at, coalesce(finished_at, status_since) AS finished_time, finished_ms
           FROM refunds WHERE ${ACTIVE} AND ${FINISHED_IN_WINDOW}
         )
         SELECT count(*)                                                     AS finished,
                count(*) FILTER (WHERE status = 'SUCCESS')                  AS success,
                count(*) FILTER (WHERE status = 'CLOSED')                   AS closed,
                count(*) FILTER (WHERE export_deadline < finished_time)     AS timeouts,
                count(*) FILTER (WHERE dispute_state <> 'none')             AS disputed,
                count(*) FILTER (WHERE export_deadline < finished_time OR dispute_state <> 'none') AS by_platform,
                count(applied_at)                                           AS timed,
                round(avg((${JULIANDAY('finished_ms')} - ${JULIANDAY('refunds_epoch_ms(applied_at)')}) * 24)::numeric, 1) AS mean_hours
         FROM f`,
        win(w),
      ),
    appliedInWindow: (w) =>
      one<AppliedRow>(
        `SELECT count(*) AS applied, coalesce(sum(amount_cents), 0) AS amount_cents,
                count(*) FILTER (WHERE dispute_state <> 'none') AS disputes
         FROM refunds WHERE ${ACTIVE} AND ${APPLIED_IN_WINDOW}`,
        win(w),
      ),
    paidByPlatform: (w) =>
      all<PlatformMoneyRow>(
        `SELECT platform, count(*) AS n, coalesce(sum(paid_cents), 0) AS cents
         FROM orders WHERE paid_at >= $1::timestamptz AND paid_at < $2::timestamptz
         GROUP BY platform ORDER BY platform`,
        win(w),
      ),
    refundedByPlatform: (w) =>
      all<PlatformMoneyRow>(
        `SELECT platform, count(*) AS n, coalesce(sum(amount_cents), 0) AS cents
         FROM refunds WHERE ${ACTIVE} AND status = 'SUCCESS' AND ${FINISHED_IN_WINDOW}
         GROUP BY platform ORDER BY platform`,
        win(w),
      ),
    orderPlatforms: async () => (await all<{ platform: string }>('SELECT DISTINCT platform FROM orders ORDER BY platform', [])).map((r) => r.platform),
    reasonsInWindow: (w) =>
      all<CountRow>(
        `SELECT coalesce(trim(reason), '') COLLATE "C" AS key, count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
         FROM refunds WHERE ${ACTIVE} AND ${APPLIED_IN_WINDOW}
         GROUP BY 1 ORDER BY refunds DESC, amount_cents DESC, key`,
        win(w),
      ),
    productsInWindow: (w, limit) =>
      all<CountRow>(
        `SELECT ${GROUP_EXPR.product} COLLATE "C" AS key, count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
         FROM refunds WHERE ${ACTIVE} AND ${APPLIED_IN_WINDOW}
         GROUP BY 1 ORDER BY refunds DESC, amount_cents DESC, key LIMIT $3`,
        [...win(w), limit],
      ),
    perDayInWindow: (w) =>
      all<DayRow>(
        `SELECT day, count(*) FILTER (WHERE kind = 'applied') AS applied, count(*) FILTER (WHERE kind = 'finished') AS finished
         FROM (
           SELECT to_char(coalesce(applied_at, first_seen_at), 'YYYY-MM-DD') COLLATE "C" AS day, 'applied' AS kind
           FROM refunds WHERE ${ACTIVE} AND ${APPLIED_IN_WINDOW}
           UNION ALL
           SELECT to_char(coalesce(finished_at, status_since), 'YYYY-MM-DD') COLLATE "C", 'finished'
           FROM refunds WHERE ${ACTIVE} AND ${FINISHED_IN_WINDOW}
         ) x
         GROUP BY day ORDER BY day`,
        win(w),
      ),
    decisionsByAgent: (w) =>
      all<AgentActionRow>(
        `SELECT agent, action, count(*) AS decisions
         FROM decisions WHERE decided_at >= $1::timestamptz AND decided_at < $2::timestamptz
         GROUP BY agent, action ORDER BY agent, action`,
        win(w),
      ),
    shopNames: async () =>
      (
        await all<{ shop_name: string }>(
          `SELECT shop_name FROM orders WHERE nullif(trim(shop_name), '') IS NOT NULL
           GROUP BY shop_name ORDER BY count(*) DESC, shop_name`,
          [],
        )
      ).map((r) => r.shop_name),
    refundsByKeyAndReason: (w, by) =>
      all<GroupReasonRow>(
        `SELECT ${GROUP_EXPR[by]} COLLATE "C" AS key, coalesce(trim(reason), '') COLLATE "C" AS reason,
                count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
         FROM refunds WHERE ${APPLIED_IN_WINDOW}
         GROUP BY 1, 2 ORDER BY 1, 2`,
        win(w),
      ),
    decisionsInWindow: (w) =>
      all<AgentDecisionRow>(
        `SELECT d.agent, d.refund_id, d.decided_at, coalesce(r.applied_at, r.first_seen_at) AS applied_at, r.amount_cents,
                (d.expected_status_json IS NOT NULL AND d.expected_status_json <> '[]') AS expecting,
                EXISTS (SELECT 1 FROM imports i
                        WHERE i.kind = ${platformToKindSql('r.platform')} AND i.imported_at > d.decided_at) AS checked,
                EXISTS (SELECT 1 FROM refund_history h
                        WHERE h.refund_id = d.refund_id AND h.seen_at > d.decided_at
                          AND coalesce(d.expected_status_json ? h.status, false)) AS carried_out
         FROM decisions d LEFT JOIN refunds r ON r.refund_id = d.refund_id
         WHERE d.decided_at >= $1::timestamptz AND d.decided_at < $2::timestamptz
         ORDER BY d.decided_at, d.id`,
        win(w),
      ),
  };
}
