// Acceptance run of issue 14 (class 5): a first import whose every file was refused (or a
// --dry-run) created an empty database, after which `today` showed an empty sweep and
// `summary --fail-if overdue` passed with exit 0 — the wrong-path alarm silenced by a failed import.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NOW, runCli, tmpDir } from '../helpers/cli.js';

const GOOD = '退款编号,订单编号,退款状态,买家退款金额,退款的申请时间\n1000000000000001,4123456789012345678,买家已经申请退款，等待卖家同意,59.90,2025-04-20 10:00:00\n';
const cli = (db: string, args: string[]) => runCli(['--db', db, '--now', NOW, ...args]);

describe('an import that writes nothing leaves no new database behind', () => {
  it('every file refused: no database and no folders created; read commands still refuse', () => {
    const dir = tmpDir();
    const unknown = path.join(dir, 'unknown.csv');
    fs.writeFileSync(unknown, 'foo,bar\n1,2\n');
    const db = path.join(dir, 'typo', 'deeper', 'refunds.sqlite');
    const r = cli(db, ['import', '--json', unknown]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0].refused).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['unknown.csv']);
    const alarm = cli(db, ['summary', '--fail-if', 'overdue']);
    expect([alarm.code, alarm.stderr]).toEqual([1, `refunds: no database at ${db}; import first (refunds import FILE), or check --db / REFUNDS_DB\n`]);
    expect(fs.readdirSync(dir)).toEqual(['unknown.csv']);
  });

  it('--dry-run of a good file creates no database', () => {
    const dir = tmpDir();
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, GOOD);
    const db = path.join(dir, 'refunds.sqlite');
    expect(cli(db, ['import', '--dry-run', good]).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['good.csv']);
  });

  it('one refused file beside a good one, or an existing database: the database stays', () => {
    const dir = tmpDir();
    const good = path.join(dir, 'good.csv');
    const unknown = path.join(dir, 'unknown.csv');
    fs.writeFileSync(good, GOOD);
    fs.writeFileSync(unknown, 'foo,bar\n1,2\n');
    const db = path.join(dir, 'refunds.sqlite');
    expect(cli(db, ['import', unknown, good]).code).toBe(1);
    expect(cli(db, ['import', unknown]).code).toBe(1); // the database exists now: left as it is
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT refund_id, amount_cents FROM refunds').all()).toEqual([{ refund_id: '1000000000000001', amount_cents: 5990 }]);
    d.close();
  });
});
