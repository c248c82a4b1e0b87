// What every command needs, resolved once from global flags, environment and config:
// the database path, "now", the shop's zone, the language, colour, and a lazily opened store.
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig, ConfigError, type Config } from '../config.js';
import { UserError, UsageError } from '../errors.js';
import { ShopZone, DEFAULT_ZONE, parseShopTime, parseDuration } from '../domain/time.js';
import { openStore, storePorts, type Store } from '../store/store.js';
import { defaultDbPath, openPorts, portsWhenOpen } from '../store/open.js';
import { isPostgresUrl, maskUrl } from '../store/common/url.js';
import type { Ports } from '../app/ports/index.js';
import { StoreBusy, StoreError, type StoreError as PortStoreError } from '../app/ports/errors.js';
import { systemClock, type Clock } from '../domain/time.js';
import { detectLang, hasKey, setLang, t, type Lang } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import { colorChalk, colorWanted, makeOutput, type Output } from '../ui/io.js';

export interface GlobalOptions {
  db?: string;
  now?: string;
  lang?: string;
  color?: boolean;
}

export interface Context {
  dbPath: string;
  zone: ShopZone;
  nowMs: number;
  /** True when --now/REFUNDS_NOW fixed the time. */
  nowFixed: boolean;
  lang: Lang;
  config: Config;
  configFile: string;
  io: Output;
  env: NodeJS.ProcessEnv;
  /** Opens (and migrates) the database. A missing file is refused unless `create` (import, receive): a typo in --db must not pass as an empty shop. */
  store(opts?: { readonly?: boolean; create?: boolean }): Store;
  /**
   * The ports over the same database (opened as `store` opens it, and the same connection: a
   * command may use both while its callers move). Claims expire on the command's clock: real time
   * counted from "now".
   */
  ports(opts?: { readonly?: boolean; create?: boolean }): Ports;
  agentName(flag?: string): string;
  /** Parses a duration flag or throws a usage error naming it. */
  duration(value: string): number;
  close(): void;
}

/** The user's message for a store failure: why the database at `where` cannot be used, and what to do. */
export function storeErrorMessage(e: PortStoreError, target: string): string {
  // A PostgreSQL URL may carry its password: never printed (issue 19).
  const where = maskUrl(target);
  const d = { path: where, url: where, reason: e.message, user: '', database: '', tables: '', ...e.details };
  // The backend's reason in the user's language, when its code has words of ours (messages/pgReasons.ts).
  const why = `error.pg.why.${String(e.details?.code ?? '')}`;
  if ((e.kind === 'unreachable' || e.kind === 'auth') && hasKey(why)) d.reason = t(why as 'error.pg.why.ENOENT');
  switch (e.kind) {
    case 'newer':
      return t('error.dbNewer', d);
    case 'not-a-db':
      return t('error.notRefundsDb', d);
    case 'locked':
      return t('error.dbBusy');
    case 'readonly':
      return t('error.dbReadonly', { path: forTerminal(where) });
    case 'full':
      return t('error.dbFull', { path: forTerminal(where) });
    case 'io':
      return t('error.dbIo', { path: forTerminal(where) });
    case 'unreachable':
      return t('error.pg.unreachable', d);
    case 'auth':
      return t('error.pg.auth', d);
    case 'no-database':
      return t('error.pg.noDatabase', d);
    case 'forbidden':
      return t('error.pg.forbidden', d);
    case 'not-empty':
      return t('error.pg.notEmpty', d);
    default:
      // 'open'; a PostgreSQL database nothing was imported into yet reads as a missing file does.
      if (e.details?.empty) return t('db.missing', { path: forTerminal(where) });
      return t('error.dbOpen', d);
  }
}

export function resolveLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  try {
    return detectLang(flag, env);
  } catch {
    // Said in the locale's language (the flag named none we know); the typed value is untrusted.
    throw new UsageError(t('error.badLang', { value: forTerminal(flag ?? '') }, detectLang(undefined, env)));
  }
}

