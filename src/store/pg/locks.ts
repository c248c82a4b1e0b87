// TriageLocks on PostgreSQL (in progress).
import type { TriageLocks } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgTriageLocks(_q: PgQuery): TriageLocks {
  return pendingPort<TriageLocks>('locks');
}
