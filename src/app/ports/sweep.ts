// The morning sweep's and the triage queue's reads: open refunds with their stored deadlines,
// ranked by section (domain/sections.ts) where the store can rank in one query.
import type {
  OpenRefundFacts,
  OpenRefundFilter,
  RankedRefund,
  SectionCounts,
  SectionQuery,
  StoredDeadline,
  TriageQuery,
} from '../../domain/inputs.js';
import type { Decision, Refund } from '../../domain/types.js';

export interface RefundWithDeadline {
  refund: Refund;
  deadline: StoredDeadline;
}

export interface SweepReader {
  /**
   * Open refunds with their stored deadlines; order not promised (callers sort). `dueWithinMs`
   * with `nowMs`: only those with a deadline at or before nowMs + dueWithinMs; `waybillKeys`: only
   * those whose return waybill has one of these keys.
   */
  openRefundsWithDeadlines(
    f?: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number; waybillKeys?: string[] },
  ): Promise<RefundWithDeadline[]>;
  /** These refunds with their stored deadlines, in the order given (IDs not found are left out). */
  refundsWithDeadlines(ids: string[]): Promise<RefundWithDeadline[]>;
  /** The latest decision (highest id) of each refund that has one. */
  latestDecisions(ids: string[]): Promise<Map<string, Decision>>;
  /** Every open refund's state, stored deadline and amount, and whether it has a decision (the summary's picks). */
  openRefundFacts(): Promise<OpenRefundFacts[]>;
  /**
   * Open refunds ranked by section (domain/sections.ts order), in section order then
   * compareInSection; at most `perSection` rows each, with every section's size and the counts.
   */
  rankedSections(q: SectionQuery): Promise<{ rows: RankedRefund[]; counts: SectionCounts }>;
  /** The sweep's order without the rows: the IDs shown (all with perSection null), each with its section's size. */
  sweepPlan(q: SectionQuery): Promise<{ shown: { id: string; size: number }[]; counts: SectionCounts }>;
  /**
   * The first `limit` refunds of one agent's triage queue, in sweep order, and how many there are
   * (`total`, read in the same query). Claims of other sessions are judged live on the store's
   * clock (the port ignores `clockMs` when the backend has its own: PostgreSQL's clock_timestamp()).
   */
  triageCandidates(q: TriageQuery): Promise<{ ids: string[]; total: number }>;
}
