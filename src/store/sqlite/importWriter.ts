// The import's writes: whole batches of refunds, orders and receipts on statements prepared once,
// one savepoint per file, the first sightings of a file's new refunds set-wise behind finishFile.
// A first load into an empty database (unitOfWork 'load') goes through a rollback journal and
// builds the secondary indexes at COMMIT (beginLoad / commitLoad / rollbackLoad): nothing outside
// this file sees journal modes, deferred indexes or rowid marks.
import type { ImportLogEntry, OrderInput, ReceiptInput, RefundInput, StoredDeadline, UpsertOutcome } from '../../domain/inputs.js';
import type { Refund } from '../../domain/types.js';
import {
  keepPurged,
  ORDER_CONTENT,
  ORDER_EXTRAS,
  ORDER_PERSONAL,
  orderContent,
  REFUND_CONTENT,
  REFUND_EXTRAS,
  REFUND_PERSONAL,
  REFUND_STATUS,
  REFUND_STATUS_TEXT,
  refundContentInto,
  sameContent,
} from '../common/rowMerge.js';
import { lazy, type Connection } from './connection.js';
import { isPlainBusy } from './errors.js';
import { extrasInto, extrasOf, relayout, sameExtrasOn } from './leanRow.js';
import { bool } from '../common/rows.js';

/** The import's hot statements, prepared once per connection: st() would hash their long SQL on every row. */
class Statements {
  readonly sameExtras: (a: unknown[], b: unknown[]) => boolean;
  constructor(private readonly c: Connection) {
    this.sameExtras = sameExtrasOn(c);
  }
  /** writeRefund's insert parameters, refilled for every row. */
  readonly insertParams: unknown[] = new Array(REFUND_CONTENT.length + 10).fill(null);
  readonly refundSelect = lazy(() =>
    this.c.db.prepare(`SELECT ${REFUND_CONTENT.join(', ')}, status_since, first_seen_at, purged_at, rowid FROM refunds WHERE refund_id = ?`).raw(),
  );
  readonly orderShipped = lazy(() => this.c.db.prepare('SELECT shipped FROM orders WHERE order_id = ?').pluck());
  // ON CONFLICT DO NOTHING: "insert, or tell me it exists" in one B-tree descent (see writeRefund).
  readonly refundInsert = lazy(() =>
    this.c.db.prepare(
      `INSERT INTO refunds (${REFUND_CONTENT.join(', ')}, updated_at, source_file, refund_id, status_since, first_seen_at,
        deadline_at, deadline_source, deadline_rule, waiting_on, at_timeout)
       VALUES (${Array(REFUND_CONTENT.length + 10).fill('?').join(',')}) ON CONFLICT(refund_id) DO NOTHING`,
    ),
  );
  readonly refundUpdate = lazy(() =>
    this.c.db.prepare(
      `UPDATE refunds SET ${REFUND_CONTENT.map((col) => `${col}=?`).join(', ')}, updated_at=?, source_file=?,
        status_since = CASE WHEN ? THEN ? ELSE status_since END,
        deadline_at = ?, deadline_source = ?, deadline_rule = ?, waiting_on = ?, at_timeout = ?
       WHERE refund_id = ?`,
    ),
  );
  readonly historyInsert = lazy(() =>
    this.c.db.prepare('INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file) VALUES (?,?,?,?,?)'),
  );
  readonly orderSelect = lazy(() => this.c.db.prepare(`SELECT ${ORDER_CONTENT.join(', ')}, purged_at FROM orders WHERE order_id = ?`).raw());
  readonly orderInsert = lazy(() =>
    this.c.db.prepare(
      `INSERT INTO orders (${ORDER_CONTENT.join(', ')}, updated_at, source_file, order_id, first_seen_at)
       VALUES (${Array(ORDER_CONTENT.length + 4).fill('?').join(',')})`,
    ),
  );
  readonly orderUpdate = lazy(() =>
    this.c.db.prepare(`UPDATE orders SET ${ORDER_CONTENT.map((col) => `${col}=?`).join(', ')}, updated_at=?, source_file=? WHERE order_id = ?`),
  );
  readonly receiptInsert = lazy(() =>
    this.c.db.prepare(
      `INSERT INTO warehouse_receipts (waybill, waybill_key, carrier, received_at, sku, quantity, condition, inspector,
        note, source, row_hash, recorded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(row_hash) DO NOTHING`,
    ),
  );
}

