// The morning sweep's and the triage queue's reads (SweepReader): open refunds with their stored
// deadlines, ranked by section inside SQLite (the section table is domain/sections.ts; its SQL form
// store/common/sql.ts), so that no open refund crosses into JavaScript unless it is shown.
import type { OpenRefundFacts, OpenRefundFilter, RankedRefund, SectionCounts, SectionQuery, StoredDeadline, TriageQuery } from '../../domain/inputs.js';
import { compareInSection, SECTIONS, SELLER_MIN_RANK, slicesOf, type StateGroup } from '../../domain/sections.js';
import type { Decision, Refund, RefundStatus } from '../../domain/types.js';
import { lastRefundImportSql, notCarriedOutSql, sectionRankSql } from '../common/sql.js';
import { openWhere } from './cases.js';
import type { Connection } from './connection.js';
import type { Row } from '../common/rows.js';
import { deadlineFromRow, decisionFromRow, REFUND_SELECT, refundFromRow } from '../common/rows.js';

/**
 * The sweep's sections as a number (5 overdue, 4 due soon, 3 orange, 2 seller, 1 buyer, 0 other):
 * the SQL twin of domain/sections.ts sectionOf(), over the stored deadlines. Parameters :now and
 * :window (the due-soon window), both in epoch ms.
 */
export const SECTION_RANK = sectionRankSql('r');

export function latestDecisions(c: Connection, refundIds: string[]): Map<string, Decision> {
  const out = new Map<string, Decision>();
  if (refundIds.length === 0) return out;
  // Seeks in decisions_refund for just these refunds: the sweep asks a page at a time.
  const rows = c.st(
    `SELECT d.* FROM decisions d JOIN (
       SELECT refund_id, max(id) AS id FROM decisions WHERE refund_id IN (SELECT value FROM json_each(?)) GROUP BY refund_id
     ) m ON m.id = d.id`,
  ).all(JSON.stringify(refundIds)) as Row[];
  for (const r of rows) out.set(r.refund_id as string, decisionFromRow(r));
  return out;
}

