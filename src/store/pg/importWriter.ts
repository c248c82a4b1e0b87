// The import side on PostgreSQL, batch by batch. Each batch is: one SELECT of the stored rows the batch
// names; the merge in TypeScript with the very rules of the SQLite store (store/common/rowMerge.ts:
// same inserted / updated / unchanged outcomes, purged data kept out, status history only when the
// state changes); then only the rows that change are written — COPY into a temporary staging table
// and one INSERT … ON CONFLICT DO UPDATE from it, plus one multi-row insert of their history.
// A file is a savepoint of the 'load' unit of work (which holds the import advisory lock: two agents
// importing at once serialize, and the second finds everything 'unchanged').
//
// History rows are written in the order SQLite writes them: a batch's state changes as they come,
// then at finishFile the first sighting of every refund the file inserted, in insertion order (read
// from the row as it stands, as SQLite's recordFirstSightings does).
import { once } from 'node:events';
import copyStreams from 'pg-copy-streams';
import type { ImportWriter } from '../../app/ports/index.js';
import type { ExtrasInput, ExtrasLayout, OrderInput, ReceiptInput, RefundInput, StoredDeadline, UpsertOutcome } from '../../domain/inputs.js';
import type { Refund } from '../../domain/types.js';
import { decodeExtras, encodeExtrasObject } from '../common/extrasLayout.js';
import {
  ORDER_CONTENT,
  ORDER_EXTRAS,
  ORDER_PERSONAL,
  REFUND_CONTENT,
  REFUND_EXTRAS,
  REFUND_PERSONAL,
  REFUND_STATUS,
  REFUND_STATUS_TEXT,
  keepPurged,
  orderContent,
  refundContent,
  sameContent,
} from '../common/rowMerge.js';
import { bool } from '../common/rows.js';
import type { PgQuery } from './query.js';
import { inSavepoint, type PgTx } from './transaction.js';

// Columns of the staging tables, in COPY order: the content, then the bookkeeping.
const REFUND_STAGE = [
  ...REFUND_CONTENT, 'updated_at', 'source_file', 'refund_id', 'status_since', 'first_seen_at',
  'deadline_at', 'deadline_source', 'deadline_rule', 'waiting_on', 'at_timeout',
] as const;
const ORDER_STAGE = [...ORDER_CONTENT, 'updated_at', 'source_file', 'order_id', 'first_seen_at'] as const;

/** What a row of the batch leaves in the table: its content (as read back), then status_since, first_seen_at, purged_at. */
type StoredState = unknown[];

/** Per transaction: the layouts filed and read (ids die with a rollback), and the open file's inserted refunds. */
interface TxState {
  layoutIds: Map<string, number>;
  layoutsById: Map<number, ExtrasLayout | null>;
  /** inserted: every refund this file inserted; sighted: those of them whose first state is in the history already (writeRefunds). */
  file: { insertedRefunds: string[]; inserted: Set<string>; sighted: Set<string>; deferred: Map<LoadedTable, string[]> } | null;
  /**
   * Per table: false when it held rows at this transaction's first write; else the IDs written since
   * (a superset of what it holds now: a file rolled back to its savepoint removed some). Only those
   * need looking up. The load's advisory lock keeps every other import out, and only imports insert.
   */
  written: Partial<Record<'refunds' | 'orders', Set<string> | false>>;
}

type LoadedTable = 'refunds' | 'orders' | 'refund_history';
/** Read by the import itself while it loads (deadlines of the open refunds): kept, and almost empty. */
const KEPT_DURING_LOAD = new Set(['refunds_needing_deadline']);

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** One field of COPY's text format: \N for NULL; backslash, tab, newline and CR escaped. */
/**
 * An unchanged row whose cells now come under this file's layout (both columns at `at`: the layout
 * and the packed values): the kept state follows, and so does the row's staged write, or it gets a
 * move of those two columns alone.
 */
function fileUnderNewLayout(id: string, prev: unknown[], content: unknown[], at: number, staged: Map<string, unknown[]>, moves: Map<string, [unknown, unknown]>): void {
  if (prev[at] === content[at] && prev[at + 1] === content[at + 1]) return;
  prev[at] = content[at];
  prev[at + 1] = content[at + 1];
  const row = staged.get(id);
  if (row) {
    row[at] = content[at];
    row[at + 1] = content[at + 1];
  } else moves.set(id, [content[at], content[at + 1]]);
}

