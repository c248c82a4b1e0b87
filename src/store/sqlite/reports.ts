// Set-wise report queries for `refunds summary` and `refunds stats`. Each function takes the Store
// and returns plain rows; nothing outside src/store writes SQL.
//
// The same queries are printed in the README ("refunds stats" and "refunds summary" sections) for
// users who check a figure with sqlite3; a test runs the README's copies against the fixture
// database and compares them with the CLI's JSON, so change both together.
//
// Conventions shared by every query:
// - a window is the half-open interval [:since, :until), compared as instants with julianday(), so
//   times written with any UTC offset compare correctly;
// - a refund's finish time is finished_at (退款完结时间), or status_since (when refunds first saw
//   it finished) when the export has none;
// - a refund's application time is applied_at, or first_seen_at when the export has none;
// - per-day buckets are the first 10 characters of the stored time: the shop-local date, because
//   the importer stores times with the shop's offset.
import type { SqlRunner } from './connection.js';
export type { Window, FinishedRow, AppliedRow, PlatformMoneyRow, CountRow, DayRow, AgentActionRow } from '../../app/ports/reports.js';
import type { Window, FinishedRow, AppliedRow, PlatformMoneyRow, CountRow, DayRow, AgentActionRow } from '../../app/ports/reports.js';


// Every refund applied or finished in a window, and more: a range of the refunds_active index
// (active_ms, the later of a refund's application and finish, schema 6), 27 hours early: active_ms
// picks the later time by its text, off by at most 26 hours when two offsets differ (schema.ts).
// The terms below then decide exactly. Without it every query read the whole history (1M refunds:
// 2.1 s for stats --since 28d).
const ACTIVE_SINCE = `active_ms >= (unixepoch(:since) - 27 * 3600) * 1000`;

/** An ISO instant as epoch ms, by the formula of schema 6's generated columns. */
const MS = (iso: string) => `CAST(round((julianday(${iso}) - 2440587.5) * 86400000) AS INTEGER)`;

// The README's copies say the same with julianday() on the text:
//   finished: status IN ('SUCCESS', 'CLOSED') AND julianday(coalesce(finished_at, status_since)) in [since, until)
//   applied:  julianday(coalesce(applied_at, first_seen_at)) in [since, until)
// Here on finished_ms / applied_ms (schema 6: exactly those times as epoch ms, NULL where julianday
// is), so that each row's text is parsed once, not once per figure. Times are stored to the second
// and the ms of a julianday are exact, so both compare alike.
const FINISHED_IN_WINDOW = `finished_ms >= ${MS(':since')} AND finished_ms < ${MS(':until')}`;

const APPLIED_IN_WINDOW = `applied_ms >= ${MS(':since')} AND applied_ms < ${MS(':until')}`;

/**
 * The window's refunds, read once (one index range, then the rows in rowid order: page by page,
 * not at random) into a temp table that every figure of the window then reads: six queries over
 * the whole history became one range of it plus six small scans. Each row keeps only what a
 * figure reads, worked out once as the figures below have it (the application and finish times'
 * epoch ms, their shop-local days, the timeout and disputed flags, the hours to finish, the reason
 * and product keys), so that the scans read a few small columns and no figure parses a time again
 * (1M history: the table of the full columns took half the time of `stats --since 28d`).
 *
 * A table built from an earlier `since` holds every refund of a later window too (the figures'
 * own terms pick the window's rows), so stats asks for the previous window first and the current
 * one reuses its table: one read of the history for both. Rebuilt when the database changed since
 * (data_version, total_changes).
 */
const WINDOW_REFUNDS = 'temp.window_refunds';
const windowBuilt = new WeakMap<SqlRunner, { since: string; sinceMs: number; state: string }>();

