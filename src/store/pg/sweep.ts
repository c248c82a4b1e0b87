// SweepReader on PostgreSQL: the morning sweep's ranking and the triage queue, the SQLite backend's
// algorithm (store.ts sweepPlan / triageCandidates; sqlite/sweep.ts after issue 15) in PostgreSQL's
// words, so that both give the same rows in the same order:
// (1) one grouped pass over the open refunds (the partial index refunds_open_rank) counts every
//     (state, waiting on) pair by deadline bucket: the section sizes and the counts follow;
// (2) each pair splits into deadline ranges that each fall in one section (domain slicesOf); a
//     section's first rows are the first rows of its ranges, each an index range read in deadline
//     order, all of one query (UNION ALL), merged here with compareInSection.
// Sections come from domain/sections.ts through store/common/sql.ts, as on SQLite. Claims are judged
// on the server's clock (clock_timestamp()), never a client's: TriageQuery.clockMs is not read.
import type { RefundWithDeadline, SweepReader } from '../../app/ports/sweep.js';
import type { OpenRefundFacts, SectionCounts, SectionQuery, StoredDeadline, TriageQuery } from '../../domain/inputs.js';
import { compareInSection, SECTIONS, SELLER_MIN_RANK, slicesOf, type StateGroup } from '../../domain/sections.js';
import type { Decision, RefundStatus } from '../../domain/types.js';
import { lastRefundImportSql, notCarriedOutSql, sectionRankSql } from '../common/sql.js';
import { decisionFromRow, deadlineFromRow, REFUND_SELECT, refundFromRow, type Row } from '../common/rows.js';
import type { PgQuery } from './query.js';
import { openWhere, Params } from './readSql.js';

/** The section ranks, highest first. */
const SECTION_RANKS = SECTIONS.map((s) => s.rank);

type Filter = SectionQuery | TriageQuery;

/** The section sizes and the sweep's counts from per-(status, waiting_on) totals (the SQLite backend's sectionTotals). */
function sectionTotals(groups: StateGroup[], nowMs: number, windowMs: number): { sizes: number[]; counts: Omit<SectionCounts, 'notCarriedOut'> } {
  const sizes = SECTION_RANKS.map(() => 0);
  const counts = { open: 0, overdue: 0, dueSoon: 0, orange: 0, sellerMustAct: 0, waitingOnBuyer: 0 };
  for (const g of groups) {
    for (const slice of slicesOf(g, nowMs, windowMs)) sizes[slice.rank]! += slice.rows;
    counts.open += g.n;
    counts.overdue += g.overdue;
    counts.dueSoon += g.due - g.overdue;
    if (g.status === 'WAIT_SELLER_CONFIRM_GOODS') counts.orange += g.n;
    if (g.waiting_on === 'seller') counts.sellerMustAct += g.n;
    if (g.waiting_on === 'buyer') counts.waitingOnBuyer += g.n;
  }
  return { sizes, counts };
}

/**
 * Per-(status, waiting_on) totals of the open refunds the filter selects; with `notCarriedOut`, also
 * the count of those decided-not-carried-out (domain isNotCarriedOut; it walks the decided refunds
 * only), in the same round trip. No open refund: no group, and nothing can be not carried out.
 */
