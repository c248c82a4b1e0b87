// Claims and snoozes of the triage desk (TriageLocks). Expiry is judged on the connection's clock
// (the store's clock, injected at open), never the caller's; `now` is for the old Store's callers
// (store/store.ts), which pass their own.
import type { ClaimHolder } from '../../app/ports/locks.js';
import type { Connection } from './connection.js';

/** Takes the claim if free, expired, or already this session's (atomic); whether it did. */
export function claim(c: Connection, refundId: string, agent: string, session: string, ttlMs: number, now = c.clock.now()): boolean {
  const info = c
    .st(
      `INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?,?,?,?)
       ON CONFLICT(refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at
       WHERE claims.session = excluded.session OR claims.expires_at <= ?`,
    )
    .run(refundId, agent, session, now + ttlMs, now);
  return info.changes > 0;
}

export function claimFirst(c: Connection, ids: readonly string[], agent: string, session: string, ttlMs: number): string | null {
  for (const id of ids) if (claim(c, id, agent, session, ttlMs)) return id;
  return null;
}

export function release(c: Connection, session: string): void {
  c.st('DELETE FROM claims WHERE session = ?').run(session);
}

export function holder(c: Connection, refundId: string, now = c.clock.now()): ClaimHolder | null {
  const r = c.st('SELECT agent, session, expires_at FROM claims WHERE refund_id = ? AND expires_at > ?').get(refundId, now) as
    | { agent: string; session: string; expires_at: number }
    | undefined;
  return r ? { agent: r.agent, session: r.session, expiresAt: r.expires_at } : null;
}

export function take(c: Connection, refundId: string, agent: string, session: string, ttlMs: number, now = c.clock.now()): void {
  c.st(
    `INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?,?,?,?)
     ON CONFLICT(refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at`,
  ).run(refundId, agent, session, now + ttlMs);
}

export function claimedByOthers(c: Connection, session: string, now = c.clock.now()): Set<string> {
  return new Set(c.st('SELECT refund_id FROM claims WHERE session <> ? AND expires_at > ?').pluck().all(session, now) as string[]);
}

export function snooze(c: Connection, refundId: string, agent: string, untilIso: string): void {
  c.st('INSERT INTO snoozes (refund_id, agent, until) VALUES (?,?,?) ON CONFLICT(refund_id, agent) DO UPDATE SET until = excluded.until').run(
    refundId,
    agent,
    untilIso,
  );
}

export function snoozedUntil(c: Connection, agent: string): Map<string, string> {
  const rows = c.st('SELECT refund_id, until FROM snoozes WHERE agent = ?').all(agent) as { refund_id: string; until: string }[];
  return new Map(rows.map((r) => [r.refund_id, r.until]));
}
