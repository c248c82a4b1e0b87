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
import { decisionFromRow, deadlineFromRow, REFUND_SELECT, refundFromRow } from '../common/rows.js';
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

async function stateGroups(q: PgQuery, f: Filter): Promise<StateGroup[]> {
  const p = new Params();
  const where = openWhere(p, f);
  const now = p.add(f.nowMs, 'bigint');
  const win = p.add(f.dueSoonMs, 'bigint');
  const rows = await q.rows<StateGroup & Record<string, unknown>>(
    `SELECT r.status, r.waiting_on, count(*) AS n,
       count(*) FILTER (WHERE r.deadline_at <= ${now}) AS overdue, count(*) FILTER (WHERE r.deadline_at <= ${now} + ${win}) AS due
     FROM refunds r WHERE ${where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
    p.values,
  );
  return rows;
}

/**
 * The first `limit` rows (null: all) of every slice of `groups` in section `rank`, as [id, deadline]:
 * one query, each branch an index range in deadline order. `extra`: more WHERE terms (the triage
 * queue's), `ctes` the WITH clause they need; both use `p`.
 */
async function sliceHeads(
  q: PgQuery,
  f: Filter,
  groups: StateGroup[],
  ranks: number[],
  limit: number | null,
  more: (p: Params) => { ctes: string; where: string[] } = () => ({ ctes: '', where: [] }),
): Promise<Map<number, [string, number | null][]>> {
  const p = new Params();
  const where = openWhere(p, f);
  const extra = more(p);
  const all = [...where, ...extra.where].join(' AND ');
  const lim = limit === null ? '' : `LIMIT ${p.add(limit, 'bigint')}`;
  const branches: string[] = [];
  for (const rank of ranks) {
    for (const g of groups) {
      for (const slice of slicesOf(g, f.nowMs, f.dueSoonMs)) {
        if (slice.rank !== rank || slice.rows === 0) continue;
        const pair = `r.status = ${p.add(g.status)} AND ${g.waiting_on === null ? 'r.waiting_on IS NULL' : `r.waiting_on = ${p.add(g.waiting_on)}`}`;
        branches.push(
          `(SELECT ${rank} AS rank, r.refund_id, r.deadline_at FROM refunds r
            WHERE ${all} AND ${pair} AND r.deadline_at > ${p.add(slice.after, 'bigint')} AND r.deadline_at <= ${p.add(slice.upTo, 'bigint')}
            ORDER BY r.deadline_at, length(r.refund_id), r.refund_id ${lim})`,
        );
        if (slice.undated) {
          branches.push(
            `(SELECT ${rank} AS rank, r.refund_id, r.deadline_at FROM refunds r
              WHERE ${all} AND ${pair} AND r.deadline_at IS NULL
              ORDER BY length(r.refund_id), r.refund_id ${lim})`,
          );
        }
      }
    }
  }
  const out = new Map<number, [string, number | null][]>(ranks.map((r) => [r, []]));
  if (branches.length === 0) return out;
  const rows = await q.rows<{ rank: number; refund_id: string; deadline_at: number | null }>(
    `${extra.ctes}${branches.join('\nUNION ALL\n')}`,
    p.values,
  );
  for (const r of rows) out.get(r.rank)!.push([r.refund_id, r.deadline_at]);
  return out;
}

const byUrgency = (a: [string, number | null], b: [string, number | null]) => compareInSection({ refundId: a[0], due: a[1] }, { refundId: b[0], due: b[1] });

async function refundsWithDeadlines(q: PgQuery, ids: string[]): Promise<RefundWithDeadline[]> {
  if (ids.length === 0) return [];
  const rows = await q.rows(`${REFUND_SELECT} WHERE r.refund_id = ANY($1::text[])`, [ids]);
  const wide = new Map(rows.map((row) => [row.refund_id as string, row]));
  return ids.flatMap((id) => {
    const row = wide.get(id);
    return row ? [{ refund: refundFromRow(row), deadline: deadlineFromRow(row) }] : [];
  });
}

async function sweepPlan(q: PgQuery, f: SectionQuery): Promise<{ shown: { id: string; size: number }[]; counts: SectionCounts }> {
  const groups = await stateGroups(q, f);
  const { sizes, counts } = sectionTotals(groups, f.nowMs, f.dueSoonMs);
  const shown: { id: string; size: number }[] = [];
  if (f.perSection !== 0) {
    const ranks = SECTION_RANKS.filter((rank) => sizes[rank]! > 0);
    const heads = await sliceHeads(q, f, groups, ranks, f.perSection);
    for (const rank of ranks) {
      const rows = heads.get(rank)!.sort(byUrgency);
      for (const [id] of f.perSection === null ? rows : rows.slice(0, f.perSection)) shown.push({ id, size: sizes[rank]! });
    }
  }
  // "Decided, not carried out" (domain isNotCarriedOut): walks the decided refunds only (few).
  const p = new Params();
  const where = openWhere(p, f);
  const rows = await q.rows<{ n: number }>(
    `WITH li AS (
       ${lastRefundImportSql()})
     SELECT count(*) AS n
     FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id
       JOIN refunds r ON r.refund_id = d.refund_id JOIN li ON li.platform = r.platform
     WHERE ${where.join(' AND ')}
       AND ${notCarriedOutSql('d', 'r', 'li', 'postgres')}`,
    p.values,
  );
  return { shown, counts: { ...counts, notCarriedOut: rows[0]!.n } };
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

  const dp = new Params();
  const dWhere = openWhere(dp, t);
  const rank = sectionRankSql('r', { now: dp.add(t.nowMs, 'bigint'), window: dp.add(t.dueSoonMs, 'bigint') });
  const decided = await q.rows<{ refund_id: string; section_rank: number; deadline_at: number | null }>(
      `WITH li AS (
         ${lastRefundImportSql()}),
       latest AS MATERIALIZED (
         SELECT d.refund_id, d.decided_at, d.expected_status_json
         FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id),
       ${excludedCte(dp)},
       flagged AS (
         SELECT r.refund_id, r.deadline_at, ${rank} AS section_rank, l.decided_at, li.at AS last_import,
           ${notCarriedOutSql('l', 'r', 'li', 'postgres')} AS not_carried_out
         FROM latest l JOIN refunds r ON r.refund_id = l.refund_id LEFT JOIN li ON li.platform = r.platform
         WHERE ${dWhere.join(' AND ')} AND r.refund_id NOT IN (SELECT refund_id FROM excluded))
       SELECT refund_id, section_rank, deadline_at FROM flagged
       WHERE (not_carried_out OR NOT (last_import IS NULL OR decided_at >= last_import))
         AND (not_carried_out OR ${buyer} OR section_rank >= ${SELLER_MIN_RANK})`,
      dp.values,
    );

  const count = async () => {
    const cp = new Params();
    const cWhere = openWhere(cp, t);
    const cRank = sectionRankSql('r', { now: cp.add(t.nowMs, 'bigint'), window: cp.add(t.dueSoonMs, 'bigint') });
    const ctes = `WITH ${excludedCte(cp)} `;
    const rows = await q.rows<{ n: number }>(
      `${ctes}SELECT count(*) AS n FROM refunds r WHERE ${[...cWhere, ...undecided].join(' AND ')}
         AND (${buyer} OR (${cRank}) >= ${SELLER_MIN_RANK})`,
      cp.values,
    );
    return rows[0]!.n + decided.length;
  };
  if (t.limit === 0) return { ids: [], total: await count() };

  const groups = await stateGroups(q, t);
  const head: [string, number, number | null][] = decided.map((d) => [d.refund_id, d.section_rank, d.deadline_at]);
  let undecidedRows = 0;
  for (const r of SECTION_RANKS) {
    if (r < SELLER_MIN_RANK && !t.includeBuyerSide) break;
    // Every row of a higher section comes first: once `limit` rows are in, lower ones cannot be in the head.
    if (undecidedRows >= t.limit) break;
    const heads = await sliceHeads(q, t, groups, [r], t.limit, (p) => ({ ctes: `WITH ${excludedCte(p)} `, where: undecided }));
    for (const [id, deadline] of heads.get(r)!) {
      head.push([id, r, deadline]);
      undecidedRows++;
    }
  }
  head.sort((a, b) => b[1] - a[1] || compareInSection({ refundId: a[0], due: a[2] }, { refundId: b[0], due: b[2] }));
  return { ids: head.slice(0, t.limit).map((r) => r[0]), total: await count() };
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
      const { shown, counts } = await sweepPlan(q, f);
      const sizes = new Map(shown.map((x) => [x.id, x.size]));
      const rows = await refundsWithDeadlines(q, shown.map((x) => x.id));
      return { rows: rows.map((r) => ({ ...r, sectionSize: sizes.get(r.refund.refundId)! })), counts };
    },
    sweepPlan: (f) => sweepPlan(q, f),
    triageCandidates: (t) => triageCandidates(q, t),
  };
}
