// What every command needs, resolved once from global flags, environment and config:
// the database path, "now", the shop's zone, the language, colour, and a lazily opened store.
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig, ConfigError, type Config } from '../config.js';
import { UserError, UsageError } from '../errors.js';
import { ShopZone, DEFAULT_ZONE, parseShopTime, parseDuration } from '../domain/time.js';
import { defaultDbPath, openPorts } from '../store/open.js';
import { isPostgresUrl, maskUrl } from '../store/common/url.js';
import { storeErrorMessage as storeErrorText, systemStoreMessage } from '../ui/storeErrors.js';
import type { Ports } from '../app/ports/index.js';
import { StoreBusy, StoreError, type StoreError as PortStoreError } from '../app/ports/errors.js';
import { systemClock, type Clock } from '../domain/time.js';
import { detectLang, setLang, t, type Lang } from '../ui/i18n.js';
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
  /**
   * Opens (and migrates) the database, once per command: its ports. A missing file is refused
   * unless `create` (import, receive): a typo in --db must not pass as an empty shop. Claims
   * expire on the real clock.
   */
  ports(opts?: { readonly?: boolean; create?: boolean }): Promise<Ports>;
  agentName(flag?: string): string;
  /** Parses a duration flag or throws a usage error naming it. */
  duration(value: string): number;
  close(): void;
}

/** The user's message for a store failure at `target` (masked here: a URL may carry its password). */
export function storeErrorMessage(e: PortStoreError, target: string): string {
  return storeErrorText(e, maskUrl(target));
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
    async ports(opts = {}) {
      if (ports) return ports;
      // A file of 0 bytes is a database an import is only now creating: not one to read (nor to set up).
      if (!isPostgresUrl(dbPath) && !opts.create && !(fs.statSync(dbPath, { throwIfNoEntry: false })?.size ?? 0)) {
        throw new UserError(t('db.missing', { path: forTerminal(maskUrl(dbPath)) }));
      }
      try {
        ports = await openPorts(dbPath, {
          zone,
          readonly: opts.readonly,
          busyTimeoutMs,
          clock: claimClock,
          onBackup: (file) => io.err(t('db.backedUp', { file })),
        });
      } catch (e) {
        if (e instanceof StoreError) {
          // Said by main.ts (error.dbBusy); an import waits and tries again.
          if (e.kind === 'locked') throw new StoreBusy('open', { cause: e });
          throw new UserError(storeErrorMessage(e, dbPath));
        }
        const said = systemStoreMessage(String((e as NodeJS.ErrnoException).code ?? ''), maskUrl(dbPath));
        if (said !== null && !(e instanceof StoreBusy)) throw new UserError(said);
        throw e;
      }
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
      // SQLite closes at once; PostgreSQL's pool ends in the background.
      void ports?.close();
      ports = null;
    },
  };
  return ctx;
}
