// An import computes each open refund's deadline as it writes the row (ImportWriter.writeRefunds with
// deadlineOf: insert, update, the order's shipping state looked up), instead of a second pass.
// What it stores must be exactly what the full pass (ensureDeadlines, all) computes.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ensureDeadlinesOnStore as ensureDeadlines } from '../../src/app/storeTwins.js';
import { importFiles } from '../helpers/importFiles.js';
import { ruleSetFor } from '../../src/app/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { openStore } from '../../src/store/store.js';
import { fixture, runCli, tmpDir } from '../helpers/cli.js';

const COLUMNS = 'refund_id, status, deadline_at, deadline_source, deadline_rule, waiting_on, at_timeout';

function stored(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare(`SELECT ${COLUMNS} FROM refunds ORDER BY refund_id`).all();
  db.close();
  return rows;
}

/** Every deadline erased, then computed from scratch by the pass (not by the diffing of `all`). */
function recomputed(file: string): unknown[] {
  const copy = path.join(tmpDir(), 'copy.sqlite');
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec('UPDATE refunds SET deadline_at = NULL, deadline_source = NULL, deadline_rule = NULL, waiting_on = NULL, at_timeout = NULL');
  db.close();
  const store = openStore(copy);
  ensureDeadlines(store, { rules: ruleSetFor({}, ''), calendar: chinaCalendar(), zone: new ShopZone('Asia/Shanghai') });
  store.close();
  return stored(copy);
}

describe('deadlines computed on write = deadlines of the full pass', () => {
  it('orders first, then refunds (shipping state from the order), then a newer export (updates and new states)', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const run = (at: string, ...files: string[]) => expect(runCli(['--db', file, '--now', at, 'import', ...files.map(fixture)]).code).toBe(0);
    run('2025-04-20T09:00:00+08:00', 'taobao-orders-gbk.csv');
    run('2025-04-20T09:05:00+08:00', 'taobao-refunds-2017-gbk.csv', 'douyin-aftersales.csv');
    const first = stored(file);
    expect(first.filter((r) => (r as { waiting_on: string | null }).waiting_on !== null).length).toBeGreaterThan(5);
    expect(first).toEqual(recomputed(file));
    run('2025-04-21T09:00:00+08:00', 'taobao-refunds-2017-gbk-v2.csv');
    const second = stored(file);
    expect(second).not.toEqual(first);
    expect(second).toEqual(recomputed(file));
  });

  it('refunds first, then the order export: the deadlines it changes (what shipped) are rewritten, the rest kept', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const run = (at: string, ...files: string[]) => expect(runCli(['--db', file, '--now', at, 'import', ...files.map(fixture)]).code).toBe(0);
    run('2025-04-20T09:05:00+08:00', 'taobao-refunds-2017-gbk.csv');
    const before = stored(file) as { refund_id: string }[];
    run('2025-04-20T09:10:00+08:00', 'taobao-orders-gbk.csv');
    const after = stored(file) as { refund_id: string }[];
    const changed = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i]));
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(after.length);
    expect(after).toEqual(recomputed(file));
  });

  it('a file that repeats a refund (insert, then update in the same file) still ends as the pass would', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const dir = tmpDir();
    const [header, ...rows] = Papa.parse<string[]>(fs.readFileSync(fixture('taobao-refunds-2024-utf8bom.csv'), 'utf8'), { skipEmptyLines: true }).data;
    // The same rows twice, the second time in reverse: every refund is inserted, then seen again.
    const twice = path.join(dir, 'twice.csv');
    fs.writeFileSync(twice, Papa.unparse([header!, ...rows, ...[...rows].reverse()]) + '\n');
    const r = runCli(['--db', file, '--now', '2025-04-21T09:00:00+08:00', 'import', '--json', twice]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout).files[0];
    expect(report.inserted).toBeGreaterThan(0);
    expect(report.unchanged).toBeGreaterThan(0); // the second sighting goes through the lookup path
    expect(stored(file)).toEqual(recomputed(file));
  });
});

describe('no second pass', () => {
  it('with deadlines on write, every open refund has its deadline as soon as its row is written', async () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const env = { rules: ruleSetFor({}, ''), calendar: chinaCalendar(), zone: new ShopZone('Asia/Shanghai') };
    const store = openStore(file);
    const reports = await importFiles(store, [{ name: fixture('taobao-refunds-2017-gbk.csv') }, { name: fixture('douyin-aftersales.csv') }], {
      zone: env.zone,
      nowMs: Date.parse('2025-04-21T09:00:00+08:00'),
      // The deadlines computed on write only: no pass before or after the files.
      deadlines: env,
      refreshDeadlines: false,
    });
    expect(reports.map((r) => r.inserted)).toEqual([13, 7]); // fixtures/expected.json importCounts
    expect(store.refundsNeedingDeadlines()).toEqual([]);
    store.close();
    expect(stored(file)).toEqual(recomputed(file));
  });
});