function stmtsOf(c: Connection): Statements {
  return (c.importStatements ??= new Statements(c)) as Statements;
}

/** Where refundInsert's parameters after the content start: updated_at, source_file, refund_id, status_since, first_seen_at, the 5 deadline columns. */
const INSERT_TAIL = REFUND_CONTENT.length;

export function writeRefund(c: Connection, r: RefundInput, seenAt: string, sourceFile: string, deadlineOf?: (refund: Refund) => StoredDeadline): UpsertOutcome {
  const s = stmtsOf(c);
  // The deadline columns into `out` at `at`: computed for an open refund when the caller can, else
  // NULL (waiting_on NULL marks the row for ensureDeadlines).
  const deadlineInto = (out: unknown[], at: number, statusSince: string, firstSeenAt: string): void => {
    if (!deadlineOf || r.status === 'CLOSED' || r.status === 'SUCCESS') {
      out[at] = out[at + 1] = out[at + 2] = out[at + 3] = out[at + 4] = null;
      return;
    }
    const fromOrder = s.orderShipped().get(r.orderId);
    // As refundFromRow: the order export knows best whether goods left the warehouse.
    const refund: Refund = { ...r, shipped: bool(fromOrder) ?? r.shipped, statusSince, firstSeenAt };
    const d = deadlineOf(refund);
    out[at] = d.at;
    out[at + 1] = d.source;
    out[at + 2] = d.rule;
    out[at + 3] = d.actor;
    out[at + 4] = d.atTimeout;
  };
  // The insert's parameters, written into one array kept for the next row: a first load inserts
  // every row, and building three arrays per row (content, the deadline, their concatenation) was
  // garbage the writing thread collected.
  const p = s.insertParams;
  refundContentInto(p, r);
  extrasInto(c, r, p, REFUND_EXTRAS);
  /** Inserts the refund unless one with its ID exists; whether it did. */
  const insert = (): boolean => {
    p[INSERT_TAIL] = seenAt;
    p[INSERT_TAIL + 1] = sourceFile;
    p[INSERT_TAIL + 2] = r.refundId;
    p[INSERT_TAIL + 3] = seenAt;
    p[INSERT_TAIL + 4] = seenAt;
    deadlineInto(p, INSERT_TAIL + 5, seenAt, seenAt);
    return s.refundInsert().run(p).changes > 0;
  };
  // A first import is all new rows, a re-import all known ones: guess from the last row; a wrong
  // guess costs one extra lookup.
  if (c.expectNewRefund) {
    if (insert()) return 'inserted';
    c.expectNewRefund = false;
  }
  const prev = s.refundSelect().get(r.refundId) as unknown[] | undefined;
  if (!prev) {
    c.expectNewRefund = true;
    insert();
    return 'inserted';
  }
  const content = p.slice(0, REFUND_CONTENT.length);
  const [statusSince, firstSeenAt, purgedAt, rowid] = prev.slice(REFUND_CONTENT.length) as [string, string, string | null, number];
  keepPurged(content, purgedAt, REFUND_CONTENT, REFUND_PERSONAL);
  if (sameContent(prev, content, REFUND_EXTRAS, s.sameExtras)) {
    relayout(c, 'refunds', 'refund_id', r.refundId, prev, content, REFUND_EXTRAS);
    return 'unchanged';
  }
  const statusChanged = prev[REFUND_STATUS] !== r.status || prev[REFUND_STATUS_TEXT] !== r.statusText;
  const update = content.concat(seenAt, sourceFile, statusChanged ? 1 : 0, seenAt);
  deadlineInto(update, update.length, statusChanged ? seenAt : statusSince, firstSeenAt);
  update.push(r.refundId);
  s.refundUpdate().run(update);
  // New refunds get their first history entry in recordFirstSightings, set-wise, after their batch
  // or at the end of the file. One this file inserted and now changes gets it here, before the
  // change (else the first state would be lost and the last one recorded twice); finishFile then
  // leaves it out. Every change's entries come before the file's first sightings (the ids stay as
  // they always were): the sightings written batch by batch so far are taken back, and the file's
  // are written at its end.
  if (statusChanged && c.sightingsPerBatch) sightAtFileEnd(c);
  if (statusChanged && c.fileMark !== null && rowid > c.fileMark && !c.sightedInFile.has(r.refundId)) {
    s.historyInsert().run(r.refundId, prev[REFUND_STATUS], prev[REFUND_STATUS_TEXT], statusSince, sourceFile);
    c.sightedInFile.add(r.refundId);
  }
  if (statusChanged) s.historyInsert().run(r.refundId, r.status, r.statusText, seenAt, sourceFile);
  return 'updated';
}