async function stateGroups(q: PgQuery, f: Filter, opts: { notCarriedOut?: boolean } = {}): Promise<{ groups: StateGroup[]; notCarriedOut: number }> {
  const p = new Params();
  const where = openWhere(p, f).join(' AND ');
  const now = p.add(f.nowMs, 'bigint');
  const win = p.add(f.dueSoonMs, 'bigint');
  const nco = opts.notCarriedOut
    ? `WITH li AS (
         ${lastRefundImportSql()}),
       nco AS (
         SELECT count(*) AS n
         FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id
           JOIN refunds r ON r.refund_id = d.refund_id JOIN li ON li.platform = r.platform
         WHERE ${where} AND ${notCarriedOutSql('d', 'r', 'li', 'postgres')})
       `
    : '';
  const rows = await q.rows<StateGroup & { not_carried_out?: number }>(
    `${nco}SELECT r.status, r.waiting_on, count(*) AS n,
       count(*) FILTER (WHERE r.deadline_at <= ${now}) AS overdue, count(*) FILTER (WHERE r.deadline_at <= ${now} + ${win}) AS due
       ${opts.notCarriedOut ? ', (SELECT n FROM nco) AS not_carried_out' : ''}
     FROM refunds r WHERE ${where} GROUP BY r.status, r.waiting_on`,
    p.values,
  );
  return {
    groups: rows.map(({ status, waiting_on, n, overdue, due }) => ({ status, waiting_on, n, overdue, due })),
    notCarriedOut: rows[0]?.not_carried_out ?? 0,
  };
}

/**
 * The first `limit` rows (null: all) of every slice of `groups` in the sections `ranks`, as
 * [id, deadline] per rank: one query. The slices are a VALUES list; each is read by a LATERAL index
 * range of refunds_open_sweep (status, waiting_on, deadline_at, length(refund_id), refund_id): rows
 * come in compareInSection order, so LIMIT stops after `limit` of them. Four shapes (dated or not,
 * waiting_on known or NULL) keep the plan small: planning 26 subqueries cost more than running them.
 * `more`: WHERE terms of the triage queue and the WITH clause they need; both use `p`.
 */
async function sliceHeads(
  q: PgQuery,
  f: Filter,
  groups: StateGroup[],
  ranks: number[],
  limit: number | null,
  opts: { more?: (p: Params) => { ctes: string[]; where: string[] }; wide?: boolean } = {},
): Promise<{ rank: number; id: string; due: number | null; row: Row }[]> {
  const p = new Params();
  const where = openWhere(p, f);
  const extra = opts.more?.(p) ?? { ctes: [], where: [] };
  const all = [...where, ...extra.where].join(' AND ');
  const lim = p.add(limit, 'bigint');
  const shapes = { dated: [] as string[], datedNull: [] as string[], undated: [] as string[], undatedNull: [] as string[] };
  for (const rank of ranks) {
    for (const g of groups) {
      for (const slice of slicesOf(g, f.nowMs, f.dueSoonMs)) {
        if (slice.rank !== rank || slice.rows === 0) continue;
        const known = g.waiting_on !== null;
        const pair = `${rank}, ${p.add(g.status, 'text')}, ${known ? p.add(g.waiting_on, 'text') : 'NULL::text'}`;
        (known ? shapes.dated : shapes.datedNull).push(`(${pair}, ${p.add(slice.after, 'bigint')}, ${p.add(slice.upTo, 'bigint')})`);
        if (slice.undated) (known ? shapes.undated : shapes.undatedNull).push(`(${pair}, NULL::bigint, NULL::bigint)`);
      }
    }
  }
  const branch = (values: string[], waiting: string, deadline: string, order: string) =>
    `SELECT s.rank, x.refund_id, x.deadline_at FROM (VALUES ${values.join(', ')}) AS s(rank, status, waiting, after, up_to)
     CROSS JOIN LATERAL (
       SELECT r.refund_id, r.deadline_at FROM refunds r
       WHERE ${all} AND r.status = s.status AND ${waiting} AND ${deadline}
       ORDER BY ${order} LIMIT ${lim}) x`;
  const dated = 'r.deadline_at > s.after AND r.deadline_at <= s.up_to';
  const datedOrder = 'r.deadline_at, length(r.refund_id), r.refund_id';
  const undatedOrder = 'length(r.refund_id), r.refund_id';
  const branches = [
    shapes.dated.length ? branch(shapes.dated, 'r.waiting_on = s.waiting', dated, datedOrder) : null,
    shapes.datedNull.length ? branch(shapes.datedNull, 'r.waiting_on IS NULL', dated, datedOrder) : null,
    shapes.undated.length ? branch(shapes.undated, 'r.waiting_on = s.waiting', 'r.deadline_at IS NULL', undatedOrder) : null,
    shapes.undatedNull.length ? branch(shapes.undatedNull, 'r.waiting_on IS NULL', 'r.deadline_at IS NULL', undatedOrder) : null,
  ].filter((b): b is string => b !== null);
  if (branches.length === 0) return [];
  // The cut per section in SQL (compareInSection's order: deadline, none last, then length and text), then the wide rows of those kept.
  const rows = await q.rows<Row & { rank: number; refund_id: string; deadline_at: number | null }>(
    `WITH ${[...extra.ctes, `heads AS (\n${branches.join('\nUNION ALL\n')})`].join(',\n')},
     cut AS (SELECT rank, refund_id, deadline_at,
               row_number() OVER (PARTITION BY rank ORDER BY deadline_at NULLS LAST, length(refund_id), refund_id) AS rn FROM heads)
     SELECT ${opts.wide ? 'r.*, o.shipped AS order_shipped, ' : ''}c.rank, c.refund_id, c.deadline_at FROM cut c
       ${opts.wide ? 'JOIN refunds r ON r.refund_id = c.refund_id LEFT JOIN orders o ON o.order_id = r.order_id' : ''}
     ${limit === null ? '' : `WHERE c.rn <= ${lim}`}
     ORDER BY c.rank DESC, c.rn`,
    p.values,
  );
  const out = rows.map((row) => ({ rank: row.rank, id: row.refund_id, due: row.deadline_at, row }));
  // compareInSection is the rule; the SQL order above agrees with it (test/store/pg/reads.test.ts), this keeps it so.
  return out.sort((a, b) => b.rank - a.rank || compareInSection({ refundId: a.id, due: a.due }, { refundId: b.id, due: b.due }));
}


