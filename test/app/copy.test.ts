// app/copy.ts on two real SQLite stores: the batches and the progress it reports, the refusal of a
// target holding data, and the rollback when the counts of a table differ after the load.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CopyMismatch, copyStore, type CopyProgress } from '../../src/app/copy.js';
import { StoreError, TABLE_NAMES, type Ports } from '../../src/app/ports/index.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { sqliteCounts, sqliteTables } from '../helpers/tables.js';

const clock = { now: () => Date.parse(NOW) };
let dir: string;
let source: string;
let n = 0;

beforeAll(() => {
  dir = tmpDir('refunds-app-copy-');
  source = path.join(dir, 'shop.sqlite');
  const r = runCli(['--db', source, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv'), fixture('warehouse-returns.csv')]);
  expect(r.code, r.stderr).toBe(0);
});

const open = (file: string): Ports => portsOf(openStore(file), clock);
const fresh = () => path.join(dir, `target-${++n}.sqlite`);

describe('copyStore', () => {
  it('copies in batches, reports each one, and returns the per-table counts', async () => {
    const file = fresh();
    const [from, to] = [open(source), open(file)];
    const seen: CopyProgress[] = [];
    const view = await copyStore(from, to, { batch: 7, onProgress: (p) => seen.push(p) });
    await Promise.all([from.close(), to.close()]);
    const counts = sqliteCounts(source);
    expect(counts.refunds).toBe(13);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(view).toEqual({ source, target: file, tables: TABLE_NAMES.map((table) => ({ table, rows: counts[table] })), total });
    // 13 refunds in batches of 7: 7, then 13.
    expect(seen.filter((p) => p.table === 'refunds').map((p) => [p.copied, p.rows])).toEqual([
      [7, 13],
      [13, 13],
    ]);
    expect(seen.at(-1)!.copiedTotal).toBe(total);
    expect(seen.every((p) => p.total === total)).toBe(true);
    expect(sqliteTables(file)).toEqual(sqliteTables(source));
  });

  it('refuses a target holding any row, naming the tables, and writes nothing', async () => {
    const file = fresh();
    const seed = open(file);
    await seed.unitOfWork(async (tx) => tx.meta.set('calendar', 'chinese-days:1'));
    await seed.close();
    const [from, to] = [open(source), open(file)];
    const err = await copyStore(from, to).catch((e: unknown) => e);
    await Promise.all([from.close(), to.close()]);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ kind: 'not-empty', details: { url: file, tables: 'meta (1)' } });
    expect(sqliteCounts(file)).toEqual({ ...Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])), meta: 1 });
  });

  it('rolls the whole target back when a table arrives short', async () => {
    const file = fresh();
    const [from, to] = [open(source), open(file)];
    // A backend that loses the last row of each orders batch: the check before COMMIT must catch it.
    const lossy: Ports = { ...to, admin: { ...to.admin, load: (t, rows) => to.admin.load(t, t === 'orders' ? rows.slice(0, -1) : rows) } };
    const err = await copyStore(from, lossy).catch((e: unknown) => e);
    await Promise.all([from.close(), to.close()]);
    expect(err).toBeInstanceOf(CopyMismatch);
    expect(err).toMatchObject({ table: 'orders', sourceRows: sqliteCounts(source).orders, targetRows: sqliteCounts(source).orders - 1 });
    expect(Object.values(sqliteCounts(file))).toEqual(TABLE_NAMES.map(() => 0));
  });
});
