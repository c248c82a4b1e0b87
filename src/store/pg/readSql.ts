// What the read ports (cases.ts, sweep.ts, reports.ts, buyers.ts) build their SQL with: numbered
// parameters collected as a query grows, and the open-refunds filter (the SQLite backend's openWhere).
import type { Platform, RefundStatus } from '../../domain/types.js';

/** Numbered parameters ($1, $2, …) collected as a query is built. */
export class Params {
  readonly values: unknown[] = [];
  /** The placeholder of `v`, with a cast when pg cannot infer the type (e.g. `text[]`). */
  add(v: unknown, cast?: string): string {
    this.values.push(v);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** The WHERE terms of the open refunds a filter selects (the SQLite backend's openWhere). */
export function openWhere(
  p: Params,
  filter: { platform?: Platform; statuses?: RefundStatus[]; dueWithinMs?: number | null; nowMs?: number },
): string[] {
  const where = ["r.status NOT IN ('CLOSED', 'SUCCESS')"];
  if (filter.platform) where.push(`r.platform = ${p.add(filter.platform)}`);
  if (filter.statuses?.length) where.push(`r.status = ANY(${p.add(filter.statuses, 'text[]')})`);
  if (filter.dueWithinMs !== undefined && filter.dueWithinMs !== null) {
    where.push(`r.deadline_at IS NOT NULL AND r.deadline_at - ${p.add(filter.nowMs ?? 0, 'bigint')} <= ${p.add(filter.dueWithinMs, 'bigint')}`);
  }
  return where;
}
