// The morning sweep's and the triage queue's reads (SweepReader): open refunds with their stored
// deadlines, ranked by section inside SQLite (the section table is domain/sections.ts; its SQL form
// store/common/sql.ts), so that no open refund crosses into JavaScript unless it is shown.
import type { OpenRefundFacts, OpenRefundFilter, RankedRefund, SectionCounts, SectionQuery, StoredDeadline, TriageQuery } from '../../domain/inputs.js';
import { compareInSection, SECTIONS, SELLER_MIN_RANK, slicesOf, type StateGroup } from '../../domain/sections.js';
import type { Decision, Refund, RefundStatus } from '../../domain/types.js';
import { lastRefundImportSql, notCarriedOutSql, sectionRankSql } from '../common/sql.js';
import { openWhere } from './cases.js';
import { decidedOpen, fewerDecisionsThan, openStateGroups } from './triageKept.js';
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
  // refund export was imported after it. Walks the smaller side: every decision ever recorded while
  // they are fewer than the open refunds (a new shop), else the open refunds, a seek in
  // decisions_refund each (two years of decisions on finished refunds: 247k took 236 ms).
  const latest = fewerDecisionsThan(c, counts.open)
    ? `decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id
           JOIN refunds r ON r.refund_id = d.refund_id`
    : `refunds r JOIN decisions d ON d.id = (SELECT max(x.id) FROM decisions x WHERE x.refund_id = r.refund_id)`;
  const notCarriedOut = (
    c.db
      .prepare(
        `WITH li AS (
           ${lastRefundImportSql()})
         SELECT count(*) AS n
         FROM ${latest} JOIN li ON li.platform = r.platform
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
  // refunds only. The totals and the decided open refunds are kept between cards (triageKept.ts).
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
  const scope = { where, params, nowMs: q.nowMs, windowMs: q.dueSoonMs, sectionRank: SECTION_RANK };
  const out = new Set(c.st(`WITH ${excluded} SELECT refund_id FROM excluded`).pluck().all(named) as string[]);
  // The decided open refunds not excluded: in the queue by the queue's rules; `qualifying` for the count.
  const buyer = q.includeBuyerSide;
  const groups = openStateGroups(c, scope);
  const decidedRows = decidedOpen(c, scope, groups.reduce((n, g) => n + g.n, 0)).filter((d) => !out.has(d.refundId));
  const decided = decidedRows
    .filter((d) => (d.notCarriedOut || d.dueAgain) && (d.notCarriedOut || buyer || d.sectionRank >= SELLER_MIN_RANK))
    .map((d): [string, number, number | null] => [d.refundId, d.sectionRank, d.deadlineAt]);
  const decidedQualifying = decidedRows.filter((d) => buyer || d.sectionRank >= SELLER_MIN_RANK).length;
  const excludedQualifying = (
    c.st(
      `WITH ${excluded} SELECT count(*) AS n FROM refunds r
       WHERE r.refund_id IN (SELECT refund_id FROM excluded) AND ${where.join(' AND ')} AND ${qualifies(`(${SECTION_RANK})`)}`,
    ).get(...params, named) as { n: number }
  ).n;
  const sizes = sectionTotals(groups, q.nowMs, q.dueSoonMs).sizes;
  const qualifyingOpen = SECTION_RANKS.filter((r) => buyer || r >= SELLER_MIN_RANK).reduce((sum, r) => sum + sizes[r]!, 0);
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
