// Stored deadlines and the meta table on PostgreSQL.
import type { Deadlines, Meta } from '../../app/ports/index.js';
import { REFUND_SELECT, refundFromRow, type Row } from '../common/rows.js';
import type { PgQuery } from './query.js';

const OPEN = "r.status NOT IN ('CLOSED', 'SUCCESS')";

export function pgDeadlines(q: PgQuery): Deadlines {
  return {
    async openRefundIds() {
      const rows = await q.rows<{ refund_id: string }>(`SELECT refund_id FROM refunds r WHERE ${OPEN} ORDER BY refund_id`);
      return rows.map((r) => r.refund_id);
    },

    async needing(limit) {
      // waiting_on is NULL for rows never computed, or whose data changed since (an import clears it);
      // the partial index refunds_needing_deadline holds exactly these, in refund ID order.
      const rows = await q.rows<Row>(
        `${REFUND_SELECT} WHERE ${OPEN} AND r.waiting_on IS NULL ORDER BY r.refund_id LIMIT $1`,
        [limit === undefined || limit < 0 ? null : limit],
      );
      return rows.map(refundFromRow);
    },

    async save(rows) {
      if (rows.length === 0) return;
      // One statement for the whole batch (the app saves thousands at once on a first sweep).
      await q.run(
        `UPDATE refunds AS r SET deadline_at = u.at, deadline_source = u.source, deadline_rule = u.rule, waiting_on = u.actor, at_timeout = u.at_timeout
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, at, source, rule, actor, at_timeout)
         WHERE r.refund_id = u.id`,
        [
          rows.map((d) => d.refundId),
          rows.map((d) => d.at),
          rows.map((d) => d.source),
          rows.map((d) => d.rule),
          rows.map((d) => d.actor),
          rows.map((d) => d.atTimeout),
        ],
      );
    },
  };
}

export function pgMeta(q: PgQuery): Meta {
  return {
    async get(key) {
      return (await q.one<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))?.value ?? null;
    },
    async set(key, value) {
      await q.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}
