// The one place that chooses a backend: a --db / REFUNDS_DB target that is a path opens the SQLite
// store, a postgres:// or postgresql:// URL the PostgreSQL one (store/common/url.ts). Each backend
// is imported only when chosen, so a command on a file never loads `pg` (nor a URL better-sqlite3).
import path from 'node:path';
import { StoreError } from '../app/ports/errors.js';
import type { Ports } from '../app/ports/index.js';
import type { Clock } from '../domain/time.js';
import { storeTargetOf } from './common/url.js';

export interface OpenPortsOptions {
  readonly?: boolean;
  /** Called before an existing SQLite database is migrated, with the backup's path. */
  onBackup?: (file: string) => void;
  /** How long to wait for another process's lock before failing with StoreBusy (default 10 s). */
  busyTimeoutMs?: number;
  /** The store's clock for claims (SQLite; PostgreSQL judges them on the server's clock). */
  clock?: Clock;
}

export async function openPorts(target: string, opts: OpenPortsOptions = {}): Promise<Ports> {
  const t = storeTargetOf(target);
  switch (t.backend) {
    case 'sqlite':
      return (await import('./sqlite/index.js')).openSqlitePorts(t.path, opts);
    case 'postgres': {
      // Package E1's src/store/pg/index.ts; typed loosely until it is merged beside this file.
      const pg = (await import(/* @vite-ignore */ PG_INDEX)) as { openPostgresPorts(url: string, opts: OpenPortsOptions): Promise<Ports> };
      return pg.openPostgresPorts(t.url, opts);
    }
    default:
      throw new StoreError('open', `unsupported scheme ${t.scheme}://`, { path: target, reason: `${t.scheme}:// is not a store (a file path or postgres:// URL is)` });
  }
}

const PG_INDEX = './pg/index.js';

/** Where the database lives when neither --db nor REFUNDS_DB says: $XDG_DATA_HOME/refunds/refunds.sqlite. */
export function defaultDbPath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'refunds', 'refunds.sqlite');
}
