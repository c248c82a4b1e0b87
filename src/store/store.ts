// The store: the only module that knows SQL. Callers see the narrow `Store` interface below, so a
// shared PostgreSQL backend can be added later behind the same methods.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { sqliteAddonPath, sqliteDatabase } from '../lib/cjs.js';
import { MIGRATIONS } from './schema.js';
import { StoreError as PortStoreError } from '../app/ports/errors.js';
import { compareInSection, SECTIONS, SELLER_MIN_RANK, slicesOf, type StateGroup } from '../domain/sections.js';
import { lastRefundImportSql, notCarriedOutSql, sectionRankSql } from './common/sql.js';
import { waybillKey } from '../domain/waybill.js';
export { waybillKey };
import type {
  Decision,
  DecisionAction,
  DisputeState,
  Order,
  Platform,
  Refund,
  RefundStatus,
  RefundType,
  StatusChange,
  WarehouseReceipt,
} from '../domain/types.js';
import { decodeExtras, encodeExtrasObject, type ExtrasLayout } from './extrasLayout.js';

/** The ports' StoreError (src/app/ports/errors.ts) with the names this store's callers still read (`code`, `detail`). */
export class StoreError extends PortStoreError {
  constructor(
    readonly code: 'open' | 'newer' | 'not-a-db' | 'locked' | 'readonly' | 'full' | 'io',
    message: string,
    readonly detail: Record<string, string | number> = {},
  ) {
    super(code, message, detail);
  }
}

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
import type { ExtrasInput, RefundInput, OrderInput, ReceiptInput, UpsertOutcome, OpenRefundFilter, StoredDeadline, OpenRefundFacts, DeadlineRow, SectionQuery, SectionCounts, TriageQuery, RankedRefund, NewDecision, ImportLogEntry } from '../domain/inputs.js';

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

/** Where the database lives when neither --db nor REFUNDS_DB says: $XDG_DATA_HOME/refunds/refunds.sqlite. */
export function defaultDbPath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'refunds', 'refunds.sqlite');
}

export interface OpenOptions {
  readonly?: boolean;
  /** Called before an existing database is migrated, with the backup's path. */
  onBackup?: (file: string) => void;
  /** The schema history; tests pass a longer one to exercise upgrades. */
  migrations?: readonly string[];
  /** How long to wait for another process's lock before failing with SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
}

export function openStore(file: string, opts: OpenOptions = {}): Store {
  const existed = fs.existsSync(file);
  if (!existed) {
    if (opts.readonly) {
      // A read-only command on a missing database sees an empty one rather than creating a file.
      const mem = openDatabase(':memory:', opts);
      migrate(mem, ':memory:', false, opts);
      return new SqliteStore(':memory:', mem, file);
    }
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Create the file owner-only before SQLite touches it: it holds buyers' personal data.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  const db = openDatabase(file, opts);
  try {
    migrate(db, file, existed, opts);
    try {
      db.pragma('journal_mode = WAL');
    } catch (e) {
      // A first load holds the database in rollback-journal mode (SqliteStore.begin) and puts WAL
      // back when it ends; SQLite follows the file's mode on every transaction.
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    }
    db.pragma('synchronous = NORMAL');
    // Big imports write random keys into large indexes: a 16 MB page cache keeps the hot pages off the disk within the import's 200 MB RSS budget.
    db.pragma('cache_size = -16384');
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteStore(file, db, file);
}

function openDatabase(file: string, opts: OpenOptions): Database.Database {
  let db: Database.Database;
  try {
    db = new (sqliteDatabase())(file, { nativeBinding: sqliteAddonPath() });
  } catch (e) {
    throw new StoreError('open', (e as Error).message, { path: file, reason: (e as Error).message });
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 10_000}`);
    // Reading the header first: a file that is not a database fails here, before anything is written.
    db.pragma('user_version', { simple: true });
  } catch (e) {
    db.close();
    throw unreadable(e, file);
  }
  return db;
}

/** Why the header could not be read: another process holds the database (a first load), or it is not ours. */
function unreadable(e: unknown, file: string): StoreError {
  const reason = (e as Error).message;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'SQLITE_BUSY') return new StoreError('locked', reason, { path: file, reason });
  // A file or folder we may not write (the WAL needs its -shm beside the file) is not a damaged database.
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') return new StoreError('readonly', reason, { path: file, reason });
  if (code === 'SQLITE_FULL') return new StoreError('full', reason, { path: file, reason });
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('io', reason, { path: file, reason });
  return new StoreError('not-a-db', reason, { path: file, reason });
}

function hasRefundsTables(db: Database.Database): boolean {
  const n = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('refunds', 'refund_history', 'orders', 'decisions')").pluck().get() as number;
  return n === 4;
}

function migrate(db: Database.Database, file: string, existed: boolean, opts: OpenOptions): void {
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    throw unreadable(e, file);
  }
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.length;
  if (version > latest) {
    throw new StoreError('newer', 'newer schema', { path: file, found: version, known: latest });
  }
  if (version > 0 && !hasRefundsTables(db)) {
    // Another program's SQLite file with a user_version of its own: never "back it up" and migrate it.
    throw new StoreError('not-a-db', 'no refunds tables', { path: file, reason: `schema version ${version} but no refunds tables` });
  }
  if (version === latest) return;
  if (version === 0 && existed) {
    // An existing file at version 0 must be empty; anything else is not ours.
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) {
      throw new StoreError('not-a-db', 'has tables but no refunds schema', { path: file, reason: 'unknown tables, no refunds schema version' });
    }
  }
  if (version > 0 && file !== ':memory:') {
    // A schema migration backs up first: the copy is a consistent snapshot taken by SQLite itself.
    const backup = `${file}.v${version}.bak`;
    if (fs.existsSync(backup)) fs.rmSync(backup);
    db.prepare('VACUUM INTO ?').run(backup);
    fs.chmodSync(backup, 0o600);
    opts.onBackup?.(backup);
  }
  const run = db.transaction(() => {
    // Under the write lock: another process may have created the schema since `version` was read
    // (a reader and a first import opening a new file together); start from what is there now.
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < latest; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  });
  run.immediate();
}

