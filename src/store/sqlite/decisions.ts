// The decision log (DecisionLog): append-only; `record` checks the claim and the latest decision
// and inserts, atomically under the write lock.
import type { DecideOutcome, DecisionGuard } from '../../app/ports/decisions.js';
import type { NewDecision } from '../../domain/inputs.js';
import type { Decision } from '../../domain/types.js';
import type { Connection } from './connection.js';
import type { Row } from '../common/rows.js';
import { decisions as decisionsOf } from './cases.js';
import { claim, holder, take } from './locks.js';
import { decisionFromRow } from '../common/rows.js';

/** Inserts a decision without any check. */
export function insertDecision(c: Connection, d: NewDecision): Decision {
  const info = c
    .st(
      `INSERT INTO decisions (refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision,
        expected_status_json, checklist_json, buyer_message, source, flags_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    )
    .run(
      d.refundId, d.action, d.amountCents, d.note, JSON.stringify(d.evidence), d.agent, d.decidedAt, d.statusAtDecision,
      d.expectedStatus ? JSON.stringify(d.expectedStatus) : null, JSON.stringify(d.checklist), d.buyerMessage, d.source,
      d.flags?.length ? JSON.stringify(d.flags) : null,
    );
  return decisionFromRow(c.st('SELECT * FROM decisions WHERE id = ?').get(info.lastInsertRowid) as Row);
}

/**
 * The guarded decision; the caller runs it inside BEGIN IMMEDIATE (its own write transaction or
 * the caller's unit of work), which holds the write lock: nobody records on the case between
 * these checks and the insert.
 */
export function recordDecision(c: Connection, d: NewDecision, guard: DecisionGuard): DecideOutcome {
  const now = c.clock.now();
  const latest = decisionsOf(c, d.refundId).at(-1) ?? null;
  if (guard.seenLastId !== undefined && latest && latest.id !== guard.seenLastId) {
    return { ok: false, reason: 'decided', agent: latest.agent, decidedAt: latest.decidedAt };
  }
  let forcedOver: { agent: string; expiresAt: number } | null = null;
  if (!claim(c, d.refundId, d.agent, guard.session, guard.ttlMs, now)) {
    const h = holder(c, d.refundId, now)!;
    // The agent's own other session (triage on another terminal) keeps its claim; the decision is theirs either way.
    if (h.agent !== d.agent) {
      if (!guard.force) return { ok: false, reason: 'claimed', agent: h.agent, expiresAt: h.expiresAt };
      forcedOver = { agent: h.agent, expiresAt: h.expiresAt };
      take(c, d.refundId, d.agent, guard.session, guard.ttlMs, now);
    }
  }
  return { ok: true, decision: insertDecision(c, d), forcedOver };
}

/**
 * Decisions in [since, until) (null: unbounded), compared as instants (julianday: times written
 * with any offset compare correctly), oldest first, each with the platform status at decision.
 */
export function decisionsSince(c: Connection, sinceIso: string | null, untilIso: string | null = null): (Decision & { statusAtDecision: string | null })[] {
  const rows = c
    .st(
      `SELECT * FROM decisions WHERE (:since IS NULL OR julianday(decided_at) >= julianday(:since))
         AND (:until IS NULL OR julianday(decided_at) < julianday(:until)) ORDER BY julianday(decided_at), id`,
    )
    .all({ since: sinceIso, until: untilIso }) as Row[];
  return rows.map((r) => ({ ...decisionFromRow(r), statusAtDecision: (r.status_at_decision as string | null) ?? null }));
}
