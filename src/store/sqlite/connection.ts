// One open SQLite database and what the backend keeps beside it: prepared statements, the claim
// clock, and the state a unit of work carries (an import's journal mode and deferred indexes, the
// layouts filed in this transaction, the rowid mark of the file being written). Every module of
// src/store/sqlite works on a Connection; index.ts turns them into the ports.
import type { Clock } from '../../domain/time.js';
import type { ExtrasLayout } from '../../domain/inputs.js';
import type { SqliteDatabase, SqliteStatement } from './driver.js';

export type Row = Record<string, unknown>;

export class Connection {
  private readonly stmts = new Map<string, SqliteStatement>();

  // ---- import state (importWriter.ts, leanRow.ts) ----
  /** True while a first load runs through a rollback journal instead of the WAL. */
  loadingWithoutWal = false;
  /** The secondary indexes of refunds and their history a first load dropped, to build at COMMIT. */
  deferredIndexes: string[] = [];
  /** The last refund written was new: try inserting the next one first (a first import), else look it up first (a re-import). */
  expectNewRefund = true;
  /** The highest refunds rowid before the current file's rows (null: no file open). */
  fileMark: number | null = null;
  /** The refunds rowid up to which the current file's first sightings are in refund_history (writeRefunds, per batch). */
  sightedUpTo: number | null = null;
  /** The highest refund_history id before the sightings written per batch since fileMark. */
  historyMark = 0;
  /** Whether first sightings are written batch by batch (until the file changes a refund it inserted: importWriter.ts). */
  sightingsPerBatch = false;
  /** Refunds the current file inserted and then changed: their history is written already (writeRefund). */
  readonly sightedInFile = new Set<string>();
  // Layouts of the export's unmapped columns, by key and by ID: a file has a few, its rows refer to them.
  readonly layoutIds = new Map<string, number>();
  readonly layoutsById = new Map<number, ExtrasLayout>();
  /** The last layout filed: a file's rows mostly share one (=== on its text beats hashing it per row). */
  lastLayout: { key: string; id: number } | null = null;
  /** importWriter.ts's prepared statements (kept here: one field read per row, no map lookup). */
  importStatements: unknown = undefined;
  /** A unit of work is open on the ports (they do not nest). */
  inUnit = false;

  constructor(
    readonly db: SqliteDatabase,
    /** The file SQLite opened (':memory:' for a read-only look at a missing file). */
    readonly file: string,
    /** The path the user named: shown in messages. */
    readonly where: string,
    /** The store's clock: claims expire on it. */
    readonly clock: Clock,
  ) {}

  /** A statement prepared once per connection (the SQL text is the key). */
  st(sql: string): SqliteStatement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Set-wise SQL for the report modules (reports.ts, statsBy.ts, buyers.ts). */
  sql<T = Row>(query: string, params: unknown[] = []): T[] {
    return this.st(query).all(...params) as T[];
  }

  sqlRun(query: string, params: unknown[] = []): void {
    this.st(query).run(...params);
  }

  /** Layout IDs may vanish with a rollback or a purge: look them up again. */
  forgetLayouts(): void {
    this.lastLayout = null;
    this.layoutIds.clear();
    this.layoutsById.clear();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** What the report modules need of a store: set-wise SQL (the Connection, or the old Store while it lasts). */
export interface SqlRunner {
  sql<T = Row>(query: string, params?: unknown[]): T[];
  sqlRun(query: string, params?: unknown[]): void;
}

export function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}
