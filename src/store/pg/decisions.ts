// DecisionLog on PostgreSQL (in progress).
import type { DecisionLog } from '../../app/ports/index.js';
import { pendingPort } from './pending.js';
import type { PgQuery } from './query.js';

export function pgDecisionLog(_q: PgQuery): DecisionLog {
  return pendingPort<DecisionLog>('decisions');
}
