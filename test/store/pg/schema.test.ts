// The PostgreSQL schema keeps the SQLite schema's words: every table, view, column (in order) and
// index name of a fresh SQLite store exists in PostgreSQL, with the types the plan chose; and the same
// row reads back the same from both (times, generated *_ms, the extras views).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopZone } from '../../../src/domain/time.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/store/sqlite/schema.js';
import { connectPg, type PgConnection } from '../../../src/store/pg/connect.js';
import { migratePg } from '../../../src/store/pg/migrate.js';
import { PG_SCHEMA_VERSION, SQLITE_SCHEMA_VERSION_MIRRORED } from '../../../src/store/pg/schema.js';
import { tmpDir } from '../../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer, withDatabase } from '../../helpers/pg.js';

it('mirrors the current SQLite schema version (a new SQLite migration needs its PostgreSQL twin)', () => {
  expect(SCHEMA_VERSION).toBe(SQLITE_SCHEMA_VERSION_MIRRORED);
  expect(PG_SCHEMA_VERSION).toBe(2);
});

function freshSqlite(): Database.Database {
  const db = new Database(path.join(tmpDir(), 'refunds.sqlite'));
  for (const m of MIGRATIONS) db.exec(m);
  db.pragma(`user_version = ${MIGRATIONS.length}`);
  return db;
}

const server = await pgTestServer();

