// The two errors a backend may throw through the ports. Every backend maps its own codes here (the
// SQLite adapter maps SQLITE_BUSY*/SQLITE_LOCKED; PostgreSQL maps lock_not_available and
// serialization failures), so that nothing above the ports knows a driver's error codes.

/**
 * The store could not get the lock it needed in time (another process is writing, or `wait:
 * 'none'` was asked and the lock was taken). Nothing was written: the unit of work was rolled back.
 * `op` names the operation for logs ("unitOfWork", "claim", …), never shown to users as such.
 */
export class StoreBusy extends Error {
  override readonly name = 'StoreBusy';
  constructor(
    readonly op: string,
    options?: { cause?: unknown },
  ) {
    super(`store busy: ${op}`, options);
  }
}

/**
 * Why a store could not be opened or used:
 * - 'open': the file or folder cannot be opened or created;
 * - 'locked': another process holds the database in a way that stops opening it;
 * - 'readonly': a write was needed but the store is read-only (file permissions, --readonly);
 * - 'newer': the database was written by a newer version of refunds (schema ahead of this one);
 * - 'not-a-db': the file is not a database of this kind;
 * - 'full': the disk (or quota) is full;
 * - 'io': any other input/output failure;
 * issue 19 (PostgreSQL):
 * - 'unreachable': no server answers at the URL's host/port/socket;
 * - 'auth': the server refused the user or password;
 * - 'no-database': the server has no database of that name;
 * - 'forbidden': the user lacks a privilege the command needs (CREATE on the schema, …);
 * - 'not-empty': a target that must be empty (refunds copy --to) already holds data.
 */
export type StoreErrorKind =
  | 'open'
  | 'locked'
  | 'readonly'
  | 'newer'
  | 'not-a-db'
  | 'full'
  | 'io'
  | 'unreachable'
  | 'auth'
  | 'no-database'
  | 'forbidden'
  | 'not-empty';

/**
 * A store failure the user can act on; the cli prints one message per kind from `details`
 * (path or masked URL, versions, …). Never carries a password.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly details: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStoreBusy(e: unknown): e is StoreBusy {
  return e instanceof StoreBusy;
}
