// Cells of workbooks (number and date cells), the state-text table, user profiles and title lines.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUS_TEXTS, disputeStateOf, moneyOfNumber, statusKey } from '../../src/import/normalize.js';
import { parseUserProfiles } from '../../src/import/profileSchema.js';
import { PROFILES, recognise } from '../../src/import/profiles.js';
import { normalizeRow, serialToShopText } from '../../src/import/rows.js';
import { importFiles } from '../helpers/importFiles.js';
import { openStore } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import statusTexts from '../../src/rules/status-texts.json' with { type: 'json' };
import { tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');

describe('number cells of a workbook', () => {
  it.each([
    [59.9, 5990],
    [45.50000000000001, 4550],
    [0.1 + 0.2, 30],
    [1299, 129900],
    [-12.5, -1250],
    [0.005, 1], // half a fen rounds away from zero, on the decimal text
    [1e-7, 0],
    [123456789.99, 12345678999],
  ])('money %s -> %s fen', (num, fen) => {
    expect(moneyOfNumber(num, String(num))).toBe(fen);
  });

  it('Excel serials are shop wall-clock time', () => {
    expect(serialToShopText(45767.4375)).toBe('2025-04-20 10:30:00');
    expect(serialToShopText(45767.5)).toBe('2025-04-20 12:00:00');
    expect(serialToShopText(45767 + (10 * 3600 + 31 * 60 + 5) / 86400)).toBe('2025-04-20 10:31:05');
  });

  const mapping = recognise(['售后单号', '订单号', '商品单号', '售后类型', '退商品金额（元）', '售后状态', '售后申请时间', '自动处理截止时间'], PROFILES)!;
  const headers = ['售后单号', '订单号', '商品单号', '售后类型', '退商品金额（元）', '售后状态', '售后申请时间', '自动处理截止时间'];
  const row = (cells: string[], numbers: (number | undefined)[]) => normalizeRow(mapping, cells, zone, headers, numbers);

  it('an ID in a number cell of up to 15 digits is exact; of 16 or more it is a row error, never a wrong ID', () => {
    const ok = row(['736012345678901', '6928123456789012301', '', '退货退款', '12.5', '待商家处理', '', ''], [736012345678901, undefined, undefined, undefined, 12.5]);
    expect(ok).toMatchObject({ target: 'refunds', row: { refundId: '736012345678901', amountCents: 1250 } });
    const lost = row(['7360123456789012000', '6928123456789012301', '', '退货退款', '12.5', '待商家处理', '', ''], [7360123456789012000]);
    expect(lost).toEqual({ code: 'id-number', field: 'refundId', header: '售后单号', value: '7360123456789012000' });
  });

  it('a time column holding a bare serial (no date format) is read as a serial, not as Unix seconds', () => {
    const r = row(['7360123456789012301', '6928123456789012301', '', '退货退款', '1', '待商家处理', '45767.4375', ''], [undefined, undefined, undefined, undefined, 1, undefined, 45767.4375]);
    expect(r).toMatchObject({ row: { appliedAt: '2025-04-20T10:30:00+08:00' } });
  });
});

describe('state texts (src/rules/status-texts.json)', () => {
  const DOUYIN: [string, string][] = [
    ['待商家处理', 'WAIT_SELLER_AGREE'],
    ['待买家退货', 'WAIT_BUYER_RETURN_GOODS'],
    ['待商家收货', 'WAIT_SELLER_CONFIRM_GOODS'],
    ['同意退款，退款成功', 'SUCCESS'],
    ['同意退款，退款中', 'SUCCESS'],
    ['同意退款，退款失败', 'WAIT_SELLER_AGREE'],
    ['售后关闭', 'CLOSED'],
    ['拒绝售后', 'SELLER_REFUSE_BUYER'],
    ['退货后拒绝退款', 'SELLER_REFUSE_BUYER'],
    ['换货成功', 'SUCCESS'],
    ['售后成功', 'SUCCESS'],
    ['仲裁中', 'SELLER_REFUSE_BUYER'],
    ['仲裁中-待商家举证', 'WAIT_SELLER_AGREE'],
    ['待商家上传凭证', 'WAIT_SELLER_AGREE'],
    ['等待用户收货', 'WAIT_BUYER_RETURN_GOODS'],
    ['发货前退款待处理', 'WAIT_SELLER_AGREE'],
    ['发货后仅退款待处理', 'WAIT_SELLER_AGREE'],
    ['退货待处理', 'WAIT_SELLER_AGREE'],
    ['换货待处理', 'WAIT_SELLER_AGREE'],
  ];
  it.each(DOUYIN)('Douyin %s -> %s', (text, status) => {
    expect(STATUS_TEXTS.get(statusKey(text))?.status).toBe(status);
  });
  it.each([
    ['待商家处理', 'WAIT_SELLER_AGREE'],
    ['待消费者发货', 'WAIT_BUYER_RETURN_GOODS'],
    ['待商家收货', 'WAIT_SELLER_CONFIRM_GOODS'],
    ['平台处理中', 'SELLER_REFUSE_BUYER'],
    ['退款成功', 'SUCCESS'],
    ['退款关闭', 'CLOSED'],
    ['换货/补寄成功', 'SUCCESS'],
    ['换货/补寄关闭', 'CLOSED'],
    ['维修成功', 'SUCCESS'],
    ['维修关闭', 'CLOSED'],
  ])('Pinduoduo %s -> %s', (text, status) => {
    expect(STATUS_TEXTS.get(statusKey(text))?.status).toBe(status);
  });
  it('punctuation and dashes do not matter', () => {
    expect(STATUS_TEXTS.get(statusKey('同意退款,退款成功'))?.status).toBe('SUCCESS');
    expect(STATUS_TEXTS.get(statusKey('仲裁中—待商家举证'))?.status).toBe('WAIT_SELLER_AGREE');
  });
  it('every entry has a source, who acts, and finished agrees with its state', () => {
    for (const e of statusTexts.refunds) {
      expect(e.source, e.text).toMatch(/\S/);
      expect(['seller', 'buyer', 'platform', 'none'], e.text).toContain(e.actor);
      expect(e.finished, e.text).toBe(e.status === 'CLOSED' || e.status === 'SUCCESS');
    }
    for (const e of statusTexts.disputes) expect(e.source, e.text).toMatch(/\S/);
  });
  it('客服介入状态 outcomes are finished disputes, not disputes in progress', () => {
    for (const t of ['支持买家', '支持卖家', '系统撤销', '维权撤销']) expect(disputeStateOf(t)).toBe('finished');
    expect(disputeStateOf('客服已经介入')).toBe('in_progress');
  });
});

describe('user profiles (profileSchema)', () => {
  const base = { name: 'ks', platform: 'kuaishou', records: 'refunds', signature: ['a', 'b', 'c'], columns: { refundId: ['a'], orderId: ['b'], amount: 'c', statusText: ['d'] } };
  it.each([
    [{}, 'profiles: must be a list of profiles'],
    [[{ ...base, name: '' }], 'profiles[0].name: must be a name'],
    [[{ ...base, name: 'douyin-aftersales' }], 'profiles[0].name: "douyin-aftersales" is a built-in kind'],
    [[base, base], 'profiles[1].name: "ks" is used by an earlier profile'],
    [[{ ...base, records: 'parcels' }], 'profiles[0].records: must be "refunds" or "orders"'],
    [[{ ...base, columns: { ...base.columns, refundId: [] } }], 'profiles[0].columns.refundId: must be a header name or a non-empty list of header names'],
    [[{ ...base, columns: { orderId: ['b'], amount: ['c'], statusText: ['d'] } }], 'profiles[0].columns.refundId: missing; refunds need it'],
    [[{ ...base, columns: { ...base.columns, refundAmount: ['x'] } }], 'profiles[0].columns.refundAmount: is not a refunds field'],
    [[{ ...base, statuses: { 待处理: 'OPEN' } }], 'profiles[0].statuses.待处理: must be one of'],
    [[{ ...base, refundTypes: { 仅退款: 'refund' } }], 'profiles[0].refundTypes.仅退款: must be one of "refund_only", "return_refund", "exchange"'],
    [[{ ...base, extends: 'jd-orders' }], 'profiles[0].extends: must be one of "taobao-refunds", "taobao-orders", "douyin-aftersales", "pdd-aftersales"'],
    [[{ name: 'x', extends: 'taobao-orders', records: 'refunds' }], 'profiles[0].records: "refunds" does not match "taobao-orders"'],
    [[{ ...base, colums: {} }], 'profiles[0].colums: is not a profile key'],
  ])('%j -> %s', (raw, message) => {
    expect(() => parseUserProfiles(raw)).toThrow(message);
  });

  it('extends: the built-in fields with the user headers first, and the user state texts', () => {
    const [p] = parseUserProfiles([{ name: 'my-pdd', extends: 'pdd-aftersales', columns: { amount: ['申请金额'] }, statuses: { '待 处理': 'WAIT_SELLER_AGREE' } }]);
    expect(p).toMatchObject({ kind: 'my-pdd', platform: 'pdd', target: 'refunds', origin: { user: true, extends: 'pdd-aftersales' } });
    expect(p!.signature).toEqual(PROFILES.find((x) => x.kind === 'pdd-aftersales')!.signature);
    expect(p!.fields.find((f) => f.key === 'amountCents')!.aliases.slice(0, 2)).toEqual(['申请金额', '退款金额（元）']);
    expect(p!.statuses).toEqual({ 待处理: 'WAIT_SELLER_AGREE' });
  });
});

describe('workbook title rows', () => {
  it('the header may sit on row 10, under nine title rows; the rows below it all import', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const dir = tmpDir();
    const file = path.join(dir, 'pdd.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('售后');
    for (let i = 1; i <= 9; i++) ws.addRow([`标题 ${i}`]);
    ws.addRow(['售后编号', '订单编号', '售后状态', '申请时间', '退款金额', '退款类型', '订单状态']);
    ws.addRow(['2504180000097', '250418-123456789012397', '待商家处理', '2025-04-20 10:00:00', 12, '仅退款', '已发货']);
    ws.addRow(['2504180000098', '250418-123456789012398', '退款成功', '2025-04-19 10:00:00', 8.8, '仅退款', '已发货']);
    await wb.xlsx.writeFile(file);
    const store = openStore(path.join(dir, 'r.sqlite'));
    try {
      const [r] = await importFiles(store, [{ name: file }], { zone, nowMs: Date.parse('2025-04-21T09:00:00+08:00') });
      expect(r).toMatchObject({ kind: 'pdd-aftersales', format: 'xlsx', sheet: '售后', inserted: 2, rejected: 0 });
      expect(store.refund('2504180000098')).toMatchObject({ amountCents: 880, status: 'SUCCESS' });
    } finally {
      store.close();
    }
  });
});

describe('CSV title lines', () => {
  it('a title line above the header is skipped; the header line is found below it', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'pdd.csv');
    fs.writeFileSync(file, '拼多多 售后列表 导出时间 2025-04-21\n\n售后编号,订单编号,售后状态,申请时间,退款金额,退款类型,订单状态\n2504180000099,250418-123456789012399,待商家处理,2025-04-20 10:00:00,12.00,仅退款,已发货\n');
    const store = openStore(path.join(dir, 'r.sqlite'));
    try {
      const [r] = await importFiles(store, [{ name: file }], { zone, nowMs: Date.parse('2025-04-21T09:00:00+08:00') });
      expect(r).toMatchObject({ kind: 'pdd-aftersales', inserted: 1, rejected: 0 });
      expect(store.refund('2504180000099')).toMatchObject({ orderId: '250418-123456789012399', amountCents: 1200, platform: 'pdd', shipped: true });
    } finally {
      store.close();
    }
  });
});
