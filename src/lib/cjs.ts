// Modules loaded through `require`, on first use. better-sqlite3 is CommonJS with a native addon
// (it stays outside the CLI's bundle); loading it, or node:crypto, only when a command needs it
// keeps every command's start short (BENCHMARKS.md).
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

let sqlite: typeof BetterSqlite3 | undefined;
/** better-sqlite3's Database class, loaded on first use. */
export function sqliteDatabase(): typeof BetterSqlite3 {
  return (sqlite ??= require('better-sqlite3') as typeof BetterSqlite3);
}

/** node:crypto, loaded on first use: loading it costs ~4 ms that most commands never need. */
export function nodeCrypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto');
}

/**
 * The compiled addon's path. Given to better-sqlite3 as `nativeBinding`, it skips the `bindings`
 * package's search (a stack-trace walk and a dozen stat calls, 1–3 ms per start). Falls back to that
 * search if the addon is not where `npm ci` builds it.
 */
export function sqliteAddonPath(): string | undefined {
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    return undefined;
  }
}