async function refundsWithDeadlines(q: PgQuery, ids: string[]): Promise<RefundWithDeadline[]> {
  if (ids.length === 0) return [];
  const rows = await q.rows(`${REFUND_SELECT} WHERE r.refund_id = ANY($1::text[])`, [ids]);
  const wide = new Map(rows.map((row) => [row.refund_id as string, row]));
  return ids.flatMap((id) => {
    const row = wide.get(id);
    return row ? [{ refund: refundFromRow(row), deadline: deadlineFromRow(row) }] : [];
  });
}

async function sweepPlan(q: PgQuery, f: SectionQuery, opts: { wide?: boolean } = {}): Promise<{ shown: { id: string; size: number; row: Row }[]; counts: SectionCounts }> {
  const { groups, notCarriedOut } = await stateGroups(q, f, { notCarriedOut: true });
  const { sizes, counts } = sectionTotals(groups, f.nowMs, f.dueSoonMs);
  const ranks = SECTION_RANKS.filter((rank) => sizes[rank]! > 0);
  const heads = f.perSection === 0 || ranks.length === 0 ? [] : await sliceHeads(q, f, groups, ranks, f.perSection, { wide: opts.wide });
  return { shown: heads.map((h) => ({ id: h.id, size: sizes[h.rank]!, row: h.row })), counts: { ...counts, notCarriedOut } };
}