// The merge rules of an import (what a row says, unchanged or not, purged data kept out) and the row
// mappers are shared with the PostgreSQL backend: store/common/rowMerge.ts, store/common/rows.ts.
import {
  ORDER_CONTENT, ORDER_EXTRAS, ORDER_PERSONAL, REFUND_CONTENT, REFUND_EXTRAS, REFUND_PERSONAL, REFUND_STATUS, REFUND_STATUS_TEXT,
  keepPurged, orderContent, refundContent, sameContent,
} from './common/rowMerge.js';
import { REFUND_SELECT, bool, decisionFromRow, deadlineFromRow, orderFromRow, receiptFromRow, refundFromRow, type Row } from './common/rows.js';

// ---- the SQLite implementation -----------------------------------------------------------------

class SqliteStore implements Store {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    private readonly file: string,
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  // The import's hot statements, prepared once: st() would hash their long SQL on every row.
  private readonly refundSelect = lazy(() =>
    this.db.prepare(`SELECT ${REFUND_CONTENT.join(', ')}, status_since, first_seen_at, purged_at FROM refunds WHERE refund_id = ?`).raw(),
  );
  private readonly orderShipped = lazy(() => this.db.prepare('SELECT shipped FROM orders WHERE order_id = ?').pluck());
  // ON CONFLICT DO NOTHING: "insert, or tell me it exists" in one B-tree descent (see upsertRefund).
  private readonly refundInsert = lazy(() =>
    this.db.prepare(
      `INSERT INTO refunds (${REFUND_CONTENT.join(', ')}, updated_at, source_file, refund_id, status_since, first_seen_at,
        deadline_at, deadline_source, deadline_rule, waiting_on, at_timeout)
       VALUES (${Array(REFUND_CONTENT.length + 10).fill('?').join(',')}) ON CONFLICT(refund_id) DO NOTHING`,
    ),
  );
  /** The last refund written was new: try inserting the next one first (a first import), else look it up first (a re-import). */
  private expectNewRefund = true;
  private readonly refundUpdate = lazy(() =>
    this.db.prepare(
      `UPDATE refunds SET ${REFUND_CONTENT.map((c) => `${c}=?`).join(', ')}, updated_at=?, source_file=?,
        status_since = CASE WHEN ? THEN ? ELSE status_since END,
        deadline_at = ?, deadline_source = ?, deadline_rule = ?, waiting_on = ?, at_timeout = ?
       WHERE refund_id = ?`,
    ),
  );
  private readonly orderSelect = lazy(() => this.db.prepare(`SELECT ${ORDER_CONTENT.join(', ')}, purged_at FROM orders WHERE order_id = ?`).raw());
  private readonly orderInsert = lazy(() =>
    this.db.prepare(
      `INSERT INTO orders (${ORDER_CONTENT.join(', ')}, updated_at, source_file, order_id, first_seen_at)
       VALUES (${Array(ORDER_CONTENT.length + 4).fill('?').join(',')})`,
    ),
  );
  private readonly orderUpdate = lazy(() =>
    this.db.prepare(`UPDATE orders SET ${ORDER_CONTENT.map((c) => `${c}=?`).join(', ')}, updated_at=?, source_file=? WHERE order_id = ?`),
  );

  private st(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** True while a first load runs through a rollback journal instead of the WAL. */
  private loadingWithoutWal = false;
  /** The secondary indexes of refunds and their history a first load dropped, to build at COMMIT. */
  private deferredIndexes: string[] = [];

  /**
   * A first load writes its refunds without their secondary indexes and builds them at COMMIT:
   * inserting a million random keys into indexes far larger than the page cache made the system
   * time grow 15× for 5× the rows (BENCHMARKS.md, issue 18); a built index is one sort, written in
   * order. The primary key stays (the upsert needs it), and refunds_needing_deadline (the load
   * reads by it; it holds only open rows still without a deadline: next to none).
   */
  private deferIndexes(): void {
    const indexes = this.db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('refunds', 'refund_history')
           AND name <> 'refunds_needing_deadline' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[];
    for (const i of indexes) this.db.exec(`DROP INDEX "${i.name}"`);
    this.deferredIndexes = indexes.map((i) => i.sql);
  }

  begin(opts: { load?: boolean } = {}): void {
    this.forgetLayouts();
    // The first load into an empty database goes through a rollback journal, which writes each
    // page once; WAL writes it twice (to the log, then at the checkpoint COMMIT runs): 1–1.5 s of
    // a 200,000-row import (BENCHMARKS.md). WAL exists so that readers see the data as it was
    // before; an empty database has nothing to see. A reader that opens it meanwhile sees it empty
    // or, once the load holds it exclusively, waits for it (busy_timeout, then StoreError 'locked').
    if (opts.load && this.file !== ':memory:' && this.isEmpty()) this.loadingWithoutWal = this.switchJournal('delete', 0);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      if (this.loadingWithoutWal && !this.isEmpty()) {
        // Another import got the lock first and wrote: readers need the WAL again.
        this.db.exec('ROLLBACK');
        this.backToWal();
        this.db.exec('BEGIN IMMEDIATE');
      }
      if (opts.load && this.file !== ':memory:' && this.isEmpty()) this.deferIndexes();
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.backToWal();
      throw e;
    }
  }
  commit(): void {
    // Built from the whole table (one sort, written in order) inside the transaction: atomic with the rows.
    for (const sql of this.deferredIndexes) this.db.exec(sql);
    this.deferredIndexes = [];
    this.db.exec('COMMIT');
    this.backToWal();
  }
  rollback(): void {
    // ROLLBACK brings dropped indexes back with everything else.
    this.deferredIndexes = [];
    this.forgetLayouts();
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.backToWal();
  }
  beginFile(): void {
    this.db.exec('SAVEPOINT import_file');
  }
  endFile(keep: boolean): void {
    if (!keep) this.db.exec('ROLLBACK TO import_file');
    this.db.exec('RELEASE import_file');
  }

