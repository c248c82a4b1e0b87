// Claims and snoozes on PostgreSQL. A claim's expiry is on the SERVER's clock (clock_timestamp(), in
// epoch ms), never a client's: agents on machines whose clocks disagree still agree on what is live.
// Every statement is atomic on its own; outside a unit of work each runs in autocommit.
import type { ClaimHolder, TriageLocks } from '../../app/ports/index.js';
import type { PgQuery } from './query.js';

/** Now on the server's clock, in epoch ms (a CTE: one reading per statement). */
export const SERVER_NOW = 'SELECT refunds_epoch_ms(clock_timestamp()) AS ms';

/**
 * Takes or renews the claim when it is free, expired or this session's: the conflicting row is
 * updated only then. $1 refund, $2 agent, $3 session, $4 ttl ms.
 */
const CLAIM = `
  WITH now AS (${SERVER_NOW})
  INSERT INTO claims AS k (refund_id, agent, session, expires_at)
  SELECT $1, $2, $3, now.ms + $4::bigint FROM now
  ON CONFLICT (refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at
    WHERE k.session = excluded.session OR k.expires_at <= excluded.expires_at - $4::bigint`;

/**
 * The first candidate (in the order given) that no other session holds live, its refund row locked
 * FOR UPDATE SKIP LOCKED so that two agents asking at once each get another case, then claimed.
 * `cand` says whether a candidate was found, `got` whether the claim went in (a claim committed by
 * another agent after this statement's snapshot makes `got` null: try again).
 */
const CLAIM_FIRST = `
  WITH now AS (${SERVER_NOW}),
  cand AS (
    SELECT r.refund_id FROM unnest($1::text[]) WITH ORDINALITY AS c(id, ord)
      JOIN refunds r ON r.refund_id = c.id
      LEFT JOIN claims k ON k.refund_id = r.refund_id
    WHERE k.refund_id IS NULL OR k.session = $3 OR k.expires_at <= (SELECT ms FROM now)
    ORDER BY c.ord LIMIT 1
    FOR UPDATE OF r SKIP LOCKED),
  ins AS (
    INSERT INTO claims AS k (refund_id, agent, session, expires_at)
    SELECT cand.refund_id, $2, $3, now.ms + $4::bigint FROM cand, now
    ON CONFLICT (refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at
      WHERE k.session = excluded.session OR k.expires_at <= excluded.expires_at - $4::bigint
    RETURNING k.refund_id)
  SELECT (SELECT refund_id FROM cand) AS cand, (SELECT refund_id FROM ins) AS got`;

export function pgTriageLocks(q: PgQuery): TriageLocks {
  const claim = async (refundId: string, agent: string, session: string, ttlMs: number): Promise<boolean> =>
    (await q.run(CLAIM, [refundId, agent, session, ttlMs])) > 0;

  return {
    claim,

    async claimFirst(ids, agent, session, ttlMs) {
      if (ids.length === 0) return null;
      const list = [...ids];
      // Each lost race means another agent committed a claim on the candidate meanwhile: the next
      // statement's snapshot sees it, so this ends within ids.length rounds.
      for (let round = 0; round <= list.length; round++) {
        const r = (await q.one<{ cand: string | null; got: string | null }>(CLAIM_FIRST, [list, agent, session, ttlMs]))!;
        if (r.got !== null) return r.got;
        if (r.cand === null) break;
      }
      // Nothing free without waiting: the refund rows may be locked by a running import or by a
      // decision, not by claims. The claim itself needs no refund row: try each case's claim in turn.
      for (const id of list) if (await claim(id, agent, session, ttlMs)) return id;
      return null;
    },

    async holder(refundId) {
      const r = await q.one<{ agent: string; session: string; expires_at: number }>(
        `WITH now AS (${SERVER_NOW}) SELECT agent, session, expires_at FROM claims, now WHERE refund_id = $1 AND expires_at > now.ms`,
        [refundId],
      );
      return r ? ({ agent: r.agent, session: r.session, expiresAt: r.expires_at } satisfies ClaimHolder) : null;
    },

    async take(refundId, agent, session, ttlMs) {
      await q.run(
        `WITH now AS (${SERVER_NOW})
         INSERT INTO claims (refund_id, agent, session, expires_at) SELECT $1, $2, $3, now.ms + $4::bigint FROM now
         ON CONFLICT (refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at`,
        [refundId, agent, session, ttlMs],
      );
    },

    async release(session) {
      await q.run('DELETE FROM claims WHERE session = $1', [session]);
    },

    async claimedByOthers(session) {
      const rows = await q.rows<{ refund_id: string }>(
        `WITH now AS (${SERVER_NOW}) SELECT refund_id FROM claims, now WHERE session <> $1 AND expires_at > now.ms`,
        [session],
      );
      return new Set(rows.map((r) => r.refund_id));
    },

    async snooze(refundId, agent, untilIso) {
      await q.run(
        'INSERT INTO snoozes (refund_id, agent, until) VALUES ($1, $2, $3) ON CONFLICT (refund_id, agent) DO UPDATE SET until = excluded.until',
        [refundId, agent, untilIso],
      );
    },

    async snoozedUntil(agent) {
      const rows = await q.rows<{ refund_id: string; until: string }>('SELECT refund_id, until FROM snoozes WHERE agent = $1', [agent]);
      return new Map(rows.map((r) => [r.refund_id, r.until]));
    },
  };
}
