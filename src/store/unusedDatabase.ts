// An import that writes nothing (every file refused, or --dry-run) must not leave a new, empty
// database behind: read commands refuse a missing database ("import first"), but an empty one
// passes — `summary --fail-if overdue` on it would never raise the alarm after a failed first import.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from './store.js';

/** What a run is about to create: whether the database exists, and the first missing folder above it. */
export interface DatabaseBirth {
  readonly file: string;
  readonly existed: boolean;
  /** The topmost folder that did not exist (openStore creates the chain), or null. */
  readonly firstMissingDir: string | null;
}

export function beforeCreating(file: string): DatabaseBirth {
  const abs = path.resolve(file);
  const existed = fs.existsSync(abs);
  let firstMissingDir: string | null = null;
  for (let dir = path.dirname(abs); !fs.existsSync(dir); dir = path.dirname(dir)) {
    firstMissingDir = dir;
    if (path.dirname(dir) === dir) break;
  }
  return { file: abs, existed, firstMissingDir };
}

/**
 * Removes the database this run created, if it holds nothing (and the folders created for it).
 * `close` closes the store first. Returns whether it was removed.
 */
export function removeIfCreatedEmpty(birth: DatabaseBirth, store: Store, close: () => void): boolean {
  if (birth.existed) return false;
  const c = store.counts();
  if (c.refunds + c.orders + c.decisions + c.receipts > 0) return false;
  // Another process may have opened the new file meanwhile (a second first import): then it is
  // theirs, and removing it would lose what they write. Leaving WAL succeeds only for the one
  // connection to the file.
  if (!store.emptyAndAlone()) return false;
  close();
  removeCreated(birth);
  return true;
}

/** Deletes the database file this run created (with its WAL and journal) and the folders made for it; the store is closed. */
export function removeCreated(birth: DatabaseBirth): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(birth.file + suffix, { force: true });
  if (birth.firstMissingDir) {
    for (let dir = path.dirname(birth.file); ; dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir); // only if empty
      } catch {
        break;
      }
      if (dir === birth.firstMissingDir) break;
    }
  }
}
