// Opening a SQLite store: the file created owner-only (it holds buyers' personal data), the header
// read before anything is written, the schema migrated, then WAL and the connection's pragmas.
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../app/ports/errors.js';
import { systemClock, type Clock } from '../../domain/time.js';
import { Connection } from './connection.js';
import { sqliteAddonPath, sqliteDatabase, type SqliteDatabase } from './driver.js';
import { isPlainBusy, portErrorOf, unreadable } from './errors.js';
import { migrate, type MigrateOptions } from './migrate.js';

export interface SqliteOpenOptions extends MigrateOptions {
  readonly?: boolean;
  /** How long to wait for another process's lock before failing with StoreBusy (default 10 s). */
  busyTimeoutMs?: number;
  /** The store's clock: claims expire on it (default: real time). */
  clock?: Clock;
}

export function openConnection(file: string, opts: SqliteOpenOptions = {}): Connection {
  const clock = opts.clock ?? systemClock;
  const existed = fs.existsSync(file);
  if (!existed) {
    if (opts.readonly) {
      // A read-only command on a missing database sees an empty one rather than creating a file.
      const mem = openDatabase(':memory:', opts);
      migrate(mem, ':memory:', false, opts);
      return new Connection(mem, ':memory:', file, clock);
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
      // A first load holds the database in rollback-journal mode (importWriter.ts beginLoad) and
      // puts WAL back when it ends; SQLite follows the file's mode on every transaction.
      if (!isPlainBusy(e)) throw e;
    }
    db.pragma('synchronous = NORMAL');
    // Big imports write random keys into large indexes: a 16 MB page cache keeps the hot pages off the disk within the import's 200 MB RSS budget.
    db.pragma('cache_size = -16384');
  } catch (e) {
    db.close();
    // A full disk or an unwritable file while setting up is said as such, not as an unknown failure.
    throw portErrorOf(e, 'open', file);
  }
  return new Connection(db, file, file, clock);
}

function openDatabase(file: string, opts: SqliteOpenOptions): SqliteDatabase {
  let db: SqliteDatabase;
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
