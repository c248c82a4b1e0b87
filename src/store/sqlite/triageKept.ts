// What the triage queue (sweep.ts triageCandidates) keeps per connection between cards, so that a
// card costs what changed since the last one, not a pass over every open refund or every decision
// ever recorded (issue 18: 100,000 open refunds; a shop's two years of decisions, 247,000 of them
// on a 1M history took 2 s a card):
// - the open refunds' (status, waiting_on) totals (openStateGroups);
// - the decided open refunds, each with its latest decision's flags (decidedOpen).
//
// When they are right. The totals depend only on the open refunds' status, waiting_on and
// deadline_at (and on now, the window and the platform filter, in the key). Those columns are
// written only by an import (whose unit of work also adds its line to `imports`) and by
// ensureDeadlines (inside an import, or from a reader: filling rows that lack a deadline, or all
// of them again when the rules' fingerprint in `meta` changed). So they are reused only while the
// latest import, the fingerprint and "no open refund lacks a deadline" are what they were when
// counted. Claims, snoozes and decisions (of this session or others) do not touch them.
// The decided open refunds depend on the same, plus the decisions: decisions are only ever added
// (AUTOINCREMENT ids, never deleted), so the refunds of decisions with a larger id than the last
// one seen are read again, and only they. The token is read before what it guards: a write in
// between makes the next card read again. Inside a unit of work (uncommitted, may roll back)
// nothing is kept.
import type { StateGroup } from '../../domain/sections.js';
import { lastRefundImportSql, notCarriedOutSql } from '../common/sql.js';
import type { Connection } from './connection.js';

/** A decided open refund as the queue judges it (sweep.ts): its section and its latest decision's standing. */
export interface DecidedOpen {
  refundId: string;
  sectionRank: number;
  deadlineAt: number | null;
  /** The latest decision expected another state, and a refund export came after it. */
  notCarriedOut: boolean;
  /** The latest decision is older than the platform's latest refund import (or none was imported): not done for now. */
  dueAgain: boolean;
}

interface Token {
  importId: number | null;
  basis: string | null;
  lacking: number;
  decisionId: number | null;
}

/** What the kept state is valid for; null: keep nothing. */
function readToken(c: Connection): Token | null {
  if (c.inUnit) return null;
  const t = c
    .st(
      `SELECT (SELECT max(id) FROM imports) AS importId, (SELECT value FROM meta WHERE key = 'deadlines.basis') AS basis,
         EXISTS (SELECT 1 FROM refunds INDEXED BY refunds_needing_deadline WHERE status NOT IN ('CLOSED', 'SUCCESS') AND waiting_on IS NULL) AS lacking,
         (SELECT max(id) FROM decisions) AS decisionId`,
    )
    .get() as Token;
  return t.lacking === 0 ? t : null;
}

interface Kept {
  key: string;
  groups: StateGroup[] | null;
  decided: { upTo: number | null; rows: Map<string, DecidedOpen> } | null;
}

const kept = new WeakMap<Connection, Kept>();

/** The queue's reads at one instant: where the kept state is looked up. */
export interface QueueScope {
  where: string[];
  params: unknown[];
  nowMs: number;
  windowMs: number;
  /** SQL of a refund's section rank (sweep.ts SECTION_RANK; :now and :window). */
  sectionRank: string;
}

/** The kept state for this scope and this token, started afresh when either changed. */
function keptFor(c: Connection, s: QueueScope): { token: Token | null; k: Kept } {
  const token = readToken(c);
  if (!token) {
    kept.delete(c);
    return { token, k: { key: '', groups: null, decided: null } };
  }
  const key = JSON.stringify([token.importId, token.basis, s.params, s.nowMs, s.windowMs, s.where]);
  let k = kept.get(c);
  if (k?.key !== key) {
    k = { key, groups: null, decided: null };
    kept.set(c, k);
  }
  return { token, k };
}

