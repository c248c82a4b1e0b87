// The part of the sweep the morning summary lists (issue 18). The summary shows the overdue
// refunds, those due today, the orange ones, the decisions not carried out and the first actions;
// on a big shop those are a fraction of the open refunds. So every open refund is read lean (state,
// stored deadline, amount) and only the rows that can be listed are read whole and assessed. The
// lean pick is a superset, chosen from the stored columns the assessment itself reads
// (app/deadlines.ts fromStored: the deadline is the stored one); the summary's own filters, over
// the assessed items, still decide exactly as before.
import type { OpenRefundFacts } from '../domain/inputs.js';
import { compareUrgency } from '../domain/urgency.js';
import type { TxPorts } from './ports/index.js';
import { assessAll, countsOf, sweepRead, type SweepCounts, type SweepEnv, type SweepItem } from './sweep.js';

const PAGE = 500;

export interface SummarySweep {
  /** The open refunds the summary can list, assessed, most urgent first. */
  items: SweepItem[];
  /** The sweep's counts over every open refund (as `today --json`). */
  counts: SweepCounts;
  /** Every open refund, lean. */
  facts: OpenRefundFacts[];
  /** The refunds of the seller section not in `items` yet, assessed, most urgent first (for the first actions). */
  sellerSection(): Promise<SweepItem[]>;
}

type Reads = Pick<TxPorts, 'cases' | 'sweep'>;

/**
 * Inside the summary's 'read' unit of work (`tx`); `stored`: ensureDeadlines said the stored
 * deadlines are current (else, stale on a busy database, the whole sweep in memory, this once, as
 * sweepPages does).
 */
export async function summarySweep(tx: Reads, env: SweepEnv, endOfTodayMs: number, stored: boolean): Promise<SummarySweep> {
  if (!stored) {
    const all = await sweepRead(tx, env, {}, false);
    return {
      items: all,
      counts: countsOf(all),
      facts: all.map((i) => ({
        refundId: i.refund.refundId,
        status: i.refund.status,
        actor: i.deadline.actor,
        deadlineAt: i.deadline.at,
        amountCents: i.refund.amountCents,
        decided: i.decision !== null,
      })),
      sellerSection: async () => [],
    };
  }
  const facts = await tx.sweep.openRefundFacts();
  const { counts } = await tx.sweep.sweepPlan({ nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, perSection: 0 });
  // Overdue, due soon (the first actions' sections) or due today; orange; decided.
  const dueBy = Math.max(endOfTodayMs, env.nowMs + env.dueSoonMs);
  const listable = (f: OpenRefundFacts) =>
    (f.deadlineAt !== null && f.deadlineAt <= dueBy) || f.status === 'WAIT_SELLER_CONFIRM_GOODS' || f.decided;
  const picked = facts.filter(listable).map((f) => f.refundId);
  const items = await assess(tx, env, picked);
  const sellerSection = () => assess(tx, env, facts.filter((f) => !listable(f) && f.actor === 'seller').map((f) => f.refundId));
  return { items, counts, facts, sellerSection };
}

async function assess(tx: Reads, env: SweepEnv, ids: string[]): Promise<SweepItem[]> {
  const items: SweepItem[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    items.push(...(await assessAll(tx, env, await tx.sweep.refundsWithDeadlines(ids.slice(i, i + PAGE)), { sharing: {} })));
  }
  return items.sort((a, b) => compareUrgency(a.urgency, b.urgency));
}
