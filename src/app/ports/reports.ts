// Set-wise figures of `summary`, `stats`, `stats --by` and the buyer history: one method per query,
// each with its own row type (snake_case: the column names of the README's SQL copies). The
// conventions of every query (half-open windows compared as instants, finish/application times)
// are in store/reports.ts; a second backend must return the same rows for the same data.
import type { Platform, RefundStatus, RefundType, WarehouseReceipt } from '../../domain/types.js';

// ── rows of store/reports.ts

export interface Window {
  /** ISO 8601 instant, inclusive. */
  since: string;
  /** ISO 8601 instant, exclusive. */
  until: string;
}

export interface FinishedRow {
  finished: number;
  success: number;
  closed: number;
  /** Finished after the export's deadline had passed (the platform decided by timeout). */
  timeouts: number;
  /** Finished with 客服介入 at some point (dispute_state not 'none'). */
  disputed: number;
  /** Timed out or disputed: finished by the platform rather than by the seller. */
  by_platform: number;
  /** Finished refunds with an application time (the base of mean_hours). */
  timed: number;
  /** Mean hours from application to finish, one decimal; null when none is timed. */
  mean_hours: number | null;
}

export interface AppliedRow {
  applied: number;
  amount_cents: number;
  /** Applied in the window and 客服介入 at some point (requested, in progress or finished). */
  disputes: number;
}

export interface PlatformMoneyRow {
  platform: string;
  n: number;
  cents: number;
}

export interface CountRow {
  key: string;
  refunds: number;
  amount_cents: number;
}

export interface DayRow {
  day: string;
  applied: number;
  finished: number;
}

export interface AgentActionRow {
  agent: string;
  action: string;
  decisions: number;
}

// ── rows of store/statsBy.ts

export type GroupKey = 'product' | 'reason' | 'platform';

export interface GroupReasonRow {
  key: string;
  reason: string;
  refunds: number;
  amount_cents: number;
}

export interface AgentDecisionRow {
  agent: string;
  refund_id: string;
  decided_at: string;
  applied_at: string | null;
  amount_cents: number | null;
  /** The decision expects a platform state (expected_status_json not empty). */
  expecting: number;
  /** A refund export of the refund's platform was imported after the decision. */
  checked: number;
  /** A later import showed the refund in an expected state (its status history). */
  carried_out: number;
}

// ── rows of store/buyerHistory.ts

export interface BuyerIdentityRow {
  buyer: string | null;
  platform: Platform;
  /** The order's 确认收货时间 / 签收时间 as exported (shop time), if the order export has one. */
  received_text: string | null;
}

export interface BuyerCaseRow {
  refund_id: string;
  order_id: string;
  status: RefundStatus;
  applied_at: string | null;
  amount_cents: number;
  refund_type: RefundType | null;
  reason: string | null;
  refund_only_after_delivery: number;
  disputed: number;
  return_condition: WarehouseReceipt['condition'] | null;
  return_received_at: string | null;
}

export interface BuyerWindow {
  platform: Platform;
  buyer: string | null;
  /** ISO instants: applied in [since, until]. */
  since: string;
  until: string;
  /** This refund, always included. */
  refundId: string;
}

export interface ReportReader {
  /** Refunds finished in the window (one row of totals). */
  finishedInWindow(w: Window): Promise<FinishedRow>;
  /** Refunds applied in the window (one row of totals). */
  appliedInWindow(w: Window): Promise<AppliedRow>;
  /** Orders paid in the window, per platform, by platform. */
  paidByPlatform(w: Window): Promise<PlatformMoneyRow[]>;
  /** Refunds finished as SUCCESS in the window, per platform, by platform. */
  refundedByPlatform(w: Window): Promise<PlatformMoneyRow[]>;
  /** Platforms with any order imported (whatever the window), sorted. */
  orderPlatforms(): Promise<string[]>;
  /** Refunds applied in the window by reason (empty as ''), most refunds first, then amount, then key. */
  reasonsInWindow(w: Window): Promise<CountRow[]>;
  /** Refunds applied in the window by product (title, else SKU, else ''), at most `limit`, ordered as reasonsInWindow. */
  productsInWindow(w: Window, limit: number): Promise<CountRow[]>;
  /** Refunds applied and finished per shop-local day of the window (days without any absent), by day. */
  perDayInWindow(w: Window): Promise<DayRow[]>;
  /** Decisions recorded in the window, per agent and action, by agent then action. */
  decisionsByAgent(w: Window): Promise<AgentActionRow[]>;
  /** The shop names the order exports carry, most orders first, then name. */
  shopNames(): Promise<string[]>;
  /** Refunds applied in the window per (key, reason), by key then reason. */
  refundsByKeyAndReason(w: Window, by: GroupKey): Promise<GroupReasonRow[]>;
  /** Decisions recorded in the window, oldest first (decided_at as an instant, then id), with their refunds' facts. */
  decisionsInWindow(w: Window): Promise<AgentDecisionRow[]>;
}
