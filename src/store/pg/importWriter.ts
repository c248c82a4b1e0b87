// ImportWriter on PostgreSQL (in progress).
import type { ImportWriter } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgImportWriter(_q: PgQuery): ImportWriter {
  return pendingPort<ImportWriter>('imports');
}
