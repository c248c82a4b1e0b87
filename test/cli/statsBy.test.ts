// `refunds stats --by` through the built CLI on the buyers fixture shop: exact rows, the sums of
// every breakdown equal to the window's totals (stats --json), the previous window, agents.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { readmeQuery } from '../helpers/readmeSql.js';

let db: string;
const A4 = '2900000000000000104';
const B1 = '2900000000000000201';
const LATER = '2025-07-01T09:00:00+08:00';

beforeAll(() => {
  const dir = tmpDir();
  db = path.join(dir, 'buyers.sqlite');
  expect(runCli(['--db', db, '--now', BUYERS_NOW, 'import', ...BUYER_FILES]).code).toBe(0);
  // li.na approves A4 and B1; the next morning's export shows A4 refunded, B1 unchanged.
  for (const id of [A4, B1]) expect(runCli(['--db', db, '--now', BUYERS_NOW, 'decide', id, '--action', 'approve', '--agent', 'li.na']).code).toBe(0);
  expect(runCli(['--db', db, '--now', '2025-06-30T11:30:00+08:00', 'decide', '2900000000000000302', '--action', 'contact-buyer', '--agent', 'wang']).code).toBe(0);
  const src = fs.readFileSync(BUYER_FILES[0]!, 'utf8');
  const next = src.replace(`${A4},3900000000000000104,买家已经申请退款，等待卖家同意`, `${A4},3900000000000000104,退款成功`);
  expect(next).not.toBe(src);
  const file = path.join(dir, 'taobao-refunds-0701.csv');
  fs.writeFileSync(file, next);
  expect(runCli(['--db', db, '--now', LATER, 'import', file]).code).toBe(0);
});

const json = (...args: string[]) => {
  const r = runCli(['--db', db, '--now', BUYERS_NOW, 'stats', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('stats --by', () => {
  it('adds up, for every key and window, to the refunds applied in the window', () => {
    for (const since of ['28d', '60d', '90d', '2025-06-20']) {
      const total = json('--since', since).applied;
      for (const by of ['product', 'reason', 'platform']) {
        const s = json('--since', since, '--by', by);
        const sum = (f: string) => s.by.reduce((n: number, it: Record<string, number>) => n + it[f]!, 0);
        expect({ since, by, refunds: sum('refunds'), amountCents: sum('amountCents') }).toEqual({ since, by, refunds: total.count, amountCents: total.amountCents });
        expect(s.totals).toMatchObject({ refunds: total.count, amountCents: total.amountCents });
        for (const it of s.by) expect(Object.keys(it)[0]).toBe(by);
      }
    }
  });

  it('ranks products with the merchant-side share, the previous window and what to look at', () => {
    const s = json('--since', '60d', '--by', 'product');
    expect(s.since).toBe('2025-05-01T10:00:00+08:00');
    expect(s.until).toBe('2025-06-30T10:00:00+08:00');
    expect(s.previous).toEqual({ since: '2025-03-02T10:00:00+08:00', until: '2025-05-01T10:00:00+08:00' });
    expect(s.by[0]).toEqual({
      product: '整竹砧板 加厚 大号',
      refunds: 3,
      amountCents: 18700,
      previousRefunds: 0,
      previousAmountCents: 0,
      trend: null,
      merchantSideShare: 0.6667,
      advice: { lookAt: ['description', 'quality'], reasons: [{ reason: '收到商品与描述不符', refunds: 1 }, { reason: '质量问题', refunds: 1 }] },
    });
    const cup = s.by.find((x: { product: string }) => x.product === '316不锈钢保温杯500ml 黑色');
    // …102 (05-02) in the window, …101 (03-20) in the previous one
    expect(cup).toEqual({ product: '316不锈钢保温杯500ml 黑色', refunds: 1, amountCents: 5990, previousRefunds: 1, previousAmountCents: 5990, trend: 0, merchantSideShare: 1 });
    const text = runCli(['--db', db, '--now', BUYERS_NOW, 'stats', '--since', '60d', '--by', 'product']).stdout;
    expect(text).toContain('look at the description and photos, quality checks.');
    expect(text).toContain('look at picking (right item, nothing missing), the packing.');
  });

  it('is re-derived by the README query', () => {
    const s = json('--since', '60d', '--by', 'product');
    const rows = readmeQuery(db, 'stats-by-product', { since: s.since, until: s.until });
    const inWindow = s.by.filter((x: { refunds: number }) => x.refunds > 0);
    expect(rows).toEqual(inWindow.map((x: { product: string | null; refunds: number; amountCents: number }) => ({ product: x.product ?? '', refunds: x.refunds, amount_cents: x.amountCents })));
  });

  it('buckets reasons and splits platforms', () => {
    const r = json('--since', '60d', '--by', 'reason');
    expect(r.by[0]).toEqual({ reason: '不想要了', refunds: 3, amountCents: 21690, previousRefunds: 0, previousAmountCents: 0, trend: null, bucket: 'buyer' });
    const p = json('--since', '60d', '--by', 'platform');
    expect(p.by).toEqual([
      { platform: 'taobao', refunds: 6, amountCents: 59180, previousRefunds: 1, previousAmountCents: 5990, trend: 5, merchantSideShare: 0.3333 },
      { platform: 'douyin', refunds: 4, amountCents: 17780, previousRefunds: 0, previousAmountCents: 0, trend: null, merchantSideShare: 0.75 },
    ]);
  });

  it('per agent: decisions, median applied → decision, carried out by a later import', () => {
    const r = runCli(['--db', db, '--now', LATER, 'stats', '--json', '--since', '7d', '--by', 'agent']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    // li.na: A4 applied 06-28 21:00 (37 h), B1 applied 06-25 11:00 (119 h): median 78 h; A4 carried out.
    expect(s.by).toEqual([
      { agent: 'li.na', refunds: 2, amountCents: 21700, previousRefunds: 0, previousAmountCents: 0, trend: null, decisions: 2, medianHoursToDecision: 78, checked: 2, carriedOut: 1, carriedOutShare: 0.5 },
      // contact-buyer expects no state: nothing to check
      { agent: 'wang', refunds: 1, amountCents: 7600, previousRefunds: 0, previousAmountCents: 0, trend: null, decisions: 1, medianHoursToDecision: 92.5, checked: 0, carriedOut: 0, carriedOutShare: null },
    ]);
    expect(s.totals.decisions).toBe(3);
  });

  it('refuses an unknown key with a usage error', () => {
    const r = runCli(['--db', db, '--now', BUYERS_NOW, 'stats', '--by', 'colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown --by "colour": use product, reason, agent or platform');
    expect(r.stdout).toBe('');
  });
});