/** The open refunds' (status, waiting_on) totals: one grouped pass over refunds_open_rank, or the kept ones. */
export function openStateGroups(c: Connection, s: QueueScope): StateGroup[] {
  const { k } = keptFor(c, s);
  k.groups ??= c.st(
    `SELECT r.status, r.waiting_on, count(*) AS n, total(r.deadline_at <= :now) AS overdue, total(r.deadline_at <= :now + :window) AS due
     FROM refunds r WHERE ${s.where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
  ).all(...s.params, { now: s.nowMs, window: s.windowMs }) as StateGroup[];
  return k.groups;
}

/**
 * Every open refund (of the scope; `openCount` of them) with at least one decision, flagged by its
 * latest decision. Afresh: one pass over the open refunds (a seek in decisions_refund each), or over
 * the decisions while they are fewer. Kept: only the refunds of decisions recorded since.
 */
export function decidedOpen(c: Connection, s: QueueScope, openCount: number): DecidedOpen[] {
  const { token, k } = keptFor(c, s);
  const upTo = token?.decisionId ?? null;
  if (k.decided && k.decided.upTo === upTo) return [...k.decided.rows.values()];
  let rows: Map<string, DecidedOpen>;
  if (k.decided) {
    rows = k.decided.rows;
    const since = k.decided.upTo ?? 0;
    // A range of the rowid (no DISTINCT: SQLite would walk decisions_refund whole for it).
    const ids = [...new Set(c.st('SELECT refund_id FROM decisions WHERE id > ? ORDER BY id').pluck().all(since) as string[])];
    for (const id of ids) rows.delete(id);
    for (const row of flag(c, s, ids)) rows.set(row.refundId, row);
  } else {
    // The smaller side (fewerDecisionsThan): the decisions of a new shop, else the open refunds.
    const ids = c
      .st(
        fewerDecisionsThan(c, openCount)
          ? `SELECT DISTINCT r.refund_id FROM decisions d JOIN refunds r ON r.refund_id = d.refund_id WHERE ${s.where.join(' AND ')}`
          : `SELECT r.refund_id FROM refunds r WHERE ${s.where.join(' AND ')} AND EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id)`,
      )
      .pluck()
      .all(...s.params) as string[];
    rows = new Map(flag(c, s, ids).map((row) => [row.refundId, row]));
  }
  if (token) k.decided = { upTo, rows };
  return [...rows.values()];
}

/** These refunds, if open in the scope and decided, with their latest decision's flags. */
function flag(c: Connection, s: QueueScope, ids: string[]): DecidedOpen[] {
  if (ids.length === 0) return [];
  const rows = c
    .st(
      `WITH li AS (
         ${lastRefundImportSql()}),
       latest AS MATERIALIZED (
         SELECT d.refund_id, d.decided_at, d.expected_status_json
         FROM json_each(:ids) j JOIN decisions d ON d.id = (SELECT max(x.id) FROM decisions x WHERE x.refund_id = j.value))
       SELECT r.refund_id, ${s.sectionRank} AS section_rank, r.deadline_at,
         ${notCarriedOutSql('l', 'r', 'li')} AS not_carried_out,
         NOT (li.at IS NULL OR l.decided_at >= li.at) AS due_again
       FROM latest l JOIN refunds r ON r.refund_id = l.refund_id LEFT JOIN li ON li.platform = r.platform
       WHERE ${s.where.join(' AND ')}`,
    )
    .raw(true)
    .all(...s.params, { ids: JSON.stringify(ids), now: s.nowMs, window: s.windowMs }) as [string, number, number | null, number | null, number | null][];
  return rows.map(([refundId, sectionRank, deadlineAt, nco, dueAgain]) => ({ refundId, sectionRank, deadlineAt, notCarriedOut: nco === 1, dueAgain: dueAgain === 1 }));
}

/**
 * Fewer decisions were ever recorded than `n`: decisions are only added, with AUTOINCREMENT ids, so
 * the largest id bounds their number without counting them.
 */
export function fewerDecisionsThan(c: Connection, n: number): boolean {
  return ((c.st('SELECT max(id) AS m FROM decisions').get() as { m: number | null }).m ?? 0) < n;
}
