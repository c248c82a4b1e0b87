// The lean stored row (issue 18): the export's unmapped columns are stored as a layout per file
// (names once, the file's constant cells once) and each row's own cells; the views refunds_extra
// and orders_extra give every one of them back by name. The mapped columns are checked against
// the contract in test/import/fixtures.test.ts; here, every other column of every row.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { PROFILES, recognise } from '../../src/import/profiles.js';
import { CONSTANT_AFTER_ROWS } from '../../src/import/extras.js';
import { openStore, type Store } from '../helpers/syncStore.js';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { ShopZone } from '../../src/domain/time.js';
import { fixture, tmpDir } from '../helpers/cli.js';
import { expectedExtras, records } from '../helpers/exportCells.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const SEEN = '2025-04-21T09:00:00+08:00';

let store: Store;
beforeEach(() => {
  store = openStore(path.join(tmpDir(), 'lean.sqlite'));
  return () => store.close();
});

const run = (files: string[], nowMs = NOW) => importFiles(store, files.map((name) => ({ name })), { zone, nowMs });


function viewRows(s: Store, target: string): Map<string, string | null> {
  const q =
    target === 'orders'
      ? 'SELECT order_id AS id, extra_json FROM orders LEFT JOIN orders_extra USING (order_id)'
      : 'SELECT refund_id AS id, extra_json FROM refunds LEFT JOIN refunds_extra USING (refund_id)';
  return new Map(s.sql<{ id: string; extra_json: string | null }>(q).map((r) => [r.id, r.extra_json]));
}

describe('every unmapped column reads back through the view, equal to the file', () => {
  it.each(['taobao-refunds-2017-gbk.csv', 'taobao-refunds-2024-utf8bom.csv', 'douyin-aftersales.csv', 'taobao-orders-gbk.csv'])('%s', async (name) => {
    await run([fixture(name)]);
    const { target, rows } = expectedExtras(fixture(name));
    const stored = viewRows(store, target);
    let checked = 0;
    for (const [id, extra] of rows) {
      if (!stored.has(id)) continue; // a row the import rejected (fixtures/expected.json lists them)
      expect(stored.get(id) === null ? null : JSON.parse(stored.get(id)!), `${name} ${id}`).toEqual(extra);
      checked++;
    }
    expect(checked).toBe(stored.size);
    expect(checked).toBeGreaterThan(3);
    expect([...stored.values()].some((v) => v !== null)).toBe(true);
  });
});

/** A 2024 refund report of `n` rows from the fixture's first row: the unmapped columns constant but `vary`, and `changeAt` (from row `changeFrom`). */
function bigReport(n: number, opts: { vary: number; changeAt: number; changeFrom: number }): { file: string; extras: string[] } {
  const [headers, first] = records(fixture('taobao-refunds-2024-utf8bom.csv'));
  const mapping = recognise(headers!, PROFILES)!;
  const refundAt = mapping.columns.get('refundId')!;
  const orderAt = mapping.columns.get('orderId')!;
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const cells = [...first!];
    cells[refundAt] = `="${2025000000000000 + i}"`;
    cells[orderAt] = `="${3025000000000000000n + BigInt(i)}"`;
    for (const e of mapping.extras) if (cells[e.index] === '') cells[e.index] = `常量${e.index}`;
    cells[mapping.extras[opts.vary]!.index] = `行${i}`;
    if (i >= opts.changeFrom) cells[mapping.extras[opts.changeAt]!.index] = '新的卖家地址';
    // A cell empty on some rows only: the view leaves it out there, as the file has it.
    if (i % 7 === 3) cells[mapping.extras[opts.vary]!.index] = '';
    rows.push(cells);
  }
  const file = path.join(tmpDir(), 'big-2024.csv');
  fs.writeFileSync(file, '\uFEFF' + Papa.unparse([headers!, ...rows], { newline: '\r\n' }) + '\r\n');
  return { file, extras: mapping.extras.map((e) => e.name) };
}

