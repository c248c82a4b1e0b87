// The next card reads the triage queue once (issue 18): its head and its size come from one query,
// and "n left" after the head reuses that size. Both must be what counting the queue says.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleSetFor } from '../../src/app/rules.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { openStore, type Store, type TriageQuery } from '../../src/store/store.js';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { deskOn, storeReads } from '../helpers/desk.js';
import { storePorts as portsOf } from '../../src/store/store.js';

const zone = new ShopZone('Asia/Shanghai');
const nowMs = Date.parse(NOW);
const env: SweepEnv = { zone, nowMs, rules: ruleSetFor({}, ''), calendar: chinaCalendar(), dueSoonMs: DEFAULT_DUE_SOON_MS };

let store: Store;
beforeAll(() => {
  const db = path.join(tmpDir(), 'queue.sqlite');
  expect(runCli(['--db', db, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
  store = openStore(db);
});
afterAll(() => store.close());

const query = (over: Partial<TriageQuery> = {}): TriageQuery => ({
  nowMs, nowIso: zone.iso(nowMs), dueSoonMs: DEFAULT_DUE_SOON_MS, agent: 'a', session: 's1', clockMs: nowMs, includeBuyerSide: false,
  exclude: [], limit: 0, ...over,
});

describe('the queue read once per card', () => {
  it('the head comes with the size of the whole queue, the same as counting it', () => {
    const total = store.triageCandidates(query()).total;
    expect(total).toBeGreaterThan(3);
    for (const limit of [1, 2, 20]) {
      const r = store.triageCandidates(query({ limit }));
      expect(r.total).toBe(total);
      expect(r.ids).toEqual(store.triageCandidates(query({ limit: 1000 })).ids.slice(0, limit));
    }
    const first = store.triageCandidates(query({ limit: 1 })).ids[0]!;
    expect(store.triageCandidates(query({ limit: 5, exclude: [first] })).total).toBe(total - 1);
  });

  it('"n left" after each card is what counting the queue without the cards passed says', async () => {
    const { desk } = deskOn(store, env, { agent: 'a', session: 'desk-1', claimTtlMs: 60_000 });
    const passed = new Set<string>();
    let seen = 0;
    for (let cf = await desk.next(passed); cf; cf = await desk.next(passed)) {
      const without = new Set([...passed, cf.refund.refundId]);
      const counted = store.triageCandidates(query({ session: 'desk-1', exclude: [...without] })).total;
      expect(await desk.remaining(without), cf.refund.refundId).toBe(counted);
      passed.add(cf.refund.refundId);
      seen++;
    }
    expect(seen).toBeGreaterThan(3);
    await desk.release();
  });

  it('when another desk holds the head, the card is the next one and "n left" still equals the count', async () => {
    const { desk: other } = deskOn(store, env, { agent: 'b', session: 'desk-2', claimTtlMs: 60_000 });
    const head = (await other.next(new Set()))!;
    const { desk } = deskOn(store, env, { agent: 'a', session: 'desk-3', claimTtlMs: 60_000 });
    const cf = (await desk.next(new Set()))!;
    expect(cf.refund.refundId).not.toBe(head.refund.refundId);
    const without = new Set([cf.refund.refundId]);
    expect(await desk.remaining(without)).toBe(store.triageCandidates(query({ session: 'desk-3', exclude: [...without] })).total);
    await desk.release();
    await other.release();
  });
});

describe('on a generated pile of open refunds, with decisions', () => {
  it('the queue in SQL, head and size, is the queue in memory (triageQueue), at several instants, with and without the buyer side', async () => {
    const { generateRefunds } = await import('../../bench/generate.mjs' as string);
    const { triageQueue } = await import('../../src/app/triage/queue.js');
    const dir = tmpDir();
    const db = path.join(dir, 'pile.sqlite');
    const pile = path.join(dir, 'pile.csv');
    generateRefunds({ rows: 3000, orderRows: 15000, seed: 7, file: pile, shape: 'pile' });
    expect(runCli(['--db', db, '--now', '2025-04-20T09:00:00+08:00', 'import', fixture('taobao-refunds-2017-gbk.csv')]).code).toBe(0);
    expect(runCli(['--db', db, '--now', NOW, 'import', pile]).code).toBe(0);
    const s = openStore(db);
    const open = s.openRefundIds().sort();
    // Decided before the last import (due again or not carried out), and after it (done for now).
    for (const [i, id] of open.slice(0, 12).entries()) {
      s.recordDecision({
        refundId: id, action: 'approve', amountCents: null, note: null, evidence: [], agent: 'a', source: 'decide', checklist: [], buyerMessage: null,
        decidedAt: i % 2 ? '2025-04-20T10:00:00+08:00' : '2025-04-21T10:00:00+08:00', expectedStatus: i % 3 ? ['SUCCESS'] : null, statusAtDecision: null,
      });
    }
    for (const at of [nowMs, nowMs + 20 * 3_600_000]) {
      const e = { ...env, nowMs: at };
      for (const includeBuyerSide of [false, true]) {
        const o = { agent: 'a', session: 's9', clockMs: at, includeBuyerSide };
        const memory = (await triageQueue(portsOf(s, { now: () => at }), storeReads(s), e, o)).items.map((i) => i.refund.refundId);
        expect(memory.length).toBeGreaterThan(200);
        const q = query({ nowMs: at, nowIso: zone.iso(at), clockMs: at, session: 's9', includeBuyerSide });
        expect(s.triageCandidates({ ...q, limit: 5000 }).ids).toEqual(memory);
        for (const limit of [1, 20]) expect(s.triageCandidates({ ...q, limit })).toEqual({ ids: memory.slice(0, limit), total: memory.length });
        expect(s.triageCandidates(q).total).toBe(memory.length);
      }
    }
    s.close();
  }, 60_000);
});
