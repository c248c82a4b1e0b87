// Every fixture row imported through the library, compared field by field with the contract in
// fixtures/expected.json (written from the fixture generator, checked by hand in fixtures/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFiles, ImportFailure } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const expected = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8'));
const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');

let store: Store;
let dbFile: string;
beforeEach(() => {
  dbFile = path.join(tmpDir(), 'r.sqlite');
  store = openStore(dbFile);
  return () => store.close();
});

const run = (files: string[], extra: Partial<Parameters<typeof importFiles>[2]> = {}) =>
  importFiles(store, files.map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW, ...extra });

const refundFields = ['refundId', 'orderId', 'platform', 'status', 'statusText', 'amountCents', 'paidCents', 'exportDeadline', 'appliedAt', 'refundType', 'returnRequired', 'disputeState', 'evidenceDeadline', 'returnedAt', 'finishedAt'] as const;

describe.each(['taobao-refunds-2017-gbk.csv', 'taobao-refunds-2024-utf8bom.csv', 'douyin-aftersales.csv'])('refund export %s', (file) => {
  const spec = expected.files[file];
  it(`is recognised as ${spec.kind} in ${spec.encoding}`, async () => {
    const [r] = await run([file]);
    expect(r!.kind).toBe(spec.kind);
    expect(r!.encoding).toBe(spec.encoding === 'gb18030' ? 'gb18030' : 'utf-8');
  });

  it('imports every row with exact values', async () => {
    await run([file]);
    for (const row of spec.rows.filter((x: any) => !x.rejected)) {
      const got = store.refund(row.refundId);
      expect(got, `${file}:${row.line} ${row.refundId}`).not.toBeNull();
      for (const f of refundFields) {
        if (f in row) expect(got![f], `${file}:${row.line} ${f}`).toEqual(row[f]);
      }
      if ('returnWaybill' in row) expect(got!.returnWaybill, `${file}:${row.line} returnWaybill`).toBe(row.returnWaybill);
    }
  });
});

describe('Taobao order report', () => {
  it('imports orders with shipped state and personal data', async () => {
    const [r] = await run(['taobao-orders-gbk.csv']);
    expect(r!.kind).toBe('taobao-orders');
    const spec = expected.files['taobao-orders-gbk.csv'];
    for (const row of spec.rows) {
      const o = store.order(row.orderId)!;
      expect(o, row.orderId).not.toBeNull();
      for (const f of ['status', 'statusText', 'shipped', 'paidCents', 'postageCents', 'createdAt', 'paidAt', 'waybill', 'receiverName', 'phone', 'quantity', 'buyerNick']) {
        if (f in row) expect((o as any)[f], `${row.orderId} ${f}`).toEqual(row[f]);
      }
    }
  });

  it('the order export decides whether a refund was shipped', async () => {
    await run(['taobao-refunds-2017-gbk.csv']);
    await run(['taobao-orders-gbk.csv']);
    expect(store.refund('1587001122334455001')!.shipped).toBe(false);
  });
});

describe('warehouse returns log', () => {
  it('normalizes waybills and conditions', async () => {
    const [r] = await run(['warehouse-returns.csv']);
    expect(r!.kind).toBe('warehouse-returns');
    const got = store.allReceipts();
    const spec = expected.files['warehouse-returns.csv'].rows;
    expect(got.map((g) => g.waybillKey).sort()).toEqual(spec.map((s: any) => s.waybill).sort());
    for (const s of spec) {
      const g = got.find((x) => x.waybillKey === s.waybill)!;
      expect(g.condition).toBe(s.condition);
      expect(g.receivedAt).toBe(s.receivedAt);
      expect(g.quantity).toBe(s.quantity);
    }
  });
});

