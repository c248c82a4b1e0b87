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
  /**
   * The refunds due soon, waiting on the shop, not in `items` (their deadline is past today's
   * end), assessed, most urgent first: they rank after every due-soon one in `items` and before
   * the orange ones, so the first actions need them only when `items` holds too few above them.
   */
  laterDueSoon(): Promise<SweepItem[]>;
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
      laterDueSoon: async () => [],
      sellerSection: async () => [],
    };
  }
  const facts = await tx.sweep.openRefundFacts();
  const { counts } = await tx.sweep.sweepPlan({ nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, perSection: 0 });
  // What the lists show: overdue or due today and waiting on the shop (the overdue and due-today
  // lists, and the first actions' best); orange; decided. The platform's wait on the buyer (or on
  // no one) is never listed but as orange or decided: urgency.ts puts it in neither overdue nor
  // due soon, and alarms() leaves it out of due today and the first actions.
  const shop = (f: OpenRefundFacts) => f.actor === 'seller' || f.actor === 'platform';
  const listable = (f: OpenRefundFacts) =>
    (shop(f) && f.deadlineAt !== null && f.deadlineAt < endOfTodayMs) || f.status === 'WAIT_SELLER_CONFIRM_GOODS' || f.decided;
  const dueSoonBy = env.nowMs + env.dueSoonMs;
  const later = (f: OpenRefundFacts) => !listable(f) && shop(f) && f.deadlineAt !== null && f.deadlineAt <= dueSoonBy;
  // In ID order: each page then reads a run of the refund-ID index, not 500 places all over it
  // (the facts come in deadline order; the items are sorted by urgency at the end anyway).
  const idsOf = (keep: (f: OpenRefundFacts) => boolean) => facts.filter(keep).map((f) => f.refundId).sort();
  const items = await assess(tx, env, idsOf(listable));
  const laterDueSoon = () => assess(tx, env, idsOf(later));
  const sellerSection = () => assess(tx, env, idsOf((f) => !listable(f) && !later(f) && f.actor === 'seller'));
  return { items, counts, facts, laterDueSoon, sellerSection };
}

async function assess(tx: Reads, env: SweepEnv, ids: string[]): Promise<SweepItem[]> {
  const items: SweepItem[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    items.push(...(await assessAll(tx, env, await tx.sweep.refundsWithDeadlines(ids.slice(i, i + PAGE)), { sharing: {} })));
  }
  return items.sort((a, b) => compareUrgency(a.urgency, b.urgency));
}
