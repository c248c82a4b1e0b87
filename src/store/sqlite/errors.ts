// SQLite's error codes, mapped to the ports' errors (src/app/ports/errors.ts): the only place that
// reads a SQLITE_* code. Lock failures become StoreBusy; the codes of a read-only file, a full disk
// and an I/O failure become StoreError; an unreadable header says why the file cannot be used.
import { StoreBusy, StoreError } from '../../app/ports/errors.js';

const codeOf = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/** SQLite's "another connection holds the lock" codes. */
export function isSqliteBusy(e: unknown): boolean {
  const code = codeOf(e);
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_');
}

/** Exactly SQLITE_BUSY: a lock asked for without waiting (or after busy_timeout) was refused. */
export function isPlainBusy(e: unknown): boolean {
  return codeOf(e) === 'SQLITE_BUSY';
}

/** A SQLite error as the ports' error (StoreBusy / StoreError), or the error itself when it is neither. */
export function portErrorOf(e: unknown, op: string, where: string): unknown {
  if (e instanceof StoreBusy || e instanceof StoreError) return e;
  if (isSqliteBusy(e)) return new StoreBusy(op, { cause: e });
  const code = codeOf(e);
  if (!code) return e;
  const reason = (e as Error).message;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new StoreError('readonly', reason, { path: where, reason }, { cause: e });
  }
  if (code === 'SQLITE_FULL') return new StoreError('full', reason, { path: where, reason }, { cause: e });
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('io', reason, { path: where, reason }, { cause: e });
  return e;
}

/** Why the header could not be read: another process holds the database (a first load), or it is not ours. */
export function unreadable(e: unknown, file: string): StoreError {
  const reason = (e as Error).message;
  const code = codeOf(e);
  if (code === 'SQLITE_BUSY') return new StoreError('locked', reason, { path: file, reason });
  // A file or folder we may not write (the WAL needs its -shm beside the file) is not a damaged database.
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') return new StoreError('readonly', reason, { path: file, reason });
  if (code === 'SQLITE_FULL') return new StoreError('full', reason, { path: file, reason });
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('io', reason, { path: file, reason });
  return new StoreError('not-a-db', reason, { path: file, reason });
}
