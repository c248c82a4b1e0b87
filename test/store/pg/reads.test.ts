// The PostgreSQL read ports (src/store/pg/{cases,sweep,reports,buyers}.ts) give what the SQLite
// backend gives, to the byte: one shop is written to SQLite through the ports, copied row for row
// into PostgreSQL, and every read method is asked the same questions on both; the answers are
// compared as JSON text (what --json prints). Beyond the contract suite's hand-computed values, this
// pins what only a second backend can get wrong: text order (COLLATE "C" against a zh locale), NULL
// order, times as +08:00 text, fen and counts as numbers, 0/1 flags, a mean on a .x5 rounding edge,
// and the section CASE of domain/sections.ts over its whole grid.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type Ports } from '../../../src/app/ports/index.js';
import type { GroupKey, Window } from '../../../src/app/ports/reports.js';
import { ShopZone } from '../../../src/domain/time.js';
import type { Refund } from '../../../src/domain/types.js';
import type { TriageQuery } from '../../../src/domain/inputs.js';
import { rankOf, sectionOf, type WaitingOn } from '../../../src/domain/sections.js';
import { sectionRankSql } from '../../../src/store/common/sql.js';
import { openStore, storePorts as portsOf } from '../../../src/store/store.js';
import { openPostgresPorts } from '../../../src/store/pg/index.js';
import { tmpDir } from '../../helpers/cli.js';
import { adminQuery, pgTestServer, withDatabase } from '../../helpers/pg.js';
import { DAY, HOUR, ManualClock, NOW, NOW_ISO, decisionInput, orderInput, readExport, refundInput, testDeadlineOf, ZONE } from '../contract/inputs.js';

const server = await pgTestServer();

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x.entries()] : x));
const byId = <T>(rows: T[], id: (r: T) => string) => [...rows].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));

/** The literal shop beside the fixtures: Chinese keys whose order differs by code point and by zh collation, a mean of 0.25 h. */
function literalRefunds() {
  const base = { platform: 'taobao' as const, status: 'SUCCESS' as const, statusText: '退款成功', extraJson: null };
  return [
    // finished 15 minutes after application: mean_hours 0.25 → round half up to 0.3 (SQLite's julianday arithmetic)
    refundInput({ ...base, refundId: '9000000000000001', orderId: '9100000000000001', appliedAt: '2025-04-15T09:00:00+08:00', finishedAt: '2025-04-15T09:15:00+08:00', reason: '质量问题', itemTitle: '阿胶', amountCents: 100 }),
    refundInput({ ...base, refundId: '9000000000000002', orderId: '9100000000000002', appliedAt: '2025-04-16T23:30:00+08:00', finishedAt: '2025-04-17T00:30:00+08:00', reason: '不想要了', itemTitle: '玫瑰花茶', amountCents: 100, buyerNick: 'tb5678' }),
    refundInput({ ...base, refundId: '9000000000000003', orderId: '9100000000000003', status: 'CLOSED', statusText: '退款关闭', appliedAt: '2025-04-17T10:00:00+08:00', finishedAt: '2025-04-18T10:00:00+08:00', reason: ' 质量问题 ', itemTitle: null, sku: 'Z-9', amountCents: 300, exportDeadline: '2025-04-17T12:00:00+08:00' }),
    refundInput({ ...base, refundId: '9000000000000004', orderId: '9100000000000004', status: 'WAIT_SELLER_AGREE', statusText: '等待卖家同意', appliedAt: '2025-04-18T10:00:00+08:00', reason: 'Zebra', itemTitle: 'Zebra 斑马', amountCents: 100, disputeState: 'requested' }),
    refundInput({ ...base, refundId: '9000000000000005', orderId: '9100000000000005', platform: 'douyin', appliedAt: null, finishedAt: '2025-04-19T10:00:00+08:00', reason: 'apple', itemTitle: 'apple 苹果', amountCents: 100 }),
    // open, the same deadline, IDs of two lengths (compareRefundIds: shorter first), and two without a deadline
    ...['9000000000000006', '90000000000000071', '9000000000000008', '9000000000000009', '900000000000001'].map((refundId, i) =>
      refundInput({
        ...base, refundId, orderId: `91${refundId}`, status: 'WAIT_SELLER_AGREE', statusText: '等待卖家同意', appliedAt: '2025-04-18T11:00:00+08:00',
        exportDeadline: i < 3 ? '2025-04-21T20:00:00+08:00' : null, reason: i % 2 ? '阿胶' : '玫瑰花茶', itemTitle: i % 2 ? 'apple 苹果' : 'Zebra 斑马', amountCents: 100,
      }),
    ),
  ];
}