async function triageCandidates(q: PgQuery, t: TriageQuery): Promise<{ ids: string[]; total: number }> {
  // The queue's rules (app/triageSession.ts), as on SQLite: not done for now (decided at or after
  // the platform's latest refund import) unless decided-not-carried-out; needs the seller (sections
  // of rank SELLER_MIN_RANK and up) unless the buyer side is asked for; not snoozed by this agent;
  // not claimed by another live session (on the server's clock); not passed over in this session.
  // Decided refunds (few) are judged row by row; the others' head is read section by section.
  const excludedCte = (p: Params) => `excluded AS MATERIALIZED (
        SELECT refund_id FROM snoozes WHERE agent = ${p.add(t.agent)} AND until > ${p.add(t.nowIso, 'timestamptz')}
        UNION SELECT refund_id FROM claims WHERE session <> ${p.add(t.session)} AND expires_at > refunds_epoch_ms(clock_timestamp())
        UNION SELECT unnest(${p.add(t.exclude, 'text[]')}))`;
  const undecided = ['r.refund_id NOT IN (SELECT refund_id FROM excluded)', 'NOT EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id)'];
  const buyer = t.includeBuyerSide ? 'true' : 'false';

  // One round trip for all but the head: the (status, waiting_on) totals, the decided refunds of the
  // queue (judged row by row), and the two counts that turn the totals into the queue's size
  // without a second pass over the open refunds:
  //   undecided in the queue = |qualifying open| − |qualifying, decided, not excluded| − |qualifying, excluded|
  // where "qualifying" is rank ≥ SELLER_MIN_RANK (any rank with the buyer side) and the totals give
  // |qualifying open| section by section (slicesOf, as the sweep's sizes).
  const dp = new Params();
  const dWhere = openWhere(dp, t).join(' AND ');
  const nowP = dp.add(t.nowMs, 'bigint');
  const winP = dp.add(t.dueSoonMs, 'bigint');
  const rank = sectionRankSql('r', { now: nowP, window: winP });
  const qualifies = (rankExpr: string) => `(${buyer} OR (${rankExpr}) >= ${SELLER_MIN_RANK})`;
  type Out = { kind: 'g' | 'd' | 't'; status: string | null; waiting_on: string | null; n: number | null; overdue: number | null; due: number | null; refund_id: string | null; section_rank: number | null; deadline_at: number | null };
  const rows = await q.rows<Out>(
    `WITH li AS (
       ${lastRefundImportSql()}),
     latest AS MATERIALIZED (
       SELECT d.refund_id, d.decided_at, d.expected_status_json
       FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id),
     ${excludedCte(dp)},
     flagged AS MATERIALIZED (
       SELECT r.refund_id, r.deadline_at, ${rank} AS section_rank, l.decided_at, li.at AS last_import,
         ${notCarriedOutSql('l', 'r', 'li', 'postgres')} AS not_carried_out
       FROM latest l JOIN refunds r ON r.refund_id = l.refund_id LEFT JOIN li ON li.platform = r.platform
       WHERE ${dWhere} AND r.refund_id NOT IN (SELECT refund_id FROM excluded))
     SELECT 'g' AS kind, r.status, r.waiting_on, count(*) AS n,
            count(*) FILTER (WHERE r.deadline_at <= ${nowP}) AS overdue, count(*) FILTER (WHERE r.deadline_at <= ${nowP} + ${winP}) AS due,
            NULL::text AS refund_id, NULL::int AS section_rank, NULL::bigint AS deadline_at
     FROM refunds r WHERE ${dWhere} GROUP BY r.status, r.waiting_on
     UNION ALL
     SELECT 'd', NULL, NULL, NULL, NULL, NULL, refund_id, section_rank, deadline_at FROM flagged
     WHERE (not_carried_out OR NOT (last_import IS NULL OR decided_at >= last_import))
       AND (not_carried_out OR ${buyer} OR section_rank >= ${SELLER_MIN_RANK})
     UNION ALL
     SELECT 't', NULL, NULL,
            (SELECT count(*) FROM flagged f WHERE ${qualifies('f.section_rank')}),
            (SELECT count(*) FROM refunds r WHERE r.refund_id IN (SELECT refund_id FROM excluded) AND ${dWhere} AND ${qualifies(rank)}),
            NULL, NULL, NULL, NULL`,
    dp.values,
  );
  const groups: StateGroup[] = rows.filter((r) => r.kind === 'g').map((r) => ({ status: r.status!, waiting_on: r.waiting_on, n: r.n!, overdue: r.overdue!, due: r.due! }));
  const decided = rows.filter((r) => r.kind === 'd').map((r) => ({ refund_id: r.refund_id!, section_rank: r.section_rank!, deadline_at: r.deadline_at }));
  const taken = rows.find((r) => r.kind === 't')!;
  const { sizes } = sectionTotals(groups, t.nowMs, t.dueSoonMs);
  const qualifyingOpen = SECTION_RANKS.filter((r) => t.includeBuyerSide || r >= SELLER_MIN_RANK).reduce((sum, r) => sum + sizes[r]!, 0);
  const total = qualifyingOpen - taken.n! - taken.overdue! + decided.length;
  if (t.limit === 0) return { ids: [], total };

  const head: [string, number, number | null][] = decided.map((d) => [d.refund_id, d.section_rank, d.deadline_at]);
  let undecidedRows = 0;
  for (const r of SECTION_RANKS) {
    if (r < SELLER_MIN_RANK && !t.includeBuyerSide) break;
    // Every row of a higher section comes first: once `limit` rows are in, lower ones cannot be in the head.
    if (undecidedRows >= t.limit) break;
    const heads = await sliceHeads(q, t, groups, [r], t.limit, { more: (p) => ({ ctes: [excludedCte(p)], where: undecided }) });
    for (const h of heads) {
      head.push([h.id, r, h.due]);
      undecidedRows++;
    }
  }
  head.sort((a, b) => b[1] - a[1] || compareInSection({ refundId: a[0], due: a[2] }, { refundId: b[0], due: b[2] }));
  return { ids: head.slice(0, t.limit).map((r) => r[0]), total };
}

