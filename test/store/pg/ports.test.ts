// The PostgreSQL ports where several agents meet (issue 19 §3–4), on a real server: each test opens
// its own pools (one per "agent") on a database of this file. Rows are checked with plain SQL on a
// connection of the test's own, so these tests need no read port.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreBusy, StoreError, type Ports } from '../../../src/app/ports/index.js';
import { ShopZone } from '../../../src/domain/time.js';
import { openPostgresPorts } from '../../../src/store/pg/index.js';
import { decisionInput, NOW_ISO, LATER_ISO, orderInput, refundInput } from '../contract/inputs.js';
import { adminQuery, freshDatabase, pgTestServer } from '../../helpers/pg.js';
import type { RefundInput } from '../../../src/domain/inputs.js';

const server = await pgTestServer();
const zone = new ShopZone();

describe.runIf(server)('PostgreSQL ports: agents at the same time', () => {
  const db = freshDatabase(server, 'ports');
  const opened: Ports[] = [];
  const open = async () => {
    const p = await openPostgresPorts(db.url, { zone });
    opened.push(p);
    return p;
  };
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => adminQuery<R>(db.url, text, params);
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `20241001000000${String(i + 10)}`);

  const importRows = (p: Ports, rows: RefundInput[], seenAt = NOW_ISO, file = 'a.csv') =>
    p.unitOfWork(
      (tx) =>
        tx.imports.file(async () => {
          const out = await tx.imports.writeRefunds(rows, { seenAt, sourceFile: file });
          await tx.imports.finishFile({ file, kind: 'taobao-refunds', encoding: 'utf-8', bytes: 1, importedAt: seenAt, inserted: 0, updated: 0, unchanged: 0, rejected: 0 });
          return out;
        }),
      { mode: 'load' },
    );

  beforeEach(async () => {
    await open();
    await sql('TRUNCATE refunds, orders, refund_history, decisions, claims, snoozes, imports, warehouse_receipts, meta, import_columns RESTART IDENTITY CASCADE');
  });
  afterEach(async () => {
    for (const p of opened.splice(0).reverse()) await p.close();
  });

  it('two agents recording on one refund at the same moment, from two pools: one lands, the other is told who decided and writes nothing', async () => {
    const [a, b] = [opened[0]!, await open()];
    const id = ids(1)[0]!;
    await importRows(a, [refundInput({ refundId: id })]);
    const guard = (session: string) => ({ session, seenLastId: null, force: false, ttlMs: 60_000 });
    const [ra, rb] = await Promise.all([
      a.decisions.record(decisionInput({ refundId: id, agent: 'xiaoli' }), guard('S-a')),
      b.decisions.record(decisionInput({ refundId: id, agent: 'zhao', note: 'zhao was here' }), guard('S-b')),
    ]);
    const won = [ra, rb].filter((r) => r.ok);
    const lost = [ra, rb].filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]!.ok ? won[0]!.decision : null;
    expect(lost[0]).toEqual({ ok: false, reason: 'decided', agent: winner!.agent, decidedAt: '2025-04-21T09:10:00+08:00' });
    const rows = await sql<{ agent: string; note: string }>('SELECT agent, note FROM decisions');
    expect(rows).toEqual([{ agent: winner!.agent, note: winner!.note }]);
    // The loser's claim was not taken either: the case is the winner's.
    expect(await sql('SELECT agent FROM claims')).toEqual([{ agent: winner!.agent }]);
  });

  it('claimFirst from five pools at once on the same list: five different refunds', async () => {
    const list = ids(8);
    await importRows(opened[0]!, list.map((refundId) => refundInput({ refundId })));
    const agents = [opened[0]!, ...(await Promise.all([1, 2, 3, 4].map(() => open())))];
    const got = await Promise.all(agents.map((p, i) => p.locks.claimFirst(list, `agent${i}`, `S${i}`, 60_000)));
    expect(got.every((g) => g !== null)).toBe(true);
    expect(new Set(got).size).toBe(5);
    // In list order: the five first cases, whoever got which.
    expect([...got].sort()).toEqual(list.slice(0, 5));
    const claims = await sql<{ refund_id: string; session: string }>('SELECT refund_id, session FROM claims ORDER BY refund_id');
    expect(claims.map((c) => c.refund_id)).toEqual(list.slice(0, 5));
    expect(new Set(claims.map((c) => c.session)).size).toBe(5);
  });

  it('claims expire on the server clock: expires_at is the server now + ttl', async () => {
    const p = opened[0]!;
    const id = ids(1)[0]!;
    const [{ before }] = await sql<{ before: number }>('SELECT refunds_epoch_ms(clock_timestamp()) AS before');
    expect(await p.locks.claim(id, 'xiaoli', 'S1', 600_000)).toBe(true);
    const [{ after }] = await sql<{ after: number }>('SELECT refunds_epoch_ms(clock_timestamp()) AS after');
    const h = (await p.locks.holder(id))!;
    expect(h.agent).toBe('xiaoli');
    expect(h.expiresAt).toBeGreaterThanOrEqual(Number(before) + 600_000);
    expect(h.expiresAt).toBeLessThanOrEqual(Number(after) + 600_000);
    // An expiry in the past on the server's clock is free, whatever a client thinks the time is.
    await sql('UPDATE claims SET expires_at = refunds_epoch_ms(clock_timestamp()) - 1');
    expect(await p.locks.holder(id)).toBeNull();
    expect(await p.locks.claim(id, 'zhao', 'S2', 600_000)).toBe(true);
  });

  it('claimFirst gets a case whose refund row a running import holds (no SKIP LOCKED dead end)', async () => {
    const list = ids(2);
    const p = opened[0]!;
    await importRows(p, list.map((refundId) => refundInput({ refundId })));
    const importer = await open();
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const running = importer.unitOfWork(
      async (tx) =>
        tx.imports.file(async () => {
          await tx.imports.writeRefunds(list.map((refundId) => refundInput({ refundId, amountCents: 1 })), { seenAt: LATER_ISO, sourceFile: 'b.csv' });
          held();
          await holding;
        }),
      { mode: 'load' },
    );
    await isHeld;
    expect(await p.locks.claimFirst(list, 'xiaoli', 'S1', 60_000)).toBe(list[0]);
    release();
    await running;
  });

  it('two agents importing the same export at once: one import result, the second finds every row unchanged', async () => {
    const rows = ids(50).map((refundId) => refundInput({ refundId }));
    const [a, b] = [opened[0]!, await open()];
    const [oa, ob] = await Promise.all([importRows(a, rows), importRows(b, rows)]);
    const tallies = [oa, ob].map((o) => o.join(',')).sort();
    expect(tallies).toEqual([Array(50).fill('inserted').join(','), Array(50).fill('unchanged').join(',')]);
    expect(await sql('SELECT count(*)::int AS n FROM refunds')).toEqual([{ n: 50 }]);
    expect(await sql('SELECT count(*)::int AS n FROM refund_history')).toEqual([{ n: 50 }]);
  });

  it("a load with wait 'none' while another import runs: StoreBusy at once, nothing written", async () => {
    const [a, b] = [opened[0]!, await open()];
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const isHeld = new Promise<void>((r) => (held = r));
    const running = a.unitOfWork(async () => {
      held();
      await holding;
    }, { mode: 'load' });
    await isHeld;
    await expect(b.unitOfWork((tx) => tx.meta.set('k', 'v'), { mode: 'load', wait: 'none' })).rejects.toBeInstanceOf(StoreBusy);
    release();
    await running;
    expect(await sql('SELECT * FROM meta')).toEqual([]);
  });

  it('buyer-written text with tabs, newlines, backslashes and quotes goes through COPY unchanged; a re-import is unchanged', async () => {
    const p = opened[0]!;
    const nasty = 'a\tb\nc\\d\r"e\'\\N\\.';
    const row = refundInput({ refundId: ids(1)[0]!, buyerNote: nasty, sellerNote: '\\', extraJson: JSON.stringify({ 备注: nasty }) });
    expect(await importRows(p, [row])).toEqual(['inserted']);
    expect(await sql('SELECT buyer_note, seller_note FROM refunds')).toEqual([{ buyer_note: nasty, seller_note: '\\' }]);
    expect(await sql('SELECT extra_json::text AS x FROM refunds_extra')).toEqual([{ x: JSON.stringify({ 备注: nasty }) }]);
    expect(await importRows(p, [row], LATER_ISO, 'b.csv')).toEqual(['unchanged']);
  });

  it('the stored row: times as instants, fen as bigint, booleans; status history and first sighting', async () => {
    const p = opened[0]!;
    const id = ids(1)[0]!;
    await importRows(p, [refundInput({ refundId: id })]);
    await importRows(p, [refundInput({ refundId: id, status: 'SUCCESS', statusText: '退款成功', finishedAt: '2025-04-22T08:00:00+08:00' })], LATER_ISO, 'b.csv');
    const [r] = await sql('SELECT amount_cents::text AS fen, return_required, applied_at = $1::timestamptz AS applied_ok, status_since = $2::timestamptz AS since_ok, first_seen_at = $3::timestamptz AS first_ok FROM refunds', [
      '2025-04-20T10:31:05+08:00', LATER_ISO, NOW_ISO,
    ]);
    expect(r).toEqual({ fen: '5990', return_required: false, applied_ok: true, since_ok: true, first_ok: true });
    const h = await sql<{ status: string; src: string; ok: boolean }>('SELECT status, source_file AS src, seen_at = ANY($1::timestamptz[]) AS ok FROM refund_history ORDER BY id', [[NOW_ISO, LATER_ISO]]);
    expect(h).toEqual([
      { status: 'WAIT_SELLER_AGREE', src: 'a.csv', ok: true },
      { status: 'SUCCESS', src: 'b.csv', ok: true },
    ]);
  });

  it('orders: inserted, unchanged, updated; a purged order keeps its personal data out on re-import', async () => {
    const p = opened[0]!;
    const write = (o = orderInput(), seenAt = NOW_ISO) =>
      p.unitOfWork((tx) => tx.imports.file(() => tx.imports.writeOrders([o], { seenAt, sourceFile: 'o.csv' })), { mode: 'load' });
    expect(await write()).toEqual(['inserted']);
    expect(await write()).toEqual(['unchanged']);
    expect(await write(orderInput({ status: 'TRADE_FINISHED', statusText: '交易成功' }), LATER_ISO)).toEqual(['updated']);
    await sql("UPDATE orders SET phone = NULL, address = NULL, receiver_name = NULL, buyer_nick = NULL, purged_at = now()");
    expect(await write(orderInput({ status: 'TRADE_FINISHED', statusText: '交易成功' }), LATER_ISO)).toEqual(['unchanged']);
    expect(await sql('SELECT phone, status FROM orders')).toEqual([{ phone: null, status: 'TRADE_FINISHED' }]);
  });

  it('Admin.load refuses to run outside a unit of work; backupTo is a StoreError naming pg_dump and refunds copy', async () => {
    const p = opened[0]!;
    await expect(p.admin.load('meta', [{ key: 'k', value: 'v' }])).rejects.toThrow(/unit of work/);
    const e = await p.admin.backupTo('/tmp/never-written.db').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).message).toMatch(/pg_dump.*refunds copy/);
    expect(await sql('SELECT * FROM meta')).toEqual([]);
  });

  it("a 'read' unit of work refuses writes with StoreError readonly", async () => {
    const e = await opened[0]!.unitOfWork((tx) => tx.meta.set('k', 'v'), { mode: 'read' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).kind).toBe('readonly');
  });

  it('opens with the masked URL and backend; migrate false on a database nothing was imported into says "import first"', async () => {
    const p = opened[0]!;
    expect(p.backend).toBe('postgres');
    expect(p.where).toContain(db.name);
    const empty = `${db.name}_empty`;
    await adminQuery(server!.url, `CREATE DATABASE "${empty}"`);
    try {
      const url = db.url.replace(`/${db.name}?`, `/${empty}?`);
      const e = await openPostgresPorts(url, { zone, migrate: false }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StoreError);
      // As a SQLite file not imported yet: a read has nothing to read, and only a writing command migrates.
      expect((e as StoreError).kind).toBe('open');
      expect((e as StoreError).details.empty).toBe(1);
      expect((e as StoreError).message).toMatch(/^no refunds database at postgresql:\/\/.*_empty\?.* yet: import first$/);
      await (await openPostgresPorts(url, { zone })).close();
      const again = await openPostgresPorts(url, { zone, migrate: false });
      expect(await again.meta.get('k')).toBeNull();
      await again.close();
    } finally {
      await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`);
    }
  });
});
