// `refunds copy` across backends on a real PostgreSQL server, through the built CLI: SQLite →
// PostgreSQL → SQLite gives back every row of every table, ids and sequences included; a
// PostgreSQL target that holds data is refused and left as it was; and a password, right or wrong,
// appears in no output of any command.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, runCli, tmpDir } from '../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer, withDatabase } from '../helpers/pg.js';
import { TABLE_KEYS } from '../../src/store/common/tableKeys.js';
import { buildSource, sqliteCounts, sqliteTables } from '../helpers/tables.js';
import { TABLE_NAMES } from '../../src/app/ports/index.js';
import { maskUrl } from '../../src/store/common/url.js';

const server = await pgTestServer();

/** The columns PostgreSQL stores as jsonb (src/store/pg/schema.ts), parsed. */
const JSONB = ['evidence_json', 'expected_status_json', 'checklist_json', 'flags_json'];
function withJsonbParsed(tables: ReturnType<typeof sqliteTables>) {
  return {
    ...tables,
    decisions: tables.decisions.map((d) => ({ ...d, ...Object.fromEntries(JSONB.map((c) => [c, d[c] === null ? null : JSON.parse(d[c] as string)])) })),
  };
}

describe.runIf(server)('refunds copy between SQLite and PostgreSQL', () => {
  const db = freshDatabase(server, 'copy round trip');
  let dir: string;
  let source: string;

  beforeAll(() => {
    dir = tmpDir('refunds-copy-pg-');
    source = path.join(dir, 'shop.sqlite');
    buildSource(source);
    for (const t of TABLE_NAMES) expect(sqliteCounts(source)[t], t).toBeGreaterThan(0);
  });

  it('SQLite → PostgreSQL → SQLite keeps every row of every table', async () => {
    const counts = sqliteCounts(source);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const there = runCli(['--db', source, '--now', NOW, 'copy', '--to', db.url, '--json']);
    expect(there.code, there.stderr).toBe(0);
    expect(JSON.parse(there.stdout)).toEqual({ source, target: maskUrl(db.url), tables: counts, total });
    for (const t of TABLE_NAMES) {
      const [row] = await adminQuery<{ n: string }>(db.url, `SELECT count(*) AS n FROM ${t}`);
      expect(Number(row!.n), t).toBe(counts[t]);
    }
    const back = path.join(dir, 'back.sqlite');
    const r = runCli(['--db', db.url, '--now', NOW, 'copy', '--to', back, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ source: maskUrl(db.url), target: back, tables: counts, total });
    // Byte for byte, but for the decisions' jsonb lists: PostgreSQL keeps their values and writes its
    // own spacing (["a", "b"]); every reader JSON.parses them, so no output changes.
    expect(withJsonbParsed(sqliteTables(back))).toEqual(withJsonbParsed(sqliteTables(source)));
    const { decisions: _a, ...restBack } = sqliteTables(back);
    const { decisions: _b, ...restSource } = sqliteTables(source);
    expect(restBack).toEqual(restSource);
    // Ids go on after the copied ones: a new decision on the copy takes the next id.
    const [seq] = await adminQuery<{ n: string }>(db.url, `SELECT nextval(pg_get_serial_sequence('decisions', 'id')) AS n`);
    expect(Number(seq!.n)).toBe(counts.decisions + 1);
  });

  it('refuses a PostgreSQL target that holds data, and leaves it as it was', async () => {
    const before = await adminQuery(db.url, 'SELECT refund_id, status, updated_at FROM refunds ORDER BY refund_id');
    expect(before.length).toBeGreaterThan(0);
    const r = runCli(['--db', source, 'copy', '--to', db.url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${maskUrl(db.url)} already holds data (`);
    expect(await adminQuery(db.url, 'SELECT refund_id, status, updated_at FROM refunds ORDER BY refund_id')).toEqual(before);
  });

  describe('PostgreSQL to PostgreSQL', () => {
    const other = freshDatabase(server, 'copy pg to pg');

    it('copies one shared database into another, every row equal', async () => {
      const counts = sqliteCounts(source);
      const r = runCli(['--db', db.url, 'copy', '--to', other.url, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).tables).toEqual(counts);
      for (const [t, key] of Object.entries(TABLE_KEYS)) {
        const sql = `SELECT * FROM ${t} ORDER BY ${key.join(', ')}`;
        expect(await adminQuery(other.url, sql), t).toEqual(await adminQuery(db.url, sql));
      }
    });
  });

  describe('a password', () => {
    const empty = freshDatabase(server, 'copy password');

    it('is never printed, wrong or right, in any output', async () => {
      expect(server!.passwordUrl, 'scripts/pg-test-server.sh makes the role refunds_pw').not.toBeNull();
      const right = empty.passwordUrl!;
      const password = decodeURIComponent(/^postgres(?:ql)?:\/\/[^:]*:([^@]*)@/.exec(right)![1]!);
      expect(password.length).toBeGreaterThan(8);
      const wrong = right.replace(/(:\/\/[^:]*:)[^@]*@/, '$1not-the-password-Zq7@');
      const runs = [
        runCli(['--db', source, 'copy', '--to', wrong]),
        runCli(['--db', wrong, 'copy', '--to', path.join(dir, 'never.sqlite')]),
        runCli(['--db', wrong, '--lang', 'zh', 'today']),
        // Right password, but refunds_pw may not create the tables: refused, still masked.
        runCli(['--db', source, 'copy', '--to', right]),
        runCli(['--db', right, 'copy', '--help']),
      ];
      for (const r of runs) {
        for (const text of [password, encodeURIComponent(password), 'not-the-password-Zq7']) {
          expect(r.stdout).not.toContain(text);
          expect(r.stderr).not.toContain(text);
        }
        expect(r.stderr).not.toMatch(/^\s+at /m);
      }
      for (const r of runs.slice(0, 4)) {
        expect(r.code).toBe(1);
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
      expect(runs[0]!.stderr).toContain('PostgreSQL refused user "refunds_pw"');
      expect(runs[0]!.stderr).toContain('postgresql://refunds_pw:***@/');
      expect(fs.existsSync(path.join(dir, 'never.sqlite'))).toBe(false);
      const [n] = await adminQuery<{ n: string }>(withDatabase(server!.url, empty.name), `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`);
      expect(Number(n!.n)).toBe(0);
    });
  });
});