export function pgSweepReader(q: PgQuery): SweepReader {
  return {
    async openRefundsWithDeadlines(f = {}) {
      const p = new Params();
      const where = openWhere(p, f);
      if (f.waybillKeys) where.push(`r.return_waybill_key = ANY(${p.add(f.waybillKeys, 'text[]')})`);
      const rows = await q.rows(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`, p.values);
      return rows.map((row) => ({ refund: refundFromRow(row), deadline: deadlineFromRow(row) }));
    },
    refundsWithDeadlines: (ids) => refundsWithDeadlines(q, ids),
    async latestDecisions(ids) {
      const out = new Map<string, Decision>();
      if (ids.length === 0) return out;
      const rows = await q.rows(
        `SELECT d.* FROM decisions d JOIN (
           SELECT refund_id, max(id) AS id FROM decisions WHERE refund_id = ANY($1::text[]) GROUP BY refund_id
         ) m ON m.id = d.id`,
        [ids],
      );
      for (const r of rows) out.set(r.refund_id as string, decisionFromRow(r));
      return out;
    },
    async openRefundFacts(): Promise<OpenRefundFacts[]> {
      const p = new Params();
      const rows = await q.rows<{ refund_id: string; status: RefundStatus; waiting_on: string | null; deadline_at: number | null; amount_cents: number; decided: number }>(
        `SELECT r.refund_id, r.status, r.waiting_on, r.deadline_at, r.amount_cents,
           EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id) AS decided
         FROM refunds r WHERE ${openWhere(p, {}).join(' AND ')}`,
        p.values,
      );
      return rows.map((r) => ({
        refundId: r.refund_id,
        status: r.status,
        actor: (r.waiting_on as StoredDeadline['actor'] | null) ?? 'seller',
        deadlineAt: r.deadline_at,
        amountCents: r.amount_cents,
        decided: r.decided === 1,
      }));
    },
    async rankedSections(f) {
      const { shown, counts } = await sweepPlan(q, f, { wide: true });
      return { rows: shown.map((x) => ({ refund: refundFromRow(x.row), deadline: deadlineFromRow(x.row), sectionSize: x.size })), counts };
    },
    async sweepPlan(f) {
      const { shown, counts } = await sweepPlan(q, f);
      return { shown: shown.map(({ id, size }) => ({ id, size })), counts };
    },
    triageCandidates: (t) => triageCandidates(q, t),
  };
}
