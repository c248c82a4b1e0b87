// Deadlines and Meta on PostgreSQL (in progress).
import type { Deadlines, Meta } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgDeadlines(_q: PgQuery): Deadlines {
  return pendingPort<Deadlines>('deadlines');
}

export function pgMeta(_q: PgQuery): Meta {
  return pendingPort<Meta>('meta');
}