export function writeOrder(c: Connection, o: OrderInput, seenAt: string, sourceFile: string): UpsertOutcome {
  const s = stmtsOf(c);
  const content = orderContent(o, extrasOf(c, o));
  const prev = s.orderSelect().get(o.orderId) as unknown[] | undefined;
  if (!prev) {
    s.orderInsert().run(content.concat(seenAt, sourceFile, o.orderId, seenAt));
    return 'inserted';
  }
  keepPurged(content, prev[ORDER_CONTENT.length], ORDER_CONTENT, ORDER_PERSONAL);
  if (sameContent(prev, content, ORDER_EXTRAS, s.sameExtras)) {
    relayout(c, 'orders', 'order_id', o.orderId, prev, content, ORDER_EXTRAS);
    return 'unchanged';
  }
  s.orderUpdate().run(content.concat(seenAt, sourceFile, o.orderId));
  return 'updated';
}

export function writeReceipt(c: Connection, r: ReceiptInput, rowHash: string, recordedAt: string): UpsertOutcome {
  const info = stmtsOf(c)
    .receiptInsert()
    .run(r.waybill, r.waybillKey, r.carrier, r.receivedAt, r.sku, r.quantity, r.condition, r.inspector, r.note, r.source, rowHash, recordedAt);
  return info.changes > 0 ? 'inserted' : 'unchanged';
}

// Whole batches: one port call per worker batch (the async cost is one microtask per batch).
export function writeRefunds(c: Connection, rows: RefundInput[], at: { seenAt: string; sourceFile: string; deadlineOf?: (r: Refund) => StoredDeadline }): UpsertOutcome[] {
  const outcomes = rows.map((r) => writeRefund(c, r, at.seenAt, at.sourceFile, at.deadlineOf));
  // The batch's new refunds get their first history entry now, read from pages still in the cache,
  // while the parsing worker reads the next batch: at the end of a file it was one more pass over
  // the whole table (~0.1 s of a 200,000-row first load, after the last row came in).
  if (c.sightingsPerBatch && c.sightedUpTo !== null && outcomes.includes('inserted')) {
    recordFirstSightings(c, c.sightedUpTo);
    c.sightedUpTo = newRowsMark(c);
  }
  return outcomes;
}
export const writeOrders = (c: Connection, rows: OrderInput[], at: { seenAt: string; sourceFile: string }): UpsertOutcome[] =>
  rows.map((o) => writeOrder(c, o, at.seenAt, at.sourceFile));
export const writeReceipts = (c: Connection, rows: { row: ReceiptInput; hash: string }[], recordedAt: string): UpsertOutcome[] =>
  rows.map((r) => writeReceipt(c, r.row, r.hash, recordedAt));

/** The highest refunds rowid now: the rows a file inserts after it have larger ones. */
export function newRowsMark(c: Connection): number {
  return (c.st('SELECT coalesce(max(rowid), 0) AS m FROM refunds').get() as { m: number }).m;
}

