// `triage --from N`: the desk starts with the case asked for, once, then follows the queue; a case
// another session holds is not taken from it.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { fixture, tmpDir } from '../helpers/cli.js';
import { deskOn } from '../helpers/desk.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const env: SweepEnv = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000 };
const D7 = '7360123456789012307'; // the queue's head: douyin, overdue
const R13 = '158700112233445513'; // unshipped, waiting on the seller, far down the queue
const R14 = '158700112233445514'; // waiting on the buyer: never in the plain queue

let store: Store;
beforeEach(async () => {
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  const files = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
  await importFiles(store, files.map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW });
});

const desk = (session: string, startWith?: string) => deskOn(store, env, { agent: session, session, claimTtlMs: 15 * 60_000, startWith }, { now: () => NOW }).desk;

describe('TriageDesk startWith', () => {
  it('offers the case asked for first, then the queue from its head', async () => {
    const a = desk('A', R13);
    expect((await a.next())!.refund.refundId).toBe(R13);
    expect((await a.next(new Set([R13])))!.refund.refundId).toBe(D7);
    await a.release();
  });

  it('takes a case the plain queue leaves out when asked for it (a row of today waiting on the buyer)', async () => {
    const a = desk('A', R14);
    expect((await a.next())!.refund.refundId).toBe(R14);
    await a.release();
  });

  it('leaves a case another session holds, and starts with the queue instead', async () => {
    const b = desk('B');
    expect((await b.next())!.refund.refundId).toBe(D7);
    const a = desk('A', D7);
    expect((await a.next())!.refund.refundId).not.toBe(D7);
    await a.release();
    await b.release();
  });
});
