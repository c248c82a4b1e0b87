// `scanOne` (app/receive.ts), the returns desk's use case, on the ports over a real SQLite file:
// a scan is recorded and matched; the same scan again on the same shop day records nothing; a
// re-inspection or another day is a new receipt; a parcel nobody claims is kept.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { ShopZone, systemClock } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { scanOne, type ReceiveEnv } from '../../src/app/receive.js';
import { repeatsToday, waybillProblem } from '../../src/domain/returns.js';
import type { Ports } from '../../src/app/ports/index.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const R04 = '15870011223344550404'; // orange, return waybill SF1234567890123
const envAt = (nowMs: number): ReceiveEnv => ({ zone, nowMs, rules: builtinRules, calendar: chinaCalendar() });
const meta = { carrier: '顺丰', note: null, inspector: '王芳' };

let store: Store;
let ports: Ports;
beforeEach(async () => {
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(store, [{ name: fixture('taobao-refunds-2017-gbk.csv') }], { zone, nowMs: NOW });
  ports = portsOf(store, systemClock);
});
afterEach(() => store.close());

const receipts = () => store.sql<{ waybill: string; condition: string; received_at: string; source: string }>('SELECT waybill, condition, received_at, source FROM warehouse_receipts ORDER BY id');

describe('scanOne', () => {
  it('records the scan and matches its refund, with what to do now', async () => {
    const s = await scanOne(ports, envAt(NOW), { raw: 'sf 1234-5678-90123', condition: 'ok', line: null }, meta);
    expect(s).toMatchObject({ waybillKey: 'SF1234567890123', recorded: 'inserted', registeredAt: '2025-04-21T09:00:00+08:00', match: 'matched', superseded: [] });
    expect(s.refunds.map((r) => [r.refundId, r.receiptState, r.nextStep, r.orange])).toEqual([[R04, 'received-ok', 'confirm-now', true]]);
    expect(receipts()).toEqual([{ waybill: 'sf 1234-5678-90123', condition: 'ok', received_at: '2025-04-21T09:00:00+08:00', source: 'scan' }]);
  });

  it('the same scan later that shop day records nothing; a re-inspection and the next day do', async () => {
    await scanOne(ports, envAt(NOW), { raw: 'SF1234567890123', condition: 'ok', line: 1 }, meta);
    const again = await scanOne(ports, envAt(NOW + 3 * 3_600_000), { raw: 'SF1234567890123', condition: 'ok', line: 2 }, meta);
    expect(again).toMatchObject({ recorded: 'duplicate', registeredAt: '2025-04-21T09:00:00+08:00', receivedAt: '2025-04-21T12:00:00+08:00' });
    const damaged = await scanOne(ports, envAt(NOW + 4 * 3_600_000), { raw: 'SF1234567890123', condition: 'damaged', line: 3 }, meta);
    expect(damaged.recorded).toBe('inserted');
    expect(damaged.refunds[0]).toMatchObject({ receiptState: 'damaged', nextStep: 'negotiate-partial' });
    // 2025-04-22 00:30 in Shanghai: another shop day, a new receipt of the same condition.
    const nextDay = await scanOne(ports, envAt(Date.parse('2025-04-22T00:30:00+08:00')), { raw: 'SF1234567890123', condition: 'damaged', line: 4 }, meta);
    expect(nextDay.recorded).toBe('inserted');
    expect(receipts().map((r) => [r.condition, r.received_at])).toEqual([
      ['ok', '2025-04-21T09:00:00+08:00'],
      ['damaged', '2025-04-21T13:00:00+08:00'],
      ['damaged', '2025-04-22T00:30:00+08:00'],
    ]);
  });

  it('a parcel no refund carries is kept, unmatched', async () => {
    const s = await scanOne(ports, envAt(NOW), { raw: 'YT7788990011', condition: 'empty', line: null }, meta);
    expect(s).toMatchObject({ recorded: 'inserted', match: 'unmatched', refunds: [] });
    expect(receipts()).toHaveLength(1);
  });
});

describe('the desk\'s rules (domain/returns.ts)', () => {
  it('waybill problems, typed', () => {
    expect(waybillProblem('SF1234567890123')).toBeNull();
    expect(waybillProblem('hello')).toEqual({ kind: 'digits', digits: 0 });
    expect(waybillProblem('SF12')).toEqual({ kind: 'chars' });
    expect(waybillProblem('ABCDEFG123456')).toEqual({ kind: 'letters', letters: 7 });
  });
  it('the same scan is the same condition on the same shop day', () => {
    const day = (ms: number) => zone.dateKey(ms);
    const latest = { condition: 'ok' as const, receivedAt: '2025-04-21T23:59:00+08:00' };
    expect(repeatsToday(latest, 'ok', NOW, day)).toBe(true);
    expect(repeatsToday(latest, 'damaged', NOW, day)).toBe(false);
    expect(repeatsToday(latest, 'ok', Date.parse('2025-04-22T00:00:00+08:00'), day)).toBe(false);
    expect(repeatsToday(null, 'ok', NOW, day)).toBe(false);
  });
});
