// Words the typed catalog found missing (t() used to print the key): a decision recorded with
// `decide --force` is listed by `refunds decisions` as forced, in both languages.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';

const R01 = '1587001122334455001';

describe('refunds decisions names a forced decision', () => {
  it('decide (forced) / 命令处理（强制）, never the catalog key', () => {
    const db = path.join(tmpDir(), 'demo.sqlite');
    const cli = (args: string[]) => runCli(['--db', db, '--now', NOW, ...args]);
    expect(cli(['import', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv')]).code).toBe(0);
    // bob holds the case in triage (claims expire on the real clock).
    const sql = new Database(db);
    sql.prepare('INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?, ?, ?, ?)').run(R01, 'bob', 'triage-session-1', Date.now() + 10 * 60_000);
    sql.close();
    expect(cli(['decide', R01, '--action', 'approve', '--agent', 'alice', '--force']).code).toBe(0);

    const en = cli(['decisions']);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/2025-04-21 09:00 +1587001122334455001 +approve the refund +¥59\.90 +alice +decide \(forced\)/);
    const zh = cli(['--lang', 'zh', 'decisions']);
    expect(zh.stdout).toMatch(/2025-04-21 09:00 +1587001122334455001 +同意退款 +¥59\.90 +alice +命令处理（强制）/);
    expect(en.stdout + zh.stdout).not.toContain('source.');
  });
});
