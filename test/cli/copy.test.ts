// `refunds copy --to TARGET`, SQLite → SQLite through the built CLI: every table's rows arrive
// unchanged (history, decisions, receipts, imports log), a target holding data is refused and left
// as it was, a target that cannot be a database is refused in one line, and a password is never printed.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { NEXT_DAY, buildSource, sqliteCounts, sqliteTables } from '../helpers/tables.js';
import { TABLE_NAMES } from '../../src/app/ports/index.js';


let dir: string;
let source: string;

beforeAll(() => {
  dir = tmpDir('refunds-copy-');
  source = path.join(dir, 'shop.sqlite');
  buildSource(source);
  // Guards the test itself: an empty table would pass "equal after copy" without copying anything.
  const counts = sqliteCounts(source);
  for (const t of TABLE_NAMES) expect(counts[t], t).toBeGreaterThan(0);
  expect(counts.refund_history).toBeGreaterThan(counts.refunds);
});

const copy = (to: string, ...more: string[]) => runCli(['--db', source, '--now', NOW, 'copy', '--to', to, ...more]);

describe('refunds copy, SQLite to SQLite', () => {
  it('copies every table row for row into a new file and says what it copied (--json)', () => {
    const target = path.join(dir, 'new', 'copy.sqlite');
    const before = sqliteTables(source);
    const r = copy(target, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const counts = sqliteCounts(source);
    expect(JSON.parse(r.stdout)).toEqual({
      source,
      target,
      tables: counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    });
    expect(Object.keys(JSON.parse(r.stdout).tables)).toEqual([...TABLE_NAMES]);
    expect(sqliteTables(target)).toEqual(before);
    // The source is only read.
    expect(sqliteTables(source)).toEqual(before);
    // The copy is a working database: the same answers as the original.
    const today = (db: string) => runCli(['--db', db, '--now', NEXT_DAY, 'today', '--json']);
    expect(today(target).stdout).toBe(today(source).stdout);
    const decisions = (db: string) => runCli(['--db', db, '--now', NEXT_DAY, 'decisions', '--json']);
    expect(decisions(target).stdout).toBe(decisions(source).stdout);
  });

  it('prints the per-table counts and the target', () => {
    const target = path.join(dir, 'human.sqlite');
    const r = copy(target);
    expect(r.code, r.stderr).toBe(0);
    const c = sqliteCounts(source);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Copied ${total} rows from ${source} into ${target}, every table’s rows counted on both sides:`);
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/))).toEqual(TABLE_NAMES.map((t) => [t, String(c[t])]));
  });

  it('refuses a target that already holds data, and leaves it as it was', () => {
    const target = path.join(dir, 'taken.sqlite');
    expect(runCli(['--db', target, '--now', NOW, 'import', fixture('douyin-aftersales.csv')]).code).toBe(0);
    const before = sqliteTables(target);
    for (const lang of ['en', 'zh']) {
      const r = runCli(['--db', source, '--lang', lang, 'copy', '--to', target]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(lang === 'en' ? `${target} already holds data (` : `${target} 中已有数据（`);
      expect(r.stderr).toContain('refunds (7)');
      expect(sqliteTables(target)).toEqual(before);
    }
  });

  it('refuses to copy a database onto itself', () => {
    const before = sqliteTables(source);
    const r = copy(path.join(dir, '.', 'shop.sqlite'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`refunds: --to names the database being copied (${path.join(dir, 'shop.sqlite')}): give an empty database or a new file to copy into.\n`);
    expect(sqliteTables(source)).toEqual(before);
  });

  it('refuses a target path that cannot be a database in one line, creating nothing', () => {
    // A folder where a file is in the way.
    const underFile = path.join(source, 'copy.sqlite');
    const r = copy(underFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`refunds: cannot open the database ${underFile}: a part of the path is a file, not a folder\n`);
    // A file that is not a database stays as it was.
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database\n');
    const r2 = copy(text);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toBe(`refunds: ${text} is not a refunds database (or is damaged): file is not a database\n`);
    expect(fs.readFileSync(text, 'utf8')).toBe('not a database\n');
    // A scheme refunds has no backend for never becomes a file named "mysql:".
    const r3 = copy('mysql://lead:Pa55-mysql@db/refunds');
    expect(r3.code).toBe(1);
    expect(r3.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r3.stderr).toContain('mysql:// is not a database refunds can use');
    expect(r3.stderr).toContain('mysql://lead:***@db/refunds');
    expect(fs.existsSync(path.join(process.cwd(), 'mysql:'))).toBe(false);
  });

  it('refuses a missing source without creating the target', () => {
    const target = path.join(dir, 'never.sqlite');
    const r = runCli(['--db', path.join(dir, 'missing.sqlite'), 'copy', '--to', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('never prints the password of a URL, in errors or --help', () => {
    const secret = 'Pa55-w0rd-never-shown';
    const socketDir = tmpDir('refunds-no-server-');
    const url = `postgresql://refunds_lead:${secret}@/refunds?host=${socketDir}`;
    const runs = [
      copy(url),
      copy(`postgresql://refunds_lead@/refunds?host=${socketDir}&password=${secret}`),
      runCli(['--db', url, 'today']),
      runCli(['--db', url, 'copy', '--to', path.join(dir, 'from-pg.sqlite')]),
      runCli(['--db', url, 'copy', '--help']),
      runCli(['--db', url, '--lang', 'zh', 'show', '1']),
    ];
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(secret);
      expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    }
    for (const r of runs.slice(0, 4)) {
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('***');
    }
    expect(fs.existsSync(path.join(dir, 'from-pg.sqlite'))).toBe(false);
  });
});
