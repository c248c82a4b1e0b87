// Claims and snoozes of the triage desk. A claim keeps two agents off one case; it expires
// `ttlMs` after it was taken or last renewed. Expiry is judged on the STORE's clock, never the
// caller's: the SQLite adapter uses the Clock it was opened with, PostgreSQL its clock_timestamp(),
// so that every process sharing a store agrees on what is live. `expiresAt` values are epoch ms on
// that clock.
export interface ClaimHolder {
  agent: string;
  session: string;
  expiresAt: number;
}

export interface TriageLocks {
  /**
   * Takes or renews the case's claim for this session; false (nothing changed) when another
   * session holds a live claim. Atomic.
   */
  claim(refundId: string, agent: string, session: string, ttlMs: number): Promise<boolean>;
  /**
   * Claims the first of `ids` (in the order given) that no other session holds live; its id, or
   * null when all are held. Atomic per case (PostgreSQL: SKIP LOCKED).
   */
  claimFirst(ids: readonly string[], agent: string, session: string, ttlMs: number): Promise<string | null>;
  /** Who holds a live claim on the case, if anyone. */
  holder(refundId: string): Promise<ClaimHolder | null>;
  /** Takes the claim whoever holds it (`decide --force`). */
  take(refundId: string, agent: string, session: string, ttlMs: number): Promise<void>;
  /** Drops every claim of this session. */
  release(session: string): Promise<void>;
  /** The cases claimed live by any other session. */
  claimedByOthers(session: string): Promise<Set<string>>;
  /** Hides the case from this agent's queue until `untilIso` (replacing an earlier snooze). */
  snooze(refundId: string, agent: string, untilIso: string): Promise<void>;
  /** This agent's snoozes (refund ID → until, ISO as stored), past ones included; the caller compares. */
  snoozedUntil(agent: string): Promise<Map<string, string>>;
}
