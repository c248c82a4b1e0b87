// The triage queue keeps the open refunds' (status, waiting on) totals between cards (issue 18:
// one grouped pass over 100,000 open refunds was most of a card's time). They must follow every
// write that changes them, made by another process or connection: an import, deadlines rewritten
// under other rules, deadlines filled for rows that lacked one; and the decided open refunds they
// keep must take in every decision recorded since, by anyone.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleSetFor } from '../../src/app/rules.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { triageQueue } from '../../src/app/triage/queue.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { openStore, storePorts, type Store, type TriageQuery } from '../helpers/syncStore.js';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { storeReads } from '../helpers/desk.js';

const zone = new ShopZone('Asia/Shanghai');
const nowMs = Date.parse(NOW);
const env: SweepEnv = { zone, nowMs, rules: ruleSetFor({}, ''), calendar: chinaCalendar(), dueSoonMs: DEFAULT_DUE_SOON_MS };
const query = (limit: number): TriageQuery => ({
  nowMs, nowIso: zone.iso(nowMs), dueSoonMs: DEFAULT_DUE_SOON_MS, agent: 'a', session: 'kept', clockMs: nowMs, includeBuyerSide: false,
  exclude: [], limit,
});

let db: string;
let store: Store;
beforeAll(() => {
  db = path.join(tmpDir(), 'kept.sqlite');
  expect(runCli(['--db', db, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv')]).code).toBe(0);
  store = openStore(db);
});
afterAll(() => store.close());

/** The queue counted in memory (every open refund assessed), on a connection of its own. */
async function inMemory(): Promise<string[]> {
  const s = openStore(db);
  try {
    const o = { agent: 'a', session: 'kept', includeBuyerSide: false };
    return (await triageQueue(storePorts(s, { now: () => nowMs }), storeReads(s), env, o)).items.map((i) => i.refund.refundId);
  } finally {
    s.close();
  }
}

describe('the totals kept between cards', () => {
  it('follow an import by another process', async () => {
    const before = store.triageCandidates(query(50));
    expect(before).toEqual({ ids: await inMemory(), total: (await inMemory()).length });
    expect(runCli(['--db', db, '--now', NOW, 'import', fixture('douyin-aftersales.csv')]).code).toBe(0);
    const memory = await inMemory();
    expect(memory.length).toBeGreaterThan(before.total);
    expect(store.triageCandidates(query(50))).toEqual({ ids: memory, total: memory.length });
  });

  it('follow deadlines rewritten by a process with other rules (a new fingerprint), with no import', () => {
    const before = store.triageCandidates(query(50));
    const other = openStore(db);
    const id = before.ids.find((x) => other.refund(x)!.status !== 'WAIT_SELLER_CONFIRM_GOODS')!;
    const [{ deadline }] = other.refundsWithDeadlines([id]);
    expect(deadline.actor).toBe('seller');
    // What ensureDeadlines does under other rules: the deadlines and the fingerprint in one write.
    expect(other.tryWrite(() => {
      other.saveDeadlines([{ refundId: id, at: null, source: null, rule: null, actor: 'buyer', atTimeout: null }]);
      other.setMeta('deadlines.basis', 'other rules');
    })).toBe(true);
    other.close();
    const after = store.triageCandidates(query(50));
    expect(after.total).toBe(before.total - 1);
    expect(after.ids).toEqual(before.ids.filter((x) => x !== id));
  });

  it('follow deadlines filled by another connection for rows that lacked one', () => {
    const before = store.triageCandidates(query(50));
    const id = before.ids.find((x) => store.refund(x)!.status !== 'WAIT_SELLER_CONFIRM_GOODS')!;
    const [{ deadline }] = store.refundsWithDeadlines([id]);
    // A row written without a deadline (waiting on nobody known yet): not a seller case meanwhile.
    store.sqlRun('UPDATE refunds SET waiting_on = NULL WHERE refund_id = ?', [id]);
    const lacking = store.triageCandidates(query(50));
    expect(lacking.total).toBe(before.total - 1);
    const other = openStore(db);
    expect(other.tryWrite(() => other.saveDeadlines([{ refundId: id, ...deadline }]))).toBe(true);
    other.close();
    expect(store.triageCandidates(query(50))).toEqual(before);
  });

  it('take in a decision recorded by another connection: done for now, the case leaves the queue', () => {
    const before = store.triageCandidates(query(50));
    const id = before.ids[1]!;
    const other = openStore(db);
    other.recordDecision({
      refundId: id, action: 'approve', amountCents: null, note: null, evidence: [], agent: 'b', source: 'decide', checklist: [], buyerMessage: null,
      decidedAt: zone.iso(nowMs + 60_000), expectedStatus: null, statusAtDecision: null,
    });
    other.close();
    const after = store.triageCandidates(query(50));
    expect(after.total).toBe(before.total - 1);
    expect(after.ids).toEqual(before.ids.filter((x) => x !== id));
  });

  it('take in a decision that is not carried out (another state expected, an import since): back in the queue', async () => {
    // (The in-memory sweep first: it rewrites the deadlines the fingerprint test above left stale.)
    const memory = await inMemory();
    expect(store.triageCandidates(query(50))).toEqual({ ids: memory, total: memory.length });
    // Decided before the latest import, expecting a state the refund is not in.
    const id = store.openRefundIds().sort().find((x) => !memory.includes(x))!;
    expect(id).toBeDefined();
    const other = openStore(db);
    other.recordDecision({
      refundId: id, action: 'approve', amountCents: null, note: null, evidence: [], agent: 'b', source: 'decide', checklist: [], buyerMessage: null,
      decidedAt: '2020-01-01T09:00:00+08:00', expectedStatus: ['SUCCESS'], statusAtDecision: null,
    });
    other.close();
    const now = await inMemory();
    expect(now).toContain(id);
    expect(store.triageCandidates(query(50))).toEqual({ ids: now, total: now.length });
  });

  it('with more decisions ever recorded than open refunds (the other walk: from the open refunds), the same answers', async () => {
    const plan = (s: Store) => s.sweepPlan({ nowMs, dueSoonMs: DEFAULT_DUE_SOON_MS, perSection: null });
    const fresh = openStore(db);
    const before = { queue: fresh.triageCandidates(query(50)), plan: plan(fresh) };
    fresh.close();
    expect(before.plan.counts.notCarriedOut).toBe(1);
    // Decisions on finished refunds (a shop's archive), until they outnumber the open refunds.
    const open = store.openRefundIds().length;
    const finished = (store.sql('SELECT refund_id FROM refunds WHERE status IN (\'SUCCESS\', \'CLOSED\') ORDER BY refund_id') as { refund_id: string }[]).map((r) => r.refund_id);
    expect(finished.length).toBeGreaterThan(0);
    const other = openStore(db);
    for (let i = 0; i <= open; i++) {
      other.recordDecision({
        refundId: finished[i % finished.length]!, action: 'approve', amountCents: null, note: null, evidence: [], agent: 'b', source: 'decide', checklist: [],
        buyerMessage: null, decidedAt: '2020-01-01T09:00:00+08:00', expectedStatus: ['WAIT_SELLER_AGREE'], statusAtDecision: null,
      });
    }
    other.close();
    const after = openStore(db);
    expect(after.triageCandidates(query(50))).toEqual(before.queue);
    expect(plan(after)).toEqual(before.plan);
    after.close();
    const memory = await inMemory();
    expect(before.queue).toEqual({ ids: memory, total: memory.length });
  });
});