export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

export function pgImportWriter(q: PgQuery): ImportWriter {
  const states = new WeakMap<PgTx, TxState>();
  const stateOf = (tx: PgTx): TxState => {
    let s = states.get(tx);
    if (!s) states.set(tx, (s = { layoutIds: new Map(), layoutsById: new Map(), file: null, written: {} }));
    return s;
  };

  // ---- a first load: indexes built once at the end, not row by row ----

  /**
   * When `table` is still empty at a file's first write into it, its secondary indexes and foreign
   * keys are dropped and rebuilt when the file ends (as the SQLite store's first load does): one sort
   * per index instead of a btree insertion per row and index, one join instead of a trigger per row.
   * All inside the file's savepoint, so a failed file gets them back with its rollback. The DROP
   * holds the table's lock to COMMIT: readers of an empty database wait for its first import.
   */
  async function deferIndexesIfEmpty(st: TxState, tables: LoadedTable[]): Promise<void> {
    const file = st.file;
    if (!file) return;
    for (const table of tables) {
      if (file.deferred.has(table)) continue;
      const rebuild: string[] = [];
      file.deferred.set(table, rebuild);
      // Only the tables' owner may drop their indexes: an import by a role with INSERT alone (the
      // README's refunds_lead) writes through them, as before.
      const free = await q.one<{ ok: number }>(
        `SELECT (NOT EXISTS (SELECT 1 FROM ${table}) AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = $1::regclass), 'USAGE')) AS ok`,
        [table],
      );
      if (free?.ok !== 1) continue;
      const indexes = await q.rows<{ name: string; def: string }>(
        `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = $1::regclass AND NOT i.indisunique ORDER BY c.relname`,
        [table],
      );
      const fks = await q.rows<{ name: string; def: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`,
        [table],
      );
      for (const f of fks) {
        await q.run(`ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(f.name)}`);
        rebuild.push(`ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(f.name)} ${f.def}`);
      }
      for (const x of indexes.filter((x) => !KEPT_DURING_LOAD.has(x.name))) {
        await q.run(`DROP INDEX ${quoteIdent(x.name)}`);
        rebuild.unshift(x.def);
      }
      // The planner's first figures for the big tables (autovacuum would take a minute to give them).
      if (rebuild.length > 0 && table !== 'refund_history') rebuild.push(`ANALYZE ${table}`);
    }
  }

  async function rebuildDeferred(st: TxState): Promise<void> {
    for (const statements of st.file?.deferred.values() ?? []) for (const sql of statements.splice(0)) await q.run(sql);
  }
  /** The transaction a write runs in: the unit of work's (an import always has one). */
  const txOf = (what: string): PgTx => {
    const tx = q.current();
    if (!tx) throw new Error(`ImportWriter.${what}: call it inside a unit of work (mode 'load')`);
    return tx;
  };

  /**
   * The stored rows of these IDs (`columns` of `table`, by `key`), with one lookup per batch; none at
   * all while the table was empty when this transaction began writing it (a first load).
   */
  async function storedRowsOf(st: TxState, table: 'refunds' | 'orders', key: string, columns: string, ids: string[]): Promise<Record<string, unknown>[]> {
    let written = st.written[table];
    if (written === undefined) {
      const empty = (await q.one<{ empty: number }>(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`))!.empty === 1;
      written = st.written[table] = empty ? new Set() : false;
    }
    const candidates = written === false ? ids : ids.filter((id) => written.has(id));
    if (written !== false) for (const id of ids) written.add(id);
    if (candidates.length === 0) return [];
    return q.rows<Record<string, unknown>>(`SELECT ${key}, ${columns} FROM ${table} WHERE ${key} = ANY($1::text[])`, [candidates]);
  }

  // ---- layouts of the unmapped columns (store/extrasLayout.ts) ----

  /** The ids of these layout keys, filing the new ones. A file has a few layouts: one statement each. */
  async function fileLayouts(st: TxState, keys: Iterable<string>): Promise<void> {
    for (const key of keys) {
      if (st.layoutIds.has(key)) continue;
      const parts = (JSON.parse(key) as ExtrasLayout).map((p) => JSON.stringify(p));
      const find = async () =>
        (
          await q.one<{ id: number }>(
            `SELECT id FROM import_columns WHERE md5(columns_json::text || slots_json::text || constants_json::text) = md5($1 || $2 || $3)
               AND columns_json::text = $1 AND slots_json::text = $2 AND constants_json::text = $3`,
            parts,
          )
        )?.id;
      // Looked up before inserting: an INSERT that meets the unique index still uses up an identity
      // value, and the ids would then run ahead of SQLite's for the same imports.
      const id =
        (await find()) ??
        (await q.one<{ id: number }>(
          'INSERT INTO import_columns (columns_json, slots_json, constants_json) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id',
          parts,
        ))?.id ??
        (await find())!;
      st.layoutIds.set(key, id);
    }
  }

  /** Reads the layouts of these ids that are not known yet (sameExtras decodes with them). */
  async function readLayouts(st: TxState, ids: Iterable<unknown>): Promise<void> {
    const missing = [...new Set(ids)].filter((id): id is number => typeof id === 'number' && !st.layoutsById.has(id));
    if (missing.length === 0) return;
    const rows = await q.rows<{ id: number; columns_json: string; slots_json: string; constants_json: string }>(
      'SELECT id, columns_json, slots_json, constants_json FROM import_columns WHERE id = ANY($1::bigint[])',
      [missing],
    );
    for (const id of missing) st.layoutsById.set(id, null);
    for (const r of rows) st.layoutsById.set(r.id, [JSON.parse(r.columns_json), JSON.parse(r.slots_json), JSON.parse(r.constants_json)] as ExtrasLayout);
  }

  /** A row's layout key and own cells, as SqliteStore.extrasOf (before the layout has its id). */
  function encodedExtras(x: ExtrasInput): [string | null, string | null] {
    // A producer that skipped the file's ExtrasEncoder would lose the cells without a word.
    if (x.extraCells) throw new Error('unmapped cells not packed: run ExtrasEncoder.encodeBatch (import/extras.ts) on every batch');
    let layout = x.extraLayout;
    let values = x.extraValues ?? null;
    if (layout === undefined) ({ extraLayout: layout, extraValues: values } = encodeExtrasObject(x.extraJson ?? null));
    return [layout ?? null, values];
  }

  const sameExtrasOf =
    (st: TxState) =>
    (a: unknown[], b: unknown[]): boolean =>
      decodeExtras(st.layoutsById.get(a[0] as number) ?? null, (a[1] as string | null) ?? null) ===
      decodeExtras(st.layoutsById.get(b[0] as number) ?? null, (b[1] as string | null) ?? null);

  /** Extras of each row (layouts filed, old and new layouts read): [layoutId, values] per row. */
  async function extrasOfBatch(st: TxState, rows: ExtrasInput[], stored: Iterable<StoredState>, extrasAt: number): Promise<[number | null, string | null][]> {
    const encoded = rows.map(encodedExtras);
    await fileLayouts(st, new Set(encoded.map((e) => e[0]).filter((k): k is string => k !== null)));
    const extras = encoded.map(([key, values]): [number | null, string | null] => [key === null ? null : st.layoutIds.get(key)!, values]);
    await readLayouts(st, [...extras.map((e) => e[0]), ...[...stored].map((s) => s[extrasAt])]);
    return extras;
  }

  // ---- writing staged rows ----

  async function copyInto(tx: PgTx, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
    const stream = tx.client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    const done = once(stream, 'finish');
    // Chunks of ~1 MB: one write per chunk, not per row.
    let chunk = '';
    for (const r of rows) {
      chunk += r.map(copyField).join('\t') + '\n';
      if (chunk.length > 1 << 20) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await done;
  }

  /** A temporary staging table shaped like `columns` of `table`, empty; dropped at COMMIT. */
  async function stage(table: 'refunds' | 'orders', columns: readonly string[]): Promise<string> {
    const name = `${table}_stage`;
    await q.run(`CREATE TEMP TABLE IF NOT EXISTS ${name} ON COMMIT DROP AS SELECT ${columns.join(', ')} FROM ${table} WITH NO DATA`);
    await q.run(`TRUNCATE ${name}`);
    return name;
  }

  /**
   * Writes rows: those new at the start of the batch straight into the table with COPY (the load's
   * advisory lock keeps every other import out, so no one inserts them meanwhile), the others through
   * the staging table and one INSERT … ON CONFLICT DO UPDATE.
   */
  async function upsertStaged(tx: PgTx, table: 'refunds' | 'orders', key: string, columns: readonly string[], rows: unknown[][], isNew: (row: unknown[]) => boolean): Promise<void> {
    if (rows.length === 0) return;
    const fresh = rows.filter(isNew);
    if (fresh.length > 0) await copyInto(tx, table, columns, fresh);
    if (fresh.length === rows.length) return;
    rows = rows.filter((r) => !isNew(r));
    const name = await stage(table, columns);
    await copyInto(tx, name, columns, rows);
    const set = columns.filter((c) => c !== key && c !== 'first_seen_at').map((c) => `${c} = excluded.${c}`);
    await q.run(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${name} ON CONFLICT (${key}) DO UPDATE SET ${set.join(', ')}`);
  }

  async function relayout(table: 'refunds' | 'orders', key: string, moves: Map<string, [unknown, unknown]>): Promise<void> {
    if (moves.size === 0) return;
    const ids = [...moves.keys()];
    await q.run(
      `UPDATE ${table} AS t SET extra_columns = u.layout, extra_values = u.vals::json
       FROM unnest($1::text[], $2::bigint[], $3::text[]) AS u(id, layout, vals) WHERE t.${key} = u.id`,
      [ids, ids.map((id) => moves.get(id)![0]), ids.map((id) => moves.get(id)![1] ?? null)],
    );
  }

  // ---- the port ----

  return {
    async file(fn) {
      const tx = txOf('file');
      const st = stateOf(tx);
      if (st.file) throw new Error('ImportWriter.file: files do not nest');
      st.file = { insertedRefunds: [], inserted: new Set(), sighted: new Set(), deferred: new Map() };
      try {
        return await inSavepoint(tx, async () => {
          const out = await fn();
          await rebuildDeferred(st);
          return out;
        });
      } catch (e) {
        // Layouts filed inside the savepoint are gone with it.
        st.layoutIds.clear();
        st.layoutsById.clear();
        throw e;
      } finally {
        st.file = null;
      }
    },

    async writeRefunds(rows, at) {
      if (rows.length === 0) return [];
      const tx = txOf('writeRefunds');
      const st = stateOf(tx);
      await deferIndexesIfEmpty(st, ['refunds', 'refund_history']);
      const ids = [...new Set(rows.map((r) => r.refundId))];
      const storedRows = await storedRowsOf(st, 'refunds', 'refund_id', `${REFUND_CONTENT.join(', ')}, status_since, first_seen_at, purged_at`, ids);
      const state = new Map<string, StoredState>();
      for (const s of storedRows) state.set(s.refund_id as string, [...REFUND_CONTENT, 'status_since', 'first_seen_at', 'purged_at'].map((c) => s[c] ?? null));
      const extras = await extrasOfBatch(st, rows, state.values(), REFUND_EXTRAS);
      const sameExtras = sameExtrasOf(st);
      let shippedOf: Map<string, unknown> | null = null;
      if (at.deadlineOf) {
        const orders = await q.rows<{ order_id: string; shipped: number | null }>('SELECT order_id, shipped FROM orders WHERE order_id = ANY($1::text[])', [
          [...new Set(rows.map((r) => r.orderId))],
        ]);
        shippedOf = new Map(orders.map((o) => [o.order_id, o.shipped]));
      }
      const deadlineColumns = (r: RefundInput, statusSince: string, firstSeenAt: string): unknown[] => {
        if (!at.deadlineOf || r.status === 'CLOSED' || r.status === 'SUCCESS') return [null, null, null, null, null];
        // As refundFromRow: the order export knows best whether goods left the warehouse.
        const refund: Refund = { ...r, shipped: bool(shippedOf!.get(r.orderId)) ?? r.shipped, statusSince, firstSeenAt };
        const d: StoredDeadline = at.deadlineOf(refund);
        return [d.at, d.source, d.rule, d.actor, d.atTimeout];
      };

      const outcomes: UpsertOutcome[] = [];
      const staged = new Map<string, unknown[]>();
      const moves = new Map<string, [unknown, unknown]>();
      const history: [string, string, string, string][] = [];
      const n = REFUND_CONTENT.length;
      rows.forEach((r, i) => {
        const content = refundContent(r, extras[i]!).map((v) => v ?? null);
        const prev = state.get(r.refundId);
        if (!prev) {
          staged.set(r.refundId, [...content, at.seenAt, at.sourceFile, r.refundId, at.seenAt, at.seenAt, ...deadlineColumns(r, at.seenAt, at.seenAt)]);
          state.set(r.refundId, [...content, at.seenAt, at.seenAt, null]);
          st.file?.insertedRefunds.push(r.refundId);
          st.file?.inserted.add(r.refundId);
          outcomes.push('inserted');
          return;
        }
        const [statusSince, firstSeenAt, purgedAt] = prev.slice(n) as [string, string, string | null];
        keepPurged(content, purgedAt, REFUND_CONTENT, REFUND_PERSONAL);
        if (sameContent(prev, content, REFUND_EXTRAS, sameExtras)) {
          // Filed under this file's layout from now on (SqliteStore.relayout); nothing the row says changes.
          fileUnderNewLayout(r.refundId, prev, content, REFUND_EXTRAS, staged, moves);
          outcomes.push('unchanged');
          return;
        }
        const statusChanged = prev[REFUND_STATUS] !== r.status || prev[REFUND_STATUS_TEXT] !== r.statusText;
        const since = statusChanged ? at.seenAt : statusSince;
        staged.set(r.refundId, [...content, at.seenAt, at.sourceFile, r.refundId, since, firstSeenAt, ...deadlineColumns(r, since, firstSeenAt)]);
        moves.delete(r.refundId);
        state.set(r.refundId, [...content, since, firstSeenAt, purgedAt]);
        // New refunds get their first history entry in finishFile, set-wise, at the end of the file.
        // One this file inserted and now changes gets it here, before the change, as SQLite does
        // (else the first state would be lost and the last one recorded twice); finishFile leaves it out.
        if (statusChanged && st.file && st.file.inserted.has(r.refundId) && !st.file.sighted.has(r.refundId)) {
          history.push([r.refundId, prev[REFUND_STATUS] as string, prev[REFUND_STATUS_TEXT] as string, statusSince]);
          st.file.sighted.add(r.refundId);
        }
        if (statusChanged) history.push([r.refundId, r.status, r.statusText, at.seenAt]);
        outcomes.push('updated');
      });

      await relayout('refunds', 'refund_id', moves);
      const refundKey = REFUND_STAGE.indexOf('refund_id');
      const known = new Set(storedRows.map((s) => s.refund_id as string));
      await upsertStaged(tx, 'refunds', 'refund_id', REFUND_STAGE, [...staged.values()], (row) => !known.has(row[refundKey] as string));
      if (history.length > 0) {
        await q.run(
          `INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
           SELECT u.id, u.status, u.status_text, u.seen_at, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS u(id, status, status_text, seen_at, ord)
           ORDER BY u.ord`,
          [history.map((h) => h[0]), history.map((h) => h[1]), history.map((h) => h[2]), history.map((h) => h[3]), at.sourceFile],
        );
      }
      return outcomes;
    },

    async writeOrders(rows: OrderInput[], at) {
      if (rows.length === 0) return [];
      const tx = txOf('writeOrders');
      const st = stateOf(tx);
      await deferIndexesIfEmpty(st, ['orders']);
      const storedRows = await storedRowsOf(st, 'orders', 'order_id', `${ORDER_CONTENT.join(', ')}, purged_at`, [...new Set(rows.map((o) => o.orderId))]);
      const state = new Map<string, StoredState>();
      for (const s of storedRows) state.set(s.order_id as string, [...ORDER_CONTENT, 'purged_at'].map((c) => s[c] ?? null));
      const extras = await extrasOfBatch(st, rows, state.values(), ORDER_EXTRAS);
      const sameExtras = sameExtrasOf(st);
      const outcomes: UpsertOutcome[] = [];
      const staged = new Map<string, unknown[]>();
      const moves = new Map<string, [unknown, unknown]>();
      rows.forEach((o, i) => {
        const content = orderContent(o, extras[i]!).map((v) => v ?? null);
        const prev = state.get(o.orderId);
        if (!prev) {
          staged.set(o.orderId, [...content, at.seenAt, at.sourceFile, o.orderId, at.seenAt]);
          state.set(o.orderId, [...content, null]);
          outcomes.push('inserted');
          return;
        }
        const purgedAt = prev[ORDER_CONTENT.length];
        keepPurged(content, purgedAt, ORDER_CONTENT, ORDER_PERSONAL);
        if (sameContent(prev, content, ORDER_EXTRAS, sameExtras)) {
          fileUnderNewLayout(o.orderId, prev, content, ORDER_EXTRAS, staged, moves);
          outcomes.push('unchanged');
          return;
        }
        // first_seen_at is never updated (upsertStaged leaves it out of the SET): the staged value is only for a new row.
        staged.set(o.orderId, [...content, at.seenAt, at.sourceFile, o.orderId, at.seenAt]);
        moves.delete(o.orderId);
        state.set(o.orderId, [...content, purgedAt]);
        outcomes.push('updated');
      });
      await relayout('orders', 'order_id', moves);
      const orderKey = ORDER_STAGE.indexOf('order_id');
      const known = new Set(storedRows.map((s) => s.order_id as string));
      await upsertStaged(tx, 'orders', 'order_id', ORDER_STAGE, [...staged.values()], (row) => !known.has(row[orderKey] as string));
      return outcomes;
    },

    async writeReceipts(rows: { row: ReceiptInput; hash: string }[], recordedAt: string) {
      if (rows.length === 0) return [];
      // Also outside a unit of work, as on SQLite: `refunds receive` records one scan on its own.
      // The one INSERT below is atomic by itself, and it needs none of a file's state.
      const col = <K extends keyof ReceiptInput>(k: K) => rows.map((x) => x.row[k] ?? null);
      // ORDER BY ord: ids in file order; a hash twice in the batch is inserted once, at its first row.
      // Known and repeated hashes are left out before the INSERT, not by ON CONFLICT alone: a conflict
      // still uses up an identity value, and the ids would run ahead of SQLite's.
      const inserted = await q.rows<{ row_hash: string }>(
        `INSERT INTO warehouse_receipts (waybill, waybill_key, carrier, received_at, sku, quantity, condition, inspector, note, source, row_hash, recorded_at)
         SELECT u.waybill, u.waybill_key, u.carrier, u.received_at, u.sku, u.quantity, u.condition, u.inspector, u.note, u.source, u.row_hash, $12
         FROM (
           SELECT DISTINCT ON (u.row_hash) u.*
           FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
             WITH ORDINALITY AS u(waybill, waybill_key, carrier, received_at, sku, quantity, condition, inspector, note, source, row_hash, ord)
           WHERE NOT EXISTS (SELECT 1 FROM warehouse_receipts w WHERE w.row_hash = u.row_hash)
           ORDER BY u.row_hash, u.ord) u
         ORDER BY u.ord
         ON CONFLICT (row_hash) DO NOTHING RETURNING row_hash`,
        [
          col('waybill'), col('waybillKey'), col('carrier'), col('receivedAt'), col('sku'), col('quantity'), col('condition'),
          col('inspector'), col('note'), col('source'), rows.map((x) => x.hash), recordedAt,
        ],
      );
      const fresh = new Set(inserted.map((r) => r.row_hash));
      return rows.map((x) => (fresh.delete(x.hash) ? 'inserted' : 'unchanged'));
    },

    async finishFile(log) {
      const st = stateOf(txOf('finishFile'));
      if (!st.file) throw new Error('ImportWriter.finishFile: call it inside file(fn)');
      const sighted = st.file.sighted;
      const ids = sighted.size === 0 ? st.file.insertedRefunds : st.file.insertedRefunds.filter((id) => !sighted.has(id));
      // A second finishFile in the same file adds no sightings twice.
      st.file.insertedRefunds = [];
      st.file.sighted = new Set();
      if (ids.length > 0) {
        await q.run(
          `INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
           SELECT r.refund_id, r.status, r.status_text, r.status_since, r.source_file
           FROM unnest($1::text[]) WITH ORDINALITY AS u(id, ord) JOIN refunds r ON r.refund_id = u.id ORDER BY u.ord`,
          [ids],
        );
      }
      if (log) {
        await q.run(
          `INSERT INTO imports (file, kind, encoding, bytes, imported_at, inserted, updated, unchanged, rejected)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [log.file, log.kind, log.encoding, log.bytes, log.importedAt, log.inserted, log.updated, log.unchanged, log.rejected],
        );
      }
    },
  };
}
