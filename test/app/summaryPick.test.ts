// The summary reads whole and assesses only the open refunds it can list (app/summarySweep.ts).
// Every list, count and figure must be what the same filters give over the whole sweep, as the
// summary computed them before: on a generated pile of open refunds, with decisions not carried
// out, at several instants and due-soon windows (one shorter than the time left today).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarms, buildSummary, failIfCount, FIRST_ACTIONS } from '../../src/app/summary.js';
import { countsOf, type SweepEnv, type SweepItem } from '../../src/app/sweep.js';
import { ruleSetFor } from '../../src/app/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { openStore, type Store } from '../helpers/syncStore.js';
import { storePorts as portsOf } from '../helpers/syncStore.js';
import { fixture, runCli, tmpDir } from '../helpers/cli.js';
// @ts-expect-error: the benchmark's generator is plain JavaScript
import { generateRefunds } from '../../bench/generate.mjs';

const zone = new ShopZone('Asia/Shanghai');
const NOW = '2025-04-21T09:00:00+08:00';
const nowMs = Date.parse(NOW);

let store: Store;

beforeAll(() => {
  const dir = tmpDir();
  const db = path.join(dir, 'pile.sqlite');
  const pile = path.join(dir, 'refunds-pile.csv');
  generateRefunds({ rows: 3000, orderRows: 15000, seed: 18, file: pile, shape: 'pile' });
  expect(runCli(['--db', db, '--now', '2025-04-20T09:00:00+08:00', 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('warehouse-returns.csv')]).code).toBe(0);
  // Decisions that expected another state, then a newer export: not carried out.
  const raw = new Database(db);
  const open = raw.prepare("SELECT refund_id FROM refunds WHERE status NOT IN ('SUCCESS', 'CLOSED') ORDER BY refund_id").pluck().all() as string[];
  const decide = raw.prepare(
    `INSERT INTO decisions (refund_id, action, agent, decided_at, expected_status_json, source) VALUES (?, 'agree', 'a', '2025-04-20T10:00:00+08:00', '["SUCCESS"]', 'decide')`,
  );
  for (const id of open.slice(0, 4)) decide.run(id);
  raw.close();
  expect(runCli(['--db', db, '--now', NOW, 'import', pile]).code).toBe(0);
  store = openStore(db, { readonly: true });
});
afterAll(() => store.close());

function env(at: number, dueSoonMs: number): SweepEnv {
  return { zone, nowMs: at, rules: ruleSetFor({}, ''), calendar: chinaCalendar(), dueSoonMs };
}

const ids = (rows: { item: SweepItem }[]) => rows.map((r) => r.item.refund.refundId);

