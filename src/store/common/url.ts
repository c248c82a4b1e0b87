// What a --db / REFUNDS_DB target names, and how it may be shown. A target is a SQLite file path, or a
// PostgreSQL URL in libpq's form (postgres:// or postgresql://). A URL can carry a password, in its
// user part or as ?password=; it is never printed: every message, --help text and error shows a target
// through maskUrl (or a text that may quote one through maskUrlsIn).

export type StoreBackend = 'sqlite' | 'postgres';

export type StoreTarget =
  | { readonly backend: 'sqlite'; readonly path: string }
  | { readonly backend: 'postgres'; readonly url: string }
  /** Looks like a URL of another scheme (mysql://, sqlite://…): not a file name anyone means. */
  | { readonly backend: 'unsupported'; readonly scheme: string };

const POSTGRES_SCHEME = /^postgres(?:ql)?:\/\//i;
const ANY_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

export function isPostgresUrl(target: string): boolean {
  return POSTGRES_SCHEME.test(target.trimStart());
}

export function storeTargetOf(target: string): StoreTarget {
  if (isPostgresUrl(target)) return { backend: 'postgres', url: target.trim() };
  const scheme = ANY_SCHEME.exec(target.trimStart());
  // One letter before :// is a Windows drive (C://x), still a path.
  if (scheme && scheme[1]!.length > 1) return { backend: 'unsupported', scheme: scheme[1]!.toLowerCase() };
  return { backend: 'sqlite', path: target };
}

export const MASK = '***';

// The user part runs to the LAST @ (an unencoded @ or / in a password still hides all of it); when a
// later part of the URL has an @ too, more is hidden than needed, never less.
const USERINFO_PASSWORD = /^(\s*postgres(?:ql)?:\/\/[^:/?#@]*):.*@/is;
// libpq's parameters that hold secrets, as query parameters (?password=…&sslpassword=…).
const SECRET_PARAM = /([?&](?:ssl)?password=)[^&#]*/gi;

/** The target as it may be printed: a URL's password (user part or ?password=) replaced by ***. Paths come back as they are. */
export function maskUrl(target: string): string {
  if (!isPostgresUrl(target)) return target;
  const m = USERINFO_PASSWORD.exec(target);
  const out = m ? `${m[1]}:${MASK}@${target.slice(m[0].length)}` : target;
  return out.replace(SECRET_PARAM, `$1${MASK}`);
}

const URL_IN_TEXT = /postgres(?:ql)?:\/\/[^\s'"<>`]*/gi;

/**
 * A text (an error message, a log line) with every PostgreSQL URL in it masked. A URL ends at white
 * space here, so a password with an unencoded space is not fully covered: pg/errors.ts also blanks
 * the connection's known password wherever it appears.
 */
export function maskUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => maskUrl(url));
}
