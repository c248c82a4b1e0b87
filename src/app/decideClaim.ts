// `decide` honours the claims triage sessions take (and takes one itself): a case another agent
// holds is refused, naming who and until when, unless --force, which is recorded as such. The
// claim is kept until it expires, so a second agent's `decide` on the same case at the same
// moment is refused too: of two simultaneous decisions exactly one lands.
import type { Store } from '../store/store.js';

export type DecideClaim =
  | { ok: true; forcedOver: { agent: string; expiresAt: number } | null }
  | { ok: false; agent: string; expiresAt: number };

/** The claim key of one agent's `decide` on one case (releasing it touches no other case). */
export function decideSession(agent: string, refundId: string): string {
  return `decide:${agent}:${refundId}`;
}

/** Takes the case's claim for `agent` in one write transaction; refuses another agent's live claim unless `force`. */
export function claimForDecide(store: Store, refundId: string, agent: string, nowMs: number, ttlMs: number, force: boolean): DecideClaim {
  const session = decideSession(agent, refundId);
  store.begin();
  try {
    let forcedOver: { agent: string; expiresAt: number } | null = null;
    if (!store.claim(refundId, agent, session, nowMs, ttlMs)) {
      const holder = store.claimHolder(refundId, nowMs)!;
      // The agent's own triage session on another terminal keeps its claim; the decision is theirs either way.
      if (holder.agent !== agent) {
        if (!force) {
          store.rollback();
          return { ok: false, agent: holder.agent, expiresAt: holder.expiresAt };
        }
        forcedOver = { agent: holder.agent, expiresAt: holder.expiresAt };
        store.takeClaim(refundId, agent, session, nowMs, ttlMs);
      }
    }
    store.commit();
    return { ok: true, forcedOver };
  } catch (e) {
    store.rollback();
    throw e;
  }
}
