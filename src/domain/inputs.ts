// The value types that cross the ports (src/app/ports): what an import writes, what the sweep
// asks and gets back. Pure types, no code: the domain, the import, the use cases and every backend
// share them. (Moved from store/store.ts and store/extrasLayout.ts, which re-export them.)
import type { Decision, Order, Platform, Refund, RefundStatus, WarehouseReceipt } from './types.js';

/**
 * One layout: `columns` the unmapped column names in file order; per column, `slots` its index in
 * a row's value array (null: constant), `constants` its value on every row (null: varies, or empty
 * everywhere). Serialized as the JSON of [columns, slots, constants]: the key the store files it by.
 */
export type ExtrasLayout = [columns: string[], slots: (number | null)[], constants: (string | null)[]];

/** What a row carries to the store: its layout's key and its own cells (JSON array, null when all empty). */
export interface EncodedExtras {
  extraLayout: string | null;
  extraValues: string | null;
}

/**
 * The export's unmapped columns of a row. The importer sends them lean (import/extras.ts):
 * `extraLayout` the file's layout key, `extraValues` the row's own cells (serialized off the
 * writer's thread). `extraJson`, a JSON object name → cell, is the same for callers without a file.
 */
export interface ExtrasInput {
  extraLayout?: string | null;
  extraValues?: string | null;
  extraJson?: string | null;
  /** Set by the normalizer, replaced by extraLayout/extraValues before the rows leave the worker. */
  extraCells?: string[] | null;
}
/** A refund as imported, before the store adds bookkeeping (first seen, status since). */
export type RefundInput = Omit<Refund, 'statusSince' | 'firstSeenAt'> & ExtrasInput;
export type OrderInput = Order & ExtrasInput & { totalCents: number | null };
export type ReceiptInput = Omit<WarehouseReceipt, 'id'> & { waybillKey: string; source: string };

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface OpenRefundFilter {
  platform?: Platform;
  statuses?: RefundStatus[];
}

/** A refund's deadline as the domain computed it at import (see app/deadlines.ts). */
export interface StoredDeadline {
  at: number | null;
  source: 'export' | 'rule' | null;
  rule: string | null;
  actor: 'seller' | 'buyer' | 'platform' | 'none';
  atTimeout: string | null;
}

export interface OpenRefundFacts {
  refundId: string;
  status: RefundStatus;
  /** As StoredDeadline.actor: the stored waiting_on, 'seller' when none is stored. */
  actor: StoredDeadline['actor'];
  deadlineAt: number | null;
  amountCents: number;
  decided: boolean;
}

export interface DeadlineRow extends StoredDeadline {
  refundId: string;
}

/** The morning sweep's question to the store: rank open refunds by section in SQL. */
export interface SectionQuery extends OpenRefundFilter {
  nowMs: number;
  dueSoonMs: number;
  /** Rows per section; null for all. */
  perSection: number | null;
  dueWithinMs?: number | null;
}

export interface SectionCounts {
  open: number;
  overdue: number;
  dueSoon: number;
  orange: number;
  sellerMustAct: number;
  waitingOnBuyer: number;
  notCarriedOut: number;
}

/** The triage queue's question: open refunds that need the seller now, for one agent's session. */
export interface TriageQuery extends OpenRefundFilter {
  nowMs: number;
  /** The same instant as ISO text (snoozes are stored as ISO). */
  nowIso: string;
  dueSoonMs: number;
  agent: string;
  session: string;
  /** Claims expire on this clock (real time since --now). */
  clockMs: number;
  includeBuyerSide: boolean;
  exclude: string[];
  limit: number;
}

export interface RankedRefund {
  refund: Refund;
  deadline: StoredDeadline;
  /** Rows in this refund's section (before the per-section cut). */
  sectionSize: number;
}

export type NewDecision = Omit<Decision, 'id'> & { statusAtDecision: RefundStatus | null };

export interface ImportLogEntry {
  file: string;
  kind: string;
  encoding: string;
  bytes: number | null;
  importedAt: string;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}
