// The sweep two ways: in memory (every open refund assessed, sorted by domain/urgency.ts's
// compareUrgency) and in pages ordered by SQL (store.sweepPlan: SECTION_RANK, section totals,
// seeking top-N queries). `today --json` streams the second; the first is its fallback when the
// database is busy. They must agree refund for refund, field for field, page size whatever.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleSetFor } from '../../src/app/rules.js';
import { countsOf, refundJson, sweep, sweepPages, type SweepEnv } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { openStore, type Store } from '../../src/store/store.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import type { SweepItem } from '../../src/app/sweep.js';
import { fixture, runCli, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const env = (at: string): SweepEnv => ({
  zone,
  nowMs: Date.parse(at),
  rules: ruleSetFor({}, ''),
  calendar: chinaCalendar(),
  dueSoonMs: DEFAULT_DUE_SOON_MS,
});

let db: string;
const portsOn = (store: Store) => portsOf(store, { now: () => Date.parse('2025-04-21T09:00:00+08:00') });
/** The pages as a list of pages. */
async function pagesOf(pages: AsyncIterable<SweepItem[]>): Promise<SweepItem[][]> {
  const out: SweepItem[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}
beforeAll(() => {
  db = path.join(tmpDir(), 'demo.sqlite');
  const files = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
  expect(runCli(['--db', db, '--now', '2025-04-21T08:30:00+08:00', 'import', ...files.map(fixture)]).code).toBe(0);
  // A decision the next export contradicts would be "not carried out"; one that holds is not.
  expect(runCli(['--db', db, '--now', '2025-04-21T08:40:00+08:00', 'decide', '7360123456789012307', '--action', 'approve', '--agent', 'a']).code).toBe(0);
});

describe('sweep in pages (SQL order) = sweep in memory (domain order)', () => {
  const cases: [string, Parameters<typeof sweep>[2]][] = [
    ['2025-04-21T09:00:00+08:00', {}],
    ['2025-04-23T18:00:00+08:00', {}],
    ['2025-04-10T09:00:00+08:00', {}],
    ['2025-04-21T09:00:00+08:00', { platform: 'taobao' }],
    ['2025-04-21T09:00:00+08:00', { statuses: ['WAIT_SELLER_CONFIRM_GOODS', 'WAIT_BUYER_RETURN_GOODS'] }],
    ['2025-04-21T09:00:00+08:00', { dueWithinMs: 48 * 3600_000 }],
  ];
  for (const [at, filter] of cases) {
    it(`at ${at} with ${JSON.stringify(filter)}`, async () => {
      const store = openStore(db, { readonly: true });
      const ports = portsOn(store);
      const e = env(at);
      const inMemory = await sweep(ports, e, filter);
      expect(inMemory.length).toBeGreaterThan(0);
      for (const pageSize of [1, 4, 500]) {
        const { counts, pages } = await sweepPages(ports, e, filter, pageSize);
        const paged = (await pagesOf(pages)).flat();
        expect(paged.map((i) => refundJson(i, zone))).toEqual(inMemory.map((i) => refundJson(i, zone)));
        expect(counts).toEqual(countsOf(inMemory));
      }
      store.close();
    });
  }

  it('pages hold pageSize refunds, in order, the last one the rest', async () => {
    const store = openStore(db, { readonly: true });
    const { counts, pages } = await sweepPages(portsOn(store), env('2025-04-21T09:00:00+08:00'), {}, 4);
    const sizes = (await pagesOf(pages)).map((p) => p.length);
    expect(sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(counts.open);
    expect(sizes.at(-1)).toBe(counts.open % 4 || 4);
    store.close();
  });
});

describe('the paged sweep against a changing database', () => {
  const copyOf = () => {
    const file = path.join(tmpDir(), 'copy.sqlite');
    fs.copyFileSync(db, file); // the CLI that wrote it has closed it: no WAL left beside it
    return file;
  };

  it('refund IDs that are not all digits rank alike in SQL and in memory (shorter first, then text)', async () => {
    const file = copyOf();
    const raw = new Database(file);
    // Two refunds of one section with the same deadline, renamed: "AB12" sorts after "C1" (shorter first).
    const [a, b] = raw
      .prepare("SELECT refund_id FROM refunds WHERE status = 'WAIT_SELLER_AGREE' AND platform = 'douyin' ORDER BY refund_id LIMIT 2")
      .pluck()
      .all() as string[];
    raw.prepare('UPDATE refunds SET deadline_at = (SELECT deadline_at FROM refunds WHERE refund_id = ?) WHERE refund_id = ?').run(a, b);
    raw.prepare("UPDATE refunds SET refund_id = 'AB12' WHERE refund_id = ?").run(a);
    raw.prepare("UPDATE refunds SET refund_id = 'C1' WHERE refund_id = ?").run(b);
    raw.close();
    const store = openStore(file, { readonly: true });
    const ports = portsOn(store);
    const e = env('2025-04-21T09:00:00+08:00');
    const inMemory = (await sweep(ports, e)).map((i) => i.refund.refundId);
    const paged = (await pagesOf((await sweepPages(ports, e, {}, 3)).pages)).flat().map((i) => i.refund.refundId);
    expect(inMemory.indexOf('C1')).toBe(inMemory.indexOf('AB12') - 1);
    expect(paged).toEqual(inMemory);
    store.close();
  });

  it('an import committing between two pages changes nothing already planned: one snapshot', async () => {
    const file = copyOf();
    const store = openStore(file, { readonly: true });
    const ports = portsOn(store);
    const e = env('2025-04-21T09:00:00+08:00');
    const before = (await pagesOf((await sweepPages(ports, e, {}, 4)).pages)).flat().map((i) => refundJson(i, zone));
    const { counts, pages } = await sweepPages(ports, e, {}, 4);
    const it = pages[Symbol.asyncIterator]();
    const got = [...((await it.next()).value as SweepItem[])];
    // Another process closes every open refund and commits.
    const writer = new Database(file);
    writer.exec("UPDATE refunds SET status = 'SUCCESS', status_text = '退款成功' WHERE status NOT IN ('CLOSED', 'SUCCESS')");
    writer.close();
    for (let r = await it.next(); !r.done; r = await it.next()) got.push(...r.value);
    expect(got.map((i) => refundJson(i, zone))).toEqual(before);
    expect(got).toHaveLength(counts.open);
    // The snapshot ended with the last page: the next sweep sees the change.
    expect((await pagesOf((await sweepPages(ports, e, {}, 4)).pages)).flat()).toEqual([]);
    store.close();
  });
});
