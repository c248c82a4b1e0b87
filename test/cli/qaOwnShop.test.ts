// Acceptance data of its own (written here, not the fixtures): a repeat refund-only buyer on
// Taobao, a masked Douyin buyer with an arbitration, a one-refund buyer. The figures were counted
// by hand from the rows below; the Douyin case must speak Douyin's words (平台仲裁, 仲裁状态).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tmpDir } from '../helpers/cli.js';

const NOW = '2025-06-10T10:00:00+08:00';
const TB_REFUNDS = `退款编号,订单编号,退款状态,售后类型,买家退款原因,买家退款金额,买家实际支付金额,宝贝标题,商家编码,买家会员名称,退款的申请时间,超时时间,订单付款时间,是否需要退货,货物状态,退货物流单号,退货物流公司,买家退货时间,客服介入状态,买家退款说明
3100000000000000001,4200000000000000001,买家已经申请退款，等待卖家同意,仅退款,质量问题,49.00,49.00,竹纤维毛巾三条装,TW-3,tb_回头客,2025-06-09 20:00:00,2025-06-11 20:00:00,2025-06-05 10:00:00,否,买家已收到货,,,,不需客服介入,毛巾掉毛严重
3100000000000000002,4200000000000000002,退款成功,仅退款,收到商品与描述不符,30.00,30.00,竹纤维浴巾,TW-1,tb_回头客,2025-05-20 10:00:00,,2025-05-15 10:00:00,否,买家已收到货,,,,客服处理完成,颜色不对
3100000000000000004,4200000000000000006,退款成功,仅退款,质量问题,12.00,12.00,竹纤维方巾,TW-9,tb_回头客,2025-02-01 09:30:00,,2025-01-25 10:00:00,否,买家已收到货,,,,不需客服介入,旧的
3100000000000000005,4200000000000000010,买家已经退货，等待卖家确认收货,退货退款,七天无理由退货,88.00,88.00,亚麻床单,BD-1,tb_一次,2025-06-05 12:00:00,2025-06-15 12:00:00,2025-06-01 10:00:00,是,买家已退货,YT9876543210123,圆通速递,2025-06-06 09:00:00,不需客服介入,不喜欢
`;
const DY = `售后单号,订单号,商品单号,商品名称,商家编码,售后类型,售后数量,退商品金额（元）,退运费金额（元）,售后状态,售后申请时间,售后原因,申请描述,买家昵称,退货物流单号,退货物流公司,自动处理截止时间,仲裁状态
7400000000000000001,6900000000000000001,6900000000000000101,竹纤维毛巾三条装,TW-3,已发货仅退款,1,59.00,0.00,待商家处理,2025-06-09 09:00:00,质量问题,一洗就掉色,王*: 1*****9,,,2025-06-11 09:00:00,
7400000000000000002,6900000000000000002,6900000000000000102,竹纤维浴巾,TW-1,已发货仅退款,1,20.00,0.00,售后成功,2025-05-10 11:00:00,商品与描述不符,尺寸不对,王*: 1*****9,,,,仲裁完成
7400000000000000003,6900000000000000003,6900000000000000103,亚麻床单,BD-1,退货退款,1,35.00,0.00,待买家退货,2025-06-01 15:00:00,不想要了,不要了,王*: 1*****8,,,2025-06-12 15:00:00,
`;

let dir = '';
let db = '';
const cli = (args: string[], lang = 'en') => runCli(['--db', db, '--now', NOW, '--lang', lang, ...args]);

beforeAll(() => {
  dir = tmpDir('refunds-qa-shop-');
  db = path.join(dir, 'shop.sqlite');
  fs.writeFileSync(path.join(dir, 'tb-refunds.csv'), TB_REFUNDS);
  fs.writeFileSync(path.join(dir, 'dy.csv'), DY);
  const r = cli(['import', path.join(dir, 'tb-refunds.csv'), path.join(dir, 'dy.csv')]);
  expect(r.stdout + r.stderr).toContain('tb-refunds.csv: taobao-refunds (utf-8) — 4 new');
  expect(r.code).toBe(0);
});

const history = (id: string, lang = 'en') => JSON.parse(cli(['show', id, '--json'], lang).stdout).buyerHistory;

