// Modules loaded through `require`, on first use: loading node:crypto only when a command needs it
// keeps every command's start short (BENCHMARKS.md). better-sqlite3 is loaded the same way by
// src/store/sqlite/driver.ts, the only file that may.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** node:crypto, loaded on first use: loading it costs ~4 ms that most commands never need. */
export function nodeCrypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto');
}
