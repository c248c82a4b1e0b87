// The case file through the ports (app/caseFile.ts caseFile over the native SQLite ports) is the one
// the Store twin builds, for every demo refund: order, history, decisions, receipts, buyer history.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, storePorts as portsOf, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { caseFile } from '../../src/app/caseFile.js';
import { caseFileFromStore } from '../../src/app/storeTwins.js';
import { buyerSettings } from '../../src/app/buyerHistory.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const env: SweepEnv = {
  zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000,
  buyer: buyerSettings({ buyerHistoryDays: 90 }),
};

let store: Store;
beforeEach(async () => {
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(store, DEMO.map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW });
});
afterEach(() => store.close());

describe('caseFile on the ports', () => {
  it('equals the Store twin for every refund, and is null for an unknown ID', async () => {
    const ports = portsOf(store, { now: () => NOW });
    const ids = store.sql<{ refund_id: string }>('SELECT refund_id FROM refunds ORDER BY refund_id').map((r) => r.refund_id);
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) {
      const viaPorts = await ports.unitOfWork((tx) => caseFile(tx, env, id), { mode: 'read' });
      expect(viaPorts).toEqual(caseFileFromStore(store, env, id));
    }
    const d7 = (await caseFile(ports, env, '7360123456789012307'))!;
    expect(d7.refund.platform).toBe('douyin');
    expect(d7.urgency.section).toBe('overdue');
    expect(await caseFile(ports, env, '999')).toBeNull();
  });
});