/** Adds the first history entry of every refund inserted since `mark` (one set-wise insert per file). */
export function recordFirstSightings(c: Connection, mark: number): void {
  // Inserted rows get ever larger rowids: a range scan over just this file's new refunds.
  const sql = `INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
     SELECT r.refund_id, r.status, r.status_text, r.status_since, r.source_file FROM refunds r WHERE r.rowid > ?`;
  if (c.sightedInFile.size === 0) c.st(`${sql} ORDER BY r.rowid`).run(mark);
  else c.st(`${sql} AND r.refund_id NOT IN (SELECT value FROM json_each(?)) ORDER BY r.rowid`).run(mark, JSON.stringify([...c.sightedInFile]));
  c.sightedInFile.clear();
}

export function logImport(c: Connection, e: ImportLogEntry): void {
  c.st(
    `INSERT INTO imports (file, kind, encoding, bytes, imported_at, inserted, updated, unchanged, rejected)
     VALUES (?,?,?,?,?,?,?,?,?)`,
  ).run(e.file, e.kind, e.encoding, e.bytes, e.importedAt, e.inserted, e.updated, e.unchanged, e.rejected);
}

/** Ends the current file's rows: the first sightings not yet written, then its log line. */
export function finishFile(c: Connection, log: ImportLogEntry | null): void {
  if (c.fileMark === null) throw new Error('ImportWriter.finishFile: call it inside file(fn)');
  recordFirstSightings(c, c.sightedUpTo ?? c.fileMark);
  // A second finishFile in the same file adds no sightings twice.
  markFileStart(c);
  if (log) logImport(c, log);
}

/**
 * From here on the file's rows are new. A first load (secondary indexes deferred: the database was
 * empty) writes their first sightings batch by batch; an import into a database that holds
 * refunds mostly changes some, and writes them at the file's end, as before.
 */
function markFileStart(c: Connection): void {
  c.fileMark = c.sightedUpTo = newRowsMark(c);
  c.sightingsPerBatch = c.deferredIndexes.length > 0;
  if (c.sightingsPerBatch) c.historyMark = (c.st('SELECT coalesce(max(id), 0) AS m FROM refund_history').get() as { m: number }).m;
}

/**
 * The file changed a refund's state: as when all first sightings were written at the end, that
 * change's entries go first and every first sighting of the file at its end. Those written so far
 * (ids above historyMark: nothing else wrote history since) are taken back.
 */
function sightAtFileEnd(c: Connection): void {
  c.st('DELETE FROM refund_history WHERE id > ?').run(c.historyMark);
  c.sightedUpTo = c.fileMark;
  c.sightingsPerBatch = false;
}

// ---- files: savepoints --------------------------------------------------------------------

export function beginFile(c: Connection): void {
  if (c.fileMark !== null) throw new Error('ImportWriter.file: files do not nest');
  c.db.exec('SAVEPOINT import_file');
  markFileStart(c);
}

export function endFile(c: Connection, keep: boolean): void {
  c.fileMark = c.sightedUpTo = null;
  c.sightingsPerBatch = false;
  c.sightedInFile.clear();
  if (!keep) {
    // Layouts filed inside the savepoint are gone with it.
    c.forgetLayouts();
    c.db.exec('ROLLBACK TO import_file');
  }
  c.db.exec('RELEASE import_file');
}

// ---- the unit of work of an import ---------------------------------------------------------

function isEmpty(c: Connection): boolean {
  return !c.db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM refunds) OR EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM decisions)
         OR EXISTS (SELECT 1 FROM warehouse_receipts)`,
    )
    .pluck()
    .get();
}

/**
 * A first load writes its refunds without their secondary indexes and builds them at COMMIT:
 * inserting a million random keys into indexes far larger than the page cache made the system
 * time grow 15× for 5× the rows (BENCHMARKS.md, issue 18); a built index is one sort, written in
 * order. The primary key stays (the upsert needs it), and refunds_needing_deadline (the load
 * reads by it; it holds only open rows still without a deadline: next to none).
 */
function deferIndexes(c: Connection): void {
  const indexes = c.db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('refunds', 'refund_history')
         AND name <> 'refunds_needing_deadline' ORDER BY name`,
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) c.db.exec(`DROP INDEX "${i.name}"`);
  c.deferredIndexes = indexes.map((i) => i.sql);
}