  emptyAndAlone(): boolean {
    if (this.file === ':memory:' || this.db.inTransaction) return false;
    if (!this.switchJournal('delete', 0)) return false;
    const empty = this.isEmpty();
    if (!empty) this.switchJournal('wal', null);
    return empty;
  }

  private isEmpty(): boolean {
    return !this.db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM refunds) OR EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM decisions)
           OR EXISTS (SELECT 1 FROM warehouse_receipts)`,
      )
      .pluck()
      .get();
  }

  private backToWal(): void {
    if (!this.loadingWithoutWal) return;
    this.loadingWithoutWal = false;
    // Best effort, after the data is committed (or rolled back): a failure here must not report
    // a committed import as failed. Waits (busy_timeout) for readers that opened the database
    // during the load; whatever stops it, the next openStore switches back: it always asks for WAL.
    try {
      this.switchJournal('wal', null);
    } catch {
      /* left to the next openStore */
    }
  }

  /** Sets the journal mode, waiting at most `waitMs` for other connections (null: busy_timeout); whether it took. */
  private switchJournal(mode: 'delete' | 'wal', waitMs: number | null): boolean {
    const attempt = (): boolean => {
      // Leaving WAL needs the only connection: while any other is open, SQLite stays in WAL.
      const ok = this.db.pragma(`journal_mode = ${mode}`, { simple: true }) === mode;
      // A rollback journal is only as safe as its syncs: FULL while loading, NORMAL again in WAL.
      if (ok) this.db.pragma(mode === 'delete' ? 'synchronous = FULL' : 'synchronous = NORMAL');
      return ok;
    };
    return this.unlessBusy(waitMs, attempt) ?? false;
  }

  /** Runs `fn`, waiting at most `waitMs` for a lock (null: busy_timeout); undefined when the database stayed busy. */
  private unlessBusy<T>(waitMs: number | null, fn: () => T): T | undefined {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    if (waitMs !== null) this.db.pragma(`busy_timeout = ${waitMs}`);
    try {
      return fn();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return undefined;
      throw e;
    } finally {
      if (waitMs !== null) this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  inTransaction(): boolean {
    return this.db.inTransaction;
  }

  upsertRefund(r: RefundInput, seenAt: string, sourceFile: string, deadlineOf?: (refund: Refund) => StoredDeadline): UpsertOutcome {
    // The deadline columns: computed for an open refund when the caller can, else NULL (waiting_on
    // NULL marks the row for ensureDeadlines).
    const deadlineColumns = (statusSince: string, firstSeenAt: string): unknown[] => {
      if (!deadlineOf || r.status === 'CLOSED' || r.status === 'SUCCESS') return [null, null, null, null, null];
      const fromOrder = this.orderShipped().get(r.orderId);
      // As refundFromRow: the order export knows best whether goods left the warehouse.
      const refund: Refund = { ...r, shipped: bool(fromOrder) ?? r.shipped, statusSince, firstSeenAt };
      const d = deadlineOf(refund);
      return [d.at, d.source, d.rule, d.actor, d.atTimeout];
    };
    const content = refundContent(r, this.extrasOf(r));
    /** Inserts the refund unless one with its ID exists; whether it did. */
    const insert = (): boolean =>
      this.refundInsert().run(content.concat(seenAt, sourceFile, r.refundId, seenAt, seenAt, deadlineColumns(seenAt, seenAt))).changes > 0;
    // A first import is all new rows, a re-import all known ones: guess from the last row; a wrong
    // guess costs one extra lookup.
    if (this.expectNewRefund) {
      if (insert()) return 'inserted';
      this.expectNewRefund = false;
    }
    const prev = this.refundSelect().get(r.refundId) as unknown[] | undefined;
    if (!prev) {
      this.expectNewRefund = true;
      insert();
      return 'inserted';
    }
    const [statusSince, firstSeenAt, purgedAt] = prev.slice(REFUND_CONTENT.length) as [string, string, string | null];
    keepPurged(content, purgedAt, REFUND_CONTENT, REFUND_PERSONAL);
    if (sameContent(prev, content, REFUND_EXTRAS, this.sameExtras)) {
      this.relayout('refunds', 'refund_id', r.refundId, prev, content, REFUND_EXTRAS);
      return 'unchanged';
    }
    const statusChanged = prev[REFUND_STATUS] !== r.status || prev[REFUND_STATUS_TEXT] !== r.statusText;
    this.refundUpdate().run(
      content.concat(seenAt, sourceFile, statusChanged ? 1 : 0, seenAt, deadlineColumns(statusChanged ? seenAt : statusSince, firstSeenAt), r.refundId),
    );
    // New refunds get their first history entry in recordFirstSightings, set-wise, at the end of the file.
    if (statusChanged) {
      this.st('INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file) VALUES (?,?,?,?,?)').run(
        r.refundId, r.status, r.statusText, seenAt, sourceFile,
      );
    }
    return 'updated';
  }

  upsertOrder(o: OrderInput, seenAt: string, sourceFile: string): UpsertOutcome {
    const content = orderContent(o, this.extrasOf(o));
    const prev = this.orderSelect().get(o.orderId) as unknown[] | undefined;
    if (!prev) {
      this.orderInsert().run(content.concat(seenAt, sourceFile, o.orderId, seenAt));
      return 'inserted';
    }
    keepPurged(content, prev[ORDER_CONTENT.length], ORDER_CONTENT, ORDER_PERSONAL);
    if (sameContent(prev, content, ORDER_EXTRAS, this.sameExtras)) {
      this.relayout('orders', 'order_id', o.orderId, prev, content, ORDER_EXTRAS);
      return 'unchanged';
    }
    this.orderUpdate().run(content.concat(seenAt, sourceFile, o.orderId));
    return 'updated';
  }

  // Layouts of the export's unmapped columns (store/extrasLayout.ts), by key and by ID: a file has a
  // few, its rows refer to them.
  private readonly layoutIds = new Map<string, number>();
  private readonly layoutsById = new Map<number, ExtrasLayout>();

  /** A row's extras as stored: its layout's ID (filed on first use) and its own cells. */
  private extrasOf(x: ExtrasInput): [number | null, string | null] {
    // A producer that skipped the file's ExtrasEncoder would lose the cells without a word.
    if (x.extraCells) throw new Error('unmapped cells not packed: run ExtrasEncoder.encodeBatch (import/extras.ts) on every batch');
    let layout = x.extraLayout;
    let values = x.extraValues ?? null;
    if (layout === undefined) ({ extraLayout: layout, extraValues: values } = encodeExtrasObject(x.extraJson ?? null));
    return [layout ? this.layoutId(layout) : null, values];
  }

  /** The last layout filed: a file's rows mostly share one (=== on its text beats hashing it per row). */
  private lastLayout: { key: string; id: number } | null = null;

  private layoutId(key: string): number {
    if (this.lastLayout?.key === key) return this.lastLayout.id;
    let id = this.layoutIds.get(key);
    if (id === undefined) {
      const parts = (JSON.parse(key) as ExtrasLayout).map((p) => JSON.stringify(p));
      this.st('INSERT INTO import_columns (columns_json, slots_json, constants_json) VALUES (?,?,?) ON CONFLICT DO NOTHING').run(...parts);
      id = (this.st('SELECT id FROM import_columns WHERE columns_json = ? AND slots_json = ? AND constants_json = ?').get(...parts) as { id: number }).id;
      this.layoutIds.set(key, id);
    }
    this.lastLayout = { key, id };
    return id;
  }

  private layoutById(id: unknown): ExtrasLayout | null {
    if (typeof id !== 'number') return null;
    let l = this.layoutsById.get(id);
    if (!l) {
      const row = this.st('SELECT columns_json, slots_json, constants_json FROM import_columns WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      l = [JSON.parse(row.columns_json as string), JSON.parse(row.slots_json as string), JSON.parse(row.constants_json as string)] as ExtrasLayout;
      this.layoutsById.set(id, l);
    }
    return l;
  }

  /** Layout IDs may vanish with a rollback or a purge: look them up again. */
  private forgetLayouts(): void {
    this.lastLayout = null;
    this.layoutIds.clear();
    this.layoutsById.clear();
  }

  /**
   * An unchanged row whose cells are filed under another layout (a row the schema-4 migration
   * converted, or an older file's) moves to this file's, once: later imports then compare it
   * without reading both back. Nothing the row says changes.
   */
  private relayout(table: 'refunds' | 'orders', key: string, id: string, prev: unknown[], content: unknown[], at: number): void {
    if (prev[at] === content[at] && prev[at + 1] === (content[at + 1] ?? null)) return;
    this.st(`UPDATE ${table} SET extra_columns = ?, extra_values = ? WHERE ${key} = ?`).run(content[at], content[at + 1] ?? null, id);
  }

  private readonly sameExtras = (a: unknown[], b: unknown[]): boolean =>
    decodeExtras(this.layoutById(a[0]), (a[1] as string | null) ?? null) === decodeExtras(this.layoutById(b[0]), (b[1] as string | null) ?? null);

  addReceipt(r: ReceiptInput, rowHash: string, recordedAt: string): UpsertOutcome {
    const info = this.st(
      `INSERT INTO warehouse_receipts (waybill, waybill_key, carrier, received_at, sku, quantity, condition, inspector,
        note, source, row_hash, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(row_hash) DO NOTHING`,
    ).run(r.waybill, r.waybillKey, r.carrier, r.receivedAt, r.sku, r.quantity, r.condition, r.inspector, r.note, r.source, rowHash, recordedAt);
    return info.changes > 0 ? 'inserted' : 'unchanged';
  }

  newRowsMark(): number {
    return (this.st('SELECT coalesce(max(rowid), 0) AS m FROM refunds').get() as { m: number }).m;
  }

  recordFirstSightings(mark: number): void {
    // Inserted rows get ever larger rowids: a range scan over just this file's new refunds.
    this.st(
      `INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
       SELECT r.refund_id, r.status, r.status_text, r.status_since, r.source_file FROM refunds r WHERE r.rowid > ? ORDER BY r.rowid`,
    ).run(mark);
  }

  logImport(e: ImportLogEntry): void {
    this.st(
      `INSERT INTO imports (file, kind, encoding, bytes, imported_at, inserted, updated, unchanged, rejected)
       VALUES (?,?,?,?,?,?,?,?,?)`,
    ).run(e.file, e.kind, e.encoding, e.bytes, e.importedAt, e.inserted, e.updated, e.unchanged, e.rejected);
  }

  openRefunds(filter: OpenRefundFilter = {}): Refund[] {
    const { where, params } = openWhere(filter);
    return (this.st(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`).all(...params) as Row[]).map(refundFromRow);
  }

  refund(id: string): Refund | null {
    const row = this.st(`${REFUND_SELECT} WHERE r.refund_id = ?`).get(id) as Row | undefined;
    return row ? refundFromRow(row) : null;
  }

  similarRefundIds(id: string, limit: number): string[] {
    // Typos in long IDs are usually a wrong or missing digit: same prefix or same suffix finds them.
    const head = id.slice(0, 6);
    const tail = id.slice(-6);
    const rows = this.st(
      `SELECT refund_id FROM refunds WHERE refund_id LIKE ? ESCAPE '\\' OR refund_id LIKE ? ESCAPE '\\'
         OR order_id = ? LIMIT 200`,
    ).all(`${escapeLike(head)}%`, `%${escapeLike(tail)}`, id) as { refund_id: string }[];
    return rows
      .map((r) => ({ id: r.refund_id, d: editDistance(id, r.refund_id) }))
      .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((r) => r.id);
  }

  order(id: string): Order | null {
    const row = this.st('SELECT * FROM orders WHERE order_id = ?').get(id) as Row | undefined;
    return row ? orderFromRow(row) : null;
  }

  history(refundId: string): StatusChange[] {
    return (this.st('SELECT status, status_text, seen_at FROM refund_history WHERE refund_id = ? ORDER BY id').all(refundId) as Row[]).map(
      (r) => ({ status: r.status as RefundStatus, statusText: r.status_text as string, seenAt: r.seen_at as string }),
    );
  }

  decisions(refundId: string): Decision[] {
    return (this.st('SELECT * FROM decisions WHERE refund_id = ? ORDER BY id').all(refundId) as Row[]).map(decisionFromRow);
  }

  decisionsSince(sinceIso: string | null, untilIso: string | null = null): Decision[] {
    return (
      this.st(
        `SELECT * FROM decisions WHERE (? IS NULL OR decided_at >= ?) AND (? IS NULL OR decided_at < ?) ORDER BY decided_at, id`,
      ).all(sinceIso, sinceIso, untilIso, untilIso) as Row[]
    ).map(decisionFromRow);
  }

  latestDecisions(refundIds: string[]): Map<string, Decision> {
    const out = new Map<string, Decision>();
    if (refundIds.length === 0) return out;
    // Seeks in decisions_refund for just these refunds: the sweep asks a page at a time.
    const rows = this.st(
      `SELECT d.* FROM decisions d JOIN (
         SELECT refund_id, max(id) AS id FROM decisions WHERE refund_id IN (SELECT value FROM json_each(?)) GROUP BY refund_id
       ) m ON m.id = d.id`,
    ).all(JSON.stringify(refundIds)) as Row[];
    for (const r of rows) out.set(r.refund_id as string, decisionFromRow(r));
    return out;
  }

  receiptsForWaybill(key: string): WarehouseReceipt[] {
    return (this.st('SELECT * FROM warehouse_receipts WHERE waybill_key = ? ORDER BY received_at, id').all(key) as Row[]).map(receiptFromRow);
  }

  refundsByWaybill(key: string): Refund[] {
    return (this.st(`${REFUND_SELECT} WHERE r.return_waybill_key = ?`).all(key) as Row[]).map(refundFromRow);
  }

  allReceipts(): (WarehouseReceipt & { waybillKey: string; source: string })[] {
    return (this.st('SELECT * FROM warehouse_receipts ORDER BY received_at, id').all() as Row[]).map(receiptFromRow);
  }

  recordDecision(d: NewDecision): Decision {
    const info = this.st(
      `INSERT INTO decisions (refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision,
        expected_status_json, checklist_json, buyer_message, source, flags_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ).run(
      d.refundId, d.action, d.amountCents, d.note, JSON.stringify(d.evidence), d.agent, d.decidedAt, d.statusAtDecision,
      d.expectedStatus ? JSON.stringify(d.expectedStatus) : null, JSON.stringify(d.checklist), d.buyerMessage, d.source,
      d.flags?.length ? JSON.stringify(d.flags) : null,
    );
    return decisionFromRow(this.st('SELECT * FROM decisions WHERE id = ?').get(info.lastInsertRowid) as Row);
  }

  claim(refundId: string, agent: string, session: string, nowMs: number, ttlMs: number): boolean {
    // Atomic: take the claim if free, expired, or already ours.
    const info = this.st(
      `INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?,?,?,?)
       ON CONFLICT(refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at
       WHERE claims.session = excluded.session OR claims.expires_at <= ?`,
    ).run(refundId, agent, session, nowMs + ttlMs, nowMs);
    return info.changes > 0;
  }

  releaseClaims(session: string): void {
    this.st('DELETE FROM claims WHERE session = ?').run(session);
  }

  claimHolder(refundId: string, nowMs: number): { agent: string; session: string; expiresAt: number } | null {
    const r = this.st('SELECT agent, session, expires_at FROM claims WHERE refund_id = ? AND expires_at > ?').get(refundId, nowMs) as
      | { agent: string; session: string; expires_at: number }
      | undefined;
    return r ? { agent: r.agent, session: r.session, expiresAt: r.expires_at } : null;
  }

  takeClaim(refundId: string, agent: string, session: string, nowMs: number, ttlMs: number): void {
    this.st(
      `INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?,?,?,?)
       ON CONFLICT(refund_id) DO UPDATE SET agent = excluded.agent, session = excluded.session, expires_at = excluded.expires_at`,
    ).run(refundId, agent, session, nowMs + ttlMs);
  }

  claimedByOthers(session: string, nowMs: number): Set<string> {
    const rows = this.st('SELECT refund_id FROM claims WHERE session <> ? AND expires_at > ?').all(session, nowMs) as { refund_id: string }[];
    return new Set(rows.map((r) => r.refund_id));
  }

  snooze(refundId: string, agent: string, untilIso: string): void {
    this.st('INSERT INTO snoozes (refund_id, agent, until) VALUES (?,?,?) ON CONFLICT(refund_id, agent) DO UPDATE SET until = excluded.until').run(
      refundId, agent, untilIso,
    );
  }

  snoozedUntil(agent: string): Map<string, string> {
    const rows = this.st('SELECT refund_id, until FROM snoozes WHERE agent = ?').all(agent) as { refund_id: string; until: string }[];
    return new Map(rows.map((r) => [r.refund_id, r.until]));
  }

  counts(): { refunds: number; orders: number; decisions: number; receipts: number } {
    const n = (t: string) => (this.st(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { refunds: n('refunds'), orders: n('orders'), decisions: n('decisions'), receipts: n('warehouse_receipts') };
  }

  lastRefundImports(): Map<Platform, string> {
    const rows = this.st(lastRefundImportSql()).all() as { platform: Platform; at: string }[];
    return new Map(rows.map((r) => [r.platform, r.at]));
  }

  openRefundsWithDeadlines(filter: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number; waybillKeys?: string[] } = {}): { refund: Refund; deadline: StoredDeadline }[] {
    const { where, params } = openWhere(filter);
    if (filter.waybillKeys) {
      where.push('r.return_waybill_key IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.waybillKeys));
    }
    return (this.st(`${REFUND_SELECT} WHERE ${where.join(' AND ')}`).all(...params) as Row[]).map((row) => ({
      refund: refundFromRow(row),
      deadline: deadlineFromRow(row),
    }));
  }

  saveDeadlines(rows: DeadlineRow[]): void {
    const up = this.st(
      'UPDATE refunds SET deadline_at = ?, deadline_source = ?, deadline_rule = ?, waiting_on = ?, at_timeout = ? WHERE refund_id = ?',
    );
    const run = this.db.transaction((list: DeadlineRow[]) => {
      for (const d of list) up.run(d.at, d.source, d.rule, d.actor, d.atTimeout, d.refundId);
    });
    run(rows);
  }

  refundsNeedingDeadlines(limit = -1): Refund[] {
    // waiting_on is NULL for rows never computed, or whose data changed since (an update clears it).
    // INDEXED BY: without statistics the planner would read every open row to test waiting_on.
    return (
      this.st(
        `SELECT r.*, o.shipped AS order_shipped
         FROM refunds r INDEXED BY refunds_needing_deadline LEFT JOIN orders o ON o.order_id = r.order_id
         WHERE r.status NOT IN ('CLOSED', 'SUCCESS') AND r.waiting_on IS NULL LIMIT ?`,
      ).all(limit) as Row[]
    ).map(refundFromRow);
  }

  openRefundFacts(): OpenRefundFacts[] {
    const rows = this.st(
      `SELECT r.refund_id, r.status, r.waiting_on, r.deadline_at, r.amount_cents,
         EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id) AS decided
       FROM refunds r WHERE ${openWhere({}).where.join(' AND ')}`,
    ).raw(true).all() as [string, RefundStatus, string | null, number | null, number, number][];
    return rows.map(([refundId, status, waiting, deadlineAt, amountCents, decided]) => ({
      refundId, status, actor: (waiting as StoredDeadline['actor'] | null) ?? 'seller', deadlineAt, amountCents, decided: decided === 1,
    }));
  }

  openRefundIds(): string[] {
    return this.st("SELECT refund_id FROM refunds WHERE status NOT IN ('CLOSED', 'SUCCESS')").pluck().all() as string[];
  }

  sweepPlan(q: SectionQuery): { shown: { id: string; size: number }[]; counts: SectionCounts } {
    const { where, params } = openWhere(q);
    // The same ranking as domain/urgency.ts (overdue, due soon, orange, seller, buyer, other), all
    // inside SQLite on the covering index refunds_open_rank (status, waiting_on, deadline_at, …), so
    // no open refund crosses into JavaScript unless it is shown. (1) One pass, grouped in index
    // order, counts every (state, waiting on) pair by deadline bucket: the section sizes and the
    // sweep's counts follow (sectionTotals). (2) Each pair splits into deadline ranges that each
    // fall in one section (slicesOf); a section's first rows are the first rows of its ranges, each
    // an index seek read in deadline order, merged. The caller reads the wide rows it shows.
    const groups = this.st(
      `SELECT r.status, r.waiting_on, count(*) AS n,
         total(r.deadline_at <= :now) AS overdue, total(r.deadline_at <= :now + :window) AS due
       FROM refunds r WHERE ${where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
    ).all(...params, { now: q.nowMs, window: q.dueSoonMs }) as StateGroup[];
    const { sizes, counts } = sectionTotals(groups, q.nowMs, q.dueSoonMs);
    const limit = q.perSection ?? -1;
    const dated = this.st(
      `SELECT r.refund_id, r.deadline_at FROM refunds r
       WHERE ${where.join(' AND ')} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at > :after AND r.deadline_at <= :upTo
       ORDER BY r.deadline_at, length(r.refund_id), r.refund_id LIMIT :limit`,
    ).raw(true);
    const undated = this.st(
      `SELECT r.refund_id, r.deadline_at FROM refunds r
       WHERE ${where.join(' AND ')} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at IS NULL
       ORDER BY length(r.refund_id), r.refund_id LIMIT :limit`,
    ).raw(true);
    const shown: { id: string; size: number }[] = [];
    for (const rank of SECTION_RANKS) {
      if (sizes[rank] === 0) continue;
      const rows: [string, number | null][] = [];
      for (const g of groups) {
        for (const slice of slicesOf(g, q.nowMs, q.dueSoonMs)) {
          if (slice.rank !== rank) continue;
          const at = { status: g.status, waiting: g.waiting_on, limit };
          rows.push(...(dated.all(...params, { ...at, after: slice.after, upTo: slice.upTo }) as [string, number][]));
          if (slice.undated) rows.push(...(undated.all(...params, at) as [string, null][]));
        }
      }
      rows.sort((a, b) => compareInSection({ refundId: a[0], due: a[1] }, { refundId: b[0], due: b[1] }));
      for (const [id] of limit < 0 ? rows : rows.slice(0, limit)) shown.push({ id, size: sizes[rank]! });
    }
    // The twin of app/sweep.ts isNotCarriedOut(): the latest decision expected another state, and a
    // refund export was imported after it. Walks the decided refunds only (few), not every open one.
    const notCarriedOut = (
      this.db
        .prepare(
          `WITH li AS (
             ${lastRefundImportSql()})
           SELECT count(*) AS n
           FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id
             JOIN refunds r ON r.refund_id = d.refund_id JOIN li ON li.platform = r.platform
           WHERE ${where.join(' AND ')}
             AND ${notCarriedOutSql('d', 'r', 'li')}`,
        )
        .get(...params) as { n: number }
    ).n;
    return { shown, counts: { ...counts, notCarriedOut } };
  }

  rankedSections(q: SectionQuery): { rows: RankedRefund[]; counts: SectionCounts } {
    const { shown, counts } = this.sweepPlan(q);
    const sizes = new Map(shown.map((x) => [x.id, x.size]));
    const rows = this.refundsWithDeadlines(shown.map((x) => x.id));
    return { rows: rows.map((r) => ({ ...r, sectionSize: sizes.get(r.refund.refundId)! })), counts };
  }

  snapshot(): { end(): void } {
    // Inside a transaction already (an import's), reads are consistent as they are.
    if (this.db.inTransaction) return { end: () => {} };
    this.db.exec('BEGIN');
    let open = true;
    return {
      end: () => {
        if (open && this.db.inTransaction) this.db.exec('COMMIT');
        open = false;
      },
    };
  }

  refundsWithDeadlines(ids: string[]): { refund: Refund; deadline: StoredDeadline }[] {
    const wide = new Map(
      (this.st(`${REFUND_SELECT} WHERE r.refund_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as Row[]).map((row) => [
        row.refund_id as string,
        row,
      ]),
    );
    return ids.flatMap((id) => {
      const row = wide.get(id);
      return row ? [{ refund: refundFromRow(row), deadline: deadlineFromRow(row) }] : [];
    });
  }

  tryWrite(fn: () => void): boolean {
    return this.unlessBusy(0, () => (this.db.transaction(fn).immediate(), true)) ?? false;
  }

  triageCandidates(q: TriageQuery): { ids: string[]; total: number } {
    const { where, params } = openWhere(q);
    // The queue's rules (app/triageSession.ts): not done for now (decided at or after the
    // platform's latest refund import) unless decided-not-carried-out, needs the seller (sections
    // overdue..seller), not snoozed by this agent, not claimed by another live session, not passed
    // over in this session. Two kinds of rows, read apart so that the head of 100,000 open refunds
    // needs no pass over all of them (issue 18):
    // - decided refunds (few): every rule, row by row, as before;
    // - the others: in the queue exactly when in a seller section (SECTION_RANK >= 2), or in any
    //   with :buyer. Their head is read section by section in the sweep's order (the slices of
    //   sweepPlan, index seeks in deadline order), and stops once it has `limit` rows; their
    //   number is one count over the open-refunds index.
    const named = {
      now: q.nowMs,
      window: q.dueSoonMs,
      buyer: q.includeBuyerSide ? 1 : 0,
      agent: q.agent,
      nowIso: q.nowIso,
      session: q.session,
      clock: q.clockMs,
      exclude: JSON.stringify(q.exclude),
    };
    const excluded = `
      excluded AS MATERIALIZED (
        SELECT refund_id FROM snoozes WHERE agent = :agent AND julianday(until) > julianday(:nowIso)
        UNION SELECT refund_id FROM claims WHERE session <> :session AND expires_at > :clock
        UNION SELECT value FROM json_each(:exclude))`;
    const decided = this.st(
      `WITH li AS (
         ${lastRefundImportSql()}),
       latest AS MATERIALIZED (
         SELECT d.refund_id, d.decided_at, d.expected_status_json
         FROM decisions d JOIN (SELECT refund_id, max(id) AS id FROM decisions GROUP BY refund_id) m ON m.id = d.id),
       ${excluded},
       flagged AS (
         SELECT r.refund_id, r.deadline_at, ${SECTION_RANK} AS section_rank, l.decided_at, li.at AS last_import,
           ${notCarriedOutSql('l', 'r', 'li')} AS not_carried_out
         FROM latest l JOIN refunds r ON r.refund_id = l.refund_id LEFT JOIN li ON li.platform = r.platform
         WHERE ${where.join(' AND ')} AND r.refund_id NOT IN (SELECT refund_id FROM excluded))
       SELECT refund_id, section_rank, deadline_at FROM flagged
       WHERE (not_carried_out OR NOT (last_import IS NULL OR decided_at >= last_import))
         AND (not_carried_out OR :buyer OR section_rank >= ${SELLER_MIN_RANK})`,
    )
      .raw(true)
      .all(...params, named) as [string, number, number | null][];
    const undecided = `${where.join(' AND ')} AND r.refund_id NOT IN (SELECT refund_id FROM excluded)
      AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.refund_id = r.refund_id)`;
    const count = () =>
      (
        this.st(
          `WITH ${excluded} SELECT count(*) AS n FROM refunds r WHERE ${undecided}
             AND (:buyer OR r.status = 'WAIT_SELLER_CONFIRM_GOODS' OR r.waiting_on = 'seller'
               OR (r.waiting_on = 'platform' AND r.deadline_at - :now <= :window))`,
        ).get(...params, named) as { n: number }
      ).n + decided.length;
    if (q.limit === 0) return { ids: [], total: count() };

    const groups = this.st(
      `SELECT r.status, r.waiting_on, count(*) AS n, total(r.deadline_at <= :now) AS overdue, total(r.deadline_at <= :now + :window) AS due
       FROM refunds r WHERE ${where.join(' AND ')} GROUP BY r.status, r.waiting_on`,
    ).all(...params, { now: q.nowMs, window: q.dueSoonMs }) as StateGroup[];
    const dated = this.st(
      `WITH ${excluded} SELECT r.refund_id, r.deadline_at FROM refunds r
       WHERE ${undecided} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at > :after AND r.deadline_at <= :upTo
       ORDER BY r.deadline_at, length(r.refund_id), r.refund_id LIMIT :limit`,
    ).raw(true);
    const undated = this.st(
      `WITH ${excluded} SELECT r.refund_id, r.deadline_at FROM refunds r
       WHERE ${undecided} AND r.status = :status AND r.waiting_on IS :waiting AND r.deadline_at IS NULL
       ORDER BY length(r.refund_id), r.refund_id LIMIT :limit`,
    ).raw(true);
    const { agent, nowIso, session, clock, exclude } = named;
    const only = { agent, nowIso, session, clock, exclude, limit: q.limit };
    const head: [string, number, number | null][] = decided.slice();
    let undecidedRows = 0;
    for (const rank of SECTION_RANKS) {
      if (rank < SELLER_MIN_RANK && !q.includeBuyerSide) break;
      // Every row of a higher section comes first: once `limit` rows are in, lower ones cannot be in the head.
      if (undecidedRows >= q.limit) break;
      for (const g of groups) {
        for (const slice of slicesOf(g, q.nowMs, q.dueSoonMs)) {
          if (slice.rank !== rank || slice.rows === 0) continue;
          const at = { ...only, status: g.status, waiting: g.waiting_on };
          const rows = [
            ...(dated.all(...params, { ...at, after: slice.after, upTo: slice.upTo }) as [string, number][]),
            ...(slice.undated ? (undated.all(...params, at) as [string, null][]) : []),
          ];
          undecidedRows += rows.length;
          for (const [id, deadline] of rows) head.push([id, rank, deadline]);
        }
      }
    }
    head.sort((a, b) => b[1] - a[1] || compareInSection({ refundId: a[0], due: a[2] }, { refundId: b[0], due: b[2] }));
    return { ids: head.slice(0, q.limit).map((r) => r[0]), total: count() };
  }

  meta(key: string): string | null {
    const row = this.st('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.st('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): T[] {
    return this.st(query).all(...params) as T[];
  }

  sqlRun(query: string, params: unknown[] = []): void {
    this.st(query).run(...params);
  }

  purgePersonalData(beforeIso: string, dryRun: boolean, nowIso: string): { refunds: number; orders: number } {
    // A case is finished when its refund is CLOSED/SUCCESS; its finish time is finished_at, else
    // when it entered that state. Orders are purged when every refund on them is purged-eligible.
    // purged_at marks every eligible row, so that no later import writes the data back.
    const finished = `r.status IN ('CLOSED', 'SUCCESS') AND COALESCE(r.finished_at, r.status_since) < ?`;
    const personal = `(${REFUND_PERSONAL.map((c) => `r.${c} IS NOT NULL`).join(' OR ')})`;
    const orderEligible = `o.order_id IN (SELECT r.order_id FROM refunds r WHERE ${finished})
      AND NOT EXISTS (SELECT 1 FROM refunds r2 WHERE r2.order_id = o.order_id
        AND NOT (r2.status IN ('CLOSED', 'SUCCESS') AND COALESCE(r2.finished_at, r2.status_since) < ?))`;
    const orderPersonal = `(${ORDER_PERSONAL.map((c) => `o.${c} IS NOT NULL`).join(' OR ')})`;
    const count = () => ({
      refunds: (this.db.prepare(`SELECT count(*) AS n FROM refunds r WHERE ${finished} AND ${personal}`).get(beforeIso) as { n: number }).n,
      orders: (this.db.prepare(`SELECT count(*) AS n FROM orders o WHERE ${orderEligible} AND ${orderPersonal}`).get(beforeIso, beforeIso) as { n: number })
        .n,
    });
    const n = count();
    if (dryRun) return n;
    this.db.transaction(() => {
      this.db.prepare(`UPDATE orders AS o SET ${ORDER_PERSONAL.map((c) => `${c} = NULL`).join(', ')}, purged_at = COALESCE(purged_at, ?)
        WHERE ${orderEligible} AND (${orderPersonal} OR purged_at IS NULL)`).run(nowIso, beforeIso, beforeIso);
      this.db.prepare(`UPDATE refunds AS r SET ${REFUND_PERSONAL.map((c) => `${c} = NULL`).join(', ')}, purged_at = COALESCE(purged_at, ?)
        WHERE ${finished} AND (${personal} OR purged_at IS NULL)`).run(nowIso, beforeIso);
      // A layout's constants are cells too (a buyer's, in a small file): none outlives its rows.
      this.db.prepare(`DELETE FROM import_columns WHERE id NOT IN (SELECT extra_columns FROM refunds WHERE extra_columns IS NOT NULL)
        AND id NOT IN (SELECT extra_columns FROM orders WHERE extra_columns IS NOT NULL)`).run();
    }).immediate();
    this.forgetLayouts();
    return n;
  }

  async backupTo(file: string): Promise<void> {
    await this.db.backup(file);
    fs.chmodSync(file, 0o600);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}


/**
 * The sweep's sections as a number (5 overdue, 4 due soon, 3 orange, 2 seller, 1 buyer, 0 other):
 * the SQL twin of domain/urgency.ts urgencyFor(), over the stored deadlines. Parameters :now and
 * :window (the due-soon window), both in epoch ms.
 */
export const SECTION_RANK = sectionRankSql('r');

/** The section ranks, highest first. */
const SECTION_RANKS = SECTIONS.map((s) => s.rank);


/**
 * The section sizes (from slicesOf) and the sweep's counts, from per-(status, waiting_on) totals:
 * SQLite groups in index order with no sort. store.test.ts checks both against SECTION_RANK row by row.
 */
function sectionTotals(groups: StateGroup[], nowMs: number, windowMs: number): { sizes: number[]; counts: Omit<SectionCounts, 'notCarriedOut'> } {
  const sizes = [0, 0, 0, 0, 0, 0];
  const counts = { open: 0, overdue: 0, dueSoon: 0, orange: 0, sellerMustAct: 0, waitingOnBuyer: 0 };
  for (const g of groups) {
    for (const slice of slicesOf(g, nowMs, windowMs)) sizes[slice.rank]! += slice.rows;
    const orange = g.status === 'WAIT_SELLER_CONFIRM_GOODS';
    counts.open += g.n;
    counts.overdue += g.overdue;
    counts.dueSoon += g.due - g.overdue;
    if (orange) counts.orange += g.n;
    if (g.waiting_on === 'seller') counts.sellerMustAct += g.n;
    if (g.waiting_on === 'buyer') counts.waitingOnBuyer += g.n;
  }
  return { sizes, counts };
}




/** The WHERE terms of the open refunds a filter selects; `dueWithinMs`: only those due within it of `nowMs`. */
function openWhere(filter: OpenRefundFilter & { dueWithinMs?: number | null; nowMs?: number }): { where: string[]; params: unknown[] } {
  const where = ["r.status NOT IN ('CLOSED', 'SUCCESS')"];
  const params: unknown[] = [];
  if (filter.platform) {
    where.push('r.platform = ?');
    params.push(filter.platform);
  }
  if (filter.statuses?.length) {
    where.push(`r.status IN (${filter.statuses.map(() => '?').join(',')})`);
    params.push(...filter.statuses);
  }
  if (filter.dueWithinMs !== undefined && filter.dueWithinMs !== null) {
    where.push('r.deadline_at IS NOT NULL AND r.deadline_at - ? <= ?');
    params.push(filter.nowMs ?? 0, filter.dueWithinMs);
  }
  return { where, params };
}

function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
