// better-sqlite3, loaded through `require` on first use. It is CommonJS with a native addon (it
// stays outside the CLI's bundle); loading it only when a command opens a store keeps every
// command's start short (BENCHMARKS.md). The only file that loads better-sqlite3.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;

let sqlite: typeof BetterSqlite3 | undefined;
/** better-sqlite3's Database class, loaded on first use. */
export function sqliteDatabase(): typeof BetterSqlite3 {
  return (sqlite ??= require('better-sqlite3') as typeof BetterSqlite3);
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
