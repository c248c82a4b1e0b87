// The one place that picks a backend for a --db / --to target (store/common/url.ts says which): a
// path is a SQLite file, a postgres:// or postgresql:// URL a PostgreSQL database. The PostgreSQL
// backend is imported only for a URL, so a SQLite command never loads `pg`.
import { StoreError, type Ports } from '../app/ports/index.js';
import type { Clock, ShopZone } from '../domain/time.js';
import { MASK, maskUrl, storeTargetOf } from './common/url.js';
import { portsOf } from './legacyPorts.js';
import { openStore } from './store.js';

export interface OpenPortsOptions {
  zone: ShopZone;
  /** The store's clock for claim expiry (SQLite; PostgreSQL judges on the server's clock). */
  clock: Clock;
  readonly?: boolean;
  /** SQLite: how long to wait for another process's lock. */
  busyTimeoutMs?: number;
  /** SQLite: told the backup's path before an existing database is migrated. */
  onBackup?: (file: string) => void;
  /** PG* variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What src/store/pg/index.ts exports (package E1); see the note at its import below. */
interface PgBackend {
  openPostgresPorts(url: string, opts: { zone: ShopZone; migrate?: boolean; env?: NodeJS.ProcessEnv }): Promise<Ports>;
}

/** Opens (and migrates, unless read-only) the store at `target`; a missing SQLite file is created. */
export async function openPorts(target: string, opts: OpenPortsOptions): Promise<Ports> {
  const t = storeTargetOf(target);
  if (t.backend === 'unsupported') {
    const reason = `${t.scheme}:// is not a database refunds can use (a SQLite file path, or a postgres:// URL)`;
    // Its password is hidden as a postgres:// URL's would be.
    const shown = target.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):.*@/is, `$1:${MASK}@`);
    throw new StoreError('open', reason, { path: shown, reason });
  }
  if (t.backend === 'postgres') {
    // Loaded only when a URL names it, so a SQLite command never loads `pg` (its own chunk in the bundle).
    const pg: PgBackend = await import('./pg/index.js');
    return pg.openPostgresPorts(t.url, { zone: opts.zone, migrate: !opts.readonly, env: opts.env });
  }
  try {
    const store = openStore(t.path, { readonly: opts.readonly, busyTimeoutMs: opts.busyTimeoutMs, onBackup: opts.onBackup });
    return portsOf(store, opts.clock);
  } catch (e) {
    if (e instanceof StoreError) throw e;
    // The folder cannot be created or the file opened (mkdir/open before SQLite sees it).
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const reason = (e as Error).message;
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new StoreError('readonly', reason, { path: t.path, reason });
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new StoreError('full', reason, { path: t.path, reason });
    if (code) throw new StoreError('open', reason, { path: t.path, reason: code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file, not a folder' : reason });
    throw e;
  }
}
