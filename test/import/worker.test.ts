// The worker-thread path (used for large files by the built CLI) gives exactly what the in-process
// path gives, broken files included. It runs the compiled code: workers cannot load TypeScript.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, tmpDir } from '../helpers/cli.js';

const dist = (p: string) => path.join(ROOT, 'dist', p);

async function load() {
  if (!fs.existsSync(dist('import/worker.js'))) throw new Error('dist/ is missing: run npm run build first (npm test does)');
  const app = await import(dist('app/importFiles.js'));
  const store = await import(dist('store/store.js'));
  const portsOf = store.storePorts;
  const time = await import(dist('domain/time.js'));
  // The use case on the ports over an open Store, called as the in-process tests call it.
  const importFiles = (s: unknown, sources: { name: string }[], o: { zone: unknown; nowMs: number; worker?: boolean }) =>
    app.importFiles(portsOf(s, { now: () => o.nowMs }), { zone: o.zone, nowMs: o.nowMs }, { sources, worker: o.worker });
  return { ...app, ...store, ...time, importFiles };
}

const NOW_MS = Date.parse('2025-04-21T09:00:00+08:00');

describe('import in a worker thread', () => {
  it.each([
    'taobao-refunds-2017-gbk.csv',
    'taobao-refunds-2024-utf8bom.csv',
    'taobao-orders-gbk.csv',
    'douyin-aftersales.csv',
    'warehouse-returns.csv',
    // Workbooks too (sheet, number cells, the rejected number-cell ID), and the other layouts.
    'layouts/douyin-aftersales-50col.xlsx',
    'layouts/douyin-aftersales-50col.csv',
    'layouts/pdd-aftersales.xlsx',
    'layouts/pdd-aftersales-gbk.csv',
    'layouts/qianniu-order-lines.xlsx',
    'layouts/taobao-refunds-39col-gbk.csv',
    'layouts/taobao-refunds-42col.xlsx',
  ])(
    '%s: same reports and same rows as in-process',
    async (name) => {
      const m = await load();
      const run = async (worker: boolean) => {
        const s = m.openStore(path.join(tmpDir(), 'w.sqlite'));
        try {
          const [r] = await m.importFiles(s, [{ name: fixture(name) }], { zone: new m.ShopZone(), nowMs: NOW_MS, worker });
          return { report: { ...r, file: undefined }, refunds: s.sql('SELECT * FROM refunds ORDER BY refund_id'), orders: s.sql('SELECT * FROM orders ORDER BY order_id') };
        } finally {
          s.close();
        }
      };
      const inProcess = await run(false);
      const inWorker = await run(true);
      expect(inWorker).toEqual(inProcess);
      expect(inWorker.report.inserted).toBeGreaterThan(0);
    },
  );

  it.each([
    ['broken/unclosed-quote.csv', 'unclosed-quote', 4],
    ['broken/ragged-rows.csv', 'ragged', 3],
    ['broken/missing-key-column.csv', 'missing-column', 1],
  ])('%s fails the same way in a worker', async (name, code, line) => {
    const m = await load();
    const s = m.openStore(path.join(tmpDir(), 'w.sqlite'));
    try {
      const [report] = await m.importFiles(s, [{ name: fixture(name) }], { zone: new m.ShopZone(), nowMs: NOW_MS, worker: true });
      const err = report!.refused;
      expect(err).toBeInstanceOf(m.ImportFailure);
      expect(err).toMatchObject({ code, line });
      expect(s.counts().refunds).toBe(0);
    } finally {
      s.close();
    }
  });
});

describe('backpressure', () => {
  it('while the writer is busy the producer stops reading: memory does not fill with the rest of the file', async () => {
    const { produceRows } = await import('../../src/import/produce.js');
    const { bigRefundExport } = await import('../helpers/bigfile.js');
    const file = bigRefundExport(tmpDir(), 40_000); // ~17 MB of GB18030
    const size = fs.statSync(file).size;
    let bytesRead = 0;
    const input = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
    input.on('data', (c) => (bytesRead += c.length));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let batches = 0;
    let rows = 0;
    const done = produceRows(input, { file, encoding: 'gb18030', zoneName: 'Asia/Shanghai' }, {
      header: () => {},
      batch: (items) => {
        batches++;
        rows += items.length;
        return batches === 1 ? gate : undefined; // the first batch blocks until released
      },
    });
    await new Promise((r) => setTimeout(r, 500));
    // Blocked on the first batch: only a few chunks were read ahead, not the file.
    expect(batches).toBe(1);
    expect(bytesRead).toBeLessThan(size / 4);
    release();
    const r = await done;
    expect(r.rows).toBe(40_000);
    expect(rows).toBe(40_000);
    expect(bytesRead).toBe(size);
  });
});
