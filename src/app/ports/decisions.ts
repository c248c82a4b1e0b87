// The decision log: append-only, one row per decision, ids increasing.
import type { NewDecision } from '../../domain/inputs.js';
import type { Decision } from '../../domain/types.js';

/** Why a decision was, or was not, recorded. */
export type DecideOutcome =
  | { ok: true; decision: Decision; forcedOver: { agent: string; expiresAt: number } | null }
  /** Another agent holds a live claim on the case (and `force` was not given). */
  | { ok: false; reason: 'claimed'; agent: string; expiresAt: number }
  /** A decision was recorded on the case after the one the agent saw (`seenLastId`). */
  | { ok: false; reason: 'decided'; agent: string; decidedAt: string };

export interface DecisionGuard {
  /** The claim key the decision is made under (a triage session, or decideSession(agent, id)). */
  session: string;
  /**
   * The id of the latest decision the agent saw on the case (null: none). When given, the
   * decision is refused with 'decided' if the latest decision is now another one. Undefined: not
   * checked (`refunds decide` shows no card).
   */
  seenLastId?: number | null;
  /** Take the claim from another agent (`decide --force`); recorded as source 'decide-forced' by the caller. */
  force: boolean;
  /** How long the claim taken (or renewed) lasts, on the store's clock. */
  ttlMs: number;
}

export interface DecisionLog {
  /**
   * Atomic, in one write transaction (its own, or the caller's unit of work): locks the case,
   * checks `guard.seenLastId` against the latest decision, takes or renews the claim for
   * `d.agent`/`guard.session` (a live claim of another agent refuses unless `force`; the same
   * agent's other session does not), then inserts. Nothing is written when it refuses. The claim
   * is kept (until it expires), so a second simultaneous decision on the case is refused.
   */
  record(d: NewDecision, guard: DecisionGuard): Promise<DecideOutcome>;
  /** Inserts a decision without any check (for callers that already hold the claim in this unit of work). */
  insert(d: NewDecision): Promise<Decision>;
  /**
   * Decisions recorded in [sinceIso, untilIso) (null: unbounded), compared as instants, oldest
   * first (decided_at, then id), each with the platform status recorded when it was decided.
   */
  since(sinceIso: string | null, untilIso?: string | null): Promise<(Decision & { statusAtDecision: string | null })[]>;
}