function windowRefunds(store: SqlRunner, w: Window): string {
  const state = () => {
    const [v] = store.sql<{ d: number; c: number }>('SELECT (SELECT data_version FROM pragma_data_version) AS d, total_changes() AS c');
    return `${v!.d}|${v!.c}`;
  };
  const sinceMs = store.sql<{ ms: number | null }>('SELECT unixepoch(:since) * 1000 AS ms', [w])[0]!.ms;
  const built = windowBuilt.get(store);
  // An unreadable since (null) compares as SQLite would: never reused, the range below is empty.
  if (built && built.state === state() && (built.since === w.since || (sinceMs !== null && built.sinceMs <= sinceMs))) return WINDOW_REFUNDS;
  // A read unit of work (PRAGMA query_only) refuses every write, the connection's own temp table
  // included: this scratch table is no write to the store, so it is built with the flag lifted.
  const readOnly = store.sql<{ query_only: number }>('PRAGMA query_only')[0]?.query_only === 1;
  if (readOnly) store.sqlRun('PRAGMA query_only = 0');
  try {
    store.sqlRun(`DROP TABLE IF EXISTS ${WINDOW_REFUNDS}`);
    // hours is an expression: its column has no affinity, so each value stays the REAL computed
    // here and avg() sums the same values as over the refunds themselves.
    store.sqlRun(
      `CREATE TEMP TABLE window_refunds AS
       SELECT applied_ms, finished_ms, status, platform, amount_cents,
              dispute_state <> 'none'                                AS disputed,
              julianday(export_deadline) < julianday(coalesce(finished_at, status_since)) AS timeout,
              (julianday(coalesce(finished_at, status_since)) - julianday(applied_at)) * 24 AS hours,
              substr(coalesce(applied_at, first_seen_at), 1, 10)     AS applied_day,
              substr(coalesce(finished_at, status_since), 1, 10)     AS finished_day,
              coalesce(trim(reason), '')                             AS reason_key,
              coalesce(nullif(trim(item_title), ''), nullif(trim(sku), ''), '') AS product_key
       FROM refunds WHERE rowid IN (SELECT rowid FROM refunds WHERE ${ACTIVE_SINCE})`,
      [w],
    );
  } finally {
    if (readOnly) store.sqlRun('PRAGMA query_only = 1');
  }
  windowBuilt.set(store, { since: w.since, sinceMs: sinceMs ?? Number.POSITIVE_INFINITY, state: state() });
  return WINDOW_REFUNDS;
}


export function finishedInWindow(store: SqlRunner, w: Window): FinishedRow {
  // timed: a finished refund's finish time is a julianday (finished_ms is not null), so its hours
  // are null exactly when julianday(applied_at) is.
  return store.sql<FinishedRow>(
    `SELECT count(*)                                  AS finished,
            coalesce(sum(status = 'SUCCESS'), 0)      AS success,
            coalesce(sum(status = 'CLOSED'), 0)       AS closed,
            coalesce(sum(timeout), 0)                 AS timeouts,
            coalesce(sum(disputed), 0)                AS disputed,
            coalesce(sum(timeout OR disputed), 0)     AS by_platform,
            count(hours)                              AS timed,
            round(avg(hours), 1)                      AS mean_hours
     FROM ${windowRefunds(store, w)}
     WHERE ${FINISHED_IN_WINDOW}`,
    [w],
  )[0]!;
}


export function appliedInWindow(store: SqlRunner, w: Window): AppliedRow {
  return store.sql<AppliedRow>(
    `SELECT count(*)                              AS applied,
            coalesce(sum(amount_cents), 0)        AS amount_cents,
            coalesce(sum(disputed), 0)            AS disputes
     FROM ${windowRefunds(store, w)}
     WHERE ${APPLIED_IN_WINDOW}`,
    [w],
  )[0]!;
}


/** Orders paid in the window, per platform: n orders, cents paid (orders.paid_cents). */
export function paidByPlatform(store: SqlRunner, w: Window): PlatformMoneyRow[] {
  return store.sql<PlatformMoneyRow>(
    `SELECT platform, count(*) AS n, coalesce(sum(paid_cents), 0) AS cents
     FROM orders
     WHERE paid_at IS NOT NULL
       -- A range of orders_paid: the text of any offset's local time is past this date.
       AND paid_at >= date(:since, '-2 days')
       AND julianday(paid_at) >= julianday(:since)
       AND julianday(paid_at) <  julianday(:until)
     GROUP BY platform
     ORDER BY platform`,
    [w],
  );
}

