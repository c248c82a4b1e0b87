// The old synchronous Store, kept only while its callers (src/app, src/import, src/cli) move to
// the async ports (issue 15): every method is one call into the native backend src/store/sqlite/,
// on the same connection as the ports `storePorts(store)` gives, so a command may mix both while
// it moves. Deleted once nothing imports it.
import type { Ports } from '../app/ports/index.js';
import type { Clock } from '../domain/time.js';
import type { Decision, Order, Platform, Refund, StatusChange, WarehouseReceipt } from '../domain/types.js';
import type { Connection } from './sqlite/connection.js';
import { inSnapshot } from './sqlite/admin.js';
import * as cases from './sqlite/cases.js';
import * as deadlines from './sqlite/deadlines.js';
import * as decisions from './sqlite/decisions.js';
import * as imports from './sqlite/importWriter.js';
import * as locks from './sqlite/locks.js';
import { openConnection, type SqliteOpenOptions } from './sqlite/open.js';
import { purgePersonalData } from './sqlite/privacy.js';
import * as sweep from './sqlite/sweep.js';
import { backupTo } from './sqlite/admin.js';
import { sqlitePortsOf } from './sqlite/index.js';
import { waybillKey } from '../domain/waybill.js';
export { waybillKey };
export { StoreError } from '../app/ports/errors.js';
export { SECTION_RANK } from './sqlite/sweep.js';
export { defaultDbPath } from './open.js';

export type {
  ExtrasInput,
  RefundInput,
  OrderInput,
  ReceiptInput,
  UpsertOutcome,
  OpenRefundFilter,
  StoredDeadline,
  OpenRefundFacts,
  DeadlineRow,
  SectionQuery,
  SectionCounts,
  TriageQuery,
  RankedRefund,
  NewDecision,
  ImportLogEntry,
} from '../domain/inputs.js';
import type { RefundInput, OrderInput, ReceiptInput, UpsertOutcome, OpenRefundFilter, StoredDeadline, OpenRefundFacts, DeadlineRow, SectionQuery, SectionCounts, TriageQuery, RankedRefund, NewDecision, ImportLogEntry } from '../domain/inputs.js';