describe('a file with constant columns', () => {
  it('stores the names and constant cells once per layout, each row only its own cells, and reads every cell back', async () => {
    // The first batch (a parser chunk, at most 1,000 rows) decides the constants: the change comes after it.
    const n = 1500;
    const { file, extras } = bigReport(n, { vary: 1, changeAt: 2, changeFrom: 1400 });
    const [report] = await run([file]);
    expect(report!.inserted).toBe(n);
    const layouts = store.sql<{ columns_json: string; slots_json: string; constants_json: string }>(
      'SELECT columns_json, slots_json, constants_json FROM import_columns ORDER BY id',
    );
    // The second layout starts where the "constant" column changed: it varies from then on.
    expect(layouts.length).toBe(2);
    for (const l of layouts) expect(JSON.parse(l.columns_json)).toEqual(extras);
    expect(JSON.parse(layouts[0]!.slots_json)).toEqual(extras.map((_, i) => (i === 1 ? 0 : null)));
    expect(JSON.parse(layouts[1]!.slots_json)).toEqual(extras.map((_, i) => (i === 1 ? 0 : i === 2 ? 1 : null)));
    expect(JSON.parse(layouts[1]!.constants_json)[2]).toBeNull();
    const own = store.sql<{ refund_id: string; extra_values: string | null }>('SELECT refund_id, extra_values FROM refunds ORDER BY refund_id');
    expect(own[0]).toEqual({ refund_id: '2025000000000000', extra_values: '["行0"]' });
    expect(own[3]).toEqual({ refund_id: '2025000000000003', extra_values: null });
    expect(own[1399]!.extra_values).toBe('["行1399"]');
    expect(own[1400]!.extra_values).toBe('["行1400","新的卖家地址"]');

    const expected = expectedExtras(file).rows;
    const stored = viewRows(store, 'refunds');
    expect(stored.size).toBe(n);
    for (const [id, extra] of expected) expect(JSON.parse(stored.get(id)!), id).toEqual(extra);
    // Read back by name, as README "The database" shows.
    expect(
      store.sql(`SELECT json_extract(extra_json, '$."' || ? || '"') AS cell FROM refunds_extra WHERE refund_id = '2025000000001450'`, [extras[2]]),
    ).toEqual([{ cell: '新的卖家地址' }]);

    const [again] = await run([file], NOW + 86_400_000);
    expect({ unchanged: again!.unchanged, updated: again!.updated, inserted: again!.inserted }).toEqual({ unchanged: n, updated: 0, inserted: 0 });
    expect(store.sql('SELECT count(*) AS n FROM import_columns')).toEqual([{ n: 2 }]);
  });

  it('a row stored under another layout with the same cells is unchanged; a changed cell is an update', async () => {
    const { file } = bigReport(CONSTANT_AFTER_ROWS * 2, { vary: 1, changeAt: 2, changeFrom: CONSTANT_AFTER_ROWS * 2 });
    await run([file]);
    expect(JSON.parse(store.sql<{ constants_json: string }>('SELECT constants_json FROM import_columns')[0]!.constants_json)[2]).toBe(records(file)[1]![recognise(records(file)[0]!, PROFILES)!.extras[2]!.index]);
    // The same cells given as an object (one layout, every column its own) read back alike.
    const id = '2025000000000005';
    const before = store.refund(id)!;
    const extraJson = store.sql<{ extra_json: string }>('SELECT extra_json FROM refunds_extra WHERE refund_id = ?', [id])[0]!.extra_json;
    const input = { ...before, extraJson };
    const layoutOf = () => store.sql<{ extra_columns: number }>('SELECT extra_columns FROM refunds WHERE refund_id = ?', [id])[0]!.extra_columns;
    const before5 = layoutOf();
    store.begin();
    expect(store.upsertRefund(input, SEEN, 'x.csv')).toBe('unchanged');
    // Unchanged, and filed under the layout it came with from now on (read back alike).
    expect(layoutOf()).not.toBe(before5);
    expect(store.sql<{ extra_json: string }>('SELECT extra_json FROM refunds_extra WHERE refund_id = ?', [id])[0]!.extra_json).toBe(extraJson);
    expect(store.upsertRefund(input, SEEN, 'x.csv')).toBe('unchanged');
    const changed = JSON.parse(extraJson);
    changed[Object.keys(changed)[0]!] = '改了';
    expect(store.upsertRefund({ ...before, extraJson: JSON.stringify(changed) }, SEEN, 'x.csv')).toBe('updated');
    store.commit();
    expect(JSON.parse(store.sql<{ extra_json: string }>('SELECT extra_json FROM refunds_extra WHERE refund_id = ?', [id])[0]!.extra_json)).toEqual(changed);
  });

  it('a small file keeps every cell with its row: no constant is learnt from fewer rows than CONSTANT_AFTER_ROWS', async () => {
    const { file } = bigReport(CONSTANT_AFTER_ROWS - 1, { vary: 1, changeAt: 2, changeFrom: CONSTANT_AFTER_ROWS * 2 });
    await run([file]);
    const [l] = store.sql<{ constants_json: string }>('SELECT constants_json FROM import_columns');
    expect(JSON.parse(l!.constants_json).every((c: unknown) => c === null)).toBe(true);
  });
});