export async function makeContext(g: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  const lang = resolveLang(g.lang, env);
  setLang(lang);
  let loaded;
  try {
    loaded = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError(t('error.config', { path: forTerminal(e.file), reason: forTerminal(e.message) }));
    throw e;
  }
  const config = loaded.config;
  let zone: ShopZone;
  try {
    zone = new ShopZone(env.REFUNDS_TZ || config.timeZone || DEFAULT_ZONE);
  } catch {
    throw new UserError(t('error.badZone', { value: env.REFUNDS_TZ || config.timeZone || '' }));
  }
  const nowText = g.now ?? env.REFUNDS_NOW;
  let nowMs = Date.now();
  if (nowText !== undefined && nowText !== '') {
    const parsed = parseShopTime(nowText, zone);
    if (parsed === null) throw new UsageError(t('error.badNow', { value: nowText }));
    nowMs = parsed;
  }
  const dbPath = g.db || env.REFUNDS_DB || defaultDbPath(env, os.homedir());
  // How long a command waits for another one's write lock (a first import holds it to the end).
  const busyTimeoutMs = env.REFUNDS_BUSY_TIMEOUT_MS ? Number(env.REFUNDS_BUSY_TIMEOUT_MS) : undefined;
  if (busyTimeoutMs !== undefined && !(Number.isInteger(busyTimeoutMs) && busyTimeoutMs >= 0)) {
    throw new UsageError(t('error.badBusyTimeout', { value: env.REFUNDS_BUSY_TIMEOUT_MS! }));
  }
  const color = colorWanted(g.color !== false, env, Boolean(process.stdout.isTTY));
  const io = makeOutput({ color, chalk: color ? await colorChalk() : undefined });
  let store: Store | null = null;
  let ports: Ports | null = null;
  // Claims expire on the real clock, whatever --now says: every process sharing the store (triage
  // desks, `decide`, another shop's terminal) agrees on what is live, as PostgreSQL's clock_timestamp().
  const claimClock: Clock = systemClock;
  const ctx: Context = {
    dbPath,
    zone,
    nowMs,
    nowFixed: nowText !== undefined && nowText !== '',
    lang,
    config,
    configFile: loaded.file,
    io,
    env,
    store(opts = {}) {
      if (store) return store;
      // The synchronous Store is SQLite's only: a command still on it cannot use a server.
      if (isPostgresUrl(dbPath)) throw new UserError(t('error.dbNeedsFile', { path: forTerminal(maskUrl(dbPath)) }));
      // A file of 0 bytes is a database an import is only now creating: not one to read (nor to set up).
      if (!opts.create && !(fs.statSync(dbPath, { throwIfNoEntry: false })?.size ?? 0)) throw new UserError(t('db.missing', { path: forTerminal(maskUrl(dbPath)) }));
      try {
        store = openStore(dbPath, {
          readonly: opts.readonly,
          busyTimeoutMs,
          onBackup: (file) => io.err(t('db.backedUp', { file })),
        });
      } catch (e) {
        if (e instanceof StoreError) {
          // Said by main.ts (error.dbBusy); an import waits and tries again.
          if (e.kind === 'locked') throw new StoreBusy('open', { cause: e });
          throw new UserError(storeErrorMessage(e, dbPath));
        }
        const code = (e as NodeJS.ErrnoException).code ?? '';
        if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new UserError(t('error.dbReadonly', { path: forTerminal(maskUrl(dbPath)) }));
        if (code === 'ENOSPC' || code === 'EDQUOT') throw new UserError(t('error.dbFull', { path: forTerminal(maskUrl(dbPath)) }));
        throw e;
      }
      return store;
    },
    ports(opts = {}) {
      if (ports) return ports;
      if (isPostgresUrl(dbPath)) {
        // Opened in the background: the first call waits for it (and reports its failure through main.ts).
        ports = portsWhenOpen(dbPath, openPorts(dbPath, { zone, readonly: opts.readonly, busyTimeoutMs, clock: claimClock }), 'postgres');
        return ports;
      }
      // SQLite: the native ports on the Store's own connection, while commands still mix the two
      // (one connection: a first load must be alone, and a unit of work joins the Store's transaction).
      ports = storePorts(ctx.store(opts), claimClock);
      return ports;
    },
    agentName(flag) {
      // A name is printed on every decision and screen: no escape sequence rides along (issue 14).
      if (flag && forTerminal(flag).trim()) return forTerminal(flag).trim();
      if (config.agent && forTerminal(config.agent).trim()) return forTerminal(config.agent).trim();
      try {
        return os.userInfo().username;
      } catch {
        return env.USER || 'agent';
      }
    },
    duration(value) {
      const ms = parseDuration(value);
      if (ms === null) throw new UsageError(t('error.badDuration', { value }));
      return ms;
    },
    close() {
      if (ports && !store) void ports.close();
      store?.close();
      store = null;
      ports = null;
    },
  };
  return ctx;
}
