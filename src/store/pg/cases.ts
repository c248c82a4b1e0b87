// STUB (package E2 replaces this file): CaseReader on PostgreSQL.
import type { CaseReader } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgCaseReader(_q: PgQuery): CaseReader {
  return pendingPort<CaseReader>('cases');
}
