// Every row of the real-layout fixtures (fixtures/layouts/, CSV and .xlsx) imported through the
// library and compared field by field with fixtures/layouts/expected.json (hand-written in the
// generator, described in fixtures/layouts/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { explainFile } from '../../src/import/read.js';
import { importFiles } from '../helpers/importFiles.js';
import { profilesFor } from '../../src/import/profileSchema.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const layout = (f: string) => fixture(path.join('layouts', f));
const expected = JSON.parse(fs.readFileSync(layout('expected.json'), 'utf8'));
const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');

let store: Store;
beforeEach(() => {
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  return () => store.close();
});

const run = (files: string[], extra: Partial<Parameters<typeof importFiles>[2]> = {}) =>
  importFiles(store, files.map((f) => ({ name: layout(f) })), { zone, nowMs: NOW, ...extra });

const REFUND_FILES = Object.entries(expected.files)
  .filter(([, spec]: [string, any]) => spec.rows)
  .map(([file]) => file);

describe.each(REFUND_FILES)('refund layout %s', (file) => {
  const spec = expected.files[file];
  const profiles = spec.config ? profilesFor(JSON.parse(fs.readFileSync(layout(spec.config), 'utf8')).profiles) : undefined;

  it(`is read as ${spec.kind}, ${spec.format}`, async () => {
    const [r] = await run([file], { profiles });
    expect(r!.refused).toBeUndefined();
    expect(r!.kind).toBe(spec.kind);
    expect(r!.format).toBe(spec.format);
    expect(r!.encoding).toBe(spec.encoding);
    expect(r!.sheet).toBe(spec.sheet);
    expect({ inserted: r!.inserted, rejected: r!.rejected }).toEqual({ inserted: spec.inserted, rejected: spec.rejected });
  });

  it('imports every row exactly (IDs to the digit, fen, states, times with +08:00)', async () => {
    const [r] = await run([file], { profiles });
    expect(r!.rows).toBe(spec.rows.length + spec.rejected);
    for (const row of spec.rows) {
      const got = store.refund(row.refundId);
      expect(got, `${file}:${row.line} ${row.refundId}`).not.toBeNull();
      for (const [k, v] of Object.entries(row)) {
        if (k === 'line') continue;
        expect((got as any)[k], `${file}:${row.line} ${k}`).toEqual(v);
      }
    }
    expect(store.counts().refunds).toBe(spec.rows.length);
  });

  if (spec.errors) {
    it('rejects what it must, saying why', async () => {
      const { rowMessage } = await import('../../src/ui/importReport.js');
      const [r] = await run([file], { profiles });
      expect(r!.errors.map((e) => ({ line: e.line, message: rowMessage(e.code, e.params) }))).toEqual(spec.errors);
    });
  }
  if (spec.warnings) {
    it('lists the rows imported with a doubt', async () => {
      const { warningMessage } = await import('../../src/ui/importReport.js');
      const [r] = await run([file], { profiles });
      expect(r!.warnings.map((w) => ({ line: w.line, column: w.column, message: warningMessage(w.code, w.params) }))).toEqual(spec.warnings);
    });
  }
});

describe.each(['taobao-orders-21col-gbk.csv', 'qianniu-order-lines.xlsx'])('order layout %s', (file) => {
  const spec = expected.files[file];
  it('imports every order exactly', async () => {
    const [r] = await run([file]);
    expect(r!.kind).toBe(spec.kind);
    expect(r!.format).toBe(spec.format);
    expect(r!.inserted).toBe(spec.inserted);
    for (const row of spec.orders) {
      const o = store.order(row.orderId);
      expect(o, `${file}:${row.line}`).not.toBeNull();
      for (const [k, v] of Object.entries(row)) {
        if (k === 'line' || k === 'extra' || k === 'totalCents') continue;
        expect((o as any)[k], `${file}:${row.line} ${k}`).toEqual(v);
      }
      const [db] = store.sql<{ total_cents: number | null; extra_json: string | null }>('SELECT total_cents, extra_json FROM orders LEFT JOIN orders_extra USING (order_id) WHERE order_id = ?', [row.orderId]);
      if ('totalCents' in row) expect(db!.total_cents).toBe(row.totalCents);
      // 子订单编号 (the line), 退款状态 and 退款金额 of a 千牛 line stay with the order, in extra_json.
      if (row.extra) expect(JSON.parse(db!.extra_json!)).toMatchObject(row.extra);
    }
  });
});