describe.each([
  [NOW, 24 * 3_600_000],
  [NOW, 2 * 3_600_000],
  ['2025-04-21T20:30:00+08:00', 24 * 3_600_000],
  ['2025-04-22T01:00:00+08:00', 30 * 60_000],
])('at %s, due soon within %i ms', (at, dueSoonMs) => {
  it('lists, counts and figures equal the same filters over the whole sweep', async () => {
    const e = env(Date.parse(at), dueSoonMs);
    const data = await buildSummary(portsOf(store, { now: () => e.nowMs }), e);
    const all = await data.items; // the whole sweep, read on demand
    expect(all.length).toBeGreaterThan(250);
    const startOfToday = zone.startOfDay(e.nowMs);
    const endOfTodayMs = zone.addDays(startOfToday, 1);
    const want = {
      overdue: all.filter((i) => i.urgency.section === 'overdue'),
      dueToday: all.filter((i) => alarms(i) && !i.urgency.overdue && i.deadline.at !== null && i.deadline.at < endOfTodayMs),
      orange: all.filter((i) => i.urgency.orange),
      notCarriedOut: all.filter((i) => i.notCarriedOut),
      firstActions: all
        .filter((i) => ['overdue', 'dueSoon', 'orange', 'seller'].includes(i.urgency.section) && alarms(i) && i.next !== 'none')
        .slice(0, FIRST_ACTIONS),
    };
    for (const [k, list] of Object.entries(want)) expect(ids(data[k as keyof typeof want]), k).toEqual(list.map((i) => i.refund.refundId));
    expect(want.notCarriedOut.length).toBe(4);
    expect(want.orange.length).toBeGreaterThan(10);
    expect(want.firstActions.length).toBe(FIRST_ACTIONS);
    expect(data.overdue.map((r) => r.item)).toEqual(want.overdue);
    const c = countsOf(all);
    expect(data.counts).toEqual({ ...c, dueToday: want.dueToday.length, overdueShop: want.overdue.length });
    const byState = new Map<string, { refunds: number; amountCents: number }>();
    for (const i of all) {
      const s = byState.get(i.refund.status) ?? { refunds: 0, amountCents: 0 };
      s.refunds++;
      s.amountCents += i.refund.amountCents;
      byState.set(i.refund.status, s);
    }
    expect(new Map(data.byState.map((s) => [s.status, { refunds: s.refunds, amountCents: s.amountCents }]))).toEqual(byState);
    for (const ms of [0, 3_600_000, 6 * 3_600_000, 3 * 86_400_000]) {
      expect(failIfCount(data, { kind: 'due-within', ms })).toBe(all.filter((i) => alarms(i) && i.deadline.at !== null && i.deadline.at - e.nowMs <= ms).length);
    }
    expect(failIfCount(data, { kind: 'overdue' })).toBe(want.overdue.length);
  });
});

it('the first actions come from the seller section when the sections above it hold too few', async () => {
  // The fixtures only, far in the past: nothing is overdue or due soon yet, few are orange.
  const db = path.join(tmpDir(), 'few.sqlite');
  expect(runCli(['--db', db, '--now', '2025-04-20T09:00:00+08:00', 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
  const few = openStore(db, { readonly: true });
  const e = env(Date.parse('2025-03-01T09:00:00+08:00'), 60_000);
  const data = await buildSummary(portsOf(few, { now: () => e.nowMs }), e);
  const want = (await data.items)
    .filter((i) => ['overdue', 'dueSoon', 'orange', 'seller'].includes(i.urgency.section) && alarms(i) && i.next !== 'none')
    .slice(0, FIRST_ACTIONS);
  expect(want.filter((i) => i.urgency.section === 'seller').length).toBeGreaterThan(0);
  expect(ids(data.firstActions)).toEqual(want.map((i) => i.refund.refundId));
  few.close();
});

it('the first actions come from the refunds due soon after today when today holds too few', async () => {
  // The fixtures at 20:00 on the day of their import: their first deadlines fall due tomorrow,
  // within the due-soon window but past today's end (not read whole unless needed).
  const db = path.join(tmpDir(), 'tomorrow.sqlite');
  expect(runCli(['--db', db, '--now', '2025-04-20T09:00:00+08:00', 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
  const few = openStore(db, { readonly: true });
  const e = env(Date.parse('2025-04-20T20:00:00+08:00'), 24 * 3_600_000);
  const endOfTodayMs = Date.parse('2025-04-21T00:00:00+08:00');
  const data = await buildSummary(portsOf(few, { now: () => e.nowMs }), e);
  const all = await data.items;
  const want = all.filter((i) => ['overdue', 'dueSoon', 'orange', 'seller'].includes(i.urgency.section) && alarms(i) && i.next !== 'none').slice(0, FIRST_ACTIONS);
  expect(want.map((i) => i.urgency.section)).toEqual(Array(FIRST_ACTIONS).fill('dueSoon'));
  expect(want.every((i) => i.deadline.at! >= endOfTodayMs)).toBe(true);
  expect(ids(data.firstActions)).toEqual(want.map((i) => i.refund.refundId));
  expect(ids(data.dueToday)).toEqual(all.filter((i) => alarms(i) && !i.urgency.overdue && i.deadline.at !== null && i.deadline.at < endOfTodayMs).map((i) => i.refund.refundId));
  few.close();
});
