// The test server itself (scripts/pg-test-server.sh + test/helpers/pg.ts): the tests are required in
// CI and skip with a reason elsewhere; the server listens on its socket folder only; each file gets a
// database of its own; role refunds_pw must give its password.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT } from '../../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer, probePgTestServer, withDatabase } from '../../helpers/pg.js';

describe('pgTestServer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('throws where the tests are required (REFUNDS_TEST_PG_REQUIRED or CI) and REFUNDS_TEST_PG is missing', async () => {
    await expect(probePgTestServer({ REFUNDS_TEST_PG_REQUIRED: '1' })).rejects.toThrow(
      /^PostgreSQL tests are required here \(REFUNDS_TEST_PG_REQUIRED or CI is set\), but REFUNDS_TEST_PG is not set; start one with: eval "\$\(bash scripts\/pg-test-server.sh start\)"/,
    );
    await expect(probePgTestServer({ CI: 'true' })).rejects.toThrow(/REFUNDS_TEST_PG is not set/);
  });

  it('throws where required when the server does not answer, without the password', async () => {
    const url = 'postgresql://refunds_pw:Sekr3tPw@/refunds_test?host=/nonexistent/refunds-pg';
    const err = await probePgTestServer({ CI: '1', REFUNDS_TEST_PG: url }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('but the server at postgresql://refunds_pw:***@/refunds_test?host=/nonexistent/refunds-pg does not answer (');
    expect((err as Error).message).not.toContain('Sekr3tPw');
  });

  it('skips on a developer machine, printing why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await expect(probePgTestServer({})).resolves.toBeNull();
    expect(warn).toHaveBeenCalledWith('skipping the PostgreSQL tests: REFUNDS_TEST_PG is not set; start one with: eval "$(bash scripts/pg-test-server.sh start)"');
  });

  it('withDatabase replaces only the database of a URL', () => {
    expect(withDatabase('postgresql://postgres@/refunds_test?host=/tmp/refunds-pg.x', 'refunds_t_a')).toBe('postgresql://postgres@/refunds_t_a?host=/tmp/refunds-pg.x');
    expect(withDatabase('postgres://u:p@h:5433', 'd')).toBe('postgres://u:p@h:5433/d');
    expect(withDatabase('postgres://h/old#x', 'new')).toBe('postgres://h/new#x');
  });
});

const server = await pgTestServer();

describe.runIf(server)('the throwaway server', () => {
  const a = freshDatabase(server, 'server a');
  const b = freshDatabase(server, 'server b');

  it('listens on no TCP address, only on the socket in its folder', async () => {
    const [row] = await adminQuery<{ listen_addresses: string; unix_socket_directories: string }>(
      server!.url,
      "SELECT current_setting('listen_addresses') AS listen_addresses, current_setting('unix_socket_directories') AS unix_socket_directories",
    );
    expect(row).toEqual({ listen_addresses: '', unix_socket_directories: server!.dir });
  });

  it('gives each caller an empty database of its own', async () => {
    expect(a.name).not.toBe(b.name);
    expect(a.name).toMatch(/^refunds_t_server_a_\d+_\d+_[a-z0-9]+$/);
    await adminQuery(a.url, 'CREATE TABLE only_in_a (x int)');
    const tablesIn = async (url: string) =>
      (await adminQuery<{ n: string }>(url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'"))[0]!.n;
    expect(await tablesIn(a.url)).toBe(1);
    expect(await tablesIn(b.url)).toBe(0);
    const [{ db }] = (await adminQuery<{ db: string }>(b.url, 'SELECT current_database() AS db')) as [{ db: string }];
    expect(db).toBe(b.name);
  });

  it('lets refunds_pw in with its password only', async () => {
    expect(server!.passwordUrl).toMatch(/^postgresql:\/\/refunds_pw:pw[0-9a-f]{24}@\/refunds_test\?host=/);
    const [{ who }] = (await adminQuery<{ who: string }>(a.passwordUrl!, 'SELECT current_user AS who')) as [{ who: string }];
    expect(who).toBe('refunds_pw');
    const wrong = a.passwordUrl!.replace(/:pw[0-9a-f]+@/, ':not-the-password@');
    await expect(adminQuery(wrong, 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
  });
});

// The script itself, as .ci/run and developers use it (needs the server binaries on this machine).
describe.runIf(server?.bin)('scripts/pg-test-server.sh', () => {
  const script = path.join(ROOT, 'scripts/pg-test-server.sh');
  // No /usr/local/bin: the script must find the binaries under /usr/lib/postgresql itself.
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: process.env.HOME ?? '/root' };

  it('start prints the exports of a fresh server that answers; stop ends it and removes its folder', () => {
    const start = spawnSync('bash', [script, 'start'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(start.status, start.stderr).toBe(0);
    const m = /^export REFUNDS_TEST_PG='(postgresql:\/\/postgres@\/refunds_test\?host=(\/tmp\/refunds-pg\.[A-Za-z0-9]+))' REFUNDS_TEST_PG_DIR='\2' REFUNDS_TEST_PG_BIN='(\/usr\/lib\/postgresql\/\d+\/bin)' REFUNDS_TEST_PG_PASSWORD_URL='postgresql:\/\/refunds_pw:pw[0-9a-f]{24}@\/refunds_test\?host=\2'\n$/.exec(start.stdout);
    expect(m, start.stdout).not.toBeNull();
    const [, url, dir, bin] = m!;
    try {
      const psql = spawnSync(`${bin}/psql`, [url!, '-Atc', 'SELECT current_database()'], { encoding: 'utf8', env });
      expect(psql.stdout).toBe('refunds_test\n');
    } finally {
      const stop = spawnSync('bash', [script, 'stop', dir!], { encoding: 'utf8', env, timeout: 60_000 });
      expect(stop.status, stop.stderr).toBe(0);
    }
    expect(fs.existsSync(dir!)).toBe(false);
  });

  it('stop refuses a folder that is not a test cluster', () => {
    const r = spawnSync('bash', [script, 'stop', '/var/lib/postgresql'], { encoding: 'utf8', env });
    expect([r.status, r.stderr]).toEqual([2, "not a test cluster: '/var/lib/postgresql' (expected /tmp/refunds-pg.*)\n"]);
    const usage = spawnSync('bash', [script], { encoding: 'utf8', env });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^usage: .*pg-test-server\.sh start \| stop DIR\n$/);
  });
});
