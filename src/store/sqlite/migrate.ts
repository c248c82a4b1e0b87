// Schema versions (PRAGMA user_version): a new file gets the whole history, an older one is backed
// up (VACUUM INTO) and brought up to date under the write lock; a newer one, or another program's
// SQLite file, is refused untouched.
import fs from 'node:fs';
import { StoreError } from '../../app/ports/errors.js';
import type { SqliteDatabase } from './driver.js';
import { unreadable } from './errors.js';
import { MIGRATIONS } from './schema.js';

export interface MigrateOptions {
  /** Called before an existing database is migrated, with the backup's path. */
  onBackup?: (file: string) => void;
  /** The schema history; tests pass a longer one to exercise upgrades. */
  migrations?: readonly string[];
}

function hasRefundsTables(db: SqliteDatabase): boolean {
  const n = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('refunds', 'refund_history', 'orders', 'decisions')").pluck().get() as number;
  return n === 4;
}

export function migrate(db: SqliteDatabase, file: string, existed: boolean, opts: MigrateOptions): void {
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
