// A pool of connections to the PostgreSQL server a --db / REFUNDS_DB URL names (libpq's URL form), set
// up so that a row reads like the SQLite backend's row of the same table:
//   timestamptz → the shop-zone ISO text the app stored ('2025-04-21T09:00:00+08:00', ShopZone.iso);
//   bigint (int8) and numeric → number (fen, epoch ms, counts; sum() of a bigint is numeric);
//   boolean → 1 / 0 (SQLite's integers); json / jsonb → their text (the mappers JSON.parse it).
// So the SQLite row mappers, rowMerge's comparisons and --json outputs stay the same byte for byte.
//
// Only the PostgreSQL backend imports this file (store/open.ts loads the backend on demand): a SQLite
// command never loads pg.
import fs from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { parse } from 'pg-connection-string';
import type { ShopZone } from '../../domain/time.js';
import { StoreError } from '../../app/ports/errors.js';
import { maskUrl } from '../common/url.js';
import { pgStoreError, type PgErrorContext } from './errors.js';
import { pgDriver } from './driver.js';

const driver = pgDriver();

export interface PgConnectOptions {
  /** The shop's zone: times come back as its ISO text, and the server's TimeZone is set to it. */
  zone: ShopZone;
  /** Connections in the pool (default 4: a command runs a few queries at once at most). */
  max?: number;
  /** Environment for the PG* variables (default process.env; tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

/** What the URL and the PG* variables resolved to, for messages (never the password). */
export interface PgTarget {
  /** The URL as it may be printed (maskUrl). */
  where: string;
  /** Host name, or the socket folder for a Unix socket. */
  host: string;
  port: number;
  database: string;
  user: string;
  /** Whether TLS is used, and whether the server's certificate is checked. */
  tls: 'off' | 'unverified' | 'verified';
}

export interface PgConnection {
  readonly pool: pg.Pool;
  readonly target: PgTarget;
  /** Context for pgStoreError: where, who, and the secrets to blank out of any message. */
  readonly errorContext: PgErrorContext;
  /** server_version_num, e.g. 150018 for 15.18. */
  readonly serverVersion: number;
  /** Ends every connection; idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_POOL_SIZE = 4;
/** Generated columns (refunds.*_ms) need PostgreSQL 12. */
const MIN_SERVER_VERSION = 120000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** libpq's default socket folder on Debian/Ubuntu, used when neither the URL nor PGHOST names a host. */
const DEBIAN_SOCKET_DIR = '/var/run/postgresql';

type SslConfig = false | { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; checkServerIdentity?: () => undefined };

export interface PgPoolConfig extends pg.PoolConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  ssl: SslConfig;
  application_name: string;
  options: string;
}

/**
 * The pool's settings from a URL, with the standard PG* variables filling what it leaves out (PGHOST,
 * PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY, PGAPPNAME,
 * PGCONNECT_TIMEOUT; ~/.pgpass is read by pg when no password is given). sslmode keeps libpq's meaning
 * (disable/allow: no TLS; prefer/require: TLS without checking the certificate, and pg cannot fall back
 * to plain text; verify-ca / verify-full: checked; pg's no-verify = require); a Unix socket never uses
 * TLS, as in libpq. Without any sslmode there is no TLS (pg's default; libpq's default, prefer, tries
 * TLS first and falls back, which pg cannot).
 * Throws StoreError('open') for a URL or setting that cannot work, with the password masked.
 */
export function pgPoolConfig(url: string, opts: PgConnectOptions): PgPoolConfig {
  const env = opts.env ?? process.env;
  const where = maskUrl(url);
  const bad = (why: string) => new StoreError('open', `${why}: ${where}`, { url: where, reason: why });
  let withEnv = url.trim();
  // libpq reads these only when the URL leaves them out; pg-connection-string knows only the URL.
  for (const [param, name] of [['sslmode', 'PGSSLMODE'], ['sslrootcert', 'PGSSLROOTCERT'], ['sslcert', 'PGSSLCERT'], ['sslkey', 'PGSSLKEY']] as const) {
    const value = env[name];
    if (value && !new RegExp(`[?&]${param}=`, 'i').test(withEnv)) withEnv += `${withEnv.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(value)}`;
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(withEnv, { useLibpqCompat: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // An sslrootcert/sslcert/sslkey file that cannot be read; an invalid URL (pg redacts its input).
    if (err.code && err.path) throw bad(`cannot read ${err.path} (${err.code})`);
    throw bad(/SECURITY WARNING/.test(err.message) ? 'sslmode=verify-ca needs sslrootcert (the CA certificate file)' : `not a valid PostgreSQL URL (${firstLine(err.message)})`);
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

  const host = str(parsed.host) ?? str(env.PGHOST) ?? (isDir(DEBIAN_SOCKET_DIR) ? DEBIAN_SOCKET_DIR : 'localhost');
  const portText = str(parsed.port) ?? str(env.PGPORT) ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port ${portText} is not a port number`);
  const user = str(parsed.user) ?? str(env.PGUSER) ?? os.userInfo().username;
  const database = str(parsed.database) ?? str(env.PGDATABASE) ?? user;
  const password = str(parsed.password) ?? str(env.PGPASSWORD);

  const sslmode = (str(parsed.sslmode) ?? 'disable').toLowerCase();
  if (!['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'].includes(sslmode)) throw bad(`sslmode=${sslmode} is not one of disable, allow, prefer, require, verify-ca, verify-full`);
  const socket = host.startsWith('/');
  let ssl: SslConfig = false;
  if (!socket && sslmode !== 'disable' && sslmode !== 'allow' && parsed.ssl && typeof parsed.ssl === 'object') {
    const s = parsed.ssl as { rejectUnauthorized?: boolean; ca?: string; cert?: string; key?: string; checkServerIdentity?: () => undefined };
    // no-verify: pg's own word for require (libpq compatibility leaves it verified otherwise)
    ssl = { rejectUnauthorized: sslmode !== 'no-verify' && s.rejectUnauthorized !== false };
    if (s.ca) ssl.ca = s.ca;
    if (s.cert) ssl.cert = s.cert;
    if (s.key) ssl.key = s.key;
    if (s.checkServerIdentity) ssl.checkServerIdentity = s.checkServerIdentity;
  }

  const timeoutText = str(parsed.connect_timeout) ?? str(env.PGCONNECT_TIMEOUT);
  const timeoutS = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutS !== undefined && !(Number.isFinite(timeoutS) && timeoutS >= 0)) throw bad(`connect_timeout=${timeoutText} is not a number of seconds`);
  // libpq: 0 waits forever; a shop's agent is better told within a few seconds.
  const connectionTimeoutMillis = timeoutS ? Math.max(2, timeoutS) * 1000 : DEFAULT_CONNECT_TIMEOUT_MS;

  if (!/^[A-Za-z0-9_+\-/]+$/.test(opts.zone.name)) throw bad(`time zone ${opts.zone.name} cannot be given to the server`);
  // Ours last, so that they win over the URL's own options: the timestamptz parser below reads
  // DateStyle ISO; the server's day boundaries (date_trunc, ::date) are the shop's.
  const options = [str(parsed.options), `-c DateStyle=ISO,YMD -c IntervalStyle=postgres -c TimeZone=${opts.zone.name}`].filter(Boolean).join(' ');

  const config: PgPoolConfig = {
    host,
    port,
    database,
    user,
    ssl,
    application_name: str(parsed.application_name) ?? str(env.PGAPPNAME) ?? 'refunds',
    options,
    max: opts.max ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis,
    idleTimeoutMillis: 10_000,
    // A command that forgets to close the store still exits when its work is done.
    allowExitOnIdle: true,
    types: rowTypes(opts.zone),
    Client: ClosingClient as unknown as PgPoolConfig['Client'],
  };
  const fallback = str(parsed.fallback_application_name);
  if (fallback) config.fallback_application_name = fallback;
  // Not enumerable: pg does the same, so the password is in no console.log or error dump of the config.
  if (password !== undefined) Object.defineProperty(config, 'password', { value: password, enumerable: false, writable: true, configurable: true });
  return config;
}

/**
 * pg leaves the socket open when a connection fails on the client's side of authentication (no
 * password for SCRAM, a TLS check): the server then waits for it until authentication_timeout
 * (60 s), holding the process open and blocking DROP DATABASE. This client closes it.
 */
class ClosingClient extends driver.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const destroy = () => (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    const connect = driver.Client.prototype.connect as (this: pg.Client, cb?: (err: Error | null) => void) => Promise<unknown> | void;
    (this as { connect: unknown }).connect = (callback?: (err: Error | null) => void) => {
      if (!callback)
        return (connect.call(this) as Promise<unknown>).catch((e: unknown) => {
          destroy();
          throw e;
        });
      connect.call(this, (err) => {
        if (err) destroy();
        callback(err);
      });
    };
  }
}

/** The target the config names, for messages. */
export function pgTargetOf(url: string, config: PgPoolConfig): PgTarget {
  return {
    where: maskUrl(url),
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    tls: config.ssl === false ? 'off' : config.ssl.rejectUnauthorized ? 'verified' : 'unverified',
  };
}

/**
 * Opens a pool and proves it with one round trip, so that a wrong host, password or database name
 * fails here, as a StoreError of kind unreachable / auth / no-database (one line, no password).
 */
export async function connectPg(url: string, opts: PgConnectOptions): Promise<PgConnection> {
  const config = pgPoolConfig(url, opts);
  const target = pgTargetOf(url, config);
  const secrets = secretsOf(url, (config as { password?: string }).password);
  const errorContext: PgErrorContext = { where: target.where, host: target.host, port: target.port, database: target.database, user: target.user, secrets };
  const pool = new driver.Pool(config);
  // An idle connection that breaks (server restart, network) emits 'error' on the pool; without a
  // listener Node would end the process. The next query gets a fresh connection or a mapped error.
  pool.on('error', () => {});
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= pool.end().catch(() => {}));
  let serverVersion: number;
  try {
    serverVersion = (await pool.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v")).rows[0]!.v;
  } catch (e) {
    await close();
    throw pgStoreError(e, errorContext, 'connect');
  }
  if (serverVersion < MIN_SERVER_VERSION) {
    await close();
    const found = `${Math.floor(serverVersion / 10000)}`;
    throw new StoreError('open', `PostgreSQL ${found} at ${target.where} is too old: refunds needs PostgreSQL 12 or later (generated columns)`, { url: target.where, found, needed: '12' });
  }
  return { pool, target, errorContext, serverVersion, close };
}

/** The password in every form it may appear in a message: as given, URL-encoded, decoded. */
function secretsOf(url: string, password: string | undefined): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined) => {
    if (s && s.length >= 3) out.add(s); // a one- or two-letter "secret" would blank ordinary words
  };
  add(password);
  if (password) add(encodeURIComponent(password));
  const m = /^\s*postgres(?:ql)?:\/\/[^:/?#@]*:(.*)@/is.exec(url);
  if (m) {
    add(m[1]);
    try {
      add(decodeURIComponent(m[1]!));
    } catch {
      /* not valid percent-encoding: the raw form is covered */
    }
  }
  for (const q of url.matchAll(/[?&](?:ssl)?password=([^&#]*)/gi)) {
    add(q[1]);
    try {
      add(decodeURIComponent(q[1]!));
    } catch {
      /* as above */
    }
  }
  return [...out];
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

// ---- values as the SQLite backend gives them --------------------------------------------------

const OID = { bool: 16, int8: 20, json: 114, date: 1082, timestamp: 1114, timestamptz: 1184, numeric: 1700, jsonb: 3802 } as const;

/** The type parsers of a pool: see the head of this file. Binary format is never used. */
export function rowTypes(zone: ShopZone): pg.CustomTypesConfig {
  const asText = (v: string) => v;
  const own: Record<number, (v: string) => unknown> = {
    [OID.int8]: Number,
    [OID.numeric]: Number,
    [OID.bool]: (v: string) => (v === 't' ? 1 : 0),
    [OID.timestamptz]: (v: string) => {
      const ms = epochMsOfTimestamptz(v);
      return Number.isFinite(ms) ? zone.iso(ms) : v;
    },
    // Never stored by refunds; text rather than pg's guess at a local time.
    [OID.timestamp]: asText,
    [OID.date]: asText,
    [OID.json]: asText,
    [OID.jsonb]: asText,
  };
  return {
    getTypeParser: ((oid: number, format?: string) => (format !== 'binary' && own[oid]) || driver.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  };
}

// DateStyle ISO output of a timestamptz: 2025-04-21 09:00:00+08, with .ffffff, :MM / :MM:SS offsets, " BC".
const TIMESTAMPTZ = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;

/** The instant of a timestamptz as the server writes it under DateStyle ISO (any TimeZone). */
export function epochMsOfTimestamptz(text: string): number {
  const m = TIMESTAMPTZ.exec(text);
  // refunds never stores them; a shop's own rows might: Number's infinities, not a throw mid-row.
  if (text === 'infinity') return Infinity;
  if (text === '-infinity') return -Infinity;
  if (!m) throw new Error(`unexpected timestamptz text from the server: ${JSON.stringify(text)} (is DateStyle ISO?)`);
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3])); // not Date.UTC: it maps years 0–99 to 1900–1999
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)));
  const offsetS = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  return d.getTime() - offsetS * 1000;
}