export function openRefundsWithDeadlines(c: Connection, filter: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number; waybillKeys?: string[] } = {}): { refund: Refund; deadline: StoredDeadline }[] {
  const { where, params } = openWhere(filter);
  if (filter.waybillKeys) {
    where.push('r.return_waybill_key IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filter.waybillKeys));
  }
  return (c.st(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`).all(...params) as Row[]).map((row) => ({
    refund: refundFromRow(row),
    deadline: deadlineFromRow(row),
  }));
}

export function openRefundFacts(c: Connection): OpenRefundFacts[] {
  const rows = c.st(
    `SELECT r.refund_id, r.status, r.waiting_on, r.deadline_at, r.amount_cents,
       EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id) AS decided
     FROM refunds r WHERE ${openWhere({}).where.join(' AND ')}`,
  ).raw(true).all() as [string, RefundStatus, string | null, number | null, number, number][];
  return rows.map(([refundId, status, waiting, deadlineAt, amountCents, decided]) => ({
    refundId, status, actor: (waiting as StoredDeadline['actor'] | null) ?? 'seller', deadlineAt, amountCents, decided: decided === 1,
  }));
}

export function sweepPlan(c: Connection, q: SectionQuery): { shown: { id: string; size: number }[]; counts: SectionCounts } {
  const { where, params } = openWhere(q);
  // The same ranking as domain/urgency.ts (overdue, due soon, orange, seller, buyer, other), all
  // inside SQLite on the covering index refunds_open_rank (status, waiting_on, deadline_at, …), so
  // no open refund crosses into JavaScript unless it is shown. (1) One pass, grouped in index
  // order, counts every (state, waiting on) pair by deadline bucket: the section sizes and the
  // sweep's counts follow (sectionTotals). (2) Each pair splits into deadline ranges that each
  // fall in one section (slicesOf); a section's first rows are the first rows of its ranges, each
  // an index seek read in deadline order, merged. The caller reads the wide rows it shows.
  const groups = c.st(
    `SELECT r.status, r.waiting_on, count(*) AS n,
       total(r.deadline_at <= :now) AS overdue, total(r.deadline_at <= :now + :window) AS due
     FROM refunds r WHERE ${where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
  ).all(...params, { now: q.nowMs, window: q.dueSoonMs }) as StateGroup[];
  const { sizes, counts } = sectionTotals(groups, q.nowMs, q.dueSoonMs);
  const limit = q.perSection ?? -1;
  const dated = c.st(
    `SELECT r.refund_id, r.deadline_at FROM refunds r
     WHERE ${where.join(' AND ')} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at > :after AND r.deadline_at <= :upTo
     ORDER BY r.deadline_at, length(r.refund_id), r.refund_id LIMIT :limit`,
  ).raw(true);
  const undated = c.st(
    `SELECT r.refund_id, r.deadline_at FROM refunds r
     WHERE ${where.join(' AND ')} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at IS NULL
     ORDER BY length(r.refund_id), r.refund_id LIMIT :limit`,
  ).raw(true);
  const shown: { id: string; size: number }[] = [];
  for (const rank of SECTION_RANKS) {
    if (sizes[rank] === 0) continue;
    const rows: [string, number | null][] = [];
    for (const g of groups) {
      for (const slice of slicesOf(g, q.nowMs, q.dueSoonMs)) {
        if (slice.rank !== rank) continue;
        const at = { status: g.status, waiting: g.waiting_on, limit };
        rows.push(...(dated.all(...params, { ...at, after: slice.after, upTo: slice.upTo }) as [string, number][]));
        if (slice.undated) rows.push(...(undated.all(...params, at) as [string, null][]));
      }
    }
    rows.sort((a, b) => compareInSection({ refundId: a[0], due: a[1] }, { refundId: b[0], due: b[1] }));
    for (const [id] of limit < 0 ? rows : rows.slice(0, limit)) shown.push({ id, size: sizes[rank]! });
  }
  // The twin of app/sweep.ts isNotCarriedOut(): the latest decision expected another state, and a
  // refund export was imported after it. Walks the decided refunds only (few), not every open one.
  const notCarriedOut = (
    c.db
      .prepare(
        `WITH li AS (
           ${lastRefundImportSql()})
         SELECT count(*) AS n
         FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id
           JOIN refunds r ON r.refund_id = d.refund_id JOIN li ON li.platform = r.platform
         WHERE ${where.join(' AND ')}
           AND ${notCarriedOutSql('d', 'r', 'li')}`,
      )
      .get(...params) as { n: number }
  ).n;
  return { shown, counts: { ...counts, notCarriedOut } };
}

export function rankedSections(c: Connection, q: SectionQuery): { rows: RankedRefund[]; counts: SectionCounts } {
  const { shown, counts } = sweepPlan(c, q);
  const sizes = new Map(shown.map((x) => [x.id, x.size]));
  const rows = refundsWithDeadlines(c, shown.map((x) => x.id));
  return { rows: rows.map((r) => ({ ...r, sectionSize: sizes.get(r.refund.refundId)! })), counts };
}

export function refundsWithDeadlines(c: Connection, ids: string[]): { refund: Refund; deadline: StoredDeadline }[] {
  const wide = new Map(
    (c.st(`${REFUND_SELECT} WHERE r.refund_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as Row[]).map((row) => [
      row.refund_id as string,
      row,
    ]),
  );
  return ids.flatMap((id) => {
    const row = wide.get(id);
    return row ? [{ refund: refundFromRow(row), deadline: deadlineFromRow(row) }] : [];
  });
}

export function triageCandidates(c: Connection, q: TriageQuery): { ids: string[]; total: number } {
  const { where, params } = openWhere(q);
  // The queue's rules (app/triageSession.ts): not done for now (decided at or after the
  // platform's latest refund import) unless decided-not-carried-out, needs the seller (sections
  // overdue..seller), not snoozed by this agent, not claimed by another live session, not passed
  // over in this session. Two kinds of rows, read apart so that the head of 100,000 open refunds
  // needs no pass over all of them (issue 18):
  // - decided refunds (few): every rule, row by row, as before;
  // - the others: in the queue exactly when in a seller section (SECTION_RANK >= 2), or in any
  //   with :buyer. Their head is read section by section in the sweep's order (the slices of
  //   sweepPlan, index seeks in deadline order), and stops once it has `limit` rows.
  // Their number comes from the (status, waiting_on) totals, as on PostgreSQL (pg/sweep.ts):
  //   undecided in the queue = |qualifying open| − |qualifying, decided, not excluded| − |qualifying, excluded|
  // where "qualifying" is rank >= SELLER_MIN_RANK (any rank with :buyer): the totals give the
  // first term section by section (slicesOf), the two others walk the decided and the excluded
  // refunds only. The totals themselves are kept between cards (openStateGroups).
  const named = {
    now: q.nowMs,
    window: q.dueSoonMs,
    buyer: q.includeBuyerSide ? 1 : 0,
    agent: q.agent,
    nowIso: q.nowIso,
    session: q.session,
    clock: q.clockMs,
    exclude: JSON.stringify(q.exclude),
  };
  const excluded = `
    excluded AS MATERIALIZED (
      SELECT refund_id FROM snoozes WHERE agent = :agent AND julianday(until) > julianday(:nowIso)
      UNION SELECT refund_id FROM claims WHERE session <> :session AND expires_at > :clock
      UNION SELECT value FROM json_each(:exclude))`;
  const qualifies = (rank: string) => `(:buyer OR ${rank} >= ${SELLER_MIN_RANK})`;
  // Every decided open refund not excluded, flagged: `in_queue` by the queue's rules; `qualifies`
  // for the count's second term.
  const flagged = c.st(
    `WITH li AS (
       ${lastRefundImportSql()}),
     latest AS MATERIALIZED (
       SELECT d.refund_id, d.decided_at, d.expected_status_json
       FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id),
     ${excluded},
     flagged AS (
       SELECT r.refund_id, r.deadline_at, ${SECTION_RANK} AS section_rank, l.decided_at, li.at AS last_import,
         ${notCarriedOutSql('l', 'r', 'li')} AS not_carried_out
       FROM latest l JOIN refunds r ON r.refund_id = l.refund_id LEFT JOIN li ON li.platform = r.platform
       WHERE ${where.join(' AND ')} AND r.refund_id NOT IN (SELECT refund_id FROM excluded))
     SELECT refund_id, section_rank, deadline_at,
       (not_carried_out OR NOT (last_import IS NULL OR decided_at >= last_import))
         AND (not_carried_out OR :buyer OR section_rank >= ${SELLER_MIN_RANK}) AS in_queue,
       ${qualifies('section_rank')} AS qualifies
     FROM flagged`,
  )
    .raw(true)
    .all(...params, named) as [string, number, number | null, number, number][];
  const decided = flagged.filter((r) => r[3] === 1).map((r): [string, number, number | null] => [r[0], r[1], r[2]]);
  const decidedQualifying = flagged.reduce((n, r) => n + r[4], 0);
  const excludedQualifying = (
    c.st(
      `WITH ${excluded} SELECT count(*) AS n FROM refunds r
       WHERE r.refund_id IN (SELECT refund_id FROM excluded) AND ${where.join(' AND ')} AND ${qualifies(`(${SECTION_RANK})`)}`,
    ).get(...params, named) as { n: number }
  ).n;
  const groups = openStateGroups(c, where, params, q.nowMs, q.dueSoonMs);
  const sizes = sectionTotals(groups, q.nowMs, q.dueSoonMs).sizes;
  const qualifyingOpen = SECTION_RANKS.filter((r) => q.includeBuyerSide || r >= SELLER_MIN_RANK).reduce((sum, r) => sum + sizes[r]!, 0);
  const total = qualifyingOpen - decidedQualifying - excludedQualifying + decided.length;
  if (q.limit === 0) return { ids: [], total };

  const undecided = `${where.join(' AND ')} AND r.refund_id NOT IN (SELECT refund_id FROM excluded)
    AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id)`;
  const dated = c.st(
    `WITH ${excluded} SELECT r.refund_id, r.deadline_at FROM refunds r
     WHERE ${undecided} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at > :after AND r.deadline_at <= :upTo
     ORDER BY r.deadline_at, length(r.refund_id), r.refund_id LIMIT :limit`,
  ).raw(true);
  const undated = c.st(
    `WITH ${excluded} SELECT r.refund_id, r.deadline_at FROM refunds r
     WHERE ${undecided} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at IS NULL
     ORDER BY length(r.refund_id), r.refund_id LIMIT :limit`,
  ).raw(true);
  const { agent, nowIso, session, clock, exclude } = named;
  const only = { agent, nowIso, session, clock, exclude, limit: q.limit };
  const head: [string, number, number | null][] = decided.slice();
  let undecidedRows = 0;
  for (const rank of SECTION_RANKS) {
    if (rank < SELLER_MIN_RANK && !q.includeBuyerSide) break;
    // Every row of a higher section comes first: once `limit` rows are in, lower ones cannot be in the head.
    if (undecidedRows >= q.limit) break;
    for (const g of groups) {
      for (const slice of slicesOf(g, q.nowMs, q.dueSoonMs)) {
        if (slice.rank !== rank || slice.rows === 0) continue;
        const at = { ...only, status: g.status, waiting: g.waiting_on };
        const rows = [
          ...(dated.all(...params, { ...at, after: slice.after, upTo: slice.upTo }) as [string, number][]),
          ...(slice.undated ? (undated.all(...params, at) as [string, null][]) : []),
        ];
        undecidedRows += rows.length;
        for (const [id, deadline] of rows) head.push([id, rank, deadline]);
      }
    }
  }
  head.sort((a, b) => b[1] - a[1] || compareInSection({ refundId: a[0], due: a[2] }, { refundId: b[0], due: b[2] }));
  return { ids: head.slice(0, q.limit).map((r) => r[0]), total };
}

/**
 * The open refunds' (status, waiting_on) totals for the triage queue, kept per connection between
 * cards: one grouped pass over the open-refunds index is most of a card's time at 100,000 open
 * refunds, and within a session they rarely change. They depend only on the open refunds' state,
 * waiting_on and deadline_at (and on now, the window and the platform filter, in the key). Those
 * columns are written only by an import (whose unit of work also adds its line to `imports`) and
 * by ensureDeadlines (inside an import, or from a reader: filling rows that lack a deadline, or
 * all of them again when the rules' fingerprint in `meta` changed). So the totals are reused only
 * while the latest import, the fingerprint, and "no open refund lacks a deadline" are as they were
 * when they were counted; decisions, claims and snoozes (of this session or others) do not touch
 * them. The token is read before the totals: a write in between makes the next read count again.
 * Inside a unit of work (uncommitted, may roll back) nothing is kept.
 */
function openStateGroups(c: Connection, where: string[], params: unknown[], nowMs: number, windowMs: number): StateGroup[] {
  const token = c.inUnit
    ? null
    : (c
        .st(
          `SELECT (SELECT max(id) FROM imports) AS import_id, (SELECT value FROM meta WHERE key = 'deadlines.basis') AS basis,
             EXISTS (SELECT 1 FROM refunds INDEXED BY refunds_needing_deadline WHERE status NOT IN ('CLOSED', 'SUCCESS') AND waiting_on IS NULL) AS lacking`,
        )
        .get() as { import_id: number | null; basis: string | null; lacking: number });
  const key = token && token.lacking === 0 ? JSON.stringify([token.import_id, token.basis, params, nowMs, windowMs]) : null;
  const kept = keptGroups.get(c);
  if (key !== null && kept?.key === key) return kept.groups;
  const groups = c.st(
    `SELECT r.status, r.waiting_on, count(*) AS n, total(r.deadline_at <= :now) AS overdue, total(r.deadline_at <= :now + :window) AS due
     FROM refunds r WHERE ${where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
  ).all(...params, { now: nowMs, window: windowMs }) as StateGroup[];
  if (key !== null) keptGroups.set(c, { key, groups });
  else keptGroups.delete(c);
  return groups;
}

const keptGroups = new WeakMap<Connection, { key: string; groups: StateGroup[] }>();

/** The section ranks, highest first. */
const SECTION_RANKS = SECTIONS.map((s) => s.rank);


/**
 * The section sizes (from slicesOf) and the sweep's counts, from per-(status, waiting_on) totals:
 * SQLite groups in index order with no sort. store.test.ts checks both against SECTION_RANK row by row.
 */
function sectionTotals(groups: StateGroup[], nowMs: number, windowMs: number): { sizes: number[]; counts: Omit<SectionCounts, 'notCarriedOut'> } {
  const sizes = [0, 0, 0, 0, 0, 0];
  const counts = { open: 0, overdue: 0, dueSoon: 0, orange: 0, sellerMustAct: 0, waitingOnBuyer: 0 };
  for (const g of groups) {
    for (const slice of slicesOf(g, nowMs, windowMs)) sizes[slice.rank]! += slice.rows;
    const orange = g.status === 'WAIT_SELLER_CONFIRM_GOODS';
    counts.open += g.n;
    counts.overdue += g.overdue;
    counts.dueSoon += g.due - g.overdue;
    if (orange) counts.orange += g.n;
    if (g.waiting_on === 'seller') counts.sellerMustAct += g.n;
    if (g.waiting_on === 'buyer') counts.waitingOnBuyer += g.n;
  }
  return { sizes, counts };
}
