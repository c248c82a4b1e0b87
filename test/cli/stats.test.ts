// `refunds stats` on the demo fixtures at 2025-04-21 09:00 +08:00, and the README's SQL for each
// figure run against the same database.
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { openSqlitePorts } from '../../src/store/sqlite/index.js';
import { readmeQuery } from '../helpers/readmeSql.js';

const IMPORT_AT = '2025-04-21T08:30:00+08:00';
const FILES = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];

let db: string;

beforeAll(() => {
  db = path.join(tmpDir(), 'demo.sqlite');
  const r = runCli(['--db', db, '--now', IMPORT_AT, 'import', ...FILES.map(fixture)]);
  expect(r.code).toBe(0);
  // R09 (SUCCESS, finished 2025-04-19 16:30) finished after its deadline: a timeout.
  const d = new Database(db);
  d.prepare('UPDATE refunds SET export_deadline = ? WHERE refund_id = ?').run('2025-04-19T12:00:00+08:00', '158700112233445509');
  d.close();
});

const stats = (...args: string[]) => runCli(['--db', db, '--now', NOW, 'stats', ...args]);
const json = (...args: string[]) => {
  const r = stats('--json', ...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('refunds stats --json over the last 28 days', () => {
  it('has exact counts, shares and cents', () => {
    const s = json();
    expect(s.since).toBe('2025-03-24T09:00:00+08:00');
    expect(s.until).toBe('2025-04-21T09:00:00+08:00');
    expect(s.days).toBe(28);
    // R08 CLOSED 04-07, R09 SUCCESS 04-19, and the Douyin D4 SUCCESS / D5 CLOSED, which have no
    // finish time in the export: they count from when refunds first saw them finished (08:30).
    expect(s.finished).toEqual({ count: 4, success: 2, closed: 2 });
    // by the platform: D5 (仲裁 — a dispute) and R09 (a timeout)
    expect(s.selfFinished).toEqual({ count: 2, of: 4, share: 0.5, byPlatform: 2 });
    expect(s.timeouts).toEqual({ count: 1, of: 4, share: 0.25 });
    // (23.5 + 25 + 68.5 + 212.5) / 4 = 82.375 h
    expect(s.meanHoursToFinish).toBe(82.4);
    expect(s.meanHoursOver).toBe(4);
    expect(s.applied).toEqual({ count: 20, amountCents: 556110 });
    // R07 (客服已经介入) and D5 (仲裁完成)
    expect(s.disputes).toEqual({ count: 2, of: 20, share: 0.1 });
    expect(s.refundShare).toMatchObject({ refundedCents: 1000, paidCents: 390310, orderExportImported: true, ruleOfThumb: 0.02 });
    expect(s.refundShare.share).toBeCloseTo(1000 / 390310, 12);
    expect(s.refundShare.platforms).toEqual([
      { platform: 'douyin', refundedCents: 1990, refunds: 1, paidCents: 0, orders: 0, orderExportImported: false, share: null },
      { platform: 'taobao', refundedCents: 1000, refunds: 1, paidCents: 390310, orders: 19, orderExportImported: true, share: 1000 / 390310 },
    ]);
  });

  it('ranks reasons with buyer-side and merchant-side buckets', () => {
    const s = json();
    expect(s.reasons.buckets).toEqual({
      buyer: { refunds: 6, amountCents: 39770 },
      merchant: { refunds: 13, amountCents: 515340 },
      unknown: { refunds: 1, amountCents: 1000 },
    });
    expect(s.reasons.ranked.slice(0, 3)).toEqual([
      { reason: '质量问题', bucket: 'merchant', refunds: 5, amountCents: 167090 },
      { reason: '收到商品破损', bucket: 'merchant', refunds: 3, amountCents: 171450 },
      { reason: '多拍/拍错/不想要', bucket: 'buyer', refunds: 3, amountCents: 14380 },
    ]);
    expect(s.reasons.ranked.find((r: any) => r.reason === '退运费')).toMatchObject({ bucket: 'unknown', refunds: 1 });
    expect(s.reasons.ranked.reduce((n: number, r: any) => n + r.refunds, 0)).toBe(s.applied.count);
  });

  it('lists top products and every day of the window', () => {
    const s = json();
    expect(s.topProducts[0]).toEqual({ product: '骨瓷餐具四件套 礼盒装', refunds: 2, amountCents: 142700 });
    expect(s.topProducts).toHaveLength(5);
    expect(s.perDay).toHaveLength(29);
    expect(s.perDay[0]).toEqual({ date: '2025-03-24', applied: 0, finished: 0 });
    expect(s.perDay.at(-1)).toEqual({ date: '2025-04-21', applied: 0, finished: 2 });
    expect(s.perDay.find((d: any) => d.date === '2025-04-19')).toEqual({ date: '2025-04-19', applied: 4, finished: 1 });
    expect(s.perDay.reduce((n: number, d: any) => n + d.applied, 0)).toBe(20);
    expect(s.perDay.reduce((n: number, d: any) => n + d.finished, 0)).toBe(4);
  });

  it('honours --since and --until', () => {
    const week = json('--since', '7d');
    expect(week.since).toBe('2025-04-14T09:00:00+08:00');
    expect(week.finished.count).toBe(3);
    expect(week.applied.count).toBe(14);
    expect(week.perDay).toHaveLength(8);
    const early = json('--since', '2025-04-01', '--until', '2025-04-08');
    expect(early.since).toBe('2025-04-01T00:00:00+08:00');
    expect(early.until).toBe('2025-04-08T00:00:00+08:00');
    expect(early.finished).toEqual({ count: 1, success: 0, closed: 1 });
    expect(early.perDay).toHaveLength(7);
    expect(stats('--since', 'last week').code).toBe(2);
    expect(stats('--until', 'tomorrow').code).toBe(2);
    expect(stats('--since', '2025-04-21', '--until', '2025-04-20').code).toBe(2);
  });

  it('says so when no order export was imported, and copes with an empty database', async () => {
    const empty = path.join(tmpDir(), 'empty.sqlite');
    await (await openSqlitePorts(empty)).close(); // a database with nothing in it (a missing one is refused: no-silent-damage.test.ts)
    const r = runCli(['--db', empty, '--now', NOW, 'stats', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.finished.count).toBe(0);
    expect(s.selfFinished.share).toBeNull();
    expect(s.meanHoursToFinish).toBeNull();
    expect(s.refundShare).toMatchObject({ orderExportImported: false, share: null });
    const text = runCli(['--db', empty, '--now', NOW, 'stats']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('no order export imported');
  });
});

describe('README SQL re-derives every figure of refunds stats', () => {
  const query = (name: string, params: Record<string, string>) => readmeQuery(db, name, params);

  for (const window of [[], ['--since', '7d'], ['--since', '2025-04-01', '--until', '2025-04-08']]) {
    it(`matches the CLI's JSON (${window.join(' ') || 'default 28 days'})`, () => {
      const s = json(...window);
      const p = { since: s.since, until: s.until };

      const [f] = query('stats-finished', p);
      expect(f.finished).toBe(s.finished.count);
      expect(f.success).toBe(s.finished.success);
      expect(f.closed).toBe(s.finished.closed);
      expect(f.timeouts).toBe(s.timeouts.count);
      expect(f.by_platform).toBe(s.selfFinished.byPlatform);
      expect(f.by_seller).toBe(s.selfFinished.count);
      expect(f.mean_hours).toBe(s.meanHoursToFinish);

      const [a] = query('stats-applied', p);
      expect(a).toEqual({ applied: s.applied.count, amount_cents: s.applied.amountCents, disputes: s.disputes.count });

      const share = query('stats-refund-share', p);
      expect(
        share.map((r) => ({
          platform: r.platform,
          refundedCents: r.refunded_cents,
          refunds: r.refunds,
          paidCents: r.paid_cents,
          orders: r.orders,
          orderExportImported: r.order_export_imported === 1,
        })),
      ).toEqual(s.refundShare.platforms.map(({ share: _s, ...rest }: any) => rest));
      const counted = share.filter((r) => r.order_export_imported === 1);
      expect(counted.reduce((n, r) => n + r.refunded_cents, 0)).toBe(s.refundShare.refundedCents);
      expect(counted.reduce((n, r) => n + r.paid_cents, 0)).toBe(s.refundShare.paidCents);

      const reasons = query('stats-reasons', p);
      expect(reasons.map((r) => ({ reason: r.reason === '' ? null : r.reason, bucket: r.bucket, refunds: r.refunds, amountCents: r.amount_cents }))).toEqual(
        s.reasons.ranked,
      );
      for (const bucket of ['buyer', 'merchant', 'unknown']) {
        const rows = reasons.filter((r) => r.bucket === bucket);
        expect({ refunds: rows.reduce((n, r) => n + r.refunds, 0), amountCents: rows.reduce((n, r) => n + r.amount_cents, 0) }).toEqual(
          s.reasons.buckets[bucket],
        );
      }

      const products = query('stats-products', p);
      expect(products.map((r) => ({ product: r.product === '' ? null : r.product, refunds: r.refunds, amountCents: r.amount_cents }))).toEqual(s.topProducts);

      const days = query('stats-per-day', p);
      expect(days.map((d) => ({ date: d.day, applied: d.applied, finished: d.finished }))).toEqual(
        s.perDay.filter((d: any) => d.applied || d.finished),
      );
    });
  }
});

describe('refunds stats as text', () => {
  for (const lang of ['en', 'zh']) {
    it(`fits 80 columns and draws per-day bars (${lang})`, () => {
      const r = runCli(['--db', db, '--now', NOW, '--lang', lang, 'stats']);
      expect(r.code).toBe(0);
      const lines = r.stdout.replace(/\n$/, '').split('\n');
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
      expect(r.stdout).not.toContain('\u001b');
      // one line per day of the window, bars of █ (applied) and ░ (finished)
      expect(lines.filter((l) => /^ {2}\d\d-\d\d /.test(l))).toHaveLength(29);
      expect(r.stdout).toMatch(/04-19 \S+ +█{20} 4 {2}░+ +1/);
    });
  }

  it('shows the headline figures', () => {
    const r = stats();
    expect(r.stdout).toContain('SHOP METRICS 2025-03-24 09:00 – 2025-04-21 09:00 (28 DAYS)');
    expect(r.stdout).toMatch(/Finished without the platform \(自主完结率\) +2 of 4 — 50\.0%/);
    expect(r.stdout).toMatch(/Timeouts \(finished after the deadline\) +1 of 4 — 25\.0%/);
    expect(r.stdout).toMatch(/Mean time to finish \(退款完结时长\) +82\.4 h \(over 4\)/);
    expect(r.stdout).toContain('¥10.00 of ¥3,903.10 — 0.3%');
    expect(r.stdout).toContain('Douyin: ¥19.90 refunded, no order export imported');
    expect(r.stdout).toContain('buyer-side 6 · merchant-side 13 · other 1');
  });
});