describe('purge in the lean layout', () => {
  it("erases the finished refunds' cells, and the layouts (with their constant cells) no row uses any more", async () => {
    const { file } = bigReport(1500, { vary: 1, changeAt: 2, changeFrom: 1400 });
    await run([file]);
    expect(store.sql<{ n: number }>('SELECT count(*) AS n FROM import_columns')[0]!.n).toBe(2);
    // Every refund finished; the last 100 (the second layout's) after the cut.
    store.sql(`UPDATE refunds SET status = 'SUCCESS', status_text = '退款成功',
      finished_at = CASE WHEN refund_id < '2025000000001400' THEN '2025-04-20T12:00:00+08:00' ELSE '2025-06-01T00:00:00+08:00' END RETURNING 1`);
    const purged = store.purgePersonalData('2025-05-01T00:00:00+08:00', false, SEEN);
    expect(purged.refunds).toBe(1400);
    expect(store.sql("SELECT count(*) AS n FROM refunds_extra WHERE refund_id < '2025000000001400'")).toEqual([{ n: 0 }]);
    expect(store.sql("SELECT count(*) AS n FROM refunds WHERE refund_id < '2025000000001400' AND (extra_values IS NOT NULL OR extra_columns IS NOT NULL)")).toEqual([{ n: 0 }]);
    // The first layout served only purged rows: gone with its constant cells. The second stays for the rows that use it.
    expect(store.sql<{ n: number }>('SELECT count(*) AS n FROM import_columns')[0]!.n).toBe(1);
    expect(store.sql("SELECT count(*) AS n FROM refunds_extra WHERE refund_id >= '2025000000001400' AND extra_json IS NOT NULL")).toEqual([{ n: 100 }]);
    store.purgePersonalData('2025-07-01T00:00:00+08:00', false, SEEN);
    expect(store.sql('SELECT count(*) AS n FROM import_columns')).toEqual([{ n: 0 }]);
    // And an import of the same file writes none of it back.
    await run([file], NOW + 86_400_000);
    expect(store.sql('SELECT count(*) AS n FROM refunds_extra')).toEqual([{ n: 0 }]);
  });
});

