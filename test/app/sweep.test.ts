// The sweep two ways: in memory (every open refund assessed, sorted by domain/urgency.ts's
// compareUrgency) and in pages ordered by SQL (store.sweepPlan: SECTION_RANK, section totals,
// seeking top-N queries). `today --json` streams the second; the first is its fallback when the
// database is busy. They must agree refund for refund, field for field, page size whatever.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleSetFor } from '../../src/app/rules.js';
import { countsOf, refundJson, sweep, sweepPages, type SweepEnv } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/domain/calendar.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { openStore } from '../../src/store/store.js';
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
    it(`at ${at} with ${JSON.stringify(filter)}`, () => {
      const store = openStore(db, { readonly: true });
      const e = env(at);
      const inMemory = sweep(store, e, filter);
      expect(inMemory.length).toBeGreaterThan(0);
      for (const pageSize of [1, 4, 500]) {
        const { counts, pages } = sweepPages(store, e, filter, pageSize);
        const paged = [...pages].flat();
        expect(paged.map((i) => refundJson(i, zone))).toEqual(inMemory.map((i) => refundJson(i, zone)));
        expect(counts).toEqual(countsOf(inMemory));
      }
      store.close();
    });
  }

  it('pages hold pageSize refunds, in order, the last one the rest', () => {
    const store = openStore(db, { readonly: true });
    const { counts, pages } = sweepPages(store, env('2025-04-21T09:00:00+08:00'), {}, 4);
    const sizes = [...pages].map((p) => p.length);
    expect(sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(counts.open);
    expect(sizes.at(-1)).toBe(counts.open % 4 || 4);
    store.close();
  });
});
