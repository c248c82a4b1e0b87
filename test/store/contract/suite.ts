// The store contract (issues 15 and 19): what every storage backend promises through the ports of
// src/app/ports, as one vitest suite that each backend's test file runs with its own `open`.
// Backend-neutral by rule: no SQL here, no backend import; what only one backend can do is gated on
// a capability of the `open` result (OpenedStore.caps), never on the backend's name.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ports, TxPorts } from '../../../src/app/ports/index.js';
import { StoreBusy } from '../../../src/app/ports/errors.js';
import type { Refund } from '../../../src/domain/types.js';
import type { RefundInput, TriageQuery } from '../../../src/domain/inputs.js';
import { isNotCarriedOut } from '../../../src/domain/decisionState.js';
import { fixture, tmpDir } from '../../helpers/cli.js';
import {
  DAY, HOUR, LATER_ISO, ManualClock, NOW, NOW_ISO, decisionInput, orderInput, readExport, refundInput, testDeadlineOf, type ReadExport,
} from './inputs.js';
import { expectedExtras } from '../../helpers/exportCells.js';

export interface OpenOptions {
  /** The store's clock for claim expiry, where the backend follows an injected clock (caps.clock). */
  clock: ManualClock;
}

export interface OpenedStore {
  /** A new, empty database. */
  ports: Ports;
  /** Another connection to the same database (a second process, as far as locks go); closed by cleanup. */
  connect(): Promise<Ports>;
  /**
   * The export's unmapped columns of every refund or order as users' SQL reads them (the views
   * refunds_extra / orders_extra: column name → cell), by ID; null for a row without any. Each
   * backend's test file reads its own views: the ports have no method for it (the CLI needs none).
   */
  extrasByName(target: 'refunds' | 'orders'): Promise<Map<string, Record<string, string> | null>>;
  caps: Capabilities;
  /** Closes every connection and removes the database. */
  cleanup(): Promise<void>;
}

export interface Capabilities {
  /**
   * 'injected': claims expire on OpenOptions.clock (SQLite). 'server': on the database server's own
   * clock (PostgreSQL clock_timestamp()): the suite then waits in real time, with short claims.
   */
  clock: 'injected' | 'server';
  /**
   * A write inside unitOfWork({ mode: 'read' }) is refused (ports/index.ts: "writes inside are an
   * error"). False where the backend does not enforce it yet (the legacy SQLite adapter: its read
   * unit is a plain deferred BEGIN; notes/s5/contract.md): then callers must simply not write there.
   */
  readUnitsRefuseWrites: boolean;
  /**
   * Opens the SQLite file Admin.backupTo wrote (through the SQLite backend, whatever the backend under
   * test), so the suite can read the copy back. Absent: the backend makes no backup file, and
   * backupTo must refuse rather than report a backup it did not make.
   */
  backupFile?: { open(file: string): Promise<{ ports: Ports; close(): Promise<void> }> };
  /**
   * Holds the database's write lock from ANOTHER PROCESS for `ms` (SQLite's locks block the thread,
   * so a second connection in this process cannot stand in for it). `held` resolves once the lock
   * is taken, `done` once it is let go.
   */
  otherProcess?: { holdWriteLock(ms: number): Promise<{ done: Promise<void> }> };
  /** The SQLite first load (a rollback journal while the database is empty, WAL again after). */
  firstLoadJournal?: { journalMode(): Promise<string> };
}

type Open = (opts: OpenOptions) => Promise<OpenedStore>;

// ---- fixture facts (fixtures/README.md, taobao-refunds-2017-gbk.csv) --------------------------
const R = {
  R01: '1587001122334455001', R02: '158700112233445502', R03: '1587001122334455', R04: '15870011223344550404',
  R05: '158700112233445505', R06: '158700112233445506', R07: '158700112233445507', R08: '158700112233445508',
  R09: '158700112233445509', R10: '158700112233445510', R11: '158700112233445511', R13: '158700112233445513',
  R14: '158700112233445514',
} as const;
const FILE1_IDS = [R.R01, R.R02, R.R03, R.R04, R.R05, R.R06, R.R07, R.R08, R.R09, R.R10, R.R11, R.R13, R.R14];
const OPEN_IDS = [R.R01, R.R02, R.R03, R.R04, R.R05, R.R06, R.R07, R.R10, R.R11, R.R13, R.R14];
const N1 = '158700112233445601';
const sorted = (ids: Iterable<string>) => [...ids].sort();

interface Written {
  refunds: string[];
  orders: string[];
  receipts: string[];
}

/** One file through the ImportWriter as the import writes it: a load unit, one file, the log line. */
async function importExport(
  ports: Ports,
  x: ReadExport,
  seenAt: string,
  opts: { deadlineOf?: (r: Refund) => ReturnType<typeof testDeadlineOf>; log?: boolean } = {},
): Promise<Written> {
  return ports.unitOfWork((tx) => writeFile(tx, x, seenAt, opts), { mode: 'load' });
}

async function writeFile(
  tx: TxPorts,
  x: ReadExport,
  seenAt: string,
  opts: { deadlineOf?: (r: Refund) => ReturnType<typeof testDeadlineOf>; log?: boolean } = {},
): Promise<Written> {
  return tx.imports.file(async () => {
    const at = { seenAt, sourceFile: x.file };
    const refunds = x.refunds.length ? await tx.imports.writeRefunds(x.refunds, { ...at, deadlineOf: opts.deadlineOf }) : [];
    const orders = x.orders.length ? await tx.imports.writeOrders(x.orders, at) : [];
    const receipts = x.receipts.length ? await tx.imports.writeReceipts(x.receipts, seenAt) : [];
    const all = [...refunds, ...orders, ...receipts];
    const n = (o: string) => all.filter((v) => v === o).length;
    await tx.imports.finishFile(
      opts.log === false
        ? null
        : { file: x.file, kind: x.kind, encoding: x.encoding, bytes: x.bytes, importedAt: seenAt, inserted: n('inserted'), updated: n('updated'), unchanged: n('unchanged'), rejected: x.rejected.length },
    );
    return { refunds, orders, receipts };
  });
}

/** Literal rows through the writer (one file named `sourceFile`). */
async function writeRows(ports: Ports, rows: RefundInput[], seenAt: string, sourceFile = 'literal.csv', kind = 'taobao-refunds'): Promise<string[]> {
  return ports.unitOfWork(
    (tx) =>
      tx.imports.file(async () => {
        const out = await tx.imports.writeRefunds(rows, { seenAt, sourceFile });
        await tx.imports.finishFile({ file: sourceFile, kind, encoding: 'utf-8', bytes: 1, importedAt: seenAt, inserted: 0, updated: 0, unchanged: 0, rejected: 0 });
        return out;
      }),
    { mode: 'load' },
  );
}

const tally = (outcomes: string[]) => ({
  inserted: outcomes.filter((o) => o === 'inserted').length,
  updated: outcomes.filter((o) => o === 'updated').length,
  unchanged: outcomes.filter((o) => o === 'unchanged').length,
});