describe('counts, idempotence and updates', () => {
  it('first import, re-import, newer export', async () => {
    const [first] = await run(['taobao-refunds-2017-gbk.csv']);
    expect(first).toMatchObject({ inserted: 13, updated: 0, unchanged: 0, rejected: 1 });
    expect(first!.errors).toEqual([{ line: 13, code: 'money', params: { column: '买家退款金额', field: 'amountCents', value: '无退款申请' } }]);
    expect(first!.unknownStatuses).toEqual([{ line: expect.any(Number), text: '退款待处理（新状态）' }]);
    const snapshot = store.sql('SELECT * FROM refunds ORDER BY refund_id');
    const historyBefore = store.sql('SELECT count(*) AS n FROM refund_history');

    const [again] = await run(['taobao-refunds-2017-gbk.csv'], { nowMs: NOW + 3600_000 });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 13, rejected: 1 });
    expect(store.sql('SELECT * FROM refunds ORDER BY refund_id')).toEqual(snapshot);
    expect(store.sql('SELECT count(*) AS n FROM refund_history')).toEqual(historyBefore);

    const later = NOW + 2 * 3600_000;
    const [v2] = await run(['taobao-refunds-2017-gbk-v2.csv'], { nowMs: later });
    expect(v2).toMatchObject({ inserted: 0, updated: 3, unchanged: 10, rejected: 1 });
  });

  it('a status change appends to the history with the time it was seen', async () => {
    await run(['taobao-refunds-2017-gbk.csv']);
    await run(['taobao-refunds-2024-utf8bom.csv'], { nowMs: NOW + 86_400_000 });
    // R02 moved on in the 2024 export.
    const h = store.history('158700112233445502');
    expect(h).toEqual([
      { status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款,等待卖家同意', seenAt: '2025-04-21T09:00:00+08:00' },
      { status: expect.any(String), statusText: expect.any(String), seenAt: '2025-04-22T09:00:00+08:00' },
    ]);
    expect(h[1]!.status).not.toBe('WAIT_SELLER_AGREE');
    expect(store.refund('158700112233445502')!.statusSince).toBe('2025-04-22T09:00:00+08:00');
    expect(store.refund('158700112233445502')!.firstSeenAt).toBe('2025-04-21T09:00:00+08:00');
  });

  it('keeps unknown extra columns as raw JSON', async () => {
    await run(['taobao-refunds-2024-utf8bom.csv']);
    const rows = store.sql<{ extra_json: string | null }>("SELECT extra_json FROM refunds_extra WHERE extra_json IS NOT NULL");
    expect(rows.length).toBeGreaterThan(0);
    const keys = new Set(rows.flatMap((r) => Object.keys(JSON.parse(r.extra_json!))));
    expect([...keys]).toEqual(expect.arrayContaining(['智能退款策略']));
  });

  it('a dry run writes nothing', async () => {
    const [r] = await run(['taobao-refunds-2017-gbk.csv'], { dryRun: true });
    expect(r!.inserted).toBe(13);
    expect(store.counts().refunds).toBe(0);
    expect(store.sql('SELECT count(*) AS n FROM imports')).toEqual([{ n: 0 }]);
  });
});

describe('broken files are refused whole', () => {
  const cases: [string, string, number | null][] = [
    ['broken/unclosed-quote.csv', 'unclosed-quote', 4],
    ['broken/missing-key-column.csv', 'missing-column', 1],
    ['broken/binary-garbage.csv', 'binary', null],
    ['broken/empty.csv', 'empty', null],
    ['broken/header-only-unknown.csv', 'unknown-kind', 1],
    ['broken/ragged-rows.csv', 'ragged', 3],
  ];
  it.each(cases)('%s -> %s at line %s, nothing of it written, the other file goes in', async (file, code, line) => {
    await run(['douyin-aftersales.csv']);
    const before = store.sql('SELECT refund_id FROM refunds ORDER BY refund_id');
    // Each file whole or not at all: the broken file is refused alone, the good one in the same command goes in.
    const reports = await run(['taobao-refunds-2017-gbk.csv', file]);
    expect(reports.map((r) => Boolean(r.refused))).toEqual([false, true]);
    const err = reports[1]!.refused!;
    expect(err).toBeInstanceOf(ImportFailure);
    expect(err.code).toBe(code);
    expect(err.line).toBe(line);
    expect(err.file).toBe(fixture(file));
    const after = store.sql('SELECT refund_id FROM refunds ORDER BY refund_id') as { refund_id: string }[];
    expect(after.length).toBe(before.length + 13);
    // The broken files' good rows use IDs that appear nowhere else (1599…, 49000…): none of them is in.
    expect(after.filter((r) => r.refund_id.startsWith('1599') || r.refund_id.startsWith('49000'))).toEqual([]);
    expect(store.sql("SELECT count(*) AS n FROM imports WHERE file = ?", [fixture(file)])).toEqual([{ n: 0 }]);
    expect(store.inTransaction()).toBe(false);
  });
});
