// The one place that chooses a backend: a --db / REFUNDS_DB target that is a path opens the SQLite
// store, a postgres:// or postgresql:// URL the PostgreSQL one (store/common/url.ts). Each backend
// is imported only when chosen, so a command on a file never loads `pg` (nor a URL better-sqlite3).
import path from 'node:path';
import { StoreError } from '../app/ports/errors.js';
import type { Admin, Ports, TxPorts } from '../app/ports/index.js';
import type { Clock, ShopZone } from '../domain/time.js';
import { MASK, maskUrl, storeTargetOf } from './common/url.js';

export interface OpenPortsOptions {
  readonly?: boolean;
  /** Called before an existing SQLite database is migrated, with the backup's path. */
  onBackup?: (file: string) => void;
  /** How long to wait for another process's lock before failing with StoreBusy (default 10 s). */
  busyTimeoutMs?: number;
  /** The store's clock for claims (SQLite; PostgreSQL judges them on the server's clock). */
  clock?: Clock;
  /** The shop's zone (PostgreSQL reads its times back as this zone's ISO text). */
  zone: ShopZone;
  /** PG* variables filling what a URL leaves out (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The ports of `target` at once, opened in the background: each call waits for the opening (and
 * fails as it failed). For a caller that cannot await before handing the ports on.
 */
export function portsWhenOpen(target: string, opening: Promise<Ports>, backend: Ports['backend']): Ports {
  opening.catch(() => {}); // a failure is reported by the calls that wait for it
  const group = <K extends keyof TxPorts>(name: K): TxPorts[K] =>
    new Proxy({} as TxPorts[K], {
      // Not a thenable, not a symbol-keyed protocol: only the port's methods.
      get: (_, method) => (typeof method !== 'string' || method === 'then' ? undefined : async (...args: unknown[]) => {
        const g = (await opening)[name] as unknown as Record<string | symbol, (...a: unknown[]) => unknown>;
        return g[method]!(...args);
      }),
    });
  const admin = async (): Promise<Admin> => (await opening).admin;
  return {
    backend,
    where: backend === 'postgres' ? maskUrl(target) : target,
    cases: group('cases'),
    sweep: group('sweep'),
    deadlines: group('deadlines'),
    imports: group('imports'),
    decisions: group('decisions'),
    locks: group('locks'),
    reports: group('reports'),
    meta: group('meta'),
    admin: {
      backupTo: async (file) => (await admin()).backupTo(file),
      purgePersonalData: async (b, d, n) => (await admin()).purgePersonalData(b, d, n),
      counts: async () => (await admin()).counts(),
      load: async (t, rows) => (await admin()).load(t, rows),
      emptyAndAlone: async () => (await admin()).emptyAndAlone(),
      dump: (table, batch) => ({
        async *[Symbol.asyncIterator]() {
          yield* (await opening).admin.dump(table, batch);
        },
      }),
    },
    unitOfWork: async (fn, o) => (await opening).unitOfWork(fn, o),
    close: async () => {
      const p = await opening.catch(() => null);
      await p?.close();
    },
  };
}

export async function openPorts(target: string, opts: OpenPortsOptions): Promise<Ports> {
  const t = storeTargetOf(target);
  switch (t.backend) {
    case 'sqlite':
      try {
        return await (await import('./sqlite/index.js')).openSqlitePorts(t.path, opts);
      } catch (e) {
        throw fileErrorOf(e, t.path);
      }
    case 'postgres':
      return (await import('./pg/index.js')).openPostgresPorts(t.url, { zone: opts.zone, migrate: !opts.readonly, env: opts.env });
    default:
      // Its password is hidden as a postgres:// URL's would be.
      throw new StoreError('open', `unsupported scheme ${t.scheme}://`, {
        path: target.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):.*@/is, `$1:${MASK}@`),
        reason: `${t.scheme}:// is not a database refunds can use (a SQLite file path, or a postgres:// URL)`,
      });
  }
}

/** The folder cannot be created or the file opened (mkdir/open before SQLite sees it): a StoreError, not an internal error. */
function fileErrorOf(e: unknown, file: string): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason = (e as Error).message;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return new StoreError('readonly', reason, { path: file, reason });
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StoreError('full', reason, { path: file, reason });
  if (code) return new StoreError('open', reason, { path: file, reason: code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file, not a folder' : reason });
  return e;
}

/** Where the database lives when neither --db nor REFUNDS_DB says: $XDG_DATA_HOME/refunds/refunds.sqlite. */
export function defaultDbPath(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(base, 'refunds', 'refunds.sqlite');
}