/**
 * BEGIN IMMEDIATE for a write unit (`load`: an import). The first load into an empty database goes
 * through a rollback journal, which writes each page once; WAL writes it twice (to the log, then
 * at the checkpoint COMMIT runs): 1–1.5 s of a 200,000-row import (BENCHMARKS.md). WAL exists so
 * that readers see the data as it was before; an empty database has nothing to see. A reader that
 * opens it meanwhile sees it empty or, once the load holds it exclusively, waits for it
 * (busy_timeout, then StoreError 'locked').
 */
export function beginWrite(c: Connection, load: boolean): void {
  c.forgetLayouts();
  c.expectNewRefund = true;
  const first = load && c.file !== ':memory:';
  if (first && isEmpty(c)) c.loadingWithoutWal = switchJournal(c, 'delete', 0);
  try {
    c.db.exec('BEGIN IMMEDIATE');
    if (c.loadingWithoutWal && !isEmpty(c)) {
      // Another import got the lock first and wrote: readers need the WAL again.
      c.db.exec('ROLLBACK');
      backToWal(c);
      c.db.exec('BEGIN IMMEDIATE');
    }
    if (first && isEmpty(c)) deferIndexes(c);
  } catch (e) {
    if (c.db.inTransaction) c.db.exec('ROLLBACK');
    backToWal(c);
    throw e;
  }
}

export function commitWrite(c: Connection): void {
  // Built from the whole table (one sort, written in order) inside the transaction: atomic with the rows.
  for (const sql of c.deferredIndexes) c.db.exec(sql);
  c.deferredIndexes = [];
  c.db.exec('COMMIT');
  backToWal(c);
}

export function rollbackWrite(c: Connection): void {
  // ROLLBACK brings dropped indexes back with everything else.
  c.deferredIndexes = [];
  c.fileMark = c.sightedUpTo = null;
  c.sightingsPerBatch = false;
  c.sightedInFile.clear();
  c.forgetLayouts();
  if (c.db.inTransaction) c.db.exec('ROLLBACK');
  backToWal(c);
}

/** Whether this is the only connection and the database holds nothing (then left in rollback-journal mode, for removal). */
export function emptyAndAlone(c: Connection): boolean {
  if (c.file === ':memory:' || c.db.inTransaction) return false;
  if (!switchJournal(c, 'delete', 0)) return false;
  const empty = isEmpty(c);
  if (!empty) switchJournal(c, 'wal', null);
  return empty;
}

function backToWal(c: Connection): void {
  if (!c.loadingWithoutWal) return;
  c.loadingWithoutWal = false;
  // Best effort, after the data is committed (or rolled back): a failure here must not report
  // a committed import as failed. Waits (busy_timeout) for readers that opened the database
  // during the load; whatever stops it, the next open switches back: it always asks for WAL.
  try {
    switchJournal(c, 'wal', null);
  } catch {
    /* left to the next open */
  }
}

/** Sets the journal mode, waiting at most `waitMs` for other connections (null: busy_timeout); whether it took. */
function switchJournal(c: Connection, mode: 'delete' | 'wal', waitMs: number | null): boolean {
  const attempt = (): boolean => {
    // Leaving WAL needs the only connection: while any other is open, SQLite stays in WAL.
    const ok = c.db.pragma(`journal_mode = ${mode}`, { simple: true }) === mode;
    // A rollback journal is only as safe as its syncs: FULL while loading, NORMAL again in WAL.
    if (ok) c.db.pragma(mode === 'delete' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    return ok;
  };
  return unlessBusy(c, waitMs, attempt) ?? false;
}

/** Runs `fn`, waiting at most `waitMs` for a lock (null: busy_timeout); undefined when the database stayed busy. */
export function unlessBusy<T>(c: Connection, waitMs: number | null, fn: () => T): T | undefined {
  const timeout = c.db.pragma('busy_timeout', { simple: true }) as number;
  if (waitMs !== null) c.db.pragma(`busy_timeout = ${waitMs}`);
  try {
    return fn();
  } catch (e) {
    if (isPlainBusy(e)) return undefined;
    throw e;
  } finally {
    if (waitMs !== null) c.db.pragma(`busy_timeout = ${timeout}`);
  }
}