export interface Store {
  readonly path: string;
  // Import side: one write transaction spans a whole import command.
  /**
   * Starts a write transaction. `load`: an import, which the store may write more cheaply while
   * the database is still empty (see SqliteStore.begin).
   */
  begin(opts?: { load?: boolean }): void;
  commit(): void;
  rollback(): void;
  /** Inside the transaction, one file's writes: released when it went in, rolled back when it was refused. */
  beginFile(): void;
  endFile(keep: boolean): void;
  inTransaction(): boolean;
  /**
   * Inserts or updates one refund from an export. `deadlineOf`, when given, computes an open
   * refund's deadline as it is written (the domain's deadlineFor, injected: the store knows no
   * rules); without it the row waits for ensureDeadlines.
   */
  upsertRefund(r: RefundInput, seenAt: string, sourceFile: string, deadlineOf?: (refund: Refund) => StoredDeadline): UpsertOutcome;
  upsertOrder(o: OrderInput, seenAt: string, sourceFile: string): UpsertOutcome;
  addReceipt(r: ReceiptInput, rowHash: string, recordedAt: string): UpsertOutcome;
  /** A mark to pass to recordFirstSightings after the rows of one file are written. */
  newRowsMark(): number;
  /** Adds the first history entry of every refund inserted since `mark` (one set-wise insert per file). */
  recordFirstSightings(mark: number): void;
  logImport(e: ImportLogEntry): void;
  // Read side.
  openRefunds(filter?: OpenRefundFilter): Refund[];
  refund(id: string): Refund | null;
  similarRefundIds(id: string, limit: number): string[];
  order(id: string): Order | null;
  history(refundId: string): StatusChange[];
  decisions(refundId: string): Decision[];
  decisionsSince(sinceIso: string | null, untilIso?: string | null): Decision[];
  latestDecisions(refundIds: string[]): Map<string, Decision>;
  receiptsForWaybill(waybillKey: string): WarehouseReceipt[];
  refundsByWaybill(waybillKey: string): Refund[];
  allReceipts(): (WarehouseReceipt & { waybillKey: string; source: string })[];
  // Decisions and the triage desk.
  recordDecision(d: NewDecision): Decision;
  claim(refundId: string, agent: string, session: string, nowMs: number, ttlMs: number): boolean;
  releaseClaims(session: string): void;
  /** Who holds a live claim on the case, if anyone. */
  claimHolder(refundId: string, nowMs: number): { agent: string; session: string; expiresAt: number } | null;
  /** Takes the claim whoever holds it (`decide --force`). */
  takeClaim(refundId: string, agent: string, session: string, nowMs: number, ttlMs: number): void;
  claimedByOthers(session: string, nowMs: number): Set<string>;
  snooze(refundId: string, agent: string, untilIso: string): void;
  snoozedUntil(agent: string): Map<string, string>;
  counts(): { refunds: number; orders: number; decisions: number; receipts: number };
  /**
   * Whether this is the only connection to the file and it holds nothing, checked under an
   * exclusive lock taken without waiting (leaving WAL needs the only connection). The caller may
   * then remove the file: no other process has it open.
   */
  emptyAndAlone(): boolean;
  /** When refund exports were last imported, per platform (ISO). */
  lastRefundImports(): Map<Platform, string>;
  // Stored deadlines (computed by the domain, kept beside each open refund).
  /** Open refunds (optionally only those whose return waybill has one of `waybillKeys`) with their stored deadlines. */
  openRefundsWithDeadlines(filter?: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number; waybillKeys?: string[] }): { refund: Refund; deadline: StoredDeadline }[];
  saveDeadlines(rows: DeadlineRow[]): void;
  /** Open refunds whose deadline was never computed (or whose data changed since), at most `limit`. */
  refundsNeedingDeadlines(limit?: number): Refund[];
  /** The IDs of every open refund. */
  openRefundIds(): string[];
  /** Every open refund's state, stored deadline and amount, and whether it has a decision: what the summary picks its rows by. */
  openRefundFacts(): OpenRefundFacts[];
  rankedSections(q: SectionQuery): { rows: RankedRefund[]; counts: SectionCounts };
  /** The sweep's order without the rows: the IDs shown (all with perSection null), each with its section's size. */
  sweepPlan(q: SectionQuery): { shown: { id: string; size: number }[]; counts: SectionCounts };
  /**
   * Starts a read transaction: every read until `end()` sees the database as it was at the first
   * one, whatever commits meanwhile (for output written in parts, such as `today --json`).
   */
  snapshot(): { end(): void };
  /** These refunds with their stored deadlines, in the order given (IDs not found are left out). */
  refundsWithDeadlines(ids: string[]): { refund: Refund; deadline: StoredDeadline }[];
  /** The first `limit` refunds of the triage queue, in sweep order, and how many there are (`total`, read in the same query). */
  triageCandidates(q: TriageQuery): { ids: string[]; total: number };
  meta(key: string): string | null;
  setMeta(key: string, value: string): void;
  /**
   * Runs `fn` in a write transaction if the database is free right now; false (nothing done) when
   * another process holds the write lock. Readers use it for housekeeping they can do without.
   */
  tryWrite(fn: () => void): boolean;
  /** Escape hatch for reports that need set-wise SQL (summary, stats). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): T[];
  /** The same for a statement that returns no rows (reports build a temp table of a window's refunds). */
  sqlRun(query: string, params?: unknown[]): void;
  backupTo(file: string): Promise<void>;
  /** Erases buyers' personal data from cases finished before `beforeIso` (marked purged at `nowIso`); returns how many rows. */
  purgePersonalData(beforeIso: string, dryRun: boolean, nowIso: string): { refunds: number; orders: number };
  close(): void;
}

export type OpenOptions = Omit<SqliteOpenOptions, 'clock'>;

const connections = new WeakMap<Store, Connection>();

export function openStore(file: string, opts: OpenOptions = {}): Store {
  return storeOver(openConnection(file, opts));
}

/**
 * The native ports on the store's own connection (for ctx.ports while ctx.store lasts). `clock`
 * replaces the connection's claim clock.
 */
export function storePorts(store: Store, clock?: Clock): Ports {
  const c = connections.get(store)!;
  if (clock) (c as { clock: Clock }).clock = clock;
  return sqlitePortsOf(c);
}

