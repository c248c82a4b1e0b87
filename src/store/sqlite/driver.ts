// better-sqlite3's JavaScript is bundled into the CLI's sweep chunk (rolldown.config.mjs): a dozen
// files fewer for Node to find, read and compile when a command opens a store. Its native addon is
// loaded from node_modules by path (sqliteAddonPath). The only file that loads better-sqlite3.
import { createRequire } from 'node:module';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;

/** better-sqlite3's Database class. */
export function sqliteDatabase(): typeof BetterSqlite3 {
  return BetterSqlite3;
}

/**
 * The compiled addon's path. Given to better-sqlite3 as `nativeBinding`, it skips the `bindings`
 * package's search (a stack-trace walk and a dozen stat calls, 1–3 ms per start). If the addon is
 * not where `npm ci` builds it, that search runs in better-sqlite3's own folder, as better-sqlite3
 * would run it (bundled, it would look beside the CLI's chunks instead).
 */
export function sqliteAddonPath(): string | undefined {
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    try {
      const bindings = require('bindings') as (o: { bindings: string; module_root: string; path: true }) => string;
      return bindings({ bindings: 'better_sqlite3.node', module_root: path.dirname(require.resolve('better-sqlite3/package.json')), path: true });
    } catch {
      return undefined;
    }
  }
}