async function buildShop(file: string, clock: ManualClock): Promise<Ports> {
  const lite = portsOf(openStore(file), clock);
  const files = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv', 'taobao-refunds-2017-gbk-v2.csv'];
  let seen = Date.parse('2025-04-20T09:00:00+08:00');
  for (const name of files) {
    const x = await readExport(name);
    seen += HOUR;
    const seenAt = new ShopZone(ZONE).iso(seen);
    await lite.unitOfWork(
      (tx) =>
        tx.imports.file(async () => {
          const at = { seenAt, sourceFile: x.file };
          if (x.refunds.length) await tx.imports.writeRefunds(x.refunds, { ...at, deadlineOf: (r: Refund) => testDeadlineOf(r) });
          if (x.orders.length) await tx.imports.writeOrders(x.orders, at);
          if (x.receipts.length) await tx.imports.writeReceipts(x.receipts, seenAt);
          await tx.imports.finishFile({ file: x.file, kind: x.kind, encoding: x.encoding, bytes: x.bytes, importedAt: seenAt, inserted: 0, updated: 0, unchanged: 0, rejected: x.rejected.length });
        }),
      { mode: 'load' },
    );
  }
  await lite.unitOfWork(async (tx) => {
    await tx.imports.file(async () => {
      await tx.imports.writeRefunds(literalRefunds(), { seenAt: '2025-04-19T12:00:00+08:00', sourceFile: 'literal.csv', deadlineOf: testDeadlineOf });
      await tx.imports.writeOrders(
        [orderInput({ orderId: '9100000000000002', buyerNick: 'tb5678', shopName: '天猫店', paidAt: '2025-04-16T08:00:00+08:00' }), orderInput({ orderId: '9100000000000005', platform: 'douyin', buyerNick: null, shopName: 'Zoo', paidAt: null })],
        { seenAt: '2025-04-19T12:00:00+08:00', sourceFile: 'literal-orders.csv' },
      );
      await tx.imports.finishFile(null);
    });
    // Decisions: one carried out, one not carried out (a later import showed another state), one after every import.
    await tx.decisions.insert(decisionInput({ refundId: '158700112233445502', decidedAt: '2025-04-20T08:00:00+08:00', expectedStatus: ['SUCCESS'] }));
    await tx.decisions.insert(decisionInput({ refundId: '158700112233445505', agent: '阿明', action: 'refuse', decidedAt: '2025-04-20T08:30:00+08:00', expectedStatus: ['CLOSED'], flags: [{ id: 'f1', why: '重复' }] }));
    await tx.decisions.insert(decisionInput({ refundId: '158700112233445506', agent: 'Bob', decidedAt: '2025-04-21T08:00:00+08:00', expectedStatus: [], evidence: [] }));
    await tx.decisions.insert(decisionInput({ refundId: '9000000000000001', agent: 'xiaoli', decidedAt: '2025-04-15T09:05:00+08:00', expectedStatus: ['SUCCESS'] }));
    await tx.decisions.insert(decisionInput({ refundId: '158700112233445502', agent: 'Bob', decidedAt: '2025-04-20T08:00:00+08:00', expectedStatus: null }));
    await tx.locks.snooze('158700112233445503', 'xiaoli', '2025-04-22T09:00:00+08:00');
    await tx.locks.snooze('158700112233445504', 'xiaoli', '2025-04-20T09:00:00+08:00');
    // Live claims of other sessions (an hour on the real clock, which PostgreSQL's clock_timestamp() also reads) and an expired one.
    await tx.locks.take('158700112233445507', 'Bob', 'bob-1', HOUR);
    await tx.locks.take('1587001122334455', 'xiaoli', 'mine', HOUR);
  });
  return lite;
}

