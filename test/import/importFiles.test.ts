// The import use case (app/importFiles.ts) on the ports: rows go to the ImportWriter a batch per
// call (never a call per row), a store held by another process is waited for before anything is
// read and never retried after, a dry run leaves nothing, and the progress throttle runs on the
// clock it is given.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/app/importFiles.js';
import { StoreBusy } from '../../src/app/ports/errors.js';
import type { Ports, TxPorts } from '../../src/app/ports/index.js';
import { ShopZone } from '../../src/domain/time.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');

interface Calls {
  writeRefunds: number[];
  writeOrders: number[];
  files: number;
  finish: (string | null)[];
}

/** The ports over a new database, with every ImportWriter call recorded (and `failRefunds` to make writes fail). */
function setup(opts: { busyTimeoutMs?: number; failRefunds?: () => Error | null } = {}) {
  const file = path.join(tmpDir(), 'r.sqlite');
  const store = openStore(file, { busyTimeoutMs: opts.busyTimeoutMs });
  const inner = portsOf(store, { now: () => NOW });
  const calls: Calls = { writeRefunds: [], writeOrders: [], files: 0, finish: [] };
  const spy = (tx: TxPorts): TxPorts => ({
    ...tx,
    imports: {
      file: (fn) => {
        calls.files++;
        return tx.imports.file(fn);
      },
      writeRefunds: (rows, at) => {
        calls.writeRefunds.push(rows.length);
        const e = opts.failRefunds?.();
        return e ? Promise.reject(e) : tx.imports.writeRefunds(rows, at);
      },
      writeOrders: (rows, at) => {
        calls.writeOrders.push(rows.length);
        return tx.imports.writeOrders(rows, at);
      },
      writeReceipts: (rows, at) => tx.imports.writeReceipts(rows, at),
      finishFile: (log) => {
        calls.finish.push(log ? log.file : null);
        return tx.imports.finishFile(log);
      },
    },
  });
  const ports: Ports = { ...inner, unitOfWork: (fn, o) => inner.unitOfWork((tx) => fn(spy(tx)), o) };
  return { file, store, ports, calls };
}

/** The 2024 Taobao report's rows `times` times over (the same refunds again: updates and unchanged). */
function bigReport(times: number): { file: string; rows: number } {
  const [header, ...rows] = Papa.parse<string[]>(fs.readFileSync(fixture('taobao-refunds-2024-utf8bom.csv'), 'utf8'), { skipEmptyLines: true }).data;
  const all: string[][] = [];
  for (let i = 0; i < times; i++) all.push(...rows);
  const file = path.join(tmpDir(), 'big.csv');
  fs.writeFileSync(file, Papa.unparse([header!, ...all]) + '\n');
  return { file, rows: all.length };
}