/** Refunds finished as SUCCESS in the window, per platform: n refunds, cents refunded. */
export function refundedByPlatform(store: SqlRunner, w: Window): PlatformMoneyRow[] {
  return store.sql<PlatformMoneyRow>(
    `SELECT platform, count(*) AS n, coalesce(sum(amount_cents), 0) AS cents
     FROM ${windowRefunds(store, w)}
     WHERE status = 'SUCCESS'
       AND ${FINISHED_IN_WINDOW}
     GROUP BY platform
     ORDER BY platform`,
    [w],
  );
}

/** Platforms with any order imported (whatever the window): the others have no order export. */
export function orderPlatforms(store: SqlRunner): string[] {
  return store.sql<{ platform: string }>('SELECT DISTINCT platform FROM orders ORDER BY platform').map((r) => r.platform);
}


/** Refunds applied in the window by reason (empty reason as ''), most frequent first. */
export function reasonsInWindow(store: SqlRunner, w: Window): CountRow[] {
  return store.sql<CountRow>(
    `SELECT reason_key AS key, count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
     FROM ${windowRefunds(store, w)}
     WHERE ${APPLIED_IN_WINDOW}
     GROUP BY 1
     ORDER BY refunds DESC, amount_cents DESC, key`,
    [w],
  );
}

/** Refunds applied in the window by product (item title, else SKU, else ''), most frequent first. */
export function productsInWindow(store: SqlRunner, w: Window, limit: number): CountRow[] {
  return store.sql<CountRow>(
    `SELECT product_key AS key, count(*) AS refunds, coalesce(sum(amount_cents), 0) AS amount_cents
     FROM ${windowRefunds(store, w)}
     WHERE ${APPLIED_IN_WINDOW}
     GROUP BY 1
     ORDER BY refunds DESC, amount_cents DESC, key
     LIMIT :limit`,
    [{ ...w, limit }],
  );
}


/** Refunds applied and finished per shop-local day of the window (days without any are absent). */
export function perDayInWindow(store: SqlRunner, w: Window): DayRow[] {
  // Each count grouped on its own and the two joined by day: two small sorts, not one of both
  // kinds' rows together (a third less time on the 1M history).
  const refunds = windowRefunds(store, w);
  return store.sql<DayRow>(
    `SELECT coalesce(a.day, f.day) AS day, coalesce(a.n, 0) AS applied, coalesce(f.n, 0) AS finished
     FROM (SELECT applied_day AS day, count(*) AS n FROM ${refunds} WHERE ${APPLIED_IN_WINDOW} GROUP BY 1) a
     FULL JOIN (SELECT finished_day AS day, count(*) AS n FROM ${refunds} WHERE ${FINISHED_IN_WINDOW} GROUP BY 1) f ON f.day = a.day
     ORDER BY 1`,
    [w],
  );
}


/** Decisions recorded in the window, per agent and action. */
export function decisionsByAgent(store: SqlRunner, w: Window): AgentActionRow[] {
  return store.sql<AgentActionRow>(
    `SELECT agent, action, count(*) AS decisions
     FROM decisions
     WHERE julianday(decided_at) >= julianday(:since)
       AND julianday(decided_at) <  julianday(:until)
     GROUP BY agent, action
     ORDER BY agent, action`,
    [w],
  );
}

/** The shop names the order exports carry (店铺名称), most orders first. */
export function shopNames(store: SqlRunner): string[] {
  return store
    .sql<{ shop_name: string }>(
      `SELECT shop_name FROM orders WHERE nullif(trim(shop_name), '') IS NOT NULL
       GROUP BY shop_name ORDER BY count(*) DESC, shop_name`,
    )
    .map((r) => r.shop_name);
}