describe('migration from schema 3', () => {
  it('upgrades a hand-made schema-3 database: every stored extra_json reads back the same through the view, a re-import finds the row unchanged', () => {
    const file = path.join(tmpDir(), 'v3.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    const refund = old.prepare(
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, applied_at, dispute_state, extra_json,
         status_since, first_seen_at, updated_at, source_file) VALUES (?, 'taobao', ?, ?, ?, 5990, ?, 'none', ?, ?, ?, ?, 'a.csv')`,
    );
    const objects = [
      '{"审核操作人":"大刘","卖家真实姓名":"某某旗舰店","卖家联系电话":"0571-88888888"}',
      '{"审核操作人":"小王","卖家真实姓名":"某某旗舰店","卖家联系电话":"0571-88888888"}',
      '{"智能退款策略":"极速退款"}',
      '{"引号\\"和，逗号":"值\\n换行"}',
    ];
    objects.forEach((o, i) =>
      refund.run(`20241001123456${i}`, `301234567890123456${i}`, 'SUCCESS', '退款成功', '2025-04-20T10:31:05+08:00', o, SEEN, SEEN, SEEN),
    );
    refund.run('2024100112345699', '3012345678901234599', 'WAIT_SELLER_AGREE', '买家已经申请退款，等待卖家同意', null, null, SEEN, SEEN, SEEN);
    old.prepare(
      `INSERT INTO orders (order_id, platform, extra_json, first_seen_at, updated_at) VALUES ('3012345678901234560', 'taobao', ?, ?, ?)`,
    ).run('{"发票抬头":"某公司","物流单号 ":"SF1"}', SEEN, SEEN);
    old.close();

    const s = openStore(file);
    expect(s.sql('SELECT refund_id, extra_json FROM refunds LEFT JOIN refunds_extra USING (refund_id) ORDER BY refund_id')).toEqual([
      ...objects.map((o, i) => ({ refund_id: `20241001123456${i}`, extra_json: o })),
      { refund_id: '2024100112345699', extra_json: null },
    ]);
    expect(s.sql('SELECT order_id, extra_json FROM orders_extra')).toEqual([{ order_id: '3012345678901234560', extra_json: '{"发票抬头":"某公司","物流单号 ":"SF1"}' }]);
    expect(s.sql<{ name: string }>("SELECT name FROM pragma_table_info('refunds') WHERE name = 'extra_json'")).toEqual([]);
    // Two rows with the same names share one layout.
    expect(s.sql('SELECT count(*) AS n FROM import_columns')).toEqual([{ n: 4 }]);
    s.begin();
    const r = s.refund('202410011234560')!;
    expect(s.upsertRefund({ ...r, extraJson: objects[0]! }, SEEN, 'b.csv')).toBe('unchanged');
    s.commit();
    s.close();
  });
});

describe('the report windows as numbers', () => {
  it('applied_ms, finished_ms and active_ms are the epoch ms of their ISO text, on every row', async () => {
    await run(['taobao-refunds-2017-gbk.csv', 'taobao-refunds-2024-utf8bom.csv', 'douyin-aftersales.csv'].map(fixture));
    await run([fixture('taobao-refunds-2017-gbk-v2.csv')], NOW + 86_400_000);
    const rows = store.sql<Record<string, string | number | null>>(
      'SELECT refund_id, status, applied_at, first_seen_at, finished_at, status_since, applied_ms, finished_ms, active_ms FROM refunds',
    );
    expect(rows.length).toBeGreaterThan(20);
    let finished = 0;
    for (const r of rows) {
      const applied = Date.parse((r.applied_at ?? r.first_seen_at) as string);
      const done = r.status === 'SUCCESS' || r.status === 'CLOSED' ? Date.parse((r.finished_at ?? r.status_since) as string) : null;
      if (done !== null) finished++;
      expect([r.applied_ms, r.finished_ms, r.active_ms], String(r.refund_id)).toEqual([applied, done, Math.max(applied, done ?? applied)]);
    }
    // Two offsets: active_ms picks the later time by its text, within the 26 hours the reports allow for.
    store.sql(`UPDATE refunds SET status = 'SUCCESS', applied_at = '2025-04-20T10:00:00+08:00', finished_at = '2025-04-20T05:00:00Z'
      WHERE refund_id = ? RETURNING 1`, [rows[0]!.refund_id]);
    const [odd] = store.sql<{ applied_ms: number; finished_ms: number; active_ms: number }>('SELECT applied_ms, finished_ms, active_ms FROM refunds WHERE refund_id = ?', [rows[0]!.refund_id]);
    expect(odd).toEqual({ applied_ms: Date.parse('2025-04-20T10:00:00+08:00'), finished_ms: Date.parse('2025-04-20T05:00:00Z'), active_ms: Date.parse('2025-04-20T10:00:00+08:00') });
    expect(Math.max(odd!.applied_ms, odd!.finished_ms) - odd!.active_ms).toBeLessThanOrEqual(26 * 3_600_000);
    expect(finished).toBeGreaterThan(5);
    expect(rows.some((r) => r.finished_at === null && r.finished_ms !== null)).toBe(true);
    // A window's refunds are an index range.
    const plan = store.sql<{ detail: string }>('EXPLAIN QUERY PLAN SELECT count(*) FROM refunds WHERE active_ms >= ?', [NOW]);
    expect(plan.map((p) => p.detail).join(' ')).toContain('refunds_active');
  });
});

describe('a first load builds its secondary indexes at COMMIT', () => {
  const indexes = (s: Store) =>
    s.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('refunds', 'refund_history') ORDER BY name").map((r) => r.name);

  it('drops them while it writes into an empty database and builds them in the same transaction; a rollback or a database with data keeps them', async () => {
    const all = indexes(store);
    expect(all).toEqual(['refund_history_refund', 'refunds_active', 'refunds_buyer', 'refunds_needing_deadline', 'refunds_open_rank', 'refunds_order', 'refunds_waybill', 'sqlite_autoindex_refunds_1']);
    store.begin({ load: true });
    expect(indexes(store)).toEqual(['refunds_needing_deadline', 'sqlite_autoindex_refunds_1']);
    store.rollback();
    expect(indexes(store)).toEqual(all);
    const [r] = await run([fixture('taobao-refunds-2017-gbk.csv')]);
    expect(r!.inserted).toBeGreaterThan(10);
    expect(indexes(store)).toEqual(all);
    expect(store.sql('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // The indexes hold every row: a lookup by each gives the rows a scan gives.
    expect(store.sql("SELECT count(*) AS n FROM refunds INDEXED BY refunds_order WHERE order_id > ''")).toEqual(store.sql('SELECT count(*) AS n FROM refunds'));
    store.begin({ load: true });
    expect(indexes(store)).toEqual(all);
    store.rollback();
  });
});
