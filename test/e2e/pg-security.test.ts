// Issue 19, security: a password is never shown, and a connection that cannot be made says what
// failed in one line. Real server (its role refunds_pw must give a password: scram in pg_hba), the
// built CLI as a process, every command, the password wrong or right, in the URL, in ?password=
// or in PGPASSWORD, with --db or REFUNDS_DB; then the failures (server unreachable, login refused,
// database missing) word for word in English and in Chinese.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir, type CliResult } from '../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer } from '../helpers/pg.js';

const server = await pgTestServer();

const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const D7 = '7360123456789012307';
const ZH = { LANG: 'zh_CN.UTF-8' };

/** Every command, as an agent or the lead types it after `--db URL --now NOW`. */
function commands(dir: string): string[][] {
  return [
    ['import', ...DEMO.map(fixture)],
    ['import', '--json', '--dry-run', fixture(DEMO[0]!)],
    ['today'],
    ['today', '--json'],
    ['show', D7],
    ['show', D7, '--json'],
    ['decide', D7, '--action', 'wait', '--agent', 'xiaoli'],
    ['decisions', '--json'],
    ['receive', 'SF1234567890123', '--inspector', 'laowang', '--json'],
    ['returns'],
    ['summary', '--json'],
    ['stats', '--json'],
    ['stats', '--by', 'agent'],
    ['evidence', D7, '--out', path.join(dir, 'appeal')],
    ['purge', '--before', '2025-05-01', '--dry-run', '--json'],
    ['purge', '--before', '2025-05-01'],
    ['copy', '--to', path.join(dir, 'copy.sqlite')],
    ['triage'],
    ['today', '--help'],
    ['--help'],
  ];
}

