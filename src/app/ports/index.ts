// The ports: everything the use cases (src/app) may ask of storage. A backend (src/store/sqlite,
// src/store/pg) implements `Ports`; the cli opens one
// and hands it to the app. Every method is async, and a use case awaits once per call (batches,
// never one call per row). Methods called outside `unitOfWork` run each in its own transaction
// (reads: one statement's snapshot; writes: autocommit); inside, on the unit of work's `tx`.
import type { Admin } from './admin.js';
import type { CaseReader } from './cases.js';
import type { Deadlines } from './deadlines.js';
import type { DecisionLog } from './decisions.js';
import type { ImportWriter } from './imports.js';
import type { TriageLocks } from './locks.js';
import type { Meta } from './meta.js';
import type { ReportReader } from './reports.js';
import type { SweepReader } from './sweep.js';

export type { Admin, TableName, TableRow } from './admin.js';
export { TABLE_NAMES } from './admin.js';
export type { CaseReader } from './cases.js';
export type { Deadlines } from './deadlines.js';
export type { DecideOutcome, DecisionGuard, DecisionLog } from './decisions.js';
export type { ImportWriter } from './imports.js';
export type { ClaimHolder, TriageLocks } from './locks.js';
export type { Meta } from './meta.js';
export type {
  AgentActionRow,
  AgentDecisionRow,
  AppliedRow,
  BuyerCaseRow,
  BuyerIdentityRow,
  BuyerWindow,
  CountRow,
  DayRow,
  FinishedRow,
  GroupKey,
  GroupReasonRow,
  PlatformMoneyRow,
  ReportReader,
  Window,
} from './reports.js';
export type { RefundWithDeadline, SweepReader } from './sweep.js';
export { StoreBusy, StoreError, isStoreBusy, type StoreErrorKind } from './errors.js';

/** The ports usable inside a unit of work (and, each call on its own, outside one). */
export interface TxPorts {
  cases: CaseReader;
  sweep: SweepReader;
  deadlines: Deadlines;
  imports: ImportWriter;
  decisions: DecisionLog;
  locks: TriageLocks;
  reports: ReportReader;
  meta: Meta;
}

export interface UnitOfWorkOptions {
  /**
   * 'write' (default): one write transaction, committed when `fn` resolves, rolled back when it
   * throws (the error is rethrown). 'load': the same for an import (the SQLite backend may take its
   * first-load path on an empty database; only `imports` writes are expected). 'read': a consistent
   * snapshot: every read inside sees the store as it was at the first one, whatever commits
   * meanwhile; writes inside are an error.
   */
  mode?: 'write' | 'load' | 'read';
  /**
   * 'block' (default): wait for the write lock (SQLite: busy_timeout) and throw StoreBusy only when
   * the wait runs out. 'none': throw StoreBusy at once, nothing done, when another process writes
   * (housekeeping a reader can do without; was Store.tryWrite).
   */
  wait?: 'block' | 'none';
}

export interface Ports extends TxPorts {
  readonly backend: 'sqlite' | 'postgres';
  /** Where the store is: the file path, or the URL with its password masked. Safe to print (after sanitize). */
  readonly where: string;
  /**
   * Runs `fn` in one transaction (see UnitOfWorkOptions) and returns its value. Units of work do
   * not nest: calling unitOfWork (on the Ports) inside `fn` is an error. Lock failures surface as
   * StoreBusy, other store failures as StoreError.
   */
  unitOfWork<T>(fn: (tx: TxPorts) => Promise<T>, opts?: UnitOfWorkOptions): Promise<T>;
  admin: Admin;
  /** Closes the store; idempotent. A unit of work still open is rolled back. */
  close(): Promise<void>;
}
