// Buyer history and flags through the built CLI, on a small shop history with repeat buyers
// (test/fixtures/buyers): `show --json` and the card, the README's SQL, config thresholds, and
// the flags recorded with a decision.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { readmeQuery } from '../helpers/readmeSql.js';

const SINCE_90D = '2025-04-01T10:00:00+08:00';

// 回头客阿明 (taobao): …101 applied 03-20 is outside the 90 days; …103 has no nick, matched by its order.
const A4 = '2900000000000000104';
const A3 = '2900000000000000103';
const B1 = '2900000000000000201'; // 一次买家: one refund
const C2 = '2900000000000000302'; // 空包达人: 七天无理由 16 days after receipt; …301 came back empty
const D2 = '7300000000000000402'; // douyin, masked 王*: 1*****9
const D3 = '7300000000000000403'; // douyin, masked 王*: 1*****8 (another mask: not the same buyer)
const D4 = '7300000000000000404'; // douyin 回头客阿明: another platform, another buyer

let db: string;

beforeAll(() => {
  db = path.join(tmpDir(), 'buyers.sqlite');
  const r = runCli(['--db', db, '--now', BUYERS_NOW, 'import', ...BUYER_FILES]);
  expect(r.code, r.stderr).toBe(0);
});

const cli = (args: string[], env?: Record<string, string | undefined>) => runCli(['--db', db, '--now', BUYERS_NOW, ...args], { env });
const history = (id: string, env?: Record<string, string | undefined>) => {
  const r = cli(['show', id, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).buyerHistory;
};

describe('show --json buyerHistory', () => {
  it('adds up a repeat buyer exactly, with each flag and its reason term by term', () => {
    const h = history(A4);
    expect(h).toMatchObject({
      windowDays: 90,
      buyer: '回头客阿明',
      masked: false,
      refunds: 3,
      amountCents: 18880,
      refundOnlyAfterDelivery: 3,
      disputes: 1,
      orders: 4,
      refundedOrders: 3,
      refundShare: 0.75,
    });
    expect(h.cases.map((c: { refundId: string }) => c.refundId)).toEqual(['2900000000000000102', A3, A4]);
    expect(h.cases[1]).toEqual({
      refundId: A3,
      orderId: '3900000000000000103',
      status: 'CLOSED',
      appliedAt: '2025-06-01T20:00:00+08:00',
      amountCents: 3990,
      refundType: 'refund_only',
      reason: '不想要了',
      refundOnlyAfterDelivery: true,
      disputed: true,
      returnCondition: null,
      returnReceivedAt: null,
    });
    expect(h.flags).toEqual([
      {
        id: 'repeat-refund-only',
        why: 'refund-only requests after delivery 3 in 90 days ≥ threshold 2 (2900000000000000102, 2900000000000000103, 2900000000000000104)',
      },
      { id: 'high-refund-share', why: 'orders refunded 3 ÷ orders 4 = 75% ≥ threshold 50% (counted from 2 orders)' },
      { id: 'dispute-history', why: 'refunds with 客服介入 1 in 90 days ≥ threshold 1 (2900000000000000103)' },
    ]);
    // The refund without a nick finds the same buyer through its order.
    expect(history(A3)).toMatchObject({ buyer: '回头客阿明', refunds: 3, amountCents: 18880 });
  });

  it('gives a one-refund buyer no flag, whatever the figures', () => {
    const h = history(B1);
    expect(h).toMatchObject({ buyer: '一次买家', refunds: 1, amountCents: 12800, refundOnlyAfterDelivery: 1, disputes: 0, orders: 2, refundedOrders: 1, refundShare: 0.5 });
    expect(h.flags).toEqual([]);
  });

  it('flags a late 七天无理由 request (days since receipt shown) and a parcel that came back empty', () => {
    const h = history(C2);
    expect(h).toMatchObject({ buyer: '空包达人', refunds: 2, amountCents: 27500, refundOnlyAfterDelivery: 0, disputes: 0, orders: 5, refundedOrders: 2, refundShare: 0.4 });
    expect(h.cases[0]).toMatchObject({ refundId: '2900000000000000301', returnCondition: 'empty', returnReceivedAt: '2025-05-14T10:00:00+08:00' });
    expect(h.flags).toEqual([
      { id: 'late-request', why: 'buyer-side reason applied 16.2 days after receipt (2025-06-10 09:00) > the 7-day window' },
      {
        id: 'bad-return',
        why: 'returned parcels not ours or empty 1 in 90 days ≥ threshold 1: refund 2900000000000000301 empty at the returns desk 2025-05-14 10:00',
      },
    ]);
  });

  it('matches a masked identity only exactly, and never across platforms', () => {
    const d2 = history(D2);
    // Douyin exports no 货物状态: 已发货仅退款 counts as refund-only after delivery.
    expect(d2).toMatchObject({ buyer: '王*: 1*****9', masked: true, refunds: 2, amountCents: 7980, refundOnlyAfterDelivery: 2, orders: 2, refundedOrders: 2, refundShare: 1 });
    expect(d2.flags).toEqual([
      { id: 'repeat-refund-only', why: 'refund-only requests after delivery 2 in 90 days ≥ threshold 2 (7300000000000000401, 7300000000000000402)' },
      { id: 'high-refund-share', why: 'orders refunded 2 ÷ orders 2 = 100% ≥ threshold 50% (counted from 2 orders)' },
    ]);
    expect(history(D3)).toMatchObject({ buyer: '王*: 1*****8', masked: true, refunds: 1, flags: [] });
    expect(history(D4)).toMatchObject({ buyer: '回头客阿明', refunds: 1, amountCents: 4900, flags: [] });
  });

  it('follows the config thresholds and window', () => {
    const conf = path.join(tmpDir(), 'config.json');
    fs.writeFileSync(conf, JSON.stringify({ buyerHistoryDays: 30, buyerFlags: { refundOnlyAfterDelivery: 3, disputes: 2 } }));
    const h = history(A4, { REFUNDS_CONFIG: conf });
    // 30 days back from 06-30 10:00: …103 (06-01 20:00) and …104 remain; orders …104, …105 (06-10) and …103.
    expect(h).toMatchObject({ windowDays: 30, refunds: 2, amountCents: 12890, refundOnlyAfterDelivery: 2, disputes: 1, orders: 3, refundedOrders: 2 });
    expect(h.flags.map((f: { id: string }) => f.id)).toEqual(['high-refund-share']);
  });

  it('refuses a wrong threshold with the key named, and changes nothing', () => {
    const conf = path.join(tmpDir(), 'config.json');
    fs.writeFileSync(conf, JSON.stringify({ buyerFlags: { refundShare: 2 } }));
    const r = cli(['show', A4, '--json'], { REFUNDS_CONFIG: conf });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('buyerFlags');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('the README SQL behind the history', () => {
  it('re-derives every figure of show --json', () => {
    for (const id of [A4, A3, B1, C2, D2, D3, D4]) {
      const h = history(id);
      const [row] = readmeQuery(db, 'buyer-history', { refund: id, since: SINCE_90D, now: BUYERS_NOW });
      expect(row, id).toEqual({
        buyer: h.buyer,
        refunds: h.refunds,
        amount_cents: h.amountCents,
        refund_only_after_delivery: h.refundOnlyAfterDelivery,
        disputes: h.disputes,
        refunded_orders: h.refundedOrders,
        orders: h.orders,
      });
    }
  });
});

describe('the card', () => {
  it('shows the history line, each flag and the masked-identity warning', () => {
    const r = cli(['show', A4]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      [
        '  Buyer 90d      3 refunds, ¥188.80 · 3 refund-only after delivery',
        '                 1 with 客服介入 · orders 4, 3 refunded (75%)',
        '                 reasons: 不想要了 1 · 收到商品与描述不符 1 · 质量问题 1',
        '                 ⚑ repeated refund-only after delivery (repeat-refund-only)',
        '                   refund-only requests after delivery 3 in 90 days ≥ threshold',
        '                   2 (2900000000000000102, 2900000000000000103,',
        '                   2900000000000000104)',
        '                 ⚑ high refund share (high-refund-share)',
      ].join('\n'),
    );
    expect(r.stdout).toContain('⚑ history of disputes (dispute-history)');
    const block = r.stdout.slice(r.stdout.indexOf('  Buyer 90d'), r.stdout.indexOf('\n\n', r.stdout.indexOf('  Buyer 90d')));
    expect(block.split('\n').length).toBe(13);
    for (const line of block.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    const masked = cli(['show', D2]);
    expect(masked.stdout.replace(/\s+/g, ' ')).toContain('masked identity "王*: 1*****9": matched only exactly');
    const one = cli(['--lang', 'zh', 'show', B1]);
    expect(one.stdout).toContain('期间内首次退款：无标记');
  });
});

describe('flags are recorded with the decision, and refuse nothing', () => {
  it('writes flags_json for a flagged buyer and NULL for a buyer without flags', () => {
    const dir = tmpDir();
    const copy = path.join(dir, 'copy.sqlite');
    fs.copyFileSync(db, copy);
    const run = (args: string[]) => runCli(['--db', copy, '--now', BUYERS_NOW, ...args]);
    expect(run(['decide', A4, '--action', 'approve', '--agent', 'li.na']).code).toBe(0);
    expect(run(['decide', B1, '--action', 'approve', '--agent', 'li.na']).code).toBe(0);
    const d = new Database(copy, { readonly: true });
    const rows = d.prepare('SELECT refund_id, action, flags_json FROM decisions ORDER BY id').all() as { refund_id: string; action: string; flags_json: string | null }[];
    d.close();
    expect(rows.map((r) => [r.refund_id, r.action])).toEqual([[A4, 'approve'], [B1, 'approve']]);
    expect(JSON.parse(rows[0]!.flags_json!).map((f: { id: string }) => f.id)).toEqual(['repeat-refund-only', 'high-refund-share', 'dispute-history']);
    expect(rows[1]!.flags_json).toBeNull();
    const shown = JSON.parse(run(['show', A4, '--json']).stdout);
    expect(shown.decisions[0].flags[0].id).toBe('repeat-refund-only');
  });
});
