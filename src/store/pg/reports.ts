// STUB (package E2 replaces this file): ReportReader on PostgreSQL.
import type { ReportReader } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgReportReader(_q: PgQuery): ReportReader {
  return pendingPort<ReportReader>('reports');
}
