// The user's words for a database that cannot be used: a port's StoreError, or a system error
// (file permissions, full disk, I/O) that reached the CLI. `where` is already masked (a PostgreSQL
// URL may carry its password: never printed, issue 19).
import type { StoreError } from '../app/ports/errors.js';
import { hasKey, t } from './i18n.js';
import { forTerminal } from './sanitize.js';

/** Why the database at `where` cannot be used, and what to do. */
export function storeErrorMessage(e: StoreError, where: string): string {
  const d = { path: where, url: where, reason: e.message, user: '', database: '', tables: '', ...e.details };
  // The backend's reason in the user's language, when its code has words of ours (messages/pgReasons.ts).
  const why = `error.pg.why.${String(e.details?.code ?? '')}`;
  if ((e.kind === 'unreachable' || e.kind === 'auth') && hasKey(why)) d.reason = t(why as 'error.pg.why.ENOENT');
  switch (e.kind) {
    case 'newer':
      return t('error.dbNewer', d);
    case 'not-a-db':
      return t('error.notRefundsDb', d);
    case 'locked':
      return t('error.dbBusy');
    case 'readonly':
      return t('error.dbReadonly', { path: forTerminal(where) });
    case 'full':
      return t('error.dbFull', { path: forTerminal(where) });
    case 'io':
      return t('error.dbIo', { path: forTerminal(where) });
    case 'unreachable':
      return t('error.pg.unreachable', d);
    case 'auth':
      return t('error.pg.auth', d);
    case 'no-database':
      return t('error.pg.noDatabase', d);
    case 'forbidden':
      return t('error.pg.forbidden', d);
    case 'not-empty':
      return t('error.pg.notEmpty', d);
    default:
      // 'open'; a PostgreSQL database nothing was imported into yet reads as a missing file does.
      if (e.details?.empty) return t('db.missing', { path: forTerminal(where) });
      return t('error.dbOpen', d);
  }
}

/** The message for a system error code (errno or SQLITE_*) the user can fix, or null for any other. */
export function systemStoreMessage(code: string, where: string): string | null {
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return t('error.dbReadonly', { path: forTerminal(where) });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return t('error.dbFull', { path: forTerminal(where) });
  if (code.startsWith('SQLITE_IOERR')) return t('error.dbIo', { path: forTerminal(where) });
  // Another process held the database past the busy timeout: say so, not "internal error".
  if (code === 'SQLITE_BUSY') return t('error.dbBusy');
  return null;
}