/** Resolves once `fn` has run up to `gate` (used to hold a unit of work open). */
function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function describeStore(name: string, open: Open): void {
  describe(`store contract: ${name}`, () => {
    let clock: ManualClock;
    let s: OpenedStore;
    let ports: Ports;
    /** Claim lifetime: long on an injected clock (moved by hand), short on a server's (waited out). */
    let ttl: number;
    /** Lets `ms` pass on the store's clock. */
    let elapse: (ms: number) => Promise<void>;
    /** An expiry the store computed for a claim taken at the store's "now" between `before` and `after`. */
    let expectExpiry: (got: number, before: number, after: number) => void;

    beforeEach(async () => {
      clock = new ManualClock(NOW);
      s = await open({ clock });
      ports = s.ports;
      const injected = s.caps.clock === 'injected';
      ttl = injected ? 15 * 60_000 : 1_500;
      elapse = injected ? async (ms) => clock.advance(ms) : (ms) => sleep(ms);
      expectExpiry = injected
        ? (got, before) => expect(got).toBe(before + ttl)
        : (got, before, after) => {
            expect(got).toBeGreaterThanOrEqual(before + ttl - 1_000);
            expect(got).toBeLessThanOrEqual(after + ttl + 1_000);
          };
    });
    afterEach(async () => {
      await s.cleanup();
    });
    const storeNow = () => (s.caps.clock === 'injected' ? clock.now() : Date.now());

    // ---- UnitOfWork ------------------------------------------------------------------------
    describe('unitOfWork', () => {
      it('commits when fn resolves and returns its value; another connection sees the rows', async () => {
        const got = await ports.unitOfWork(async (tx) => {
          await tx.meta.set('k', 'v1');
          return 42;
        });
        expect(got).toBe(42);
        expect(await ports.meta.get('k')).toBe('v1');
        const other = await s.connect();
        expect(await other.meta.get('k')).toBe('v1');
      });

      it('rolls back everything when fn throws, and rethrows the same error', async () => {
        await ports.meta.set('k', 'before');
        const boom = new Error('boom');
        await expect(
          ports.unitOfWork(async (tx) => {
            await tx.meta.set('k', 'inside');
            await tx.imports.file(() => tx.imports.writeRefunds([refundInput()], { seenAt: NOW_ISO, sourceFile: 'a.csv' }));
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await ports.meta.get('k')).toBe('before');
        expect(await ports.cases.refund('2024100112345678')).toBeNull();
        expect((await ports.admin.counts()).refunds).toBe(0);
      });

      it("mode 'read' sees the database as it was at its first read, whatever commits meanwhile", async () => {
        await writeRows(ports, [refundInput()], NOW_ISO);
        const other = await s.connect();
        const seen = await ports.unitOfWork(
          async (tx) => {
            const before = await tx.cases.refund('2024100112345678');
            await writeRows(other, [refundInput({ refundId: '2024100112345679' }), refundInput({ amountCents: 100 })], LATER_ISO, 'b.csv');
            await other.meta.set('k', 'written meanwhile');
            return {
              before: before?.amountCents,
              after: (await tx.cases.refund('2024100112345678'))?.amountCents,
              newOne: await tx.cases.refund('2024100112345679'),
              meta: await tx.meta.get('k'),
            };
          },
          { mode: 'read' },
        );
        expect(seen).toEqual({ before: 5990, after: 5990, newOne: null, meta: null });
        expect((await ports.cases.refund('2024100112345678'))?.amountCents).toBe(100);
        expect((await ports.cases.refund('2024100112345679'))?.refundId).toBe('2024100112345679');
      });

      it("another process's write lock: 'none' throws StoreBusy at once, 'block' waits for it and goes through (caps.otherProcess)", async () => {
        const other = s.caps.otherProcess;
        if (!other) {
          // Two connections of this process stand in for it in the test above.
          expect(s.caps.otherProcess).toBeUndefined();
          return;
        }
        await ports.meta.set('k', 'before');
        const lock = await other.holdWriteLock(1_500);
        await expect(ports.unitOfWork((tx) => tx.meta.set('k', 'none'), { wait: 'none' })).rejects.toBeInstanceOf(StoreBusy);
        expect(await ports.meta.get('k')).toBe('before');
        await ports.unitOfWork((tx) => tx.meta.set('k', 'blocked, then written'));
        expect(await ports.meta.get('k')).toBe('blocked, then written');
        await lock.done;
      });

      it("mode 'read' refuses writes, and nothing is written (caps.readUnitsRefuseWrites)", async () => {
        if (!s.caps.readUnitsRefuseWrites) {
          // Not enforced by this backend yet: the capability says so, and the run lists it.
          expect(s.caps.readUnitsRefuseWrites).toBe(false);
          return;
        }
        await expect(ports.unitOfWork((tx) => tx.meta.set('k', 'in a read'), { mode: 'read' })).rejects.toThrow();
        expect(await ports.meta.get('k')).toBeNull();
      });

      it('units of work do not nest: an inner one is an error and the outer one is rolled back', async () => {
        await expect(
          ports.unitOfWork(async (tx) => {
            await tx.meta.set('k', 'outer');
            return ports.unitOfWork(async () => 1);
          }),
        ).rejects.toThrow();
        expect(await ports.meta.get('k')).toBeNull();
      });

      it("wait 'none' throws StoreBusy at once while another connection holds the write lock, and writes nothing", async () => {
        const other = await s.connect();
        const holding = deferred();
        const release = deferred();
        const held = ports.unitOfWork(async (tx) => {
          await tx.meta.set('k', 'holder');
          holding.resolve();
          await release.promise;
        });
        await holding.promise;
        const started = Date.now();
        await expect(other.unitOfWork((tx) => tx.meta.set('k', 'second'), { wait: 'none' })).rejects.toBeInstanceOf(StoreBusy);
        // "At once": not after a busy timeout (SQLite waits 10 s by default).
        expect(Date.now() - started).toBeLessThan(5_000);
        release.resolve();
        await held;
        expect(await other.meta.get('k')).toBe('holder');
        // Free again: the same call goes through.
        await other.unitOfWork((tx) => tx.meta.set('k', 'second'), { wait: 'none' });
        expect(await ports.meta.get('k')).toBe('second');
      });
    });

    // ---- ImportWriter ----------------------------------------------------------------------
    describe('ImportWriter', () => {
      it('a first file: every row inserted, in file order; rows read back as the export says; first sightings in the history', async () => {
        const x = await readExport('taobao-refunds-2017-gbk.csv');
        expect(x.rejected).toEqual([13]);
        const w = await importExport(ports, x, NOW_ISO);
        expect(w.refunds).toEqual(Array(13).fill('inserted'));
        expect(x.refunds.map((r) => r.refundId)).toEqual(FILE1_IDS);
        const r01 = await ports.cases.refund(R.R01);
        expect(r01).toMatchObject({
          refundId: '1587001122334455001', orderId: '4123456789012345678', platform: 'taobao', status: 'WAIT_SELLER_AGREE',
          statusText: '买家已经申请退款，等待卖家同意', amountCents: 5990, paidCents: 5990, appliedAt: '2025-04-19T20:15:00+08:00',
          exportDeadline: '2025-04-21T20:15:00+08:00', refundType: 'refund_only', returnRequired: false, disputeState: 'none',
          statusSince: NOW_ISO, firstSeenAt: NOW_ISO,
        });
        const r04 = await ports.cases.refund(R.R04);
        expect(r04).toMatchObject({ amountCents: 12800, returnWaybill: 'SF1234567890123', returnedAt: '2025-04-11T18:30:00+08:00', status: 'WAIT_SELLER_CONFIRM_GOODS' });
        expect(await ports.cases.refund(R.R07)).toMatchObject({ disputeState: 'in_progress', evidenceDeadline: '2025-04-22T12:00:00+08:00', appliedAt: '2025-04-15T12:00:00+08:00' });
        expect(await ports.cases.refund(R.R10)).toMatchObject({ status: 'UNKNOWN', statusText: '退款待处理（新状态）', amountCents: 4500 });
        expect(await ports.cases.history(R.R01)).toEqual([{ status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: NOW_ISO }]);
        for (const id of FILE1_IDS) expect((await ports.cases.history(id)).length, id).toBe(1);
        // The input is stored as given: every field of the input reads back (the store adds statusSince, firstSeenAt).
        const input = x.refunds.find((r) => r.refundId === R.R13)!;
        const { extraLayout: _l, extraValues: _v, extraJson: _j, extraCells: _c, ...fields } = input;
        expect(await ports.cases.refund(R.R13)).toEqual({ ...fields, statusSince: NOW_ISO, firstSeenAt: NOW_ISO });
      });

      it('the same file again: every row unchanged, nothing of the history or first sighting moves', async () => {
        const x = await readExport('taobao-refunds-2017-gbk.csv');
        await importExport(ports, x, NOW_ISO);
        const again = await importExport(ports, x, LATER_ISO);
        expect(again.refunds).toEqual(Array(13).fill('unchanged'));
        expect(await ports.cases.refund(R.R01)).toMatchObject({ statusSince: NOW_ISO, firstSeenAt: NOW_ISO });
        expect((await ports.cases.history(R.R01)).length).toBe(1);
      });

      it('a later export: changed rows updated, the others unchanged; only a change of state is history', async () => {
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        const v2 = await readExport('taobao-refunds-2017-gbk-v2.csv');
        const w = await importExport(ports, v2, LATER_ISO);
        const byId = Object.fromEntries(v2.refunds.map((r, i) => [r.refundId, w.refunds[i]]));
        expect(byId).toEqual(Object.fromEntries(FILE1_IDS.map((id) => [id, ([R.R01, R.R03, R.R14] as string[]).includes(id) ? 'updated' : 'unchanged'])));
        expect(tally(w.refunds)).toEqual({ inserted: 0, updated: 3, unchanged: 10 });
        expect(await ports.cases.history(R.R01)).toEqual([
          { status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: NOW_ISO },
          { status: 'SUCCESS', statusText: '退款成功', seenAt: LATER_ISO },
        ]);
        expect(await ports.cases.refund(R.R01)).toMatchObject({ status: 'SUCCESS', exportDeadline: null, finishedAt: '2025-04-21T08:20:00+08:00', statusSince: LATER_ISO, firstSeenAt: NOW_ISO });
        expect(await ports.cases.refund(R.R03)).toMatchObject({
          status: 'WAIT_SELLER_CONFIRM_GOODS', exportDeadline: '2025-04-30T19:00:00+08:00', returnWaybill: 'YT9876543210987', returnedAt: '2025-04-20T19:00:00+08:00', statusSince: LATER_ISO,
        });
        // R14: only the deadline moved: updated, no history, status since unchanged.
        expect(await ports.cases.refund(R.R14)).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', exportDeadline: '2025-04-24T22:00:00+08:00', statusSince: NOW_ISO });
        expect((await ports.cases.history(R.R14)).length).toBe(1);
        expect((await ports.cases.history(R.R03)).map((h) => [h.status, h.seenAt])).toEqual([
          ['WAIT_BUYER_RETURN_GOODS', NOW_ISO],
          ['WAIT_SELLER_CONFIRM_GOODS', LATER_ISO],
        ]);
      });

      it('another layout of the same shop: new refunds inserted, known ones updated (fixtures/README.md §2)', async () => {
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        const w = await importExport(ports, await readExport('taobao-refunds-2024-utf8bom.csv'), LATER_ISO);
        expect(w.refunds).toEqual(['updated', 'updated', 'inserted', 'inserted', 'inserted', 'inserted']);
        expect((await ports.cases.history(R.R02)).map((h) => h.status)).toEqual(['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS']);
        expect((await ports.cases.history(R.R04)).map((h) => h.status)).toEqual(['WAIT_SELLER_CONFIRM_GOODS', 'SUCCESS']);
        expect(await ports.cases.history(N1)).toEqual([{ status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: LATER_ISO }]);
        expect(await ports.cases.refund(R.R02)).toMatchObject({ amountCents: 129900, statusSince: LATER_ISO, firstSeenAt: NOW_ISO });
      });

      it('one file in several batches, a refund listed twice: outcomes per row, one first sighting each', async () => {
        const x = await readExport('taobao-refunds-2017-gbk.csv');
        const twice = { ...x.refunds[1]!, status: 'WAIT_BUYER_RETURN_GOODS' as const, statusText: '卖家已经同意退款，等待买家退货' };
        const out = await ports.unitOfWork(
          (tx) =>
            tx.imports.file(async () => {
              const at = { seenAt: NOW_ISO, sourceFile: x.file };
              const a = await tx.imports.writeRefunds(x.refunds.slice(0, 5), at);
              const b = await tx.imports.writeRefunds([...x.refunds.slice(5), x.refunds[0]!], at);
              const c = await tx.imports.writeRefunds([twice], at);
              await tx.imports.finishFile(null);
              return [a, b, c];
            }),
          { mode: 'load' },
        );
        expect(out).toEqual([Array(5).fill('inserted'), [...Array(8).fill('inserted'), 'unchanged'], ['updated']]);
        for (const id of FILE1_IDS.filter((i) => i !== R.R02)) expect(await ports.cases.history(id), id).toEqual([{ status: (await ports.cases.refund(id))!.status, statusText: (await ports.cases.refund(id))!.statusText, seenAt: NOW_ISO }]);
        expect(await ports.cases.refund(R.R02)).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', statusSince: NOW_ISO, firstSeenAt: NOW_ISO });
        // The history ends in the state the file left (what comes before is not promised: the legacy store
        // records the later state twice for a refund inserted and changed by one file).
        expect((await ports.cases.history(R.R02)).at(-1)).toEqual({ status: 'WAIT_BUYER_RETURN_GOODS', statusText: '卖家已经同意退款，等待买家退货', seenAt: NOW_ISO });
      });

      it('one batch holding the same refund twice: inserted, then unchanged or updated as it says', async () => {
        const a = refundInput();
        const changed = refundInput({ status: 'CLOSED', statusText: '退款关闭' });
        expect(await writeRows(ports, [a, a, refundInput({ refundId: '2024100112345679' })], NOW_ISO)).toEqual(['inserted', 'unchanged', 'inserted']);
        expect(await writeRows(ports, [a, changed, changed], LATER_ISO)).toEqual(['unchanged', 'updated', 'unchanged']);
        expect(await ports.cases.refund('2024100112345678')).toMatchObject({ status: 'CLOSED', statusSince: LATER_ISO });
        expect((await ports.cases.history('2024100112345678')).map((h) => [h.status, h.seenAt])).toEqual([['WAIT_SELLER_AGREE', NOW_ISO], ['CLOSED', LATER_ISO]]);
      });

      it('a file that throws is rolled back alone (its updates, inserts, history and log line); the unit goes on and commits the others', async () => {
        const x1 = await readExport('taobao-refunds-2017-gbk.csv');
        const x2 = await readExport('taobao-refunds-2024-utf8bom.csv');
        const refused = new Error('file refused');
        const result = await ports.unitOfWork(
          async (tx) => {
            await writeFile(tx, x1, NOW_ISO);
            const e = await tx.imports
              .file(async () => {
                await tx.imports.writeRefunds(x2.refunds, { seenAt: LATER_ISO, sourceFile: x2.file });
                await tx.imports.finishFile({ file: x2.file, kind: x2.kind, encoding: x2.encoding, bytes: x2.bytes, importedAt: LATER_ISO, inserted: 4, updated: 2, unchanged: 0, rejected: 0 });
                throw refused;
              })
              .then(
                () => null,
                (err: unknown) => err,
              );
            // Inside the same unit, after the rollback to the file's savepoint:
            return { e, r02: (await tx.cases.refund(R.R02))?.status, n1: await tx.cases.refund(N1) };
          },
          { mode: 'load' },
        );
        expect(result).toEqual({ e: refused, r02: 'WAIT_SELLER_AGREE', n1: null });
        expect(await ports.cases.refund(N1)).toBeNull();
        expect(await ports.cases.refund(R.R02)).toMatchObject({ status: 'WAIT_SELLER_AGREE', statusSince: NOW_ISO });
        expect((await ports.cases.history(R.R02)).length).toBe(1);
        expect(await ports.cases.history(N1)).toEqual([]);
        expect((await ports.admin.counts()).refunds).toBe(13);
        expect(await ports.cases.lastImportId()).toBe(1);
        expect(await ports.cases.lastRefundImports()).toEqual(new Map([['taobao', NOW_ISO]]));
      });

      it('the imports log: one line per finished file, none for a dry run (log null), which still records first sightings', async () => {
        expect(await ports.cases.lastImportId()).toBeNull();
        expect(await ports.cases.lastRefundImports()).toEqual(new Map());
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        expect(await ports.cases.lastImportId()).toBe(1);
        await importExport(ports, await readExport('douyin-aftersales.csv'), '2025-04-21T08:00:00+08:00');
        await importExport(ports, await readExport('taobao-orders-gbk.csv'), LATER_ISO);
        expect(await ports.cases.lastImportId()).toBe(3);
        // An order export is no refund import.
        expect(await ports.cases.lastRefundImports()).toEqual(new Map([['taobao', NOW_ISO], ['douyin', '2025-04-21T08:00:00+08:00']]));
        await importExport(ports, await readExport('taobao-refunds-2024-utf8bom.csv'), LATER_ISO, { log: false });
        expect(await ports.cases.lastImportId()).toBe(3);
        expect(await ports.cases.lastRefundImports()).toEqual(new Map([['taobao', NOW_ISO], ['douyin', '2025-04-21T08:00:00+08:00']]));
        expect(await ports.cases.history(N1)).toEqual([{ status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: LATER_ISO }]);
      });

      it('orders and receipts: inserted, unchanged on a re-import; a receipt is one per row hash', async () => {
        const orders = await readExport('taobao-orders-gbk.csv');
        expect((await importExport(ports, orders, NOW_ISO)).orders).toEqual(Array(21).fill('inserted'));
        expect((await importExport(ports, orders, LATER_ISO)).orders).toEqual(Array(21).fill('unchanged'));
        const changed = { ...orders, orders: orders.orders.map((o, i) => (i === 1 ? { ...o, carrier: '顺丰速运' } : o)) };
        expect(tally((await importExport(ports, changed, LATER_ISO)).orders)).toEqual({ inserted: 0, updated: 1, unchanged: 20 });
        const returns = await readExport('warehouse-returns.csv');
        expect((await importExport(ports, returns, NOW_ISO)).receipts).toEqual(Array(5).fill('inserted'));
        expect((await importExport(ports, returns, LATER_ISO)).receipts).toEqual(Array(5).fill('unchanged'));
        const counts = await ports.admin.counts();
        expect([counts.orders, counts.warehouse_receipts]).toEqual([21, 5]);
        expect(await ports.cases.order('4123456789012345612')).toMatchObject({
          orderId: '4123456789012345612', platform: 'taobao', statusText: '卖家已发货，等待买家确认', status: 'WAIT_BUYER_CONFIRM_GOODS',
          shipped: true, paidCents: 129900, postageCents: 0, paidAt: '2025-04-12T21:40:33+08:00', waybill: '75300011122202',
          carrier: '顺丰速运', receiverName: '林黛玉', phone: '13900002222',
        });
      });

      it('a refund takes the order export\'s word on shipping; deadlineOf is given the refund as stored and its answer kept', async () => {
        await importExport(ports, await readExport('taobao-orders-gbk.csv'), NOW_ISO);
        const asked: [string, boolean | null, string][] = [];
        const x = await readExport('taobao-refunds-2017-gbk.csv');
        await importExport(ports, x, NOW_ISO, {
          deadlineOf: (r) => {
            asked.push([r.refundId, r.shipped, r.statusSince]);
            return testDeadlineOf(r);
          },
        });
        // Asked for open refunds only (R08 CLOSED and R09 SUCCESS are not).
        expect(sorted(asked.map((a) => a[0]))).toEqual(sorted(OPEN_IDS));
        expect(asked.find((a) => a[0] === R.R01)).toEqual([R.R01, false, NOW_ISO]);
        expect(asked.find((a) => a[0] === R.R02)).toEqual([R.R02, true, NOW_ISO]);
        expect((await ports.cases.refund(R.R13))?.shipped).toBe(false);
        const [d] = await ports.sweep.refundsWithDeadlines([R.R06]);
        expect(d!.deadline).toEqual({ at: Date.parse('2025-04-21T08:00:00+08:00'), source: 'export', rule: null, actor: 'seller', atTimeout: 'auto-agree' });
        expect(await ports.deadlines.needing()).toEqual([]);
      });

      it.each(['taobao-refunds-2017-gbk.csv', 'taobao-refunds-2024-utf8bom.csv', 'douyin-aftersales.csv', 'taobao-orders-gbk.csv'])(
        'the lean extras of %s read back by column name, equal to the file',
        async (name) => {
          const x = await readExport(name);
          await importExport(ports, x, NOW_ISO);
          const { target, rows } = expectedExtras(fixture(name));
          const stored = await s.extrasByName(target);
          // Every row the import kept, and no other.
          expect(sorted(stored.keys())).toEqual(sorted(target === 'orders' ? x.orders.map((o) => o.orderId) : x.refunds.map((r) => r.refundId)));
          let checked = 0;
          for (const [id, extra] of rows) {
            if (!stored.has(id)) continue; // a row the import rejected
            expect(stored.get(id), `${name} ${id}`).toEqual(extra);
            checked++;
          }
          expect(checked).toBe(stored.size);
          expect(checked).toBeGreaterThan(3);
          expect([...stored.values()].some((v) => v !== null)).toBe(true);
        },
      );

      it('literal extras (extraJson) read back by name; a re-import with the same cells is unchanged, other cells an update', async () => {
        expect(await writeRows(ports, [refundInput()], NOW_ISO)).toEqual(['inserted']);
        expect(await s.extrasByName('refunds')).toEqual(new Map([['2024100112345678', { 审核操作人: '大刘' }]]));
        expect(await writeRows(ports, [refundInput()], LATER_ISO)).toEqual(['unchanged']);
        expect(await writeRows(ports, [refundInput({ extraJson: '{"审核操作人":"小王"}' })], LATER_ISO)).toEqual(['updated']);
        expect(await writeRows(ports, [refundInput({ extraJson: null })], LATER_ISO)).toEqual(['updated']);
        expect(await s.extrasByName('refunds')).toEqual(new Map([['2024100112345678', null]]));
        // One column at a time, each of a different type: nullable text, money, yes/no.
        expect(await writeRows(ports, [refundInput({ extraJson: null, buyerNote: '颜色不对' })], LATER_ISO)).toEqual(['updated']);
        expect(await writeRows(ports, [refundInput({ extraJson: null, buyerNote: '颜色不对', amountCents: 5000 })], LATER_ISO)).toEqual(['updated']);
        expect(await writeRows(ports, [refundInput({ extraJson: null, buyerNote: '颜色不对', amountCents: 5000, shipped: true })], LATER_ISO)).toEqual(['updated']);
        expect(await writeRows(ports, [refundInput({ extraJson: null, buyerNote: '颜色不对', amountCents: 5000, shipped: true })], LATER_ISO)).toEqual(['unchanged']);
        expect(await ports.cases.refund('2024100112345678')).toMatchObject({ buyerNote: '颜色不对', amountCents: 5000, shipped: true, statusSince: NOW_ISO });
      });
    });

    // ---- CaseReader ------------------------------------------------------------------------
    describe('CaseReader', () => {
      beforeEach(async () => {
        await importExport(ports, await readExport('taobao-orders-gbk.csv'), NOW_ISO);
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        await importExport(ports, await readExport('douyin-aftersales.csv'), NOW_ISO);
        await importExport(ports, await readExport('warehouse-returns.csv'), NOW_ISO);
      });

      it('refund and order by ID; null for an unknown one', async () => {
        expect(await ports.cases.refund('999')).toBeNull();
        expect(await ports.cases.order('999')).toBeNull();
        // The refund row says R04's goods went out? The order export (交易成功) says shipped.
        expect(await ports.cases.refund(R.R04)).toMatchObject({ refundId: R.R04, orderId: '4011223344556677889', shipped: true });
        expect(await ports.cases.order('4133445566778899002')).toMatchObject({ status: 'WAIT_SELLER_SEND_GOODS', shipped: false, paidCents: 105000, receiverName: '欧阳娜娜' });
        expect(await ports.cases.order('4300112233445566801')).toMatchObject({ status: 'TRADE_CLOSED', shipped: null, paidAt: null });
      });

      it('orders (package C): many IDs in one read, unknown ones absent, each as order() has it', async () => {
        const ids = ['4133445566778899002', '999', '4300112233445566801', '4133445566778899002'];
        const got = await ports.cases.orders(ids);
        expect([...got.keys()].sort()).toEqual(['4133445566778899002', '4300112233445566801']);
        expect(got.get('4133445566778899002')).toEqual(await ports.cases.order('4133445566778899002'));
        expect(got.get('4300112233445566801')).toEqual(await ports.cases.order('4300112233445566801'));
        expect((await ports.cases.orders([])).size).toBe(0);
      });

      it('refundsByWaybills (package C): each key as refundsByWaybill has it, keys without refunds absent', async () => {
        const got = await ports.cases.refundsByWaybills(['SF1234567890123', '75312345678901', 'YD4300999900001', 'SF1234567890123']);
        expect([...got.keys()].sort()).toEqual(['75312345678901', 'SF1234567890123']);
        expect(got.get('SF1234567890123')!.map((r) => r.refundId)).toEqual([R.R04]);
        expect(got.get('75312345678901')).toEqual(await ports.cases.refundsByWaybill('75312345678901'));
        expect((await ports.cases.refundsByWaybills([])).size).toBe(0);
      });

      it('refundIdsForOrder, in ID order', async () => {
        expect(await ports.cases.refundIdsForOrder('4123456789012345678')).toEqual([R.R01]);
        expect(await ports.cases.refundIdsForOrder('4300112233445566801')).toEqual([]);
        await writeRows(ports, [refundInput({ refundId: '20', orderId: '4123456789012345678' }), refundInput({ refundId: '3', orderId: '4123456789012345678' })], LATER_ISO);
        // ORDER BY refund_id: text order.
        expect(await ports.cases.refundIdsForOrder('4123456789012345678')).toEqual([R.R01, '20', '3']);
      });

      it('similarRefundIds: nearest by edit distance, ties by ID', async () => {
        expect(await ports.cases.similarRefundIds('158700112233445599', 3)).toEqual([R.R09, R.R03, R.R02]);
        expect(await ports.cases.similarRefundIds('000000000000000000', 3)).toEqual([]);
      });

      it('receipts of a waybill key, the refunds on it, all receipts in arrival order', async () => {
        const sf = await ports.cases.receiptsForWaybill('SF1234567890123');
        expect(sf).toHaveLength(1);
        expect(sf[0]).toMatchObject({ waybill: 'sf 1234 5678 90123', carrier: '顺丰', receivedAt: '2025-04-20T16:05:00+08:00', sku: 'MK-350-WHT', quantity: 2, condition: 'ok' });
        expect(typeof sf[0]!.id).toBe('number');
        expect((await ports.cases.refundsByWaybill('SF1234567890123')).map((r) => r.refundId)).toEqual([R.R04]);
        expect((await ports.cases.refundsByWaybill('75312345678901')).map((r) => r.refundId)).toEqual([R.R06]);
        expect(await ports.cases.refundsByWaybill('YD4300999900001')).toEqual([]);
        const all = await ports.cases.allReceipts();
        expect(all.map((r) => [r.waybillKey, r.receivedAt, r.condition, r.source])).toEqual([
          ['YD4300999900001', '2025-04-19T15:20:00+08:00', 'ok', all[0]!.source],
          ['JDVA12345678901', '2025-04-20T11:30:00+08:00', 'damaged', all[0]!.source],
          ['SF1234567890123', '2025-04-20T16:05:00+08:00', 'ok', all[0]!.source],
          ['75312345678901', '2025-04-21T07:45:00+08:00', 'empty', all[0]!.source],
          ['YT2345678901234', '2025-04-21T08:10:00+08:00', 'wrong-item', all[0]!.source],
        ]);
        expect(all[0]!.source.length).toBeGreaterThan(0);
      });

      it('openRefunds by platform and state', async () => {
        const taobao = await ports.cases.openRefunds({ platform: 'taobao' });
        expect(sorted(taobao.map((r) => r.refundId))).toEqual(sorted(OPEN_IDS));
        const orange = await ports.cases.openRefunds({ statuses: ['WAIT_SELLER_CONFIRM_GOODS'], platform: 'taobao' });
        expect(sorted(orange.map((r) => r.refundId))).toEqual(sorted([R.R04, R.R05, R.R06]));
        const all = await ports.cases.openRefunds();
        const douyin = all.filter((r) => r.platform === 'douyin');
        expect(all.length).toBe(OPEN_IDS.length + douyin.length);
        expect(douyin.length).toBeGreaterThan(0);
        expect(all.every((r) => r.status !== 'CLOSED' && r.status !== 'SUCCESS')).toBe(true);
      });

      it('decisions and history of a case, oldest first', async () => {
        const a = await ports.decisions.record(decisionInput({ refundId: R.R02 }), { session: 's1', seenLastId: null, force: false, ttlMs: ttl });
        const b = await ports.decisions.record(decisionInput({ refundId: R.R02, action: 'refuse', decidedAt: '2025-04-21T09:20:00+08:00', expectedStatus: null }), {
          session: 's1', seenLastId: a.ok ? a.decision.id : null, force: false, ttlMs: ttl,
        });
        expect([a.ok, b.ok]).toEqual([true, true]);
        const ds = await ports.cases.decisions(R.R02);
        expect(ds.map((d) => [d.action, d.decidedAt, d.expectedStatus])).toEqual([
          ['approve', '2025-04-21T09:10:00+08:00', ['SUCCESS']],
          ['refuse', '2025-04-21T09:20:00+08:00', null],
        ]);
        expect(ds[0]!.id).toBeLessThan(ds[1]!.id);
        expect(await ports.cases.decisions(R.R01)).toEqual([]);
      });
    });

    describe('CaseReader: buyer history', () => {
      const win = { platform: 'taobao' as const, buyer: 'tb1234', since: '2025-04-01T00:00:00+08:00', until: NOW_ISO, refundId: '2001' };
      beforeEach(async () => {
        await ports.unitOfWork(
          (tx) =>
            tx.imports.file(async () => {
              await tx.imports.writeOrders(
                [
                  orderInput({ orderId: 'O2001', extraJson: '{"确认收货时间":"2025-04-19 10:00:00"}' }),
                  orderInput({ orderId: 'O2002', paidAt: '2025-04-09T10:00:00+08:00' }),
                  orderInput({ orderId: 'O2003', platform: 'douyin' }),
                  orderInput({ orderId: 'O2009', paidAt: '2025-03-01T10:00:00+08:00', createdAt: '2025-03-01T09:00:00+08:00' }),
                  orderInput({ orderId: 'O2010', buyerNick: 'other' }),
                ],
                { seenAt: NOW_ISO, sourceFile: 'orders.csv' },
              );
              await tx.imports.writeRefunds(
                [
                  refundInput({ refundId: '2001', orderId: 'O2001' }),
                  refundInput({ refundId: '2002', orderId: 'O2002', buyerNick: null, appliedAt: '2025-04-10T10:00:00+08:00', goodsStatus: '买家已收到货', disputeState: 'requested', returnWaybill: 'sf 111' }),
                  refundInput({ refundId: '2003', orderId: 'O2003', platform: 'douyin' }),
                  refundInput({ refundId: '2004', orderId: 'O2010', buyerNick: 'other' }),
                  refundInput({ refundId: '2005', orderId: 'O2009', appliedAt: '2025-01-01T10:00:00+08:00' }),
                ],
                { seenAt: NOW_ISO, sourceFile: 'refunds.csv' },
              );
              const receipt = (receivedAt: string, condition: 'ok' | 'damaged') => ({
                row: { waybill: 'SF 111', waybillKey: 'SF111', carrier: '顺丰', receivedAt, sku: null, quantity: 1, condition, inspector: '老张', note: null, source: 'returns.csv' },
                hash: `h-${receivedAt}`,
              });
              await tx.imports.writeReceipts([receipt('2025-04-12T10:00:00+08:00', 'damaged'), receipt('2025-04-11T10:00:00+08:00', 'ok')], NOW_ISO);
              await tx.imports.finishFile(null);
            }),
          { mode: 'load' },
        );
      });

      it("buyerIdentity: the refund's nick, else its order's buyer; the order export's receipt time", async () => {
        expect(await ports.cases.buyerIdentity('2001')).toEqual({ buyer: 'tb1234', platform: 'taobao', received_text: '2025-04-19 10:00:00' });
        expect(await ports.cases.buyerIdentity('2002')).toEqual({ buyer: 'tb1234', platform: 'taobao', received_text: null });
        expect(await ports.cases.buyerIdentity('2003')).toEqual({ buyer: 'tb1234', platform: 'douyin', received_text: null });
        expect(await ports.cases.buyerIdentity('404')).toBeNull();
      });

      it('buyerCases: the same platform only, applied in [since, until] or the case itself, oldest first, with the latest receipt', async () => {
        const case2002 = {
          refund_id: '2002', order_id: 'O2002', status: 'WAIT_SELLER_AGREE', applied_at: '2025-04-10T10:00:00+08:00', amount_cents: 5990, refund_type: 'refund_only',
          reason: '不想要了', refund_only_after_delivery: 1, disputed: 1, return_condition: 'damaged', return_received_at: '2025-04-12T10:00:00+08:00',
        };
        const case2001 = {
          refund_id: '2001', order_id: 'O2001', status: 'WAIT_SELLER_AGREE', applied_at: '2025-04-20T10:31:05+08:00', amount_cents: 5990, refund_type: 'refund_only',
          reason: '不想要了', refund_only_after_delivery: 0, disputed: 0, return_condition: null, return_received_at: null,
        };
        expect(await ports.cases.buyerCases(win)).toEqual([case2002, case2001]);
        const with2005 = await ports.cases.buyerCases({ ...win, refundId: '2005' });
        expect(with2005.map((r) => [r.refund_id, r.applied_at])).toEqual([['2005', '2025-01-01T10:00:00+08:00'], ['2002', '2025-04-10T10:00:00+08:00'], ['2001', '2025-04-20T10:31:05+08:00']]);
        // until is inclusive.
        expect((await ports.cases.buyerCases({ ...win, until: '2025-04-10T10:00:00+08:00', refundId: '2002' })).map((r) => r.refund_id)).toEqual(['2002']);
      });

      it('buyerOrderCount: orders paid (else created) in the window plus the refunded ones, each once', async () => {
        expect(await ports.cases.buyerOrderCount(win, [])).toBe(2);
        expect(await ports.cases.buyerOrderCount(win, ['O2009', 'O2001'])).toBe(3);
        expect(await ports.cases.buyerOrderCount({ ...win, buyer: 'nobody' }, [])).toBe(0);
      });
    });

    // ---- SweepReader and Deadlines -----------------------------------------------------------
    describe('SweepReader', () => {
      const q = { nowMs: NOW, dueSoonMs: DAY };
      // testDeadlineOf over file 1 at NOW, window 24 h: overdue R06; due soon R02 16:20, R04 18:30,
      // R01 20:15; orange R05; seller R11, R13 (no deadline, ID order); buyer R14 (22:00), R03;
      // other R10 (04-24, nobody), R07 (04-25, platform).
      const ORDER = [R.R06, R.R02, R.R04, R.R01, R.R05, R.R11, R.R13, R.R14, R.R03, R.R10, R.R07];
      const SIZES = [1, 3, 3, 3, 1, 2, 2, 2, 2, 2, 2];
      const COUNTS = { open: 11, overdue: 1, dueSoon: 4, orange: 3, sellerMustAct: 7, waitingOnBuyer: 2, notCarriedOut: 0 };
      beforeEach(async () => {
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO, { deadlineOf: testDeadlineOf });
      });

      it('rankedSections: every open refund in sweep order with its section size, and the counts', async () => {
        const got = await ports.sweep.rankedSections({ ...q, perSection: null });
        expect(got.rows.map((r) => [r.refund.refundId, r.sectionSize])).toEqual(ORDER.map((id, i) => [id, SIZES[i]]));
        expect(got.counts).toEqual(COUNTS);
        expect(got.rows[0]!.deadline).toEqual({ at: Date.parse('2025-04-21T08:00:00+08:00'), source: 'export', rule: null, actor: 'seller', atTimeout: 'auto-agree' });
        expect(got.rows[0]!.refund).toMatchObject({ refundId: R.R06, amountCents: 19900, status: 'WAIT_SELLER_CONFIRM_GOODS' });
      });

      it('rankedSections and sweepPlan cut each section to perSection rows; the filter applies to rows and counts', async () => {
        const one = await ports.sweep.rankedSections({ ...q, perSection: 1 });
        expect(one.rows.map((r) => [r.refund.refundId, r.sectionSize])).toEqual([[R.R06, 1], [R.R02, 3], [R.R05, 1], [R.R11, 2], [R.R14, 2], [R.R10, 2]]);
        const plan = await ports.sweep.sweepPlan({ ...q, perSection: 2 });
        expect(plan.shown).toEqual([
          { id: R.R06, size: 1 }, { id: R.R02, size: 3 }, { id: R.R04, size: 3 }, { id: R.R05, size: 1 }, { id: R.R11, size: 2 },
          { id: R.R13, size: 2 }, { id: R.R14, size: 2 }, { id: R.R03, size: 2 }, { id: R.R10, size: 2 }, { id: R.R07, size: 2 },
        ]);
        expect(plan.counts).toEqual(COUNTS);
        const orange = await ports.sweep.sweepPlan({ ...q, perSection: null, statuses: ['WAIT_SELLER_CONFIRM_GOODS'] });
        expect(orange.shown).toEqual([{ id: R.R06, size: 1 }, { id: R.R04, size: 1 }, { id: R.R05, size: 1 }]);
        expect(orange.counts).toEqual({ open: 3, overdue: 1, dueSoon: 1, orange: 3, sellerMustAct: 3, waitingOnBuyer: 0, notCarriedOut: 0 });
        expect((await ports.sweep.sweepPlan({ ...q, perSection: null, platform: 'douyin' })).shown).toEqual([]);
        // Three hours on, R02 (16:20) is still due soon; thirty hours on, R02 R04 R01 are overdue.
        const later = await ports.sweep.sweepPlan({ nowMs: NOW + 30 * HOUR, dueSoonMs: DAY, perSection: null });
        expect(later.shown.slice(0, 4)).toEqual([{ id: R.R06, size: 4 }, { id: R.R02, size: 4 }, { id: R.R04, size: 4 }, { id: R.R01, size: 4 }]);
        expect(later.counts).toMatchObject({ overdue: 5, dueSoon: 1 });
      });

      it('openRefundsWithDeadlines: all, due within a window, on given waybills', async () => {
        const all = await ports.sweep.openRefundsWithDeadlines();
        expect(sorted(all.map((r) => r.refund.refundId))).toEqual(sorted(OPEN_IDS));
        expect(all.find((r) => r.refund.refundId === R.R14)!.deadline).toEqual({ at: Date.parse('2025-04-21T22:00:00+08:00'), source: 'export', rule: null, actor: 'buyer', atTimeout: 'auto-agree' });
        expect(all.find((r) => r.refund.refundId === R.R11)!.deadline).toEqual({ at: null, source: null, rule: null, actor: 'seller', atTimeout: null });
        const due = await ports.sweep.openRefundsWithDeadlines({ dueWithinMs: DAY, nowMs: NOW });
        expect(sorted(due.map((r) => r.refund.refundId))).toEqual(sorted([R.R06, R.R02, R.R04, R.R01, R.R14]));
        const onWaybill = await ports.sweep.openRefundsWithDeadlines({ waybillKeys: ['75312345678901', 'SF1234567890123', 'NOPE'] });
        expect(sorted(onWaybill.map((r) => r.refund.refundId))).toEqual(sorted([R.R04, R.R06]));
        expect(await ports.sweep.openRefundsWithDeadlines({ waybillKeys: [] })).toEqual([]);
      });

      it('refundsWithDeadlines: in the order given, unknown IDs left out', async () => {
        const got = await ports.sweep.refundsWithDeadlines([R.R05, '404', R.R06, R.R09]);
        expect(got.map((r) => [r.refund.refundId, r.deadline.at])).toEqual([
          [R.R05, null],
          [R.R06, Date.parse('2025-04-21T08:00:00+08:00')],
          [R.R09, null],
        ]);
        expect(await ports.sweep.refundsWithDeadlines([])).toEqual([]);
      });

      it('latestDecisions and openRefundFacts', async () => {
        const first = await ports.decisions.record(decisionInput({ refundId: R.R02 }), { session: 's', seenLastId: null, force: false, ttlMs: ttl });
        expect(first.ok).toBe(true);
        const second = await ports.decisions.record(decisionInput({ refundId: R.R02, action: 'wait', decidedAt: '2025-04-21T09:30:00+08:00' }), {
          session: 's', seenLastId: first.ok ? first.decision.id : null, force: false, ttlMs: ttl,
        });
        const latest = await ports.sweep.latestDecisions([R.R02, R.R01, '404']);
        expect([...latest.keys()]).toEqual([R.R02]);
        expect(latest.get(R.R02)).toEqual(second.ok ? second.decision : null);
        expect(await ports.sweep.latestDecisions([])).toEqual(new Map());
        const facts = await ports.sweep.openRefundFacts();
        expect(sorted(facts.map((f) => f.refundId))).toEqual(sorted(OPEN_IDS));
        expect(facts.find((f) => f.refundId === R.R02)).toEqual({
          refundId: R.R02, status: 'WAIT_SELLER_AGREE', actor: 'seller', deadlineAt: Date.parse('2025-04-21T16:20:00+08:00'), amountCents: 129900, decided: true,
        });
        expect(facts.find((f) => f.refundId === R.R07)).toEqual({
          refundId: R.R07, status: 'SELLER_REFUSE_BUYER', actor: 'platform', deadlineAt: Date.parse('2025-04-25T12:00:00+08:00'), amountCents: 3500, decided: false,
        });
      });

      it('notCarriedOut counts refunds whose latest decision expected another state and whose platform was imported since', async () => {
        // R02 decided before the import (09:00) expecting SUCCESS, still WAIT_SELLER_AGREE: not carried out.
        await ports.decisions.record(decisionInput({ refundId: R.R02, decidedAt: '2025-04-21T08:30:00+08:00' }), { session: 's', seenLastId: null, force: false, ttlMs: ttl });
        // R01 decided after the import: not yet checked. R05 decided before, expecting its own state: carried out.
        await ports.decisions.record(decisionInput({ refundId: R.R01, decidedAt: '2025-04-21T09:30:00+08:00' }), { session: 's', seenLastId: null, force: false, ttlMs: ttl });
        await ports.decisions.record(decisionInput({ refundId: R.R05, decidedAt: '2025-04-21T08:30:00+08:00', expectedStatus: ['WAIT_SELLER_CONFIRM_GOODS'] }), {
          session: 's', seenLastId: null, force: false, ttlMs: ttl,
        });
        expect((await ports.sweep.sweepPlan({ ...q, perSection: 0 })).counts.notCarriedOut).toBe(1);
        expect((await ports.sweep.rankedSections({ ...q, perSection: 0 })).counts).toEqual({ ...COUNTS, notCarriedOut: 1 });
      });

      it("the store's notCarriedOut is the domain's isNotCarriedOut, decision by decision", async () => {
        await importExport(ports, await readExport('douyin-aftersales.csv'), '2025-04-21T08:00:00+08:00', { deadlineOf: testDeadlineOf });
        const [D2, D6] = ['7360123456789012302', '7360123456789012306']; // D2 waits on the buyer, D6 on the seller
        const g = (session: string) => ({ session, seenLastId: undefined, force: false, ttlMs: ttl });
        const rec = (refundId: string, decidedAt: string, expectedStatus: Refund['status'][] | null) =>
          ports.decisions.record(decisionInput({ refundId, decidedAt, expectedStatus }), g('S-rec'));
        await rec(R.R02, '2025-04-21T08:30:00+08:00', ['SUCCESS']); // before the import, state unchanged: not carried out
        await rec(R.R05, '2025-04-21T08:30:00+08:00', ['WAIT_SELLER_CONFIRM_GOODS']); // carried out
        await rec(R.R01, '2025-04-21T09:30:00+08:00', ['SUCCESS']); // after the import: not yet known
        await rec(R.R06, '2025-04-21T08:30:00+08:00', []); // expects nothing
        await rec(R.R11, '2025-04-20T08:30:00+08:00', ['SUCCESS']);
        await rec(R.R11, '2025-04-21T08:40:00+08:00', ['WAIT_SELLER_AGREE']); // the latest counts: carried out
        await rec(R.R13, '2025-04-21T08:59:59+08:00', ['CLOSED', 'SUCCESS']); // one second before: not carried out
        await rec(D2, '2025-04-21T07:00:00+08:00', ['SUCCESS']); // douyin imported at 08:00: not carried out
        await rec(D6, '2025-04-21T08:30:00+08:00', ['SUCCESS']); // after douyin's import: done for now
        await ports.locks.release('S-rec');
        const open = await ports.cases.openRefunds();
        const latest = await ports.sweep.latestDecisions(open.map((r) => r.refundId));
        const last = await ports.cases.lastRefundImports();
        const domain = open.filter((r) => isNotCarriedOut(r, latest.get(r.refundId) ?? null, last.get(r.platform) ?? null)).map((r) => r.refundId);
        expect(sorted(domain)).toEqual(sorted([R.R02, R.R13, D2]));
        expect((await ports.sweep.sweepPlan({ ...q, perSection: 0 })).counts.notCarriedOut).toBe(3);
        const queue = await ports.sweep.triageCandidates({
          nowMs: NOW, nowIso: NOW_ISO, dueSoonMs: DAY, agent: 'zhao', session: 'S-zhao', clockMs: NOW, includeBuyerSide: false, exclude: [], limit: 100,
        });
        // The seller sections in sweep order, without R01 and D6 (decided at or after their platform's latest
        // import: done for now); D2 waits on the buyer, yet is in: not carried out. Decided before the import
        // and carried out (R05, R06, R11): in, as any undecided case.
        expect(queue).toEqual({
          ids: ['7360123456789012307', R.R06, '7360123456789012303', R.R02, R.R04, '7360123456789012301', R.R05, R.R11, R.R13, D2],
          total: 10,
        });
      });

      describe('triageCandidates', () => {
        const tq = (over: Partial<TriageQuery> = {}): TriageQuery => ({
          nowMs: NOW, nowIso: NOW_ISO, dueSoonMs: DAY, agent: 'xiaoli', session: 'S-xiaoli', clockMs: NOW, includeBuyerSide: false, exclude: [] as string[], limit: 50, ...over,
        });
        it('the seller sections in sweep order; with the buyer side, every open refund', async () => {
          expect(await ports.sweep.triageCandidates(tq())).toEqual({ ids: [R.R06, R.R02, R.R04, R.R01, R.R05, R.R11, R.R13], total: 7 });
          expect(await ports.sweep.triageCandidates(tq({ limit: 2 }) )).toEqual({ ids: [R.R06, R.R02], total: 7 });
          expect(await ports.sweep.triageCandidates(tq({ limit: 0 }) )).toEqual({ ids: [], total: 7 });
          expect(await ports.sweep.triageCandidates(tq({ includeBuyerSide: true }) )).toEqual({ ids: ORDER, total: 11 });
          expect(await ports.sweep.triageCandidates(tq({ exclude: [R.R06, R.R04] }) )).toEqual({ ids: [R.R02, R.R01, R.R05, R.R11, R.R13], total: 5 });
        });

        it("leaves out another live session's claims, this agent's snoozes and cases done for now; keeps decided-not-carried-out ones", async () => {
          expect(await ports.locks.claim(R.R02, 'dawang', 'S-dawang', ttl)).toBe(true);
          expect(await ports.locks.claim(R.R04, 'xiaoli', 'S-xiaoli', ttl)).toBe(true); // our own: still ours to see
          await ports.locks.snooze(R.R05, 'xiaoli', '2025-04-21T12:00:00+08:00');
          await ports.locks.snooze(R.R11, 'dawang', '2025-04-21T12:00:00+08:00'); // another agent's snooze
          await ports.locks.snooze(R.R13, 'xiaoli', '2025-04-21T08:00:00+08:00'); // over already
          // Done for now: decided after the last import. Not carried out: decided before it, state not as expected (buyer side, still in).
          await ports.decisions.record(decisionInput({ refundId: R.R01, decidedAt: '2025-04-21T09:30:00+08:00' }), { session: 'x', seenLastId: null, force: false, ttlMs: ttl });
          await ports.decisions.record(decisionInput({ refundId: R.R14, decidedAt: '2025-04-21T08:30:00+08:00', expectedStatus: ['SUCCESS'] }), { session: 'x', seenLastId: null, force: false, ttlMs: ttl });
          await ports.locks.release('x');
          const got = await ports.sweep.triageCandidates(tq());
          expect(got).toEqual({ ids: [R.R06, R.R04, R.R11, R.R13, R.R14], total: 5 });
          // Seen from dawang's session: xiaoli's claim on R04 hides it; R02 is dawang's own; R11 is snoozed by dawang.
          expect(await ports.sweep.triageCandidates(tq({ agent: 'dawang', session: 'S-dawang' }) )).toEqual({ ids: [R.R06, R.R02, R.R05, R.R13, R.R14], total: 5 });
          // The claims expire on the store's clock: then nobody's claim hides anything.
          await elapse(ttl + 1);
          const after = storeNow();
          expect(await ports.sweep.triageCandidates(tq({ clockMs: after }) )).toEqual({ ids: [R.R06, R.R02, R.R04, R.R11, R.R13, R.R14], total: 6 });
        });
      });
    });

    describe('Deadlines', () => {
      it('refunds imported without a deadline need one until it is saved; saved deadlines read back', async () => {
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        expect(sorted(await ports.deadlines.openRefundIds())).toEqual(sorted(OPEN_IDS));
        const needing = await ports.deadlines.needing();
        expect(sorted(needing.map((r) => r.refundId))).toEqual(sorted(OPEN_IDS));
        expect(needing.find((r) => r.refundId === R.R02)).toMatchObject({ amountCents: 129900, statusSince: NOW_ISO });
        expect((await ports.deadlines.needing(3)).length).toBe(3);
        await ports.deadlines.save([
          { refundId: R.R02, at: NOW + 7 * HOUR, source: 'rule', rule: 'taobao.wait-seller-agree.shipped', actor: 'seller', atTimeout: 'auto-agree' },
          { refundId: R.R03, at: null, source: null, rule: null, actor: 'buyer', atTimeout: null },
        ]);
        expect(sorted((await ports.deadlines.needing()).map((r) => r.refundId))).toEqual(sorted(OPEN_IDS.filter((id) => id !== R.R02 && id !== R.R03)));
        expect((await ports.sweep.refundsWithDeadlines([R.R02, R.R03])).map((r) => r.deadline)).toEqual([
          { at: NOW + 7 * HOUR, source: 'rule', rule: 'taobao.wait-seller-agree.shipped', actor: 'seller', atTimeout: 'auto-agree' },
          { at: null, source: null, rule: null, actor: 'buyer', atTimeout: null },
        ]);
        // A changed row needs its deadline again.
        await importExport(ports, await readExport('taobao-refunds-2017-gbk-v2.csv'), LATER_ISO);
        const again = (await ports.deadlines.needing()).map((r) => r.refundId);
        expect(again).toContain(R.R03);
        expect(again).not.toContain(R.R02);
        expect(again).not.toContain(R.R01); // finished now: no deadline needed
      });
    });

    // ---- Meta ----------------------------------------------------------------------------
    describe('Meta', () => {
      it('get of a missing key is null; set writes and overwrites', async () => {
        expect(await ports.meta.get('calendar')).toBeNull();
        await ports.meta.set('calendar', 'chinese-days@1');
        await ports.meta.set('rows', '{"a":1}');
        await ports.meta.set('calendar', 'chinese-days@2');
        expect([await ports.meta.get('calendar'), await ports.meta.get('rows')]).toEqual(['chinese-days@2', '{"a":1}']);
      });
    });

    // ---- DecisionLog ---------------------------------------------------------------------------
    describe('DecisionLog', () => {
      beforeEach(async () => {
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
      });
      const guard = (over: Partial<{ session: string; seenLastId: number | null; force: boolean }> = {}) => ({ session: 'S-xiaoli', seenLastId: null, force: false, ttlMs: ttl, ...over });

      it('records a decision and gives it back with its ID, every field as written', async () => {
        const d = decisionInput({ flags: [{ id: 'many-refunds', why: '30 天内 3 次退款' }], evidence: ['截图1', '聊天记录'], buyerMessage: '亲，已同意退款' });
        const got = await ports.decisions.record(d, guard());
        expect(got.ok).toBe(true);
        if (!got.ok) return;
        const { statusAtDecision: _s, ...fields } = d;
        expect(got.decision).toEqual({ ...fields, id: got.decision.id });
        expect(Number.isInteger(got.decision.id)).toBe(true);
        expect(got.forcedOver).toBeNull();
        expect(await ports.cases.decisions(R.R02)).toEqual([got.decision]);
        expect(await ports.decisions.since(null)).toEqual([{ ...got.decision, statusAtDecision: 'WAIT_SELLER_AGREE' }]);
      });

      it('refuses a case another agent holds, naming the agent and the expiry; nothing is written', async () => {
        const before = storeNow();
        expect(await ports.locks.claim(R.R02, 'dawang', 'S-dawang', ttl)).toBe(true);
        const after = storeNow();
        const got = await ports.decisions.record(decisionInput(), guard());
        expect(got).toMatchObject({ ok: false, reason: 'claimed', agent: 'dawang' });
        if (got.ok || got.reason !== 'claimed') return;
        expectExpiry(got.expiresAt, before, after);
        expect(await ports.cases.decisions(R.R02)).toEqual([]);
        expect((await ports.locks.holder(R.R02))?.agent).toBe('dawang');
      });

      it('force: records over the claim and says whose it was', async () => {
        const before = storeNow();
        await ports.locks.claim(R.R02, 'dawang', 'S-dawang', ttl);
        const after = storeNow();
        const got = await ports.decisions.record(decisionInput({ source: 'decide-forced' }), guard({ force: true }));
        expect(got.ok).toBe(true);
        if (!got.ok) return;
        expect(got.forcedOver?.agent).toBe('dawang');
        expectExpiry(got.forcedOver!.expiresAt, before, after);
        expect((await ports.cases.decisions(R.R02)).map((d) => [d.agent, d.source])).toEqual([['xiaoli', 'decide-forced']]);
      });

      it('a stale seenLastId: told who decided meanwhile and when; nothing is written', async () => {
        const first = await ports.decisions.record(decisionInput({ agent: 'dawang', decidedAt: '2025-04-21T09:05:00+08:00' }), guard({ session: 'S-dawang' }));
        expect(first.ok).toBe(true);
        await ports.locks.release('S-dawang');
        const stale = await ports.decisions.record(decisionInput(), guard({ seenLastId: null }));
        expect(stale).toEqual({ ok: false, reason: 'decided', agent: 'dawang', decidedAt: '2025-04-21T09:05:00+08:00' });
        expect((await ports.cases.decisions(R.R02)).length).toBe(1);
        // Having seen it, the next decision goes in.
        const next = await ports.decisions.record(decisionInput({ action: 'refuse' }), guard({ seenLastId: first.ok ? first.decision.id : -1 }));
        expect(next.ok).toBe(true);
        expect((await ports.cases.decisions(R.R02)).map((d) => [d.agent, d.action])).toEqual([['dawang', 'approve'], ['xiaoli', 'refuse']]);
      });

      it("the same agent's other session does not refuse; the claim is kept after recording, so another agent's decision is refused", async () => {
        await ports.locks.claim(R.R02, 'xiaoli', 'triage-1', ttl);
        const got = await ports.decisions.record(decisionInput(), guard({ session: 'decide:xiaoli:158700112233445502' }));
        expect(got).toMatchObject({ ok: true, forcedOver: null });
        expect((await ports.locks.holder(R.R02))?.agent).toBe('xiaoli');
        const second = await ports.decisions.record(decisionInput({ agent: 'dawang' }), { session: 'S-dawang', force: false, ttlMs: ttl });
        expect(second).toMatchObject({ ok: false, reason: 'claimed', agent: 'xiaoli' });
        expect((await ports.cases.decisions(R.R02)).map((d) => d.agent)).toEqual(['xiaoli']);
      });

      it('seenLastId undefined is not checked', async () => {
        await ports.decisions.record(decisionInput({ agent: 'dawang' }), guard({ session: 'S-dawang' }));
        await ports.locks.release('S-dawang');
        const got = await ports.decisions.record(decisionInput(), { session: 'S-xiaoli', force: false, ttlMs: ttl });
        expect(got.ok).toBe(true);
        expect((await ports.cases.decisions(R.R02)).map((d) => d.agent)).toEqual(['dawang', 'xiaoli']);
      });

      it('two agents deciding one case at once from two connections: exactly one lands, the other is told who holds it', async () => {
        const other = await s.connect();
        const [a, b] = await Promise.all([
          ports.decisions.record(decisionInput(), { session: 'S-xiaoli', seenLastId: null, force: false, ttlMs: ttl }),
          other.decisions.record(decisionInput({ agent: 'dawang' }), { session: 'S-dawang', seenLastId: null, force: false, ttlMs: ttl }),
        ]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        const lost = a.ok ? b : a;
        const won = a.ok ? a : b;
        expect(lost.ok).toBe(false);
        if (lost.ok || !won.ok) return;
        expect(lost.reason === 'claimed' ? lost.agent : lost.reason === 'decided' ? lost.agent : null).toBe(won.decision.agent);
        expect((await ports.cases.decisions(R.R02)).map((d) => d.agent)).toEqual([won.decision.agent]);
      });

      it('insert: no checks, inside the caller\'s unit of work', async () => {
        await ports.locks.claim(R.R02, 'dawang', 'S-dawang', ttl);
        const d = await ports.unitOfWork((tx) => tx.decisions.insert(decisionInput()));
        expect(d).toMatchObject({ refundId: R.R02, agent: 'xiaoli', action: 'approve', amountCents: 129900, decidedAt: '2025-04-21T09:10:00+08:00' });
        expect(await ports.cases.decisions(R.R02)).toEqual([d]);
        await expect(ports.unitOfWork(async (tx) => {
          await tx.decisions.insert(decisionInput({ action: 'refuse' }));
          throw new Error('undo');
        })).rejects.toThrow('undo');
        expect((await ports.cases.decisions(R.R02)).length).toBe(1);
      });

      it('an expired claim of another agent does not stop a decision', async () => {
        await ports.locks.claim(R.R02, 'dawang', 'S-dawang', ttl);
        await elapse(ttl + 1);
        expect((await ports.decisions.record(decisionInput(), guard())).ok).toBe(true);
      });

      it('since: decisions in [since, until), by time then ID, with the state at decision', async () => {
        const rec = (id: string, at: string, status: Refund['status']) =>
          ports.decisions.record(decisionInput({ refundId: id, decidedAt: at, statusAtDecision: status }), guard({ session: `S-${id}` }));
        await rec(R.R02, '2025-04-21T10:00:00+08:00', 'WAIT_SELLER_AGREE');
        await rec(R.R05, '2025-04-20T10:00:00+08:00', 'WAIT_SELLER_CONFIRM_GOODS');
        await rec(R.R06, '2025-04-21T09:00:00+08:00', 'WAIT_SELLER_CONFIRM_GOODS');
        await rec(R.R01, '2025-04-22T10:00:00+08:00', 'WAIT_SELLER_AGREE');
        await rec(R.R13, '2025-04-21T09:00:00+08:00', 'WAIT_SELLER_AGREE'); // same time as R06, recorded later
        const ids = async (since: string | null, until?: string | null) => (await ports.decisions.since(since, until)).map((d) => [d.refundId, d.statusAtDecision]);
        expect(await ids(null)).toEqual([
          [R.R05, 'WAIT_SELLER_CONFIRM_GOODS'], [R.R06, 'WAIT_SELLER_CONFIRM_GOODS'], [R.R13, 'WAIT_SELLER_AGREE'], [R.R02, 'WAIT_SELLER_AGREE'], [R.R01, 'WAIT_SELLER_AGREE'],
        ]);
        expect((await ids('2025-04-21T00:00:00+08:00', '2025-04-22T00:00:00+08:00')).map((x) => x[0])).toEqual([R.R06, R.R13, R.R02]);
        expect((await ids(null, '2025-04-21T09:00:00+08:00')).map((x) => x[0])).toEqual([R.R05]); // until is exclusive
        expect((await ids('2025-04-22T10:00:00+08:00')).map((x) => x[0])).toEqual([R.R01]);
        expect(await ids('2025-04-23T00:00:00+08:00')).toEqual([]);
      });
    });

    // ---- TriageLocks -----------------------------------------------------------------------------
    describe('TriageLocks', () => {
      it('claim: free or ours or expired is taken; a live claim of another session is not', async () => {
        const before = storeNow();
        expect(await ports.locks.claim(R.R02, 'xiaoli', 'S1', ttl)).toBe(true);
        const after = storeNow();
        const h = await ports.locks.holder(R.R02);
        expect(h && { agent: h.agent, session: h.session }).toEqual({ agent: 'xiaoli', session: 'S1' });
        expectExpiry(h!.expiresAt, before, after);
        expect(await ports.locks.claim(R.R02, 'dawang', 'S2', ttl)).toBe(false);
        expect(await ports.locks.claim(R.R02, 'xiaoli', 'S3', ttl)).toBe(false); // same agent, another session
        await elapse(Math.floor(ttl / 2));
        const renewedAt = storeNow();
        expect(await ports.locks.claim(R.R02, 'xiaoli', 'S1', ttl)).toBe(true); // ours: renewed
        if (s.caps.clock === 'injected') expect((await ports.locks.holder(R.R02))!.expiresAt).toBe(renewedAt + ttl);
        await elapse(ttl + 1);
        expect(await ports.locks.holder(R.R02)).toBeNull();
        expect(await ports.locks.claim(R.R02, 'dawang', 'S2', ttl)).toBe(true);
        expect((await ports.locks.holder(R.R02))?.session).toBe('S2');
      });

      it('claimFirst: the first of the IDs nobody else holds, claimed; null when all are held', async () => {
        await ports.locks.claim(R.R06, 'dawang', 'S2', ttl);
        expect(await ports.locks.claimFirst([R.R06, R.R02, R.R04], 'xiaoli', 'S1', ttl)).toBe(R.R02);
        expect((await ports.locks.holder(R.R02))?.session).toBe('S1');
        expect(await ports.locks.claimFirst([R.R06, R.R02], 'dawang', 'S2', ttl)).toBe(R.R06); // its own claim first
        expect(await ports.locks.claimFirst([R.R06, R.R02], 'zhao', 'S3', ttl)).toBeNull();
        expect(await ports.locks.claimFirst([], 'zhao', 'S3', ttl)).toBeNull();
      });

      it('claimFirst from two connections at once never hands out the same case', async () => {
        const other = await s.connect();
        const ids = [R.R06, R.R02, R.R04];
        const [a, b] = await Promise.all([ports.locks.claimFirst(ids, 'xiaoli', 'S1', ttl), other.locks.claimFirst(ids, 'dawang', 'S2', ttl)]);
        expect(a).not.toBeNull();
        expect(b).not.toBeNull();
        expect(a).not.toBe(b);
        expect(sorted([a!, b!])).toEqual(sorted(ids.slice(0, 2)));
      });

      it('take: the claim is ours whoever held it; release drops every claim of one session only', async () => {
        await ports.locks.claim(R.R02, 'dawang', 'S2', ttl);
        await ports.locks.claim(R.R04, 'dawang', 'S2', ttl);
        await ports.locks.claim(R.R06, 'zhao', 'S3', ttl);
        await ports.locks.take(R.R02, 'xiaoli', 'S1', ttl);
        expect((await ports.locks.holder(R.R02))?.agent).toBe('xiaoli');
        expect(sorted(await ports.locks.claimedByOthers('S1'))).toEqual(sorted([R.R04, R.R06]));
        expect(sorted(await ports.locks.claimedByOthers('S2'))).toEqual(sorted([R.R02, R.R06]));
        await ports.locks.release('S2');
        expect(await ports.locks.holder(R.R04)).toBeNull();
        expect((await ports.locks.holder(R.R02))?.agent).toBe('xiaoli');
        expect(sorted(await ports.locks.claimedByOthers('S1'))).toEqual([R.R06]);
        await elapse(ttl + 1);
        expect(await ports.locks.claimedByOthers('S1')).toEqual(new Set());
      });

      it('snooze per agent, a second snooze moves the first', async () => {
        await ports.locks.snooze(R.R02, 'xiaoli', '2025-04-21T12:00:00+08:00');
        await ports.locks.snooze(R.R04, 'xiaoli', '2025-04-22T09:00:00+08:00');
        await ports.locks.snooze(R.R02, 'dawang', '2025-04-21T10:00:00+08:00');
        await ports.locks.snooze(R.R02, 'xiaoli', '2025-04-21T15:00:00+08:00');
        expect(await ports.locks.snoozedUntil('xiaoli')).toEqual(new Map([[R.R02, '2025-04-21T15:00:00+08:00'], [R.R04, '2025-04-22T09:00:00+08:00']]));
        expect(await ports.locks.snoozedUntil('dawang')).toEqual(new Map([[R.R02, '2025-04-21T10:00:00+08:00']]));
        expect(await ports.locks.snoozedUntil('zhao')).toEqual(new Map());
      });
    });

    // ---- ReportReader ------------------------------------------------------------------------
    describe('ReportReader', () => {
      // A small shop, by hand: window [04-14, 04-21) shop time.
      const w = { since: '2025-04-14T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00' };
      const rf = (id: string, over: Partial<RefundInput>) =>
        refundInput({ refundId: id, orderId: `O${id}`, exportDeadline: null, disputeState: 'none', extraJson: null, buyerNick: `b${id}`, ...over });
      beforeEach(async () => {
        await writeRows(ports, [
          rf('1001', { status: 'SUCCESS', statusText: '退款成功', amountCents: 5000, appliedAt: '2025-04-15T10:00:00+08:00', finishedAt: '2025-04-16T10:00:00+08:00', exportDeadline: '2025-04-17T10:00:00+08:00', reason: '不想要了', itemTitle: '杯子' }),
          rf('1002', { status: 'CLOSED', statusText: '退款关闭', amountCents: 3000, appliedAt: '2025-04-16T12:00:00+08:00', finishedAt: '2025-04-18T12:00:00+08:00', exportDeadline: '2025-04-17T12:00:00+08:00', reason: '质量问题', itemTitle: '杯子' }),
          rf('1004', { amountCents: 7000, appliedAt: '2025-04-20T09:00:00+08:00', reason: ' 不想要了 ', itemTitle: null, sku: 'SKU-9' }),
          rf('1005', { amountCents: 1000, appliedAt: '2025-04-10T09:00:00+08:00', reason: 'x', itemTitle: '盘子' }),
          rf('1006', { status: 'SUCCESS', statusText: '退款成功', amountCents: 800, appliedAt: '2025-04-12T09:00:00+08:00', finishedAt: '2025-04-21T01:00:00+08:00', reason: 'x', itemTitle: '盘子' }),
        ], NOW_ISO, 'taobao.csv', 'taobao-refunds');
        await writeRows(ports, [
          rf('1003', { platform: 'douyin', status: 'SUCCESS', statusText: '退款成功', amountCents: 2000, appliedAt: '2025-04-18T08:00:00+08:00', finishedAt: '2025-04-19T20:00:00+08:00', disputeState: 'finished', reason: '质量问题', itemTitle: '碗' }),
        ], NOW_ISO, 'douyin.csv', 'douyin-aftersales');
        await ports.unitOfWork(
          (tx) =>
            tx.imports.file(async () => {
              await tx.imports.writeOrders(
                [
                  orderInput({ orderId: 'O1001', paidAt: '2025-04-15T09:00:00+08:00', paidCents: 5000, shopName: '店A' }),
                  orderInput({ orderId: 'O1002', paidAt: '2025-04-16T09:00:00+08:00', paidCents: 3000, shopName: '店A' }),
                  orderInput({ orderId: 'O1003', platform: 'douyin', paidAt: '2025-04-18T09:00:00+08:00', paidCents: 2000, shopName: '抖店B' }),
                  orderInput({ orderId: 'O1004', paidAt: '2025-04-13T23:59:59+08:00', paidCents: 9999, shopName: ' ' }),
                ],
                { seenAt: NOW_ISO, sourceFile: 'orders.csv' },
              );
              await tx.imports.finishFile(null);
            }),
          { mode: 'load' },
        );
        const g = { seenLastId: null, force: false, ttlMs: ttl };
        await ports.decisions.record(decisionInput({ refundId: '1001', agent: 'xiaoli', action: 'approve', decidedAt: '2025-04-15T12:00:00+08:00', expectedStatus: ['SUCCESS'] }), { ...g, session: 'a' });
        await ports.decisions.record(decisionInput({ refundId: '1002', agent: 'dawang', action: 'contact-buyer', decidedAt: '2025-04-16T13:00:00+08:00', expectedStatus: null }), { ...g, session: 'b' });
        await ports.decisions.record(decisionInput({ refundId: '1004', agent: 'xiaoli', action: 'approve', decidedAt: '2025-04-20T10:00:00+08:00', expectedStatus: ['SUCCESS'] }), { ...g, session: 'c' });
        await ports.decisions.record(decisionInput({ refundId: '1005', agent: 'dawang', action: 'approve', decidedAt: '2025-04-21T09:10:00+08:00' }), { ...g, session: 'd' });
      });

      it("every figure reads the same inside a 'read' unit of work (summary, evidence; package C), writes refused or not", async () => {
        const all = (r: TxPorts['reports']) =>
          Promise.all([
            r.finishedInWindow(w), r.appliedInWindow(w), r.paidByPlatform(w), r.refundedByPlatform(w), r.orderPlatforms(),
            r.reasonsInWindow(w), r.productsInWindow(w, 5), r.perDayInWindow(w), r.decisionsByAgent(w), r.shopNames(),
            r.refundsByKeyAndReason(w, 'product'), r.decisionsInWindow(w),
          ]);
        const outside = await all(ports.reports);
        // A second window inside the same unit too: a cache of the window's refunds must not need a write.
        const inside = await ports.unitOfWork(async (tx) => [await all(tx.reports), await tx.reports.finishedInWindow({ since: w.since, until: NOW_ISO })], { mode: 'read' });
        expect(inside[0]).toEqual(outside);
        expect(inside[1]).toEqual(await ports.reports.finishedInWindow({ since: w.since, until: NOW_ISO }));
      });

      it('finishedInWindow and appliedInWindow', async () => {
        expect(await ports.reports.finishedInWindow(w)).toEqual({ finished: 3, success: 2, closed: 1, timeouts: 1, disputed: 1, by_platform: 2, timed: 3, mean_hours: 36 });
        expect(await ports.reports.appliedInWindow(w)).toEqual({ applied: 4, amount_cents: 17000, disputes: 1 });
        const empty = { since: '2024-01-01T00:00:00+08:00', until: '2024-02-01T00:00:00+08:00' };
        expect(await ports.reports.finishedInWindow(empty)).toEqual({ finished: 0, success: 0, closed: 0, timeouts: 0, disputed: 0, by_platform: 0, timed: 0, mean_hours: null });
        expect(await ports.reports.appliedInWindow(empty)).toEqual({ applied: 0, amount_cents: 0, disputes: 0 });
      });

      it('paidByPlatform, refundedByPlatform, orderPlatforms, shopNames', async () => {
        expect(await ports.reports.paidByPlatform(w)).toEqual([{ platform: 'douyin', n: 1, cents: 2000 }, { platform: 'taobao', n: 2, cents: 8000 }]);
        expect(await ports.reports.refundedByPlatform(w)).toEqual([{ platform: 'douyin', n: 1, cents: 2000 }, { platform: 'taobao', n: 1, cents: 5000 }]);
        expect(await ports.reports.orderPlatforms()).toEqual(['douyin', 'taobao']);
        expect(await ports.reports.shopNames()).toEqual(['店A', '抖店B']);
      });

      it('reasonsInWindow, productsInWindow, perDayInWindow', async () => {
        expect(await ports.reports.reasonsInWindow(w)).toEqual([
          { key: '不想要了', refunds: 2, amount_cents: 12000 },
          { key: '质量问题', refunds: 2, amount_cents: 5000 },
        ]);
        expect(await ports.reports.productsInWindow(w, 10)).toEqual([
          { key: '杯子', refunds: 2, amount_cents: 8000 },
          { key: 'SKU-9', refunds: 1, amount_cents: 7000 },
          { key: '碗', refunds: 1, amount_cents: 2000 },
        ]);
        expect(await ports.reports.productsInWindow(w, 2)).toEqual([
          { key: '杯子', refunds: 2, amount_cents: 8000 },
          { key: 'SKU-9', refunds: 1, amount_cents: 7000 },
        ]);
        expect(await ports.reports.perDayInWindow(w)).toEqual([
          { day: '2025-04-15', applied: 1, finished: 0 },
          { day: '2025-04-16', applied: 1, finished: 1 },
          { day: '2025-04-18', applied: 1, finished: 1 },
          { day: '2025-04-19', applied: 0, finished: 1 },
          { day: '2025-04-20', applied: 1, finished: 0 },
        ]);
      });

      it('decisionsByAgent, decisionsInWindow, refundsByKeyAndReason', async () => {
        expect(await ports.reports.decisionsByAgent(w)).toEqual([
          { agent: 'dawang', action: 'contact-buyer', decisions: 1 },
          { agent: 'xiaoli', action: 'approve', decisions: 2 },
        ]);
        expect(await ports.reports.decisionsInWindow(w)).toEqual([
          { agent: 'xiaoli', refund_id: '1001', decided_at: '2025-04-15T12:00:00+08:00', applied_at: '2025-04-15T10:00:00+08:00', amount_cents: 5000, expecting: 1, checked: 1, carried_out: 1 },
          { agent: 'dawang', refund_id: '1002', decided_at: '2025-04-16T13:00:00+08:00', applied_at: '2025-04-16T12:00:00+08:00', amount_cents: 3000, expecting: 0, checked: 1, carried_out: 0 },
          { agent: 'xiaoli', refund_id: '1004', decided_at: '2025-04-20T10:00:00+08:00', applied_at: '2025-04-20T09:00:00+08:00', amount_cents: 7000, expecting: 1, checked: 1, carried_out: 0 },
        ]);
        expect(await ports.reports.refundsByKeyAndReason(w, 'platform')).toEqual([
          { key: 'douyin', reason: '质量问题', refunds: 1, amount_cents: 2000 },
          { key: 'taobao', reason: '不想要了', refunds: 2, amount_cents: 12000 },
          { key: 'taobao', reason: '质量问题', refunds: 1, amount_cents: 3000 },
        ]);
        expect(await ports.reports.refundsByKeyAndReason(w, 'product')).toEqual([
          { key: 'SKU-9', reason: '不想要了', refunds: 1, amount_cents: 7000 },
          { key: '杯子', reason: '不想要了', refunds: 1, amount_cents: 5000 },
          { key: '杯子', reason: '质量问题', refunds: 1, amount_cents: 3000 },
          { key: '碗', reason: '质量问题', refunds: 1, amount_cents: 2000 },
        ]);
      });
    });

    // ---- Admin -----------------------------------------------------------------------------
    describe('Admin', () => {
      async function loadShop(p: Ports): Promise<void> {
        await importExport(p, await readExport('taobao-orders-gbk.csv'), NOW_ISO);
        await importExport(p, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO, { deadlineOf: testDeadlineOf });
        await importExport(p, await readExport('taobao-refunds-2017-gbk-v2.csv'), LATER_ISO, { deadlineOf: testDeadlineOf });
        await importExport(p, await readExport('warehouse-returns.csv'), NOW_ISO);
        await p.decisions.record(decisionInput(), { session: 'S', seenLastId: null, force: false, ttlMs: ttl });
        await p.locks.snooze(R.R05, 'xiaoli', '2025-04-22T09:00:00+08:00');
        await p.meta.set('calendar', 'chinese-days@1');
      }

      it('counts every table', async () => {
        const empty = await ports.admin.counts();
        expect(Object.values(empty).every((n) => n === 0)).toBe(true);
        await loadShop(ports);
        const c = await ports.admin.counts();
        expect(c).toMatchObject({ refunds: 13, orders: 21, decisions: 1, refund_history: 15, imports: 4 });
        expect(c.warehouse_receipts).toBe(5);
      });

      it('purge: a dry run counts and changes nothing; the real one erases personal data of finished cases, for good', async () => {
        await importExport(ports, await readExport('taobao-orders-gbk.csv'), NOW_ISO);
        await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO);
        // Finished before 04-21: R08 CLOSED (finished 04-07) and R09 SUCCESS. Their orders have no other refund.
        const r08 = await ports.cases.refund(R.R08);
        expect(r08?.buyerNick).not.toBeNull();
        expect(await ports.admin.purgePersonalData('2025-04-21T00:00:00+08:00', true, LATER_ISO)).toEqual({ refunds: 2, orders: 2 });
        expect(await ports.cases.refund(R.R08)).toEqual(r08);
        expect(await ports.admin.purgePersonalData('2025-04-21T00:00:00+08:00', false, LATER_ISO)).toEqual({ refunds: 2, orders: 2 });
        expect(await ports.cases.refund(R.R08)).toMatchObject({ buyerNick: null, buyerNote: null, amountCents: r08!.amountCents, status: 'CLOSED' });
        expect(await ports.cases.order(r08!.orderId)).toMatchObject({ buyerNick: null, receiverName: null, address: null, phone: null, buyerMessage: null });
        const extras = await s.extrasByName('refunds');
        expect([extras.get(R.R08), extras.get(R.R09)]).toEqual([null, null]);
        expect(extras.get(R.R01)).not.toBeNull();
        expect((await ports.cases.refund(R.R01))?.buyerNick).not.toBeNull();
        expect(await ports.admin.purgePersonalData('2025-04-21T00:00:00+08:00', false, LATER_ISO)).toEqual({ refunds: 0, orders: 0 });
        // The same export again: nothing but the erased columns differ, so nothing changed, and nothing comes back.
        const again = await importExport(ports, await readExport('taobao-refunds-2017-gbk.csv'), LATER_ISO);
        expect(tally(again.refunds)).toEqual({ inserted: 0, updated: 0, unchanged: 13 });
        expect(await ports.cases.refund(R.R08)).toMatchObject({ buyerNick: null, buyerNote: null });
        expect((await s.extrasByName('refunds')).get(R.R08)).toBeNull();
      });

      it('emptyAndAlone is false once the store holds data', async () => {
        await loadShop(ports);
        expect(await ports.admin.emptyAndAlone()).toBe(false);
        expect((await ports.admin.counts()).refunds).toBe(13);
      });

      it('dump and load: every table into an empty database, the same rows read back', async () => {
        await loadShop(ports);
        const target = await open({ clock });
        try {
          const counts = await ports.admin.counts();
          const tables = Object.keys(counts) as (keyof typeof counts)[];
          await target.ports.unitOfWork(async () => {
            for (const t of tables) {
              let lastId = -Infinity;
              for await (const rows of ports.admin.dump(t, 4)) {
                expect(rows.length).toBeLessThanOrEqual(4);
                expect(rows.length).toBeGreaterThan(0);
                // Primary-key order where the key is a number.
                for (const r of rows) {
                  if (typeof r.id !== 'number') continue;
                  expect(r.id, t).toBeGreaterThan(lastId);
                  lastId = r.id;
                }
                await target.ports.admin.load(t, rows);
              }
            }
          });
          expect(await target.ports.admin.counts()).toEqual(counts);
          for (const id of FILE1_IDS) {
            expect(await target.ports.cases.refund(id), id).toEqual(await ports.cases.refund(id));
            expect(await target.ports.cases.history(id), id).toEqual(await ports.cases.history(id));
            expect(await target.ports.cases.decisions(id), id).toEqual(await ports.cases.decisions(id));
          }
          expect(await target.ports.cases.allReceipts()).toEqual(await ports.cases.allReceipts());
          expect(await target.ports.cases.order('4123456789012345612')).toEqual(await ports.cases.order('4123456789012345612'));
          expect(await target.ports.cases.lastRefundImports()).toEqual(await ports.cases.lastRefundImports());
          expect(await target.ports.locks.snoozedUntil('xiaoli')).toEqual(new Map([[R.R05, '2025-04-22T09:00:00+08:00']]));
          expect(await target.ports.meta.get('calendar')).toBe('chinese-days@1');
          expect(await target.extrasByName('refunds')).toEqual(await s.extrasByName('refunds'));
          expect(await target.extrasByName('orders')).toEqual(await s.extrasByName('orders'));
          const plan = { nowMs: NOW, dueSoonMs: DAY, perSection: null };
          expect(await target.ports.sweep.sweepPlan(plan)).toEqual(await ports.sweep.sweepPlan(plan));
          // The copy keeps writing: IDs go on after the copied ones.
          const next = await target.ports.decisions.record(decisionInput({ refundId: R.R05 }), { session: 'T', seenLastId: null, force: false, ttlMs: ttl });
          const copied = (await ports.cases.decisions(R.R02))[0]!.id;
          expect(next.ok && next.decision.id > copied).toBe(true);
        } finally {
          await target.cleanup();
        }
      });

      it('backupTo', async () => {
        await loadShop(ports);
        const file = path.join(tmpDir(), 'backup.db');
        if (!s.caps.backupFile) {
          // A backend without a backup file must say so, never report a backup it did not make.
          await expect(ports.admin.backupTo(file)).rejects.toThrow();
          expect(fs.existsSync(file)).toBe(false);
          return;
        }
        await ports.admin.backupTo(file);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        const copy = await s.caps.backupFile.open(file);
        try {
          expect(await copy.ports.admin.counts()).toEqual(await ports.admin.counts());
          expect(await copy.ports.cases.refund(R.R01)).toEqual(await ports.cases.refund(R.R01));
        } finally {
          await copy.close();
        }
      });
    });

    // ---- what only some backends do (capabilities) ------------------------------------------------
    describe('first load journal (caps.firstLoadJournal)', () => {
      it('an empty database is loaded through a rollback journal and is in WAL again after a commit and after a rollback', async () => {
        const j = s.caps.firstLoadJournal;
        if (!j) {
          // No such trick: nothing to check beyond the load itself (the ImportWriter tests).
          expect(s.caps.firstLoadJournal).toBeUndefined();
          return;
        }
        const x = await readExport('taobao-refunds-2017-gbk.csv');
        await expect(
          ports.unitOfWork(
            async (tx) => {
              expect(await j.journalMode()).toBe('delete');
              await writeFile(tx, x, NOW_ISO);
              throw new Error('stop');
            },
            { mode: 'load' },
          ),
        ).rejects.toThrow('stop');
        expect(await j.journalMode()).toBe('wal');
        expect((await ports.admin.counts()).refunds).toBe(0);
        await ports.unitOfWork(
          async (tx) => {
            expect(await j.journalMode()).toBe('delete');
            await writeFile(tx, x, NOW_ISO);
          },
          { mode: 'load' },
        );
        expect(await j.journalMode()).toBe('wal');
        // Not empty any more: readers must keep seeing the data as it was.
        await ports.unitOfWork(async () => expect(await j.journalMode()).toBe('wal'), { mode: 'load' });
      });
    });
  });
}

