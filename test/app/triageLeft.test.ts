// The next card reads the triage queue once (issue 18): its head and its size come from one query,
// and "n left" after the head reuses that size. Both must be what counting the queue says.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TriageDesk } from '../../src/app/triageSession.js';
import { ruleSetFor } from '../../src/app/rules.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/domain/calendar.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { openStore, type Store, type TriageQuery } from '../../src/store/store.js';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';

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

  it('"n left" after each card is what counting the queue without the cards passed says', () => {
    const desk = new TriageDesk(store, env, { agent: 'a', session: 'desk-1', claimTtlMs: 60_000 });
    const passed = new Set<string>();
    let seen = 0;
    for (let cf = desk.next(passed); cf; cf = desk.next(passed)) {
      const without = new Set([...passed, cf.refund.refundId]);
      const counted = store.triageCandidates(query({ session: 'desk-1', exclude: [...without] })).total;
      expect(desk.remaining(without), cf.refund.refundId).toBe(counted);
      passed.add(cf.refund.refundId);
      seen++;
    }
    expect(seen).toBeGreaterThan(3);
    desk.release();
  });

  it('when another desk holds the head, the card is the next one and "n left" still equals the count', () => {
    const other = new TriageDesk(store, env, { agent: 'b', session: 'desk-2', claimTtlMs: 60_000 });
    const head = other.next(new Set())!;
    const desk = new TriageDesk(store, env, { agent: 'a', session: 'desk-3', claimTtlMs: 60_000 });
    const cf = desk.next(new Set())!;
    expect(cf.refund.refundId).not.toBe(head.refund.refundId);
    const without = new Set([cf.refund.refundId]);
    expect(desk.remaining(without)).toBe(store.triageCandidates(query({ session: 'desk-3', exclude: [...without] })).total);
    desk.release();
    other.release();
  });
});
