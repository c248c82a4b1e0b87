// Whole-store operations on PostgreSQL: counts, the privacy purge (privacy.ts), and dump / load for
// `refunds copy`. backupTo has no PostgreSQL form: a server database is backed up with pg_dump, or
// copied into a SQLite file with `refunds copy --to FILE`.
import type pg from 'pg';
import { StoreError, TABLE_NAMES, type Admin, type TableName, type TableRow } from '../../app/ports/index.js';
import type { PgConnection } from './connect.js';
import { pgStoreError } from './errors.js';
import { copyField } from './importWriter.js';
import { pgPurgePersonalData } from './privacy.js';
import type { PgQuery } from './query.js';
import copyStreams from 'pg-copy-streams';
import { once } from 'node:events';
import { TABLE_KEYS } from '../common/tableKeys.js';


/**
 * The jsonb columns (pg/schema.ts): the server writes their text with spaces (`["a", "b"]`); dump gives
 * the compact text the app stores (JSON.stringify), so that a copy into SQLite holds what SQLite's own
 * writes would. jsonb keeps array order, and {id, why} keys come back in that order.
 */
const JSONB_COLUMNS: Partial<Record<TableName, readonly string[]>> = {
  decisions: ['evidence_json', 'expected_status_json', 'checklist_json', 'flags_json'],
};

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

function checkTable(table: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(table)) throw new RangeError(`no table ${table}`);
  return table as TableName;
}

export function pgAdmin(q: PgQuery, conn: PgConnection): Admin {
  const columns = new Map<TableName, Promise<string[]>>();
  /** The stored columns of a table in schema order (generated ones cannot be written: left out). */
  const columnsOf = (t: TableName, read: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]> = (sql, params) => q.rows(sql, params)): Promise<string[]> => {
    let c = columns.get(t);
    if (!c) {
      c = read(
          `SELECT column_name AS name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
          [t],
        )
        .then((rows) => rows.map((r) => r.name as string));
      c.catch(() => columns.delete(t));
      columns.set(t, c);
    }
    return c;
  };

  return {
    async backupTo() {
      throw new StoreError(
        'io',
        `refunds backup writes a SQLite file and cannot copy a PostgreSQL database (${conn.target.where}): back it up with pg_dump, or copy it into a SQLite file with refunds copy --to FILE`,
        { url: conn.target.where, reason: 'backup-on-postgres' },
      );
    },

    purgePersonalData: (beforeIso, dryRun, nowIso) => pgPurgePersonalData(q, beforeIso, dryRun, nowIso),

    async counts() {
      // One statement: one snapshot for every table.
      const row = (await q.one<Record<string, number>>(`SELECT ${TABLE_NAMES.map((t) => `(SELECT count(*) FROM ${quoteId(t)}) AS ${quoteId(t)}`).join(', ')}`))!;
      return Object.fromEntries(TABLE_NAMES.map((t) => [t, row[t]!])) as Record<TableName, number>;
    },

    dump(table, batch) {
      const t = checkTable(table);
      if (!(Number.isInteger(batch) && batch > 0)) throw new RangeError(`dump: batch ${batch}`);
      // Inside this store's unit of work: its snapshot. Otherwise a REPEATABLE READ READ ONLY
      // transaction of its own on a client of its own, held for the whole iteration (the caller is
      // typically inside the TARGET's unit of work, another connection).
      const joined = q.current();
      return {
        async *[Symbol.asyncIterator]() {
          let client: pg.PoolClient | null = null;
          let run: (sql: string, params: unknown[]) => Promise<TableRow[]>;
          if (joined) run = async (sql, params) => (await joined.query<TableRow>(sql, params)).rows;
          else {
            try {
              client = await conn.pool.connect();
              await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            } catch (e) {
              client?.release();
              throw pgStoreError(e, conn.errorContext, 'admin.dump');
            }
            const c = client;
            run = async (sql, params) => {
              try {
                return (await c.query<TableRow>(sql, params)).rows;
              } catch (e) {
                throw pgStoreError(e, conn.errorContext, 'admin.dump');
              }
            };
          }
          let broken: Error | undefined;
          try {
            const cols = (await columnsOf(t, run)).map(quoteId).join(', ');
            const key = TABLE_KEYS[t].map(quoteId);
            // Keyset pages: each batch starts after the last key of the one before.
            let after: unknown[] | null = null;
            for (;;) {
              const where = after ? `WHERE (${key.join(', ')}) > (${key.map((_, i) => `$${i + 2}`).join(', ')})` : '';
              const rows = await run(`SELECT ${cols} FROM ${quoteId(t)} ${where} ORDER BY ${key.join(', ')} LIMIT $1`, [batch, ...(after ?? [])]);
              if (rows.length === 0) return;
              for (const c of JSONB_COLUMNS[t] ?? []) for (const r of rows) if (typeof r[c] === 'string') r[c] = JSON.stringify(JSON.parse(r[c]));
              yield rows;
              if (rows.length < batch) return;
              const last = rows[rows.length - 1]!;
              after = TABLE_KEYS[t].map((k) => last[k]);
            }
          } finally {
            if (client) {
              try {
                await client.query('ROLLBACK');
              } catch (e) {
                broken = e as Error;
              }
              client.release(broken);
            }
          }
        },
      };
    },

    async load(table, rows) {
      const t = checkTable(table);
      const tx = q.current();
      // The copy's rows must commit or vanish with the target's other tables: never on a connection of their own.
      if (!tx) throw new Error("Admin.load: call it inside the target's unit of work");
      if (rows.length === 0) return;
      const cols = await columnsOf(t);
      const stream = tx.client.query(copyStreams.from(`COPY ${quoteId(t)} (${cols.map(quoteId).join(', ')}) FROM STDIN`));
      const done = once(stream, 'finish');
      let chunk = '';
      for (const r of rows) {
        chunk += cols.map((c) => copyField(r[c])).join('\t') + '\n';
        if (chunk.length > 1 << 20) {
          if (!stream.write(chunk)) await once(stream, 'drain');
          chunk = '';
        }
      }
      stream.end(chunk);
      await done;
      // Ids were loaded as they were: the identity goes on after the largest.
      if (cols.includes('id')) {
        await q.run(`SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM ${quoteId(t)}`, [t]);
      }
    },

    async emptyAndAlone() {
      // A server database is never removed by refunds.
      return false;
    },
  };
}