/** Every row of every table, SQLite → PostgreSQL, as stored (generated columns are computed again). */
async function copyInto(lite: Ports, url: string): Promise<void> {
  const cols = new Map<string, Set<string>>();
  for (const r of await adminQuery(url, `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`)) {
    const t = cols.get(r.table_name as string) ?? new Set<string>();
    t.add(r.column_name as string);
    cols.set(r.table_name as string, t);
  }
  const statements: { sql: string; params: unknown[] }[] = [];
  for (const table of TABLE_NAMES) {
    for await (const batch of lite.admin.dump(table, 500)) {
      for (const row of batch) {
        const names = Object.keys(row).filter((c) => cols.get(table)!.has(c));
        // expires_at of the expired claim: 0 on both sides
        statements.push({
          sql: `INSERT INTO ${table} (${names.map((c) => `"${c}"`).join(', ')}) OVERRIDING SYSTEM VALUE VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
          params: names.map((c) => row[c] ?? null),
        });
      }
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const s of statements) await client.query(s.sql, s.params);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

const REFUND_IDS = [
  '1587001122334455001', '158700112233445502', '1587001122334455', '15870011223344550404', '158700112233445505', '158700112233445506',
  '158700112233445507', '158700112233445508', '158700112233445509', '158700112233445510', '158700112233445511', '158700112233445513',
  '158700112233445514', '9000000000000001', '9000000000000002', '9000000000000003', '9000000000000004', '9000000000000005', 'nope',
];

describe.runIf(server)('PostgreSQL read ports give the SQLite backend\'s answers, byte for byte', () => {
  const dir = tmpDir('refunds-pg-reads-');
  const name = `refunds_t_reads_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  let lite: Ports;
  let pgp: Ports;
  let ids: string[];
  let douyinIds: string[];

  beforeAll(async () => {
    // A database whose own collation is linguistic: every order must still be SQLite's (by code point).
    await adminQuery(server!.url, `CREATE DATABASE "${name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'`);
    const url = withDatabase(server!.url, name);
    lite = await buildShop(path.join(dir, 'shop.sqlite'), new ManualClock(Date.now()));
    pgp = await openPostgresPorts(url, { zone: new ShopZone(ZONE) });
    await copyInto(lite, url);
    const counts = await lite.admin.counts();
    for (const t of TABLE_NAMES) {
      const [{ n }] = await adminQuery<{ n: string }>(url, `SELECT count(*) AS n FROM ${t}`);
      expect([t, Number(n)]).toEqual([t, counts[t]]);
    }
    ids = (await lite.cases.openRefunds()).map((r) => r.refundId);
    douyinIds = (await lite.cases.openRefunds({ platform: 'douyin' })).map((r) => r.refundId);
  }, 60_000);
  afterAll(async () => {
    await pgp?.close();
    await lite?.close();
    await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Asks both backends; the answers must be the same JSON text (and not trivially empty where `nonEmpty`). */
  async function same<T>(ask: (p: Ports) => Promise<T>, opts: { sort?: (v: T) => T; nonEmpty?: boolean } = {}): Promise<T> {
    const [a, b] = [await ask(lite), await ask(pgp)];
    const [x, y] = opts.sort ? [opts.sort(a), opts.sort(b)] : [a, b];
    expect(json(y)).toBe(json(x));
    if (opts.nonEmpty) expect(json(x)).not.toMatch(/^(\[\]|null|\{\})$/);
    return a;
  }

  it('the shop is not trivial: open refunds on two platforms, decisions, claims, snoozes, receipts', async () => {
    expect(ids.length).toBeGreaterThanOrEqual(10);
    expect(douyinIds.length).toBeGreaterThan(0);
    // (counted on SQLite; beforeAll checked every table's count on PostgreSQL against it)
    const counts = await lite.admin.counts();
    expect(counts.decisions).toBe(5);
    expect(counts.claims).toBe(2);
    expect(counts.snoozes).toBe(2);
    expect(counts.warehouse_receipts).toBeGreaterThan(0);
  });

  it('CaseReader: every refund, order, history, decision list, ID lookup and receipt', async () => {
    for (const id of REFUND_IDS) {
      const refund = await same((p) => p.cases.refund(id));
      await same((p) => p.cases.history(id));
      await same((p) => p.cases.decisions(id));
      await same((p) => p.cases.similarRefundIds(id, 5));
      await same((p) => p.cases.buyerIdentity(id));
      if (refund) {
        await same((p) => p.cases.order(refund.orderId));
        await same((p) => p.cases.refundIdsForOrder(refund.orderId), { nonEmpty: true });
      }
    }
    const receipts = await same((p) => p.cases.allReceipts(), { nonEmpty: true });
    for (const r of receipts) {
      await same((p) => p.cases.receiptsForWaybill(r.waybillKey), { nonEmpty: true });
      await same((p) => p.cases.refundsByWaybill(r.waybillKey), { sort: (v) => byId(v, (x) => x.refundId) });
    }
    await same((p) => p.cases.openRefunds(), { sort: (v) => byId(v, (x) => x.refundId), nonEmpty: true });
    await same((p) => p.cases.openRefunds({ platform: 'douyin' }), { sort: (v) => byId(v, (x) => x.refundId), nonEmpty: true });
    await same((p) => p.cases.openRefunds({ statuses: ['WAIT_SELLER_AGREE', 'WAIT_SELLER_CONFIRM_GOODS'] }), { sort: (v) => byId(v, (x) => x.refundId), nonEmpty: true });
    await same((p) => p.cases.lastRefundImports(), { nonEmpty: true });
    expect(await same((p) => p.cases.lastImportId())).toBe(5);
  });

  it("CaseReader's batch reads (package C's orders / refundsByWaybills) give the one-by-one answers, in the order asked", async () => {
    const batch = pgp.cases as unknown as {
      orders(ids: string[]): Promise<Map<string, unknown>>;
      refundsByWaybills(keys: string[]): Promise<Map<string, { refundId: string }[]>>;
    };
    const orderIds = [...new Set((await lite.cases.openRefunds()).map((r) => r.orderId))].reverse();
    const asked = [...orderIds, 'no-such-order', orderIds[0]!];
    const want = new Map<string, unknown>();
    for (const id of asked) {
      const o = await lite.cases.order(id);
      if (o && !want.has(id)) want.set(id, o);
    }
    expect(want.size).toBeGreaterThan(3);
    expect(json(await batch.orders(asked))).toBe(json(want));
    expect((await batch.orders([])).size).toBe(0);
    const keys = [...new Set((await lite.cases.allReceipts()).map((r) => r.waybillKey))].reverse();
    const byKey = new Map<string, unknown>();
    for (const key of [...keys, 'NO-SUCH-KEY']) {
      const list = byId(await lite.cases.refundsByWaybill(key), (x) => x.refundId);
      if (list.length) byKey.set(key, list);
    }
    expect(byKey.size).toBeGreaterThan(0);
    const got = await batch.refundsByWaybills([...keys, 'NO-SUCH-KEY']);
    expect(json(new Map([...got].map(([k, v]) => [k, byId(v, (x) => x.refundId)])))).toBe(json(byKey));
  });

  it('CaseReader: buyer history windows', async () => {
    for (const id of REFUND_IDS) {
      const who = await lite.cases.buyerIdentity(id);
      if (!who) continue;
      for (const [since, until] of [['2025-01-01T00:00:00+08:00', '2025-04-21T09:00:00+08:00'], ['2025-04-16T23:30:00+08:00', '2025-04-16T23:30:00+08:00']]) {
        const w = { platform: who.platform, buyer: who.buyer, since: since!, until: until!, refundId: id };
        const cases = await same((p) => p.cases.buyerCases(w), { nonEmpty: true });
        await same((p) => p.cases.buyerOrderCount(w, [...new Set(cases.map((c) => c.order_id))]));
      }
    }
  });

  it('SweepReader: the sweep, cut and whole, at several instants, filtered and not', async () => {
    for (const nowMs of [NOW, NOW + 30 * HOUR, NOW - 3 * DAY]) {
      for (const filter of [{}, { platform: 'douyin' as const }, { statuses: ['WAIT_SELLER_AGREE' as const] }, { dueWithinMs: 2 * DAY }]) {
        for (const perSection of [null, 0, 1, 2, 3, 4, 5, 6]) {
          const q = { ...filter, nowMs, dueSoonMs: 24 * HOUR, perSection };
          await same((p) => p.sweep.sweepPlan(q));
          await same((p) => p.sweep.rankedSections(q));
        }
        await same((p) => p.sweep.openRefundsWithDeadlines({ ...filter, nowMs }), { sort: (v) => byId(v, (x) => x.refund.refundId) });
      }
    }
    const plan = await lite.sweep.sweepPlan({ nowMs: NOW, dueSoonMs: 24 * HOUR, perSection: null });
    expect(plan.counts.notCarriedOut).toBeGreaterThan(0);
    await same((p) => p.sweep.openRefundsWithDeadlines({ waybillKeys: [] }));
    const keys = (await lite.cases.allReceipts()).map((r) => r.waybillKey);
    await same((p) => p.sweep.openRefundsWithDeadlines({ waybillKeys: keys }), { sort: (v) => byId(v, (x) => x.refund.refundId) });
    await same((p) => p.sweep.refundsWithDeadlines([...REFUND_IDS].reverse()), { nonEmpty: true });
    await same((p) => p.sweep.refundsWithDeadlines([]));
    await same((p) => p.sweep.latestDecisions(REFUND_IDS), { sort: (m) => new Map(byId([...m], (e) => e[0])), nonEmpty: true });
    await same((p) => p.sweep.openRefundFacts(), { sort: (v) => byId(v, (x) => x.refundId), nonEmpty: true });
  });

  it('SweepReader: the triage queue, with live claims on the server clock, snoozes, exclusions and both sides', async () => {
    const base: TriageQuery = {
      nowMs: NOW, nowIso: NOW_ISO, dueSoonMs: 24 * HOUR, agent: 'xiaoli', session: 'mine', clockMs: 0, includeBuyerSide: false, exclude: [], limit: 50,
    };
    const variants: Partial<TriageQuery>[] = [
      {}, { limit: 1 }, { limit: 3 }, { limit: 0 }, { includeBuyerSide: true }, { includeBuyerSide: true, limit: 4 }, { exclude: ['158700112233445502', '1587001122334455001'] },
      { agent: 'Bob', session: 'bob-1' }, { platform: 'douyin' }, { nowMs: NOW + 30 * HOUR, nowIso: '2025-04-22T15:00:00+08:00' }, { statuses: ['WAIT_SELLER_AGREE'] },
    ];
    const totals: number[] = [];
    for (const v of variants) totals.push((await same((p) => p.sweep.triageCandidates({ ...base, ...v }))).total);
    expect(totals.some((n) => n > 0)).toBe(true);
    // Bob's own claim is his; the other session's claim hides it from xiaoli.
    const mine = await pgp.sweep.triageCandidates({ ...base, includeBuyerSide: true });
    const bobs = await pgp.sweep.triageCandidates({ ...base, includeBuyerSide: true, agent: 'Bob', session: 'bob-1' });
    expect(mine.ids).not.toContain('158700112233445507');
    expect(bobs.ids).toContain('158700112233445507');
  });

  it('ReportReader: every figure over several windows, the empty one included', async () => {
    const windows: Window[] = [
      { since: '2025-04-14T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00' },
      { since: '2025-04-15T00:00:00+08:00', until: '2025-04-16T00:00:00+08:00' },
      { since: '2024-01-01T00:00:00+08:00', until: '2026-01-01T00:00:00+08:00' },
      { since: '2025-04-16T15:30:00Z', until: '2025-04-20T01:00:00Z' },
      { since: '2030-01-01T00:00:00+08:00', until: '2030-02-01T00:00:00+08:00' },
    ];
    for (const w of windows) {
      await same((p) => p.reports.finishedInWindow(w));
      await same((p) => p.reports.appliedInWindow(w));
      await same((p) => p.reports.paidByPlatform(w));
      await same((p) => p.reports.refundedByPlatform(w));
      await same((p) => p.reports.reasonsInWindow(w));
      await same((p) => p.reports.productsInWindow(w, 3));
      await same((p) => p.reports.productsInWindow(w, 100));
      await same((p) => p.reports.perDayInWindow(w));
      await same((p) => p.reports.decisionsByAgent(w));
      await same((p) => p.reports.decisionsInWindow(w));
      for (const by of ['product', 'reason', 'platform'] as GroupKey[]) await same((p) => p.reports.refundsByKeyAndReason(w, by));
    }
    await same((p) => p.reports.orderPlatforms(), { nonEmpty: true });
    await same((p) => p.reports.shopNames(), { nonEmpty: true });
  });

  it("ReportReader and the sweep read the same inside a 'read' unit of work (they write nothing, not even a cache)", async () => {
    const w = { since: '2025-04-14T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00' };
    const q = { nowMs: NOW, dueSoonMs: 24 * HOUR, perSection: 3 };
    const ask = (p: Pick<Ports, 'reports' | 'sweep'>) =>
      Promise.all([p.reports.finishedInWindow(w), p.reports.reasonsInWindow(w), p.reports.perDayInWindow(w), p.reports.decisionsInWindow(w), p.sweep.rankedSections(q)]);
    const outside = await ask(pgp);
    expect(json(await pgp.unitOfWork((tx) => ask(tx), { mode: 'read' }))).toBe(json(outside));
  });

  it('ReportReader: exact rows where the backends could part (rounding edge, code-point order, 0/1 flags)', async () => {
    const day = { since: '2025-04-15T00:00:00+08:00', until: '2025-04-16T00:00:00+08:00' };
    expect(await pgp.reports.finishedInWindow(day)).toEqual({ finished: 1, success: 1, closed: 0, timeouts: 0, disputed: 0, by_platform: 0, timed: 1, mean_hours: 0.3 });
    const wide = { since: '2025-04-14T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00' };
    const products = (await pgp.reports.productsInWindow(wide, 100)).map((r) => r.key);
    // by count, then amount, then key by code point: 'Z' < 'a' < CJK, not the zh order (pinyin)
    const keyed = products.filter((k) => ['Zebra 斑马', 'apple 苹果', '玫瑰花茶', '阿胶', 'Z-9'].includes(k));
    expect(keyed.length).toBeGreaterThan(0);
    const reasons = await pgp.reports.refundsByKeyAndReason(wide, 'reason');
    const keys = reasons.map((r) => r.key);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const decided = await pgp.reports.decisionsInWindow({ since: '2025-04-01T00:00:00+08:00', until: '2025-05-01T00:00:00+08:00' });
    for (const d of decided) for (const f of [d.expecting, d.checked, d.carried_out]) expect([0, 1]).toContain(f);
    expect(decided.map((d) => d.decided_at).every((t) => t.endsWith('+08:00'))).toBe(true);
  });
});

describe.runIf(server)('the section CASE of domain/sections.ts on PostgreSQL', () => {
  it('ranks every (status, waiting on, deadline band) as sectionOf does, with $n parameters', async () => {
    const now = Date.parse('2025-04-21T09:00:00+08:00');
    const window = 24 * HOUR;
    const statuses = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS', 'UNKNOWN'];
    const waiting: (WaitingOn | null)[] = ['seller', 'buyer', 'platform', 'none', null];
    const deadlines = [now - DAY, now - 1, now, now + 1, now + window - 1, now + window, now + window + 1, now + 30 * DAY, null];
    const grid: [string, WaitingOn | null, number | null][] = [];
    for (const s of statuses) for (const w of waiting) for (const d of deadlines) grid.push([s, w, d]);
    const rows = await adminQuery<{ i: number; rank: number }>(
      server!.url,
      `SELECT r.i::int AS i, ${sectionRankSql('r', { now: '$4::bigint', window: '$5::bigint' })} AS rank
       FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS r(status, waiting_on, deadline_at, i)`,
      [grid.map((g) => g[0]), grid.map((g) => g[1]), grid.map((g) => g[2]), now, window],
    );
    expect(rows).toHaveLength(315);
    const expected = grid.map(([status, waitingOn, deadlineAt]) => rankOf(sectionOf({ status, waitingOn, deadlineAt }, now, window)));
    expect(rows.sort((a, b) => a.i - b.i).map((r) => r.rank)).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set([5, 4, 3, 2, 1, 0]));
  });
});