function storeOver(c: Connection): Store {
  const store: Store = {
    path: c.where,
    begin: (opts = {}) => imports.beginWrite(c, opts.load === true),
    commit: () => imports.commitWrite(c),
    rollback: () => imports.rollbackWrite(c),
    beginFile: () => {
      c.fileMark = null;
      imports.beginFile(c);
    },
    endFile: (keep) => imports.endFile(c, keep),
    inTransaction: () => c.db.inTransaction,
    upsertRefund: (r, seenAt, sourceFile, deadlineOf) => imports.writeRefund(c, r, seenAt, sourceFile, deadlineOf),
    upsertOrder: (o, seenAt, sourceFile) => imports.writeOrder(c, o, seenAt, sourceFile),
    addReceipt: (r, hash, recordedAt) => imports.writeReceipt(c, r, hash, recordedAt),
    newRowsMark: () => imports.newRowsMark(c),
    recordFirstSightings: (mark) => imports.recordFirstSightings(c, mark),
    logImport: (e) => imports.logImport(c, e),
    openRefunds: (filter) => cases.openRefunds(c, filter),
    refund: (id) => cases.refund(c, id),
    similarRefundIds: (id, limit) => cases.similarRefundIds(c, id, limit),
    order: (id) => cases.order(c, id),
    history: (id) => cases.history(c, id),
    decisions: (id) => cases.decisions(c, id),
    decisionsSince: (since, until = null) => decisions.decisionsSince(c, since, until),
    latestDecisions: (ids) => sweep.latestDecisions(c, ids),
    receiptsForWaybill: (key) => cases.receiptsForWaybill(c, key),
    refundsByWaybill: (key) => cases.refundsByWaybill(c, key),
    allReceipts: () => cases.allReceipts(c),
    recordDecision: (d) => decisions.insertDecision(c, d),
    claim: (id, agent, session, nowMs, ttlMs) => locks.claim(c, id, agent, session, ttlMs, nowMs),
    releaseClaims: (session) => locks.release(c, session),
    claimHolder: (id, nowMs) => locks.holder(c, id, nowMs),
    takeClaim: (id, agent, session, nowMs, ttlMs) => locks.take(c, id, agent, session, ttlMs, nowMs),
    claimedByOthers: (session, nowMs) => locks.claimedByOthers(c, session, nowMs),
    snooze: (id, agent, until) => locks.snooze(c, id, agent, until),
    snoozedUntil: (agent) => locks.snoozedUntil(c, agent),
    counts: () =>
      inSnapshot(c, () => {
        const n = (t: string) => c.st(`SELECT count(*) FROM ${t}`).pluck().get() as number;
        return { refunds: n('refunds'), orders: n('orders'), decisions: n('decisions'), receipts: n('warehouse_receipts') };
      }),
    emptyAndAlone: () => imports.emptyAndAlone(c),
    lastRefundImports: () => cases.lastRefundImports(c),
    openRefundsWithDeadlines: (filter) => sweep.openRefundsWithDeadlines(c, filter),
    saveDeadlines: (rows) => deadlines.saveDeadlines(c, rows),
    refundsNeedingDeadlines: (limit) => deadlines.refundsNeedingDeadlines(c, limit),
    openRefundIds: () => deadlines.openRefundIds(c),
    openRefundFacts: () => sweep.openRefundFacts(c),
    rankedSections: (q) => sweep.rankedSections(c, q),
    sweepPlan: (q) => sweep.sweepPlan(c, q),
    snapshot: () => {
      // Inside a transaction already (an import's), reads are consistent as they are.
      if (c.db.inTransaction) return { end: () => {} };
      c.db.exec('BEGIN');
      let open = true;
      return {
        end: () => {
          if (open && c.db.inTransaction) c.db.exec('COMMIT');
          open = false;
        },
      };
    },
    refundsWithDeadlines: (ids) => sweep.refundsWithDeadlines(c, ids),
    triageCandidates: (q) => sweep.triageCandidates(c, q),
    meta: (key) => deadlines.getMeta(c, key),
    setMeta: (key, value) => deadlines.setMeta(c, key, value),
    tryWrite: (fn) => imports.unlessBusy(c, 0, () => (c.db.transaction(fn).immediate(), true)) ?? false,
    sql: (query, params) => c.sql(query, params),
    sqlRun: (query, params) => c.sqlRun(query, params),
    backupTo: (file) => backupTo(c, file),
    purgePersonalData: (before, dryRun, nowIso) => purgePersonalData(c, before, dryRun, nowIso),
    close: () => c.close(),
  };
  connections.set(store, c);
  return store;
}
