// PostgreSQL and connection failures → the ports' StoreBusy / StoreError: the only place that knows
// SQLSTATE codes and socket error codes. Each StoreError's message is one line that says what failed
// (server unreachable, authentication, database missing, privilege, read-only, disk full) and where
// (the masked URL); its details carry the parts for the cli's translated message. No message or
// detail ever holds the password: URLs go through maskUrl, and the connection's password is blanked
// out of every text taken from the driver or the server.
//
// | condition                                                                  | becomes                |
// |----------------------------------------------------------------------------|------------------------|
// | ECONNREFUSED, ENOENT (no socket), EHOSTUNREACH, ENETUNREACH, ENOTFOUND,     | StoreError unreachable |
// |   EAI_AGAIN, ETIMEDOUT, ECONNRESET, EPIPE, EACCES, connect timeout, TLS     |                        |
// |   refused, 08xxx, 57P01-57P03 (shutdown / starting up)                      |                        |
// | 28P01 wrong password, 28000 no such role / no pg_hba entry, no password     | StoreError auth        |
// | 3D000 no such database                                                      | StoreError no-database |
// | 42501 insufficient privilege                                                | StoreError forbidden   |
// | 25006 read-only transaction (standby, default_transaction_read_only)        | StoreError readonly    |
// | 53100 disk full                                                             | StoreError full        |
// | 58030 / 58P01 / XX001 / XX002 I/O error, missing file, corrupted data       | StoreError io          |
// | 40001 serialization failure, 40P01 deadlock, 55P03 lock not available,     | StoreBusy              |
// |   53300 too many connections                                                |                        |
// | anything else (a bug, a constraint the app should have kept)                | unchanged              |
import { StoreBusy, StoreError, type StoreErrorKind } from '../../app/ports/errors.js';
import { MASK, maskUrlsIn } from '../common/url.js';

export interface PgErrorContext {
  /** The masked URL (maskUrl). */
  where: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** Texts to blank out of any message (the password in its forms). */
  secrets?: readonly string[];
}

/** SQLSTATEs that mean "another transaction is in the way: try again", never a user's mistake. */
export const BUSY_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01', '55P03', '53300']);

const SQLSTATE_KIND: Readonly<Record<string, StoreErrorKind>> = {
  '28P01': 'auth',
  '28000': 'auth',
  '3D000': 'no-database',
  '42501': 'forbidden',
  '25006': 'readonly',
  '53100': 'full',
  '58030': 'io',
  '58P01': 'io',
  XX001: 'io',
  XX002: 'io',
  '57P01': 'unreachable',
  '57P02': 'unreachable',
  '57P03': 'unreachable',
};

const SOCKET_REASON: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the server running, on this port?)',
  ENOENT: 'no server socket there (is the server running, is ?host= its socket folder?)',
  EACCES: 'permission denied on the server socket',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'no answer (timed out)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
};