describe('buyer history on a shop of its own', () => {
  it('masked Douyin buyer: same mask only, figures counted by hand, the dispute named 平台仲裁', () => {
    const h = history('7400000000000000001');
    expect({ buyer: h.buyer, masked: h.masked, refunds: h.refunds, amountCents: h.amountCents, refundOnlyAfterDelivery: h.refundOnlyAfterDelivery, disputes: h.disputes, orders: h.orders }).toEqual({
      buyer: '王*: 1*****9', masked: true, refunds: 2, amountCents: 7900, refundOnlyAfterDelivery: 2, disputes: 1, orders: 2,
    });
    expect(h.flags.map((f: { id: string }) => f.id)).toEqual(['repeat-refund-only', 'high-refund-share', 'dispute-history']);
    expect(h.flags[2].why).toBe('refunds with 平台仲裁 1 in 90 days ≥ threshold 1 (7400000000000000002)');
    expect(history('7400000000000000001', 'zh').flags[2].why).toBe('平台仲裁的退款 1 笔（90 天内）≥ 阈值 1（7400000000000000002）');
  });

  it('the Douyin card and appeal pack say 平台仲裁 / 仲裁状态, never 客服介入; Taobao keeps 客服介入', () => {
    const card = cli(['show', '7400000000000000001'], 'zh').stdout;
    expect(card).toContain('平台仲裁 1 笔 · 订单 2 笔，其中退款 2 笔（100%）');
    expect(card).toContain('⚑ 有平台仲裁记录 (dispute-history)');
    expect(card).not.toContain('客服介入');
    const out = path.join(dir, 'pack-dy');
    expect(cli(['evidence', '7400000000000000002', '--out', out], 'zh').code).toBe(0);
    const md = fs.readFileSync(path.join(out, 'appeal-7400000000000000002.md'), 'utf8');
    expect(md).toContain('平台仲裁 1 笔');
    expect(md).toContain('**仲裁状态**: 仲裁完成');
    expect(md).not.toContain('客服介入');
    const tb = cli(['show', '3100000000000000001'], 'zh').stdout;
    expect(tb).toContain('客服介入 1 笔 · 订单 2 笔，其中退款 2 笔（100%）');
    expect(tb).toContain('⚑ 有客服介入记录 (dispute-history)');
  });

  it('a buyer with one refund carries no flag; a refund outside 90 days is not counted', () => {
    expect(history('3100000000000000005').flags).toEqual([]);
    const h = history('3100000000000000001');
    expect([h.refunds, h.amountCents, h.refundOnlyAfterDelivery, h.disputes]).toEqual([2, 7900, 2, 1]);
  });
});

describe('a decision to wait, in today and the summary', () => {
  it('is shown as decided, waiting, not as something to click in the backend', () => {
    const r = cli(['decide', '3100000000000000001', '--action', 'wait', '--agent', 'li.na']);
    expect(r.code).toBe(0);
    const today = cli(['today'], 'zh').stdout;
    expect(today).toMatch(/3100000000000000001 .* 已决定：等待\n {7}↳ li\.na 10:00 已决定 → 等待：后台暂无操作；请在截止前处理完\n/);
    expect(today).not.toContain('暂不处理');
    const json = JSON.parse(cli(['today', '--json']).stdout).refunds.find((x: { refundId: string }) => x.refundId === '3100000000000000001');
    expect(json.decision).toEqual({ action: 'wait', agent: 'li.na', decidedAt: NOW, carriedOut: false });
    const summary = cli(['summary']).stdout;
    expect(summary).toContain('  3. decided: wait (li.na 10:00) — 3100000000000000001 · ¥49.00 · 34h 0m\n');
    expect(cli(['summary'], 'zh').stdout).toContain('已决定等待（li.na 10:00）— 3100000000000000001 · ¥49.00');
    expect(summary).not.toContain('carry out: 暂不处理');
  });
});

describe('an unknown --lang', () => {
  it('is refused in the locale\'s language, the typed value cleaned, and help still follows the locale', () => {
    const zh = runCli(['--db', db, '--lang', 'fr', 'today'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect([zh.code, zh.stderr]).toEqual([2, 'refunds：未知语言 "fr"：请用 en 或 zh\n']);
    const esc = runCli(['--db', db, '--lang', '\u001b[31mfr', 'today'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(esc.stderr).not.toContain('\u001b');
    const en = runCli(['--db', db, '--lang', 'fr', 'today'], { env: { LANG: 'en_US.UTF-8' } });
    expect([en.code, en.stderr]).toEqual([2, 'refunds: unknown language "fr": use en or zh\n']);
    const help = runCli(['--lang', 'fr', 'today', '--help'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(help.stdout).toMatch(/^用法： refunds today \[选项\]/);
  });
});