describe('workbooks and files that are not CSV', () => {
  it('an old .xls is refused with a save-as message, by content (whatever its name)', async () => {
    const dir = tmpDir();
    const renamed = path.join(dir, 'export.csv');
    fs.copyFileSync(fixture('broken/old-excel.xls'), renamed);
    const reports = await importFiles(store, [{ name: renamed }, { name: layout('pdd-aftersales.xlsx') }], { zone, nowMs: NOW });
    expect(reports[0]!.refused?.code).toBe('xls');
    expect(reports[1]!.inserted).toBe(12);
  });

  it('a workbook named .csv is still read as a workbook', async () => {
    const renamed = path.join(tmpDir(), 'douyin.csv');
    fs.copyFileSync(layout('douyin-aftersales-50col.xlsx'), renamed);
    const [r] = await importFiles(store, [{ name: renamed }], { zone, nowMs: NOW });
    expect(r).toMatchObject({ format: 'xlsx', kind: 'douyin-aftersales', inserted: 20, rejected: 1 });
  });

  it('a cut workbook is refused, nothing of it written', async () => {
    const [r] = await importFiles(store, [{ name: fixture('broken/truncated.xlsx') }], { zone, nowMs: NOW });
    expect(r!.refused?.code).toBe('xlsx-unreadable');
    expect(store.counts().refunds).toBe(0);
  });

  it('--sheet picks a sheet; a sheet that matches no export is refused naming the closest', async () => {
    const [notes] = await run(['douyin-aftersales-50col.xlsx'], { sheet: '导出说明' });
    expect(notes!.refused?.code).toBe('unknown-kind');
    const [none] = await run(['douyin-aftersales-50col.xlsx'], { sheet: '没有这个' });
    expect(none!.refused).toMatchObject({ code: 'no-sheet', params: { sheet: '没有这个', sheets: '导出说明, 售后单' } });
    const [ok] = await run(['douyin-aftersales-50col.xlsx'], { sheet: '售后单' });
    expect(ok).toMatchObject({ sheet: '售后单', inserted: 20 });
  });

  it('sheets are known by name also when the workbook names its parts by absolute path (openpyxl)', async () => {
    const [r] = await run(['pdd-aftersales-absolute-rels.xlsx'], { sheet: '售后列表' });
    expect(r).toMatchObject({ sheet: '售后列表', kind: 'pdd-aftersales', inserted: 12, rejected: 0 });
  });

  it('the same rows from the CSV and from the workbook are the same refunds', async () => {
    await run(['douyin-aftersales-50col.csv']);
    const [r] = await run(['douyin-aftersales-50col.xlsx']);
    // Every row of the workbook is unchanged against its CSV twin, except the extra_json of number
    // cells (the workbook writes 0 for 0.00) — compared column by column, the mapped fields agree.
    expect(r!.inserted).toBe(0);
    for (const row of expected.files['douyin-aftersales-50col.xlsx'].rows) {
      expect(store.refund(row.refundId)!.amountCents).toBe(row.amountCents);
    }
  });
});

describe('--explain', () => {
  it('shows the profile, header → field, and the columns kept as extras', async () => {
    const x = await explainFile({ name: layout('douyin-aftersales-50col.xlsx') }, { zone });
    expect(x.format).toBe('xlsx');
    expect(x.info).toMatchObject({ matched: true, kind: 'douyin-aftersales', sheet: '售后单', line: 1 });
    expect(x.info.mapping.missingRequired).toEqual([]);
    expect(x.info.headers[x.info.mapping.columns.get('buyerNote')!]).toBe('用户售后说明');
    expect(x.info.headers[x.info.mapping.columns.get('shippedText')!]).toBe('商品发货状态');
    expect(x.info.mapping.extras.map((e) => e.name)).toContain('协商记录');
  });

  it('an unknown layout is shown as the closest profile reads it, with what it lacks', async () => {
    const file = path.join(tmpDir(), 'unknown.csv');
    fs.writeFileSync(file, '退货单号,订单编号,处理状态,金额\n1,2,待处理,3.00\n');
    const x = await explainFile({ name: file }, { zone });
    expect(x.info.matched).toBe(false);
    // 订单编号 is the one signature header found: taobao-orders (1 of 14) is nearest; it lacks 订单状态.
    expect(x.info.kind).toBe('taobao-orders');
    expect(x.info.mapping.missingRequired.map((f) => f.key)).toEqual(['statusText']);
  });
});
