// The native SQLite ports (src/store/sqlite, here on the old Store's connection): units of work, StoreBusy, the
// guarded decision record, the claim clock, the import writer's per-file sightings, copy's dump
// and load. The store's own behaviour is tested in store.test.ts; the full contract suite runs on
// the native backend too (test/store/contract).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, storePorts, type RefundInput } from '../helpers/syncStore.js';
import { StoreBusy, StoreError } from '../../src/app/ports/errors.js';
import type { NewDecision } from '../../src/domain/inputs.js';
import { tmpDir } from '../helpers/cli.js';
import { orderInput, refundInput } from './contract/inputs.js';

const refund = (over: Partial<RefundInput> = {}): RefundInput => refundInput({ extraJson: null, ...over });
const order = orderInput;
const SEEN = '2025-04-21T09:00:00+08:00';
const T0 = Date.parse(SEEN);

const decision = (agent: string, over: Partial<NewDecision> = {}): NewDecision => ({
  refundId: '2024100112345678', action: 'approve', amountCents: 5990, note: null, evidence: [], agent,
  decidedAt: SEEN, statusAtDecision: 'WAIT_SELLER_AGREE', expectedStatus: ['SUCCESS'], checklist: [], buyerMessage: null,
  source: 'decide', flags: null, ...over,
});

function setup() {
  const file = path.join(tmpDir(), 'ports.sqlite');
  let now = T0;
  const store = openStore(file);
  const ports = storePorts(store, { now: () => now });
  return { file, store, ports, tick: (ms: number) => (now += ms) };
}

async function importOne(ports: ReturnType<typeof setup>['ports'], rows: RefundInput[]) {
  return ports.unitOfWork(
    (tx) =>
      tx.imports.file(async () => {
        const out = await tx.imports.writeRefunds(rows, { seenAt: SEEN, sourceFile: 'a.csv' });
        await tx.imports.writeOrders([order()], { seenAt: SEEN, sourceFile: 'a.csv' });
        await tx.imports.finishFile({
          file: 'a.csv', kind: 'taobao-refunds', encoding: 'utf-8', bytes: 10, importedAt: SEEN,
          inserted: out.filter((o) => o === 'inserted').length, updated: 0, unchanged: 0, rejected: 0,
        });
        return out;
      }),
    { mode: 'load' },
  );
}

