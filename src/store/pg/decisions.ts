// The decision log on PostgreSQL. `record` is one READ COMMITTED transaction (or the caller's unit of
// work): the refund's row is locked FOR UPDATE first, so two agents deciding one case at the same
// moment queue there; the second then sees the first's decision (each statement reads what was
// committed before it) and is told who decided, with nothing of theirs written.
import type { DecideOutcome, DecisionGuard, DecisionLog } from '../../app/ports/index.js';
import type { NewDecision } from '../../domain/inputs.js';
import type { Decision } from '../../domain/types.js';
import { decisionFromRow, type Row } from '../common/rows.js';
import { pgTriageLocks } from './locks.js';
import type { PgQuery } from './query.js';

const INSERT = `
  INSERT INTO decisions (refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision,
    expected_status_json, checklist_json, buyer_message, source, flags_json)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`;

function insertParams(d: NewDecision): unknown[] {
  return [
    d.refundId, d.action, d.amountCents, d.note, JSON.stringify(d.evidence), d.agent, d.decidedAt, d.statusAtDecision,
    d.expectedStatus ? JSON.stringify(d.expectedStatus) : null, JSON.stringify(d.checklist), d.buyerMessage, d.source,
    d.flags?.length ? JSON.stringify(d.flags) : null,
  ];
}

export function pgDecisionLog(q: PgQuery): DecisionLog {
  const locks = pgTriageLocks(q);
  const insert = async (d: NewDecision): Promise<Decision> => decisionFromRow((await q.one<Row>(INSERT, insertParams(d)))!);

  const record = (d: NewDecision, guard: DecisionGuard): Promise<DecideOutcome> =>
    q.atomic(async (): Promise<DecideOutcome> => {
      await q.run('SELECT 1 FROM refunds WHERE refund_id = $1 FOR UPDATE', [d.refundId]);
      const latest = await q.one<{ id: number; agent: string; decided_at: string }>(
        'SELECT id, agent, decided_at FROM decisions WHERE refund_id = $1 ORDER BY id DESC LIMIT 1',
        [d.refundId],
      );
      if (guard.seenLastId !== undefined && latest && latest.id !== guard.seenLastId) {
        return { ok: false, reason: 'decided', agent: latest.agent, decidedAt: latest.decided_at };
      }
      let forcedOver: { agent: string; expiresAt: number } | null = null;
      if (!(await locks.claim(d.refundId, d.agent, guard.session, guard.ttlMs))) {
        const holder = await locks.holder(d.refundId);
        // The agent's own other session (triage on another terminal) keeps its claim; the decision is
        // theirs either way. A claim that expired between the two reads (server clock) is simply taken.
        if (holder === null) await locks.take(d.refundId, d.agent, guard.session, guard.ttlMs);
        else if (holder.agent !== d.agent) {
          if (!guard.force) return { ok: false, reason: 'claimed', agent: holder.agent, expiresAt: holder.expiresAt };
          forcedOver = { agent: holder.agent, expiresAt: holder.expiresAt };
          await locks.take(d.refundId, d.agent, guard.session, guard.ttlMs);
        }
      }
      return { ok: true, decision: await insert(d), forcedOver };
    }, 'decisions.record');

  return {
    record,
    insert,
    async since(sinceIso, untilIso = null) {
      const rows = await q.rows<Row>(
        `SELECT * FROM decisions WHERE ($1::timestamptz IS NULL OR decided_at >= $1::timestamptz)
           AND ($2::timestamptz IS NULL OR decided_at < $2::timestamptz) ORDER BY decided_at, id`,
        [sinceIso, untilIso ?? null],
      );
      return rows.map((r) => ({ ...decisionFromRow(r), statusAtDecision: (r.status_at_decision as string | null) ?? null }));
    },
  };
}