describe('app/importFiles on the ports', () => {
  it('hands the rows over a batch per call (the parser holds a chunk\'s last record back: two for a small file), one finishFile with its log line', async () => {
    const { store, ports, calls } = setup();
    const [r] = await importFiles(ports, { zone, nowMs: NOW }, { sources: [{ name: fixture('taobao-refunds-2017-gbk.csv') }] });
    expect(r).toMatchObject({ kind: 'taobao-refunds', inserted: 13, updated: 0, unchanged: 0, rejected: 1 });
    expect(calls.writeRefunds.reduce((a, b) => a + b, 0)).toBe(13);
    expect(calls.writeRefunds.length).toBeLessThanOrEqual(2);
    expect(calls.files).toBe(1);
    expect(calls.finish).toEqual([fixture('taobao-refunds-2017-gbk.csv')]);
    expect(store.counts().refunds).toBe(13);
    store.close();
  });

  it('a big file: every row written, in batches of at most 1,000, far fewer calls than rows', async () => {
    const { store, ports, calls } = setup();
    const big = bigReport(300);
    const [r] = await importFiles(ports, { zone, nowMs: NOW }, { sources: [{ name: big.file }] });
    expect(r!.rows).toBe(big.rows);
    expect(r!.inserted + r!.updated + r!.unchanged + r!.rejected).toBe(big.rows);
    expect(calls.writeRefunds.reduce((a, b) => a + b, 0)).toBe(big.rows - r!.rejected);
    expect(Math.max(...calls.writeRefunds)).toBeLessThanOrEqual(1000);
    expect(calls.writeRefunds.length).toBeLessThan(big.rows / 100);
    store.close();
  });

  it('waits for another process\'s write lock (told once), then imports', async () => {
    const { file, store, ports } = setup({ busyTimeoutMs: 20 });
    const other = openStore(file);
    other.begin();
    other.setMeta('other', '1');
    let told = 0;
    const done = importFiles(ports, { zone, nowMs: NOW, retryMs: 20 }, { sources: [{ name: fixture('douyin-aftersales.csv') }], onWaitForLock: () => told++ });
    await new Promise((r) => setTimeout(r, 300));
    expect(store.counts().refunds).toBe(0);
    other.commit();
    other.close();
    const [r] = await done;
    expect(told).toBe(1);
    expect(r!.inserted).toBe(7);
    expect(store.counts().refunds).toBe(7);
    store.close();
  });

  it('a store busy once rows are being written ends the import (no retry: standard input is read once) and writes nothing', async () => {
    const { store, ports, calls } = setup({ failRefunds: () => new StoreBusy('imports.writeRefunds') });
    let told = 0;
    await expect(
      importFiles(ports, { zone, nowMs: NOW, retryMs: 1 }, { sources: [{ name: fixture('douyin-aftersales.csv') }], onWaitForLock: () => told++ }),
    ).rejects.toBeInstanceOf(StoreBusy);
    expect(calls.writeRefunds.length).toBe(1);
    expect(told).toBe(0);
    expect(store.counts().refunds).toBe(0);
    expect(store.inTransaction()).toBe(false);
    store.close();
  });

  it('a dry run counts like the real import, logs no import and leaves the database as it was', async () => {
    const { store, ports, calls } = setup();
    const reports = await importFiles(
      ports,
      { zone, nowMs: NOW },
      { sources: [{ name: fixture('taobao-refunds-2017-gbk.csv') }, { name: fixture('broken/ragged-rows.csv') }], dryRun: true },
    );
    expect(reports.map((r) => [r.inserted, r.refused?.code ?? null])).toEqual([
      [13, null],
      [0, 'ragged'],
    ]);
    expect(calls.finish).toEqual([null]);
    expect(store.counts()).toMatchObject({ refunds: 0, orders: 0 });
    expect(store.sql('SELECT count(*) AS n FROM imports')).toEqual([{ n: 0 }]);
    expect(store.inTransaction()).toBe(false);
    store.close();
  });

  it('progress runs on the injected clock: a stopped clock reports the first batch and the end, a fast one every batch', async () => {
    const big = bigReport(300);
    const run = async (clock: () => number) => {
      const { store, ports, calls } = setup();
      const seen: number[] = [];
      await importFiles(ports, { zone, nowMs: NOW, progressClock: clock }, { sources: [{ name: big.file }], onProgress: (p) => seen.push(p.rows) });
      store.close();
      return { seen, batches: calls.writeRefunds.length };
    };
    const stopped = await run(() => 1000);
    expect(stopped.seen.length).toBe(2);
    expect(stopped.seen.at(-1)).toBe(big.rows);
    let t = 0;
    const fast = await run(() => (t += 201));
    expect(fast.batches).toBeGreaterThan(2);
    // Every batch (some hold only rejected rows, which reach no writer) and the end.
    expect(fast.seen.length).toBeGreaterThanOrEqual(fast.batches + 1);
    expect(fast.seen.at(-1)).toBe(big.rows);
  });
});
