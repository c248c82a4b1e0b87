// The stored tables of a SQLite file, every row in primary-key order (what `refunds copy` must carry
// over unchanged, generated columns included as SELECT * reads them), and a shop's database to copy.
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { NOW, fixture, runCli } from './cli.js';
import { TABLE_NAMES, type TableName } from '../../src/app/ports/index.js';
import { TABLE_KEYS } from '../../src/store/common/tableKeys.js';


export function sqliteTables(file: string): Record<TableName, Record<string, unknown>[]> {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(TABLE_NAMES.map((t) => [t, d.prepare(`SELECT * FROM ${t} ORDER BY ${TABLE_KEYS[t].join(', ')}`).all()])) as Record<
      TableName,
      Record<string, unknown>[]
    >;
  } finally {
    d.close();
  }
}

export function sqliteCounts(file: string): Record<TableName, number> {
  const all = sqliteTables(file);
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, all[t].length])) as Record<TableName, number>;
}

const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const R01 = '1587001122334455001';
const R02 = '158700112233445502';
export const NEXT_DAY = '2025-04-22T09:00:00+08:00';

/** A shop's database with a row in every table: two days of imports (history), decisions, a receipt, a claim and a snooze. */
export function buildSource(file: string): void {
  const ok = (args: string[], now = NOW) => {
    const r = runCli(['--db', file, '--now', now, ...args]);
    expect(r.code, r.stderr).toBe(0);
  };
  ok(['import', ...DEMO.map(fixture)]);
  ok(['decide', R01, '--action', 'approve', '--agent', 'alice']);
  ok(['decide', R02, '--action', 'contact-buyer', '--note', '问一下包裹', '--agent', 'bob']);
  ok(['import', fixture('taobao-refunds-2017-gbk-v2.csv')], NEXT_DAY);
  // Claims and snoozes are written by the triage desk (an interactive session): seeded directly.
  const d = new Database(file);
  d.prepare('INSERT OR REPLACE INTO claims (refund_id, agent, session, expires_at) VALUES (?, ?, ?, ?)').run(R02, 'bob', 'tty-7', 1745370000000);
  d.prepare('INSERT INTO snoozes (refund_id, agent, until) VALUES (?, ?, ?)').run(R01, 'alice', '2025-04-23T09:00:00+08:00');
  d.close();
}