/** The SQLSTATE of a server error (pg's DatabaseError), or null. */
export function sqlstateOf(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Whether retrying the transaction may succeed (a lock, a serialization failure, a deadlock). */
export function isPgBusy(e: unknown): boolean {
  const s = sqlstateOf(e);
  return s !== null && BUSY_SQLSTATES.has(s);
}

/**
 * The ports' error for a failure of pg or of the server: StoreBusy or StoreError as in the table
 * above; any other error comes back unchanged (it is a bug to be reported as one). `op` names the
 * operation for StoreBusy ("connect", "claim", …).
 */
export function pgStoreError(e: unknown, ctx: PgErrorContext, op = 'query'): Error {
  if (e instanceof StoreError || e instanceof StoreBusy) return e;
  if (!(e instanceof Error)) return new Error(clean(String(e), ctx));
  const sqlstate = sqlstateOf(e);
  if (sqlstate && BUSY_SQLSTATES.has(sqlstate)) return new StoreBusy(op, { cause: e });
  const serverText = clean(e.message, ctx);
  const kind = sqlstate ? (SQLSTATE_KIND[sqlstate] ?? (sqlstate.startsWith('08') ? 'unreachable' : null)) : null;
  if (kind) return storeError(kind, sqlstate!, serverText, ctx, e);
  const unreachable = connectionFailure(e);
  if (unreachable) return storeError('unreachable', unreachable.code, unreachable.reason, ctx, e);
  // pg's SCRAM refuses to start without a password: the server asked for one and none was given.
  if (/^SASL: .*client password must be a (non-empty )?string/.test(e.message))
    return storeError('auth', 'no-password', 'the server asks for a password and none was given (URL, PGPASSWORD or ~/.pgpass)', ctx, e);
  return e;
}

/** The one-line message of each kind; the cli translates from `kind` and `details`. */
function storeError(kind: StoreErrorKind, code: string, reason: string, ctx: PgErrorContext, cause: unknown): StoreError {
  const place = placeOf(ctx);
  const user = ctx.user ?? '?';
  const message = (() => {
    switch (kind) {
      case 'unreachable':
        return `cannot reach PostgreSQL at ${place}: ${reason} (${ctx.where})`;
      case 'auth':
        return `PostgreSQL refused user "${user}" at ${place}: ${reason} (${ctx.where})`;
      case 'no-database':
        return `PostgreSQL at ${place} has no database "${ctx.database ?? '?'}" (${ctx.where})`;
      case 'forbidden':
        return `user "${user}" lacks a privilege on ${ctx.where}: ${reason}`;
      case 'readonly':
        return `the database ${ctx.where} takes no writes here: ${reason}`;
      case 'full':
        return `the PostgreSQL server of ${ctx.where} has no disk space left: ${reason}`;
      default:
        return `the PostgreSQL server of ${ctx.where} failed: ${reason}`;
    }
  })();
  const details: Record<string, string | number> = { url: ctx.where, code, reason };
  if (ctx.host !== undefined) details.host = ctx.host;
  if (ctx.port !== undefined) details.port = ctx.port;
  if (ctx.database !== undefined) details.database = ctx.database;
  if (ctx.user !== undefined) details.user = ctx.user;
  return new StoreError(kind, oneLine(message), details, { cause });
}

function placeOf(ctx: PgErrorContext): string {
  if (!ctx.host) return ctx.where;
  // A socket folder: the socket file is named after the port.
  if (ctx.host.startsWith('/')) return `${ctx.host}/.s.PGSQL.${ctx.port ?? 5432}`;
  return `${ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host}:${ctx.port ?? 5432}`;
}

/** Why no connection could be made, when that is what `e` says. */
function connectionFailure(e: Error): { code: string; reason: string } | null {
  const codes = [e, ...((e as { errors?: unknown[] }).errors ?? []), (e as { cause?: unknown }).cause]
    .map((x) => (x as { code?: unknown } | null | undefined)?.code)
    .filter((c): c is string => typeof c === 'string');
  for (const code of codes) if (SOCKET_REASON[code]) return { code, reason: SOCKET_REASON[code]! };
  const m = e.message;
  if (/^(timeout exceeded when trying to connect|Connection terminated due to connection timeout|timeout expired)$/.test(m)) return { code: 'timeout', reason: 'no answer within the connect timeout' };
  if (/^Connection terminated( unexpectedly)?$/.test(m)) return { code: 'closed', reason: 'the server closed the connection' };
  if (/^The server does not support SSL connections$/.test(m)) return { code: 'no-tls', reason: 'the server does not offer TLS (sslmode asks for it)' };
  // Node's TLS: certificate checks (verify-ca / verify-full) and handshake failures.
  const tls = codes.find((c) => /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/.test(c));
  if (tls) return { code: tls, reason: `TLS: the server's certificate or handshake was refused (${tls})` };
  return null;
}

/** A text from the driver or server made safe to print: first line, URLs masked, secrets blanked. */
function clean(text: string, ctx: PgErrorContext): string {
  let out = maskUrlsIn(oneLine(text));
  for (const s of [...(ctx.secrets ?? [])].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
  return out.length > 300 ? `${out.slice(0, 297)}...` : out;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n[\s\S]*$/, '').trim();
}
