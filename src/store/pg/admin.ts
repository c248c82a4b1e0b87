// Admin on PostgreSQL (in progress).
import type { Admin } from '../../app/ports/index.js';
import type { PgConnection } from './connect.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgAdmin(_q: PgQuery, _conn: PgConnection): Admin {
  return pendingPort<Admin>('admin');
}
