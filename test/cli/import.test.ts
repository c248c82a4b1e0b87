// The real CLI, spawned: what an agent or a cron job sees.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { bigRefundExport } from '../helpers/bigfile.js';

const db = () => path.join(tmpDir(), 'r.sqlite');

describe('refunds import (spawned)', () => {
  it('imports the demo exports and reports per file in JSON', () => {
    const file = db();
    const r = runCli(['--db', file, '--now', NOW, 'import', '--json', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv'), fixture('douyin-aftersales.csv')]);
    expect(r.code).toBe(0);
    // The demo report's line 11 holds a state text refunds does not know: warned on stderr too, even with --json.
    const warning = 'state text "退款待处理（新状态）" is new to refunds: kept as UNKNOWN (counted as open, the seller acts); check it in the seller backend or map it in a profile';
    expect(r.stderr).toBe(`${fixture('taobao-refunds-2017-gbk.csv')}:11: warning: ${warning}\n`);
    const out = JSON.parse(r.stdout);
    expect(out.files[0].warnings).toEqual([{ line: 11, column: '退款状态', message: warning }]);
    expect(out.files.map((f: any) => [f.format, f.refused]).flat()).toEqual(['csv', undefined, 'csv', undefined, 'csv', undefined]);
    expect(out.files.map((f: any) => [f.kind, f.encoding, f.inserted, f.updated, f.unchanged, f.rejected])).toEqual([
      ['taobao-refunds', 'gb18030', 13, 0, 0, 1],
      ['taobao-orders', 'gb18030', 21, 0, 0, 0],
      ['douyin-aftersales', 'utf-8', 7, 0, 0, 0],
    ]);
    expect(out.files[0].errors).toEqual([
      { line: 13, message: 'the amount "无退款申请" in 买家退款金额 is not money (write it like 59.90)' },
    ]);
    const sql = new Database(file, { readonly: true });
    expect(sql.prepare('SELECT refund_id, order_id, amount_cents, export_deadline FROM refunds WHERE refund_id = ?').get('1587001122334455001')).toEqual({
      refund_id: '1587001122334455001',
      order_id: '4123456789012345678',
      amount_cents: 5990,
      export_deadline: '2025-04-21T20:15:00+08:00',
    });
    sql.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('re-importing the same file changes nothing (exit 0, all unchanged)', () => {
    const file = db();
    runCli(['--db', file, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv')]);
    const before = fs.readFileSync(file);
    const r = runCli(['--db', file, '--now', '2025-04-21T10:00:00+08:00', 'import', '--json', fixture('taobao-refunds-2017-gbk.csv')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ inserted: 0, updated: 0, unchanged: 13, rejected: 1 });
    const sql = new Database(file, { readonly: true });
    expect(sql.prepare('SELECT count(*) AS n FROM refund_history').get()).toEqual({ n: 13 });
    sql.close();
    void before;
  });

  it('prints a human report in Chinese with --lang zh', () => {
    const r = runCli(['--db', db(), '--now', NOW, '--lang', 'zh', 'import', fixture('taobao-refunds-2017-gbk.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('taobao-refunds（gb18030）— 新增 13，更新 0，未变 0，拒收 1');
    expect(r.stdout).toContain('taobao-refunds-2017-gbk.csv:13: 买家退款金额 中的 "无退款申请" 不是金额（应写作 59.90）');
  });

  it.each([
    ['broken/unclosed-quote.csv', 'broken/unclosed-quote.csv:4: a quoted cell is never closed'],
    ['broken/missing-key-column.csv', 'broken/missing-key-column.csv:1: this taobao-refunds export has no column 退款编号'],
    ['broken/binary-garbage.csv', 'broken/binary-garbage.csv: not a CSV export (binary data)'],
    ['broken/empty.csv', 'broken/empty.csv: the file is empty'],
    ['broken/header-only-unknown.csv', 'broken/header-only-unknown.csv:1: headers match no known export (姓名, 年龄)'],
    ['broken/ragged-rows.csv', 'broken/ragged-rows.csv:3: the row has 63 cells but the header has 38'],
  ])('%s is refused whole with a clear message and exit 1; the other file goes in', (name, message) => {
    const file = db();
    runCli(['--db', file, '--now', NOW, 'import', fixture('douyin-aftersales.csv')]);
    const sql = () => {
      const d = new Database(file, { readonly: true });
      const rows = d.prepare('SELECT refund_id FROM refunds ORDER BY refund_id').all() as { refund_id: string }[];
      d.close();
      return rows;
    };
    const before = sql();
    const r = runCli(['--db', file, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture(name)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('taobao-refunds (gb18030) — 13 new');
    expect(r.stdout).toContain('REFUSED');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('1 of 2 files were refused and nothing of them was written; the other files were imported.');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    const after = sql();
    expect(after.length).toBe(before.length + 13);
    expect(after.filter((x) => x.refund_id.startsWith('1599') || x.refund_id.startsWith('49000'))).toEqual([]);
    // Alone, the broken file: nothing imported, and the JSON document still comes, naming it.
    const alone = runCli(['--db', file, '--now', NOW, 'import', '--json', fixture(name)]);
    expect(alone.code).toBe(1);
    const doc = JSON.parse(alone.stdout);
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({ file: fixture(name), refused: true, inserted: 0 });
    expect(doc.files[0].error).toContain(message);
    expect(alone.stderr).toContain('Nothing was imported.');
    expect(sql()).toEqual(after);
  });

  it('reads standard input with "-"', () => {
    const file = db();
    const r = runCli(['--db', file, '--now', NOW, 'import', '--json', '-'], { input: fs.readFileSync(fixture('taobao-refunds-2017-gbk.csv')) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ file: '<stdin>', kind: 'taobao-refunds', encoding: 'gb18030', inserted: 13 });
  });

  it('--dry-run reports without writing', () => {
    const file = db();
    const r = runCli(['--db', file, '--now', NOW, 'import', '--dry-run', fixture('taobao-refunds-2017-gbk.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was written.');
    // Not even an empty database: a read command afterwards still says "import first".
    expect(fs.existsSync(file)).toBe(false);
  });

  it('usage errors exit 2; a missing file exits 1 naming it', () => {
    expect(runCli(['import']).code).toBe(2);
    expect(runCli(['import', '--encoding', 'latin9', fixture('douyin-aftersales.csv'), '--db', db()]).code).toBe(2);
    expect(runCli(['--now', 'yesterday', 'import', fixture('douyin-aftersales.csv'), '--db', db()]).code).toBe(2);
    const r = runCli(['--db', db(), 'import', '/nonexistent/x.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refunds: /nonexistent/x.csv: no such file');
  });

  it('--help shows examples', () => {
    const r = runCli(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('refunds import --dry-run new-export.csv');
  });
});

describe('the program itself', () => {
  it('without a command: help on stderr, exit 2; --help and --version exit 0', () => {
    const bare = runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: refunds');
    expect(runCli(['--help']).code).toBe(0);
    expect(runCli(['--version']).stdout.trim()).toBe('0.1.0');
  });

  it('a mistyped command suggests the right one', () => {
    const r = runCli(['tody']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(Did you mean today?)');
  });

  it('a reader that closes the pipe early is told in one line, exit 1 (refunds today --json | head -c 20)', () => {
    const file = db();
    expect(runCli(['--db', file, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv')]).code).toBe(0);
    // Enough output to outlast the pipe buffer, and a reader that stops after 20 bytes.
    const big = bigRefundExport(tmpDir(), 3000);
    expect(runCli(['--db', file, '--now', NOW, 'import', big]).code).toBe(0);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --db "${file}" --now ${NOW} today --json | head -c 20 >/dev/null; echo "status=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
    });
    // Nothing passes as success that was not: the document did not reach its reader whole (issue 14, item 2).
    expect(r.stderr).toBe('refunds: the output is incomplete: the reader closed the pipe (EPIPE)\nstatus=1\n');
  });
});