describe('SQLite ports: units of work', () => {
  it('commits what fn wrote when it resolves, with first sightings and the imports line', async () => {
    const { ports } = setup();
    expect(await importOne(ports, [refund(), refund({ refundId: '2024100112345679' })])).toEqual(['inserted', 'inserted']);
    expect((await ports.cases.history('2024100112345678')).map((h) => h.status)).toEqual(['WAIT_SELLER_AGREE']);
    expect(await ports.cases.lastImportId()).toBe(1);
    expect(await ports.cases.lastRefundImports()).toEqual(new Map([['taobao', SEEN]]));
    expect(await ports.cases.refundIdsForOrder('3012345678901234567')).toEqual(['2024100112345678', '2024100112345679']);
    expect(await importOne(ports, [refund()])).toEqual(['unchanged']);
    expect((await ports.cases.history('2024100112345678')).length).toBe(1);
    await ports.close();
  });

  it('rolls everything back when fn throws, and rethrows its error', async () => {
    const { ports } = setup();
    const boom = new Error('refused file');
    await expect(
      ports.unitOfWork(async (tx) => {
        await tx.meta.set('k', 'v');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await ports.meta.get('k')).toBeNull();
    await ports.close();
  });

  it("a file's rows are rolled back alone when its fn throws; the unit of work keeps the others", async () => {
    const { ports } = setup();
    await ports.unitOfWork(async (tx) => {
      await tx.imports.file(async () => {
        await tx.imports.writeRefunds([refund()], { seenAt: SEEN, sourceFile: 'a.csv' });
        await tx.imports.finishFile(null);
      });
      await tx.imports
        .file(async () => {
          await tx.imports.writeRefunds([refund({ refundId: '77' })], { seenAt: SEEN, sourceFile: 'b.csv' });
          throw new Error('bad file');
        })
        .catch(() => undefined);
    });
    expect(await ports.cases.refund('2024100112345678')).not.toBeNull();
    expect(await ports.cases.refund('77')).toBeNull();
    expect((await ports.admin.counts()).refunds).toBe(1);
    await ports.close();
  });

  it("wait 'none' throws StoreBusy at once while another process writes; 'block' throws it after busy_timeout", async () => {
    const { file, ports } = setup();
    const other = openStore(file);
    other.begin();
    other.setMeta('other', '1');
    await expect(ports.unitOfWork(async (tx) => tx.meta.set('k', 'v'), { wait: 'none' })).rejects.toBeInstanceOf(StoreBusy);
    const short = openStore(file, { busyTimeoutMs: 50 });
    const shortPorts = storePorts(short, { now: () => T0 });
    await expect(shortPorts.unitOfWork(async (tx) => tx.meta.set('k', 'v'))).rejects.toBeInstanceOf(StoreBusy);
    other.commit();
    // Free again: the same call goes through and busy_timeout is back to what it was.
    await ports.unitOfWork(async (tx) => tx.meta.set('k', 'v'), { wait: 'none' });
    expect(await ports.meta.get('k')).toBe('v');
    other.close();
    await shortPorts.close();
    await ports.close();
  });

  it("mode 'read' sees one snapshot whatever commits meanwhile", async () => {
    const { file, ports } = setup();
    await ports.meta.set('k', 'before');
    const other = openStore(file);
    const seen = await ports.unitOfWork(
      async (tx) => {
        const a = await tx.meta.get('k');
        other.setMeta('k', 'after');
        return [a, await tx.meta.get('k')];
      },
      { mode: 'read' },
    );
    expect(seen).toEqual(['before', 'before']);
    expect(await ports.meta.get('k')).toBe('after');
    other.close();
    await ports.close();
  });

  it("mode 'read' refuses writes (StoreError 'readonly', nothing written) but the reports still build their scratch table", async () => {
    const { ports } = setup();
    await importOne(ports, [refund(), refund({ refundId: '2024100112345679', status: 'SUCCESS', finishedAt: '2025-04-20T10:00:00+08:00' })]);
    await expect(ports.unitOfWork((tx) => tx.meta.set('k', 'v'), { mode: 'read' })).rejects.toMatchObject({ kind: 'readonly' });
    expect(await ports.meta.get('k')).toBe(null);
    const w = { since: '2025-04-14T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00' };
    const inUnit = await ports.unitOfWork(async (tx) => [await tx.reports.finishedInWindow(w), await tx.reports.appliedInWindow(w)], { mode: 'read' });
    expect(inUnit).toEqual([await ports.reports.finishedInWindow(w), await ports.reports.appliedInWindow(w)]);
    expect((inUnit[0] as { finished: number }).finished).toBe(1);
    // The flag is lifted after the unit: a write outside goes in.
    await ports.meta.set('k', 'v');
    expect(await ports.meta.get('k')).toBe('v');
    await ports.close();
  });

  it('a refund one file inserts and then changes keeps both states in its history, each once', async () => {
    const { ports } = setup();
    const agreed = { status: 'WAIT_BUYER_RETURN_GOODS', statusText: '卖家已经同意退款，等待买家退货' } as const;
    expect(await importOne(ports, [refund(), refund({ refundId: '2024100112345679' }), refund(agreed)])).toEqual(['inserted', 'inserted', 'updated']);
    expect(await ports.cases.history('2024100112345678')).toEqual([
      { status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: SEEN },
      { status: 'WAIT_BUYER_RETURN_GOODS', statusText: '卖家已经同意退款，等待买家退货', seenAt: SEEN },
    ]);
    expect(await ports.cases.history('2024100112345679')).toEqual([
      { status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意', seenAt: SEEN },
    ]);
    // The next file's change is one entry more, as for any known refund.
    expect(await importOne(ports, [refund()])).toEqual(['updated']);
    expect((await ports.cases.history('2024100112345678')).map((h) => h.status)).toEqual(['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_AGREE']);
    await ports.close();
  });

  it('units of work do not nest', async () => {
    const { ports } = setup();
    await expect(ports.unitOfWork(() => ports.unitOfWork(async () => 1))).rejects.toThrow(/do not nest/);
    await ports.close();
  });

  it("the store's open errors are the ports' StoreError, kind and details", () => {
    const file = path.join(tmpDir(), 'notes.sqlite');
    fs.writeFileSync(file, 'just some text, not sqlite '.repeat(100));
    let caught: unknown;
    try {
      openStore(file);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).kind).toBe('not-a-db');
    expect((caught as StoreError).details.path).toBe(file);
  });
});

describe('SQLite ports: DecisionLog.record and TriageLocks', () => {
  it("refuses another agent's live claim unless force, then takes it and says whose it was", async () => {
    const { ports, tick } = setup();
    await importOne(ports, [refund()]);
    expect(await ports.locks.claim('2024100112345678', 'alice', 'A', 15 * 60_000)).toBe(true);
    const refused = await ports.decisions.record(decision('bob'), { session: 'decide:bob', force: false, ttlMs: 60_000 });
    expect(refused).toEqual({ ok: false, reason: 'claimed', agent: 'alice', expiresAt: T0 + 15 * 60_000 });
    expect(await ports.cases.decisions('2024100112345678')).toEqual([]);
    tick(60_000);
    const forced = await ports.decisions.record(decision('bob', { source: 'decide-forced' }), { session: 'decide:bob', force: true, ttlMs: 60_000 });
    expect(forced.ok && forced.forcedOver).toEqual({ agent: 'alice', expiresAt: T0 + 15 * 60_000 });
    expect(forced.ok && forced.decision.id).toBe(1);
    expect(await ports.locks.holder('2024100112345678')).toEqual({ agent: 'bob', session: 'decide:bob', expiresAt: T0 + 2 * 60_000 });
    await ports.close();
  });

  it("refuses when a decision was recorded after the one the agent saw; the claim expires on the store's clock", async () => {
    const { ports, tick } = setup();
    await importOne(ports, [refund()]);
    const first = await ports.decisions.record(decision('bob'), { session: 'B', seenLastId: null, force: false, ttlMs: 60_000 });
    expect(first.ok).toBe(true);
    tick(60_000); // bob's claim has expired: alice may claim, but she saw no decision
    const late = await ports.decisions.record(decision('alice'), { session: 'A', seenLastId: null, force: false, ttlMs: 60_000 });
    expect(late).toEqual({ ok: false, reason: 'decided', agent: 'bob', decidedAt: SEEN });
    const again = await ports.decisions.record(decision('alice'), { session: 'A', seenLastId: 1, force: false, ttlMs: 60_000 });
    expect(again.ok && again.decision.id).toBe(2);
    const since = await ports.decisions.since(null);
    expect(since.map((d) => [d.id, d.agent, d.statusAtDecision])).toEqual([
      [1, 'bob', 'WAIT_SELLER_AGREE'],
      [2, 'alice', 'WAIT_SELLER_AGREE'],
    ]);
    await ports.close();
  });

  it('claimFirst takes the first case no other session holds; claimedByOthers judges expiry on the store clock', async () => {
    const { ports, tick } = setup();
    expect(await ports.locks.claim('1', 'alice', 'A', 60_000)).toBe(true);
    expect(await ports.locks.claimFirst(['1', '2', '3'], 'bob', 'B', 60_000)).toBe('2');
    expect(await ports.locks.claimedByOthers('B')).toEqual(new Set(['1']));
    tick(60_000);
    expect(await ports.locks.claimedByOthers('B')).toEqual(new Set());
    expect(await ports.locks.claimFirst(['1', '3'], 'bob', 'B', 60_000)).toBe('1');
    await ports.locks.release('B');
    expect(await ports.locks.holder('1')).toBeNull();
    await ports.close();
  });
});

describe('SQLite ports: Admin', () => {
  it('dumps every table in key order in batches and loads it into an empty store, ids kept', async () => {
    const { ports } = setup();
    await importOne(ports, [refund(), refund({ refundId: '2024100112345679' }), refund({ refundId: '5' })]);
    await ports.decisions.record(decision('bob'), { session: 'B', force: false, ttlMs: 60_000 });
    const target = setup().ports;
    const before = await ports.admin.counts();
    expect(before).toMatchObject({ refunds: 3, orders: 1, decisions: 1, imports: 1, refund_history: 3, claims: 1 });
    const batches: number[] = [];
    for (const table of ['imports', 'orders', 'refunds', 'refund_history', 'decisions', 'claims'] as const) {
      for await (const rows of ports.admin.dump(table, 2)) {
        if (table === 'refunds') batches.push(rows.length);
        await target.unitOfWork(() => target.admin.load(table, rows));
      }
    }
    expect(batches).toEqual([2, 1]);
    expect(await target.admin.counts()).toMatchObject({ refunds: 3, orders: 1, decisions: 1, imports: 1, refund_history: 3, claims: 1 });
    expect(await target.cases.refund('2024100112345679')).toEqual(await ports.cases.refund('2024100112345679'));
    expect(await target.cases.decisions('2024100112345678')).toEqual(await ports.cases.decisions('2024100112345678'));
    await target.close();
    await ports.close();
  });
});

describe('SQLite ports: first sightings of a first load', () => {
  const history = (store: ReturnType<typeof setup>['store']) =>
    store.sql<{ id: number; refund_id: string; status: string }>('SELECT id, refund_id, status FROM refund_history ORDER BY id').map((h) => [h.id, h.refund_id, h.status]);
  const at = { seenAt: SEEN, sourceFile: 'a.csv' };

  it('are written batch by batch, in the order the rows came', async () => {
    const { store, ports } = setup();
    await ports.unitOfWork(
      (tx) =>
        tx.imports.file(async () => {
          expect(await tx.imports.writeRefunds([refund({ refundId: '11' }), refund({ refundId: '12' })], at)).toEqual(['inserted', 'inserted']);
          expect(history(store)).toEqual([[1, '11', 'WAIT_SELLER_AGREE'], [2, '12', 'WAIT_SELLER_AGREE']]);
          await tx.imports.writeRefunds([refund({ refundId: '13', status: 'SUCCESS', statusText: '退款成功' })], at);
          await tx.imports.finishFile(null);
        }),
      { mode: 'load' },
    );
    expect(history(store)).toEqual([[1, '11', 'WAIT_SELLER_AGREE'], [2, '12', 'WAIT_SELLER_AGREE'], [3, '13', 'SUCCESS']]);
    await ports.close();
  });

  it("keep their ids when a later batch changes a refund's state: that change's entries first, the other sightings at the file's end", async () => {
    const { store, ports } = setup();
    const closed = { status: 'CLOSED', statusText: '退款关闭' } as const;
    await ports.unitOfWork(async (tx) => {
      await tx.imports.file(async () => {
        await tx.imports.writeRefunds([refund({ refundId: '11' }), refund({ refundId: '12' })], at);
        expect(await tx.imports.writeRefunds([refund({ refundId: '13' }), refund({ refundId: '11', ...closed })], at)).toEqual(['inserted', 'updated']);
        await tx.imports.writeRefunds([refund({ refundId: '14' })], at);
        await tx.imports.finishFile(null);
      });
      // A second file of the same load changes one of the first file's refunds.
      await tx.imports.file(async () => {
        await tx.imports.writeRefunds([refund({ refundId: '15' })], at);
        await tx.imports.writeRefunds([refund({ refundId: '12', ...closed }), refund({ refundId: '16' })], at);
        await tx.imports.finishFile(null);
      });
    }, { mode: 'load' });
    expect(history(store)).toEqual([
      [1, '11', 'WAIT_SELLER_AGREE'],
      [2, '11', 'CLOSED'],
      [3, '12', 'WAIT_SELLER_AGREE'],
      [4, '13', 'WAIT_SELLER_AGREE'],
      [5, '14', 'WAIT_SELLER_AGREE'],
      [6, '12', 'CLOSED'],
      [7, '15', 'WAIT_SELLER_AGREE'],
      [8, '16', 'WAIT_SELLER_AGREE'],
    ]);
    await ports.close();
  });
});