describe.runIf(server)('against a fresh SQLite store', () => {
  const pgdb = freshDatabase(server, 'schema');
  const sqlite = freshSqlite();
  let c: PgConnection;
  beforeAll(async () => {
    c = await connectPg(pgdb.url, { zone: new ShopZone() });
    await migratePg(c.pool, c.errorContext);
  });
  afterAll(async () => {
    await c?.close();
    sqlite.close();
  });

  const sqliteObjects = (type: 'table' | 'view' | 'index') =>
    (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' AND (type <> 'index' OR sql IS NOT NULL) ORDER BY name`).all(type) as { name: string }[]).map((r) => r.name);

  it('has every table and view, and only the migrations table besides', async () => {
    const tables = (await c.pool.query("SELECT table_name AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")).rows.map((r) => r.n);
    const views = (await c.pool.query('SELECT table_name AS n FROM information_schema.views WHERE table_schema = current_schema() ORDER BY 1')).rows.map((r) => r.n);
    expect(sqliteObjects('table')).toEqual(['claims', 'decisions', 'import_columns', 'imports', 'meta', 'orders', 'refund_history', 'refunds', 'snoozes', 'warehouse_receipts']);
    expect(tables).toEqual([...sqliteObjects('table'), 'refunds_schema_migrations'].sort());
    expect(views).toEqual(sqliteObjects('view'));
    expect(views).toEqual(['orders_extra', 'refunds_extra']);
  });

  it('has every column of every table and view, in the same order (generated ones too)', async () => {
    const pgColumns = async (table: string) =>
      (await c.pool.query('SELECT column_name AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table])).rows.map((r) => r.n);
    for (const t of [...sqliteObjects('table'), ...sqliteObjects('view')]) {
      // table_xinfo: table_info leaves out generated columns
      const cols = (sqlite.prepare(`SELECT name FROM pragma_table_xinfo(?)`).all(t) as { name: string }[]).map((r) => r.name);
      expect(cols.length, t).toBeGreaterThan(1);
      expect(await pgColumns(t), t).toEqual(cols);
    }
  });

  it('has every index name of SQLite', async () => {
    const pgIndexes = (await c.pool.query('SELECT indexname AS n FROM pg_indexes WHERE schemaname = current_schema()')).rows.map((r) => r.n as string);
    expect(sqliteObjects('index').length).toBe(12);
    for (const i of sqliteObjects('index')) expect(pgIndexes, i).toContain(i);
  });

  it('types: times timestamptz (evidence_deadline text: kept as written when unreadable), fen/ms bigint, flags boolean, JSON, text sorting as SQLite', async () => {
    const { rows } = await c.pool.query<{ t: string; n: string; type: string; coll: string | null }>(
      `SELECT table_name AS t, column_name AS n, data_type AS type, collation_name AS coll FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name IN ('refunds', 'orders', 'decisions', 'claims', 'snoozes', 'warehouse_receipts', 'imports', 'refund_history', 'import_columns')`,
    );
    const type = (t: string, n: string) => rows.find((r) => r.t === t && r.n === n)!.type;
    for (const [t, n] of [['refunds', 'applied_at'], ['refunds', 'export_deadline'], ['refunds', 'returned_at'], ['refunds', 'finished_at'], ['refunds', 'status_since'],
      ['refunds', 'first_seen_at'], ['refunds', 'updated_at'], ['refunds', 'purged_at'], ['orders', 'created_at'], ['orders', 'paid_at'], ['decisions', 'decided_at'],
      ['snoozes', 'until'], ['warehouse_receipts', 'received_at'], ['warehouse_receipts', 'recorded_at'], ['imports', 'imported_at'], ['refund_history', 'seen_at']])
      expect(type(t!, n!), `${t}.${n}`).toBe('timestamp with time zone');
    expect(type('refunds', 'evidence_deadline')).toBe('text');
    for (const [t, n] of [['refunds', 'amount_cents'], ['refunds', 'paid_cents'], ['refunds', 'deadline_at'], ['refunds', 'applied_ms'], ['refunds', 'active_ms'], ['orders', 'total_cents'], ['claims', 'expires_at'], ['decisions', 'id']])
      expect(type(t!, n!), `${t}.${n}`).toBe('bigint');
    expect([type('refunds', 'return_required'), type('refunds', 'shipped'), type('orders', 'shipped')]).toEqual(['boolean', 'boolean', 'boolean']);
    expect([type('decisions', 'evidence_json'), type('decisions', 'flags_json'), type('refunds', 'extra_values'), type('import_columns', 'columns_json')]).toEqual(['jsonb', 'jsonb', 'json', 'json']);
    for (const r of rows.filter((r) => r.type === 'text')) expect(r.coll, `${r.t}.${r.n}`).toBe('C');
  });

  it('reads a row back as SQLite does: the same times, generated *_ms and extras views', async () => {
    const layout = ['["审核操作人","备注","店铺"]', '[0,null,1]', '[null,"",null]'];
    const refunds = [
      // finished after it was applied; from a layout with a cell per row and a constant column
      ['R1', 'SUCCESS', '2025-04-20T10:31:05+08:00', '2025-04-21T09:00:00+08:00', '2025-04-22T18:00:00+08:00', '2025-04-21T09:00:00+08:00', '["大刘","天猫店"]'],
      // open, no applied_at: first_seen_at stands in; its cells empty
      ['R2', 'WAIT_SELLER_AGREE', null, '2025-04-21T08:00:00+08:00', null, '2025-04-21T08:00:00+08:00', '["",""]'],
      // closed before the time it says it was applied (clock skew in the export): active is the applied time
      ['R3', 'CLOSED', '2025-04-23T00:00:00+08:00', '2025-04-21T09:00:00+08:00', '2025-04-22T23:59:59+08:00', '2025-04-21T09:00:00+08:00', '["小王",""]'],
    ] as const;
    const insertLayout = 'INSERT INTO import_columns (id, columns_json, slots_json, constants_json) VALUES (1, $1, $2, $3)';
    const insertRefund = `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, applied_at, first_seen_at, finished_at, status_since, updated_at,
      extra_columns, extra_values, return_required, shipped) VALUES ($1, 'taobao', 'O1', $2, 'x', 5990, $3, $4, $5, $6, $7, 1, $8, $9, $10)`;
    sqlite.prepare(insertLayout.replace(/\$\d/g, '?')).run(...layout);
    await c.pool.query(insertLayout, layout);
    for (const r of refunds) {
      const values = [...r.slice(0, 6), r[5], r[6], 1, 0]; // updated_at = status_since
      sqlite.prepare(insertRefund.replace(/\$\d+/g, '?')).run(...values);
      await c.pool.query(insertRefund, values);
    }
    const select = `SELECT r.refund_id, r.applied_at, r.first_seen_at, r.finished_at, r.status_since, r.applied_ms, r.finished_ms, r.active_ms, r.return_required, r.shipped,
      r.extra_values, x.extra_json FROM refunds r LEFT JOIN refunds_extra x ON x.refund_id = r.refund_id ORDER BY r.refund_id`;
    const fromSqlite = sqlite.prepare(select).all();
    const fromPg = (await c.pool.query(select)).rows;
    expect(fromPg).toEqual(fromSqlite);
    expect(fromPg.map((r) => [r.refund_id, r.applied_ms, r.finished_ms, r.active_ms, r.extra_json])).toEqual([
      ['R1', Date.parse('2025-04-20T10:31:05+08:00'), Date.parse('2025-04-22T18:00:00+08:00'), Date.parse('2025-04-22T18:00:00+08:00'), '{"审核操作人":"大刘","店铺":"天猫店"}'],
      ['R2', Date.parse('2025-04-21T08:00:00+08:00'), null, Date.parse('2025-04-21T08:00:00+08:00'), null],
      ['R3', Date.parse('2025-04-23T00:00:00+08:00'), Date.parse('2025-04-22T23:59:59+08:00'), Date.parse('2025-04-23T00:00:00+08:00'), '{"审核操作人":"小王"}'],
    ]);
  });

  it('sorts text as SQLite does, even in a database whose own collation is linguistic (ICU zh)', async () => {
    const name = `${pgdb.name}_zh`;
    await adminQuery(server!.url, `CREATE DATABASE "${name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'`);
    const zh = await connectPg(withDatabase(server!.url, name), { zone: new ShopZone() });
    try {
      await migratePg(zh.pool, zh.errorContext);
      const keys = ['b', 'B', 'a', '_x', 'é', 'z', '中', 'Z', '10', '9'];
      for (const k of keys) {
        sqlite.prepare("INSERT INTO meta (key, value) VALUES (?, 'v')").run(`sort.${k}`);
        await zh.pool.query("INSERT INTO meta (key, value) VALUES ($1, 'v')", [`sort.${k}`]);
      }
      const q = "SELECT key FROM meta WHERE key >= 'sort.' AND key < 'sort/' ORDER BY key";
      const bySqlite = (sqlite.prepare(q).all() as { key: string }[]).map((r) => r.key.slice(5));
      expect(bySqlite).toEqual(['10', '9', 'B', 'Z', '_x', 'a', 'b', 'z', 'é', '中']);
      // the database's own collation would sort them otherwise: the column's "C" is what keeps the order
      const linguistic = (await zh.pool.query("SELECT x FROM unnest($1::text[]) x ORDER BY x COLLATE \"default\"", [keys])).rows.map((r) => r.x);
      expect(linguistic).not.toEqual(bySqlite);
      expect((await zh.pool.query(q)).rows.map((r) => r.key.slice(5))).toEqual(bySqlite);
    } finally {
      await zh.close();
      await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  });
});
