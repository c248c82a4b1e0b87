// STUB (package E2 replaces this file): SweepReader on PostgreSQL.
import type { SweepReader } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgSweepReader(_q: PgQuery): SweepReader {
  return pendingPort<SweepReader>('sweep');
}