describe.runIf(server)('PostgreSQL: passwords and connection errors', () => {
  const db = freshDatabase(server, 'pg security');
  let dir: string;
  /** The scram role's URL on this test's database, and its real password. */
  let roleUrl: string;
  let password: string;
  /** The server's socket folder (the test server listens on a Unix socket only). */
  const socketDir = () => decodeURIComponent(/[?&]host=([^&]+)/.exec(db.url)![1]!);

  beforeAll(async () => {
    expect(server!.passwordUrl, 'the test server has a password role (scripts/pg-test-server.sh)').not.toBeNull();
    dir = tmpDir('refunds-pg-security-');
    const m = /^postgres(?:ql)?:\/\/refunds_pw:([^@]+)@/.exec(server!.passwordUrl!);
    expect(m, 'REFUNDS_TEST_PG_PASSWORD_URL names refunds_pw with its password').not.toBeNull();
    password = decodeURIComponent(m![1]!);
    expect(password.length).toBeGreaterThanOrEqual(12);
    roleUrl = `postgresql://refunds_pw:${encodeURIComponent(password)}@/${db.name}?host=${socketDir()}`;
    const imported = runCli(['--db', db.url, '--now', NOW, 'import', ...DEMO.map(fixture)]);
    expect(imported.code, imported.stderr).toBe(0);
    // The role may read (an agent without the GRANTs of README "Team mode" for writing).
    await adminQuery(db.url, 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO refunds_pw');
  });

  /** Neither the password nor any spelling of it (URL-encoded, with the typo) in what was printed. */
  function expectNoSecret(r: CliResult, secrets: string[], what: string): void {
    const printed = r.stdout + r.stderr;
    for (const s of secrets) {
      for (const form of new Set([s, encodeURIComponent(s), encodeURI(s)])) expect(printed.includes(form), `${what} printed the password (${form.length} chars)`).toBe(false);
    }
    expect(r.stderr, `${what}: no stack trace`).not.toMatch(/\n\s+at |internal error/);
  }

  it('a wrong password, in the URL, in ?password= or in PGPASSWORD, appears in no output of any command', () => {
    const wrong = `${password}x:/@%41`;
    const forms: { how: string; url: string; env: Record<string, string> }[] = [
      { how: 'in the URL', url: `postgresql://refunds_pw:${encodeURIComponent(wrong)}@/${db.name}?host=${socketDir()}`, env: {} },
      { how: 'in ?password=', url: `postgresql://refunds_pw@/${db.name}?host=${socketDir()}&password=${encodeURIComponent(wrong)}`, env: {} },
      { how: 'in PGPASSWORD', url: `postgresql://refunds_pw@/${db.name}?host=${socketDir()}`, env: { PGPASSWORD: wrong } },
    ];
    for (const form of forms) {
      for (const args of commands(dir)) {
        for (const viaEnv of [false, true]) {
          const what = `${args.join(' ')} (password ${form.how}${viaEnv ? ', REFUNDS_DB' : ''})`;
          const r = viaEnv
            ? runCli(['--now', NOW, ...args], { env: { ...form.env, REFUNDS_DB: form.url } })
            : runCli(['--db', form.url, '--now', NOW, ...args], { env: form.env });
          expectNoSecret(r, [wrong, password], what);
          if (args.includes('--help')) {
            expect(r.code, what).toBe(0);
            continue;
          }
          if (args[0] === 'triage') {
            // Not a terminal: refused before any connection, exit 2.
            expect(r.code, what).toBe(2);
            continue;
          }
          expect(r.code, `${what}: ${r.stderr}`).toBe(1);
          expect(r.stdout, what).toBe('');
          const lines = r.stderr.trimEnd().split('\n');
          expect(lines, what).toHaveLength(1);
          expect(lines[0], what).toContain('PostgreSQL refused user "refunds_pw"');
          expect(lines[0], what).toContain('wrong password');
          if (form.how === 'in the URL') expect(lines[0], what).toContain(`postgresql://refunds_pw:***@/${db.name}?host=`);
        }
      }
    }
  }, 300_000);

  it('the right password: commands work or are refused for a missing privilege, and the password is never printed', () => {
    const today = runCli(['--db', roleUrl, '--now', NOW, 'today', '--json']);
    expect(today.code, today.stderr).toBe(0);
    expect(JSON.parse(today.stdout).counts.open).toBe(16);
    for (const args of commands(dir)) {
      for (const env of [{}, ZH]) {
        const r = runCli(['--db', roleUrl, '--now', NOW, ...args], { env });
        expectNoSecret(r, [password], `${args.join(' ')} (right password)`);
        if (r.code !== 0) expect(r.stderr.trimEnd().split('\n').length, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(2);
      }
    }
    // A write this role may not make: refused in one line that names the user and the masked URL.
    const decide = runCli(['--db', roleUrl, '--now', NOW, 'decide', D7, '--action', 'wait', '--agent', 'xiaoli']);
    expect(decide.code).toBe(1);
    expect(decide.stderr).toContain('user "refunds_pw" lacks a privilege');
    expect(decide.stderr).toContain(`postgresql://refunds_pw:***@/${db.name}?host=`);
  }, 120_000);

  describe('connection errors: one line, exit 1, what failed, in English and Chinese', () => {
    const cases = () => {
      const host = socketDir();
      const absent = path.join(dir, 'no-server-here');
      return [
        {
          what: 'no server at the socket folder',
          url: `postgresql://postgres@/${db.name}?host=${absent}`,
          en: `refunds: cannot reach the PostgreSQL server of postgresql://postgres@/${db.name}?host=${absent}: no server socket there (is the server running, is ?host= its socket folder?).`,
          zh: `refunds：连不上 postgresql://postgres@/${db.name}?host=${absent} 的 PostgreSQL 服务器：那里没有服务器套接字（服务器是否在运行，?host= 是否是它的套接字目录？）。请检查主机、端口或 ?host= 套接字目录，以及服务器是否在运行。`,
        },
        {
          what: 'nothing listening on the TCP port',
          url: `postgresql://postgres@127.0.0.1:1/${db.name}`,
          en: `refunds: cannot reach the PostgreSQL server of postgresql://postgres@127.0.0.1:1/${db.name}: connection refused (is the server running, on this port?).`,
          zh: `refunds：连不上 postgresql://postgres@127.0.0.1:1/${db.name} 的 PostgreSQL 服务器：连接被拒绝（服务器是否在运行、是否在这个端口上？）。请检查主机、端口或 ?host= 套接字目录，以及服务器是否在运行。`,
        },
        {
          what: 'a wrong password',
          url: `postgresql://refunds_pw:${encodeURIComponent(`${password}0`)}@/${db.name}?host=${host}`,
          en: `refunds: PostgreSQL refused user "refunds_pw" (postgresql://refunds_pw:***@/${db.name}?host=${host}): wrong password. Check the password (URL, PGPASSWORD or ~/.pgpass) and the server’s pg_hba.conf.`,
          zh: `refunds：PostgreSQL 拒绝了用户 "refunds_pw"（postgresql://refunds_pw:***@/${db.name}?host=${host}）：密码错误。请检查密码（URL、PGPASSWORD 或 ~/.pgpass）和服务器的 pg_hba.conf。`,
        },
        {
          what: 'no password where one is needed',
          url: `postgresql://refunds_pw@/${db.name}?host=${host}`,
          en: `refunds: PostgreSQL refused user "refunds_pw" (postgresql://refunds_pw@/${db.name}?host=${host}): the server asks for a password and none was given. Check the password (URL, PGPASSWORD or ~/.pgpass) and the server’s pg_hba.conf.`,
          zh: `refunds：PostgreSQL 拒绝了用户 "refunds_pw"（postgresql://refunds_pw@/${db.name}?host=${host}）：服务器要求密码，但没有提供。请检查密码（URL、PGPASSWORD 或 ~/.pgpass）和服务器的 pg_hba.conf。`,
        },
        {
          what: 'a database the server does not have',
          url: `postgresql://postgres@/${db.name}_missing?host=${host}`,
          en: `refunds: the PostgreSQL server of postgresql://postgres@/${db.name}_missing?host=${host} has no database "${db.name}_missing": create it (README "Team mode") or fix the URL.`,
          zh: `refunds：postgresql://postgres@/${db.name}_missing?host=${host} 的 PostgreSQL 服务器上没有数据库 "${db.name}_missing"：请先创建（见 README「团队模式」）或改正 URL。`,
        },
      ];
    };

    it('today (reads) and import (writes) say exactly what failed', () => {
      for (const c of cases()) {
        for (const args of [['today', '--json'], ['import', fixture(DEMO[0]!)]]) {
          for (const [lang, env, line] of [['en', {}, c.en], ['zh', ZH, c.zh]] as const) {
            const r = runCli(['--db', c.url, '--now', NOW, ...args], { env });
            const what = `${c.what}, ${args[0]}, ${lang}`;
            expect(r.code, what).toBe(1);
            expect(r.stdout, what).toBe('');
            expect(r.stderr, what).toBe(`${line}\n`);
            expectNoSecret(r, [password, `${password}0`], what);
          }
        }
      }
    }, 120_000);

    it('a database nothing was imported into: a read says "import first", as for a SQLite file not there yet', async () => {
      const empty = `${db.name}_empty`;
      await adminQuery(server!.url, `CREATE DATABASE "${empty}"`);
      try {
        const url = `postgresql://postgres@/${empty}?host=${socketDir()}`;
        const en = runCli(['--db', url, '--now', NOW, 'today']);
        expect([en.code, en.stdout, en.stderr]).toEqual([1, '', `refunds: no database at ${url}; import first (refunds import FILE), or check --db / REFUNDS_DB\n`]);
        const zh = runCli(['--db', url, '--now', NOW, 'today'], { env: ZH });
        expect([zh.code, zh.stdout, zh.stderr]).toEqual([1, '', `refunds：${url} 没有数据库；请先导入（refunds import 文件），或检查 --db / REFUNDS_DB\n`]);
        // The import (a writing command) sets the database up, and the read then works.
        expect(runCli(['--db', url, '--now', NOW, 'import', fixture(DEMO[2]!)]).code).toBe(0);
        expect(runCli(['--db', url, '--now', NOW, 'today', '--json']).code).toBe(0);
      } finally {
        await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${empty}" WITH (FORCE)`);
      }
    });
  });
});
