// The PostgreSQL connection: what a URL and the PG* variables resolve to, rows that read like the
// SQLite backend's (times as shop-zone ISO text, numbers, 1/0, JSON text), and connection failures
// told in one line, by kind, never with the password.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreBusy, StoreError } from '../../../src/app/ports/errors.js';
import { ShopZone } from '../../../src/domain/time.js';
import { connectPg, epochMsOfTimestamptz, pgPoolConfig, pgTargetOf, type PgConnection } from '../../../src/store/pg/connect.js';
import { pgStoreError } from '../../../src/store/pg/errors.js';
import { tmpDir } from '../../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer, withDatabase } from '../../helpers/pg.js';

const zone = new ShopZone();
const NO_ENV = {} as NodeJS.ProcessEnv;

describe('pgPoolConfig', () => {
  it('reads user, password, host, port and database from the URL; 4 connections; application_name refunds', () => {
    const c = pgPoolConfig('postgresql://agent:s3cret@db.shop.lan:5433/refunds', { zone, env: NO_ENV });
    expect({ host: c.host, port: c.port, user: c.user, database: c.database, ssl: c.ssl, max: c.max, app: c.application_name }).toEqual({
      host: 'db.shop.lan', port: 5433, user: 'agent', database: 'refunds', ssl: false, max: 4, app: 'refunds',
    });
    expect((c as { password?: string }).password).toBe('s3cret');
    // like pg itself: the password is in no dump of the config
    expect(Object.keys(c)).not.toContain('password');
    expect(JSON.stringify(c)).not.toContain('s3cret');
    expect(c.connectionTimeoutMillis).toBe(5000);
    expect(c.options).toBe('-c DateStyle=ISO,YMD -c IntervalStyle=postgres -c TimeZone=Asia/Shanghai');
  });

  it('takes ?host=/socket/dir for a Unix socket, and decodes a percent-encoded password', () => {
    const c = pgPoolConfig('postgresql://agent:p%40ss%2Fw@/refunds?host=/run/pg', { zone, env: NO_ENV });
    expect([c.host, c.port, c.database, (c as { password?: string }).password]).toEqual(['/run/pg', 5432, 'refunds', 'p@ss/w']);
  });

  it('fills what the URL leaves out from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGAPPNAME, PGCONNECT_TIMEOUT', () => {
    const env = { PGHOST: 'pg.lan', PGPORT: '6543', PGUSER: 'lead', PGPASSWORD: 'envpw', PGDATABASE: 'shop', PGAPPNAME: 'desk-3', PGCONNECT_TIMEOUT: '9' };
    const c = pgPoolConfig('postgresql://', { zone, env });
    expect([c.host, c.port, c.user, c.database, (c as { password?: string }).password, c.application_name, c.connectionTimeoutMillis]).toEqual([
      'pg.lan', 6543, 'lead', 'shop', 'envpw', 'desk-3', 9000,
    ]);
    // the URL wins over the variables
    const u = pgPoolConfig('postgresql://agent:urlpw@h:1/d?application_name=mine&connect_timeout=3', { zone, env });
    expect([u.host, u.port, u.user, u.database, (u as { password?: string }).password, u.application_name, u.connectionTimeoutMillis]).toEqual([
      'h', 1, 'agent', 'd', 'urlpw', 'mine', 3000,
    ]);
  });

  it('without any host or user: the local socket folder (or localhost) and the login name, database = user', () => {
    const c = pgPoolConfig('postgresql:///refunds', { zone, env: NO_ENV });
    expect(c.host).toBe(fs.existsSync('/var/run/postgresql') ? '/var/run/postgresql' : 'localhost');
    const d = pgPoolConfig('postgres://h', { zone, env: { PGUSER: 'kefu' } });
    expect([d.user, d.database]).toEqual(['kefu', 'kefu']);
  });

  it('keeps libpq meaning of sslmode; a Unix socket never uses TLS', () => {
    const ssl = (url: string, env: NodeJS.ProcessEnv = NO_ENV) => pgTargetOf(url, pgPoolConfig(url, { zone, env })).tls;
    expect(ssl('postgres://h/d')).toBe('off');
    expect(ssl('postgres://h/d?sslmode=disable')).toBe('off');
    expect(ssl('postgres://h/d?sslmode=allow')).toBe('off');
    expect(ssl('postgres://h/d?sslmode=prefer')).toBe('unverified');
    expect(ssl('postgres://h/d?sslmode=require')).toBe('unverified');
    expect(ssl('postgres://h/d?sslmode=verify-full')).toBe('verified');
    expect(ssl('postgres://h/d?sslmode=no-verify')).toBe('unverified');
    expect(ssl('postgres://h/d', { PGSSLMODE: 'require' })).toBe('unverified');
    expect(ssl('postgres://h/d?sslmode=disable', { PGSSLMODE: 'verify-full' })).toBe('off');
    expect(ssl('postgres:///d?host=/run/pg&sslmode=verify-full')).toBe('off');
  });

  it('reads sslrootcert for verify-ca, and says which file it cannot read', () => {
    const dir = tmpDir();
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = pgPoolConfig(`postgres://h/d?sslmode=verify-ca&sslrootcert=${ca}`, { zone, env: NO_ENV });
    expect(c.ssl && c.ssl.ca).toContain('BEGIN CERTIFICATE');
    expect(c.ssl && c.ssl.rejectUnauthorized).toBe(true);
    expect(() => pgPoolConfig('postgres://a:Pw9secret@h/d?sslmode=verify-ca', { zone, env: NO_ENV })).toThrow(
      'sslmode=verify-ca needs sslrootcert (the CA certificate file): postgres://a:***@h/d?sslmode=verify-ca',
    );
    const missing = path.join(dir, 'nope.pem');
    expect(() => pgPoolConfig(`postgres://a:Pw9secret@h/d?sslmode=verify-full&sslrootcert=${missing}`, { zone, env: NO_ENV })).toThrow(
      `cannot read ${missing} (ENOENT): postgres://a:***@h/d?sslmode=verify-full&sslrootcert=${missing}`,
    );
  });

  it('refuses what cannot work, in one line, without the password', () => {
    const msg = (url: string, env = NO_ENV) => {
      try {
        pgPoolConfig(url, { zone, env });
      } catch (e) {
        expect(e).toBeInstanceOf(StoreError);
        expect((e as StoreError).kind).toBe('open');
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg('postgres://a:Pw9secret@h/d', { PGPORT: '99999' })).toBe('port 99999 is not a port number: postgres://a:***@h/d');
    // an unencoded / in the password makes the rest a host and a port: not a URL, and still masked
    expect(msg('postgres://a:Pw9/secret@h/d')).toBe('not a valid PostgreSQL URL (Invalid URL): postgres://a:***@h/d');
    expect(msg('postgres://a:Pw9secret@h/d?sslmode=sometimes')).toBe(
      'sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full: postgres://a:***@h/d?sslmode=sometimes',
    );
    expect(msg('postgres://a:Pw9secret@h/d?connect_timeout=soon')).toBe('connect_timeout=soon is not a number of seconds: postgres://a:***@h/d?connect_timeout=soon');
    const bad = msg('postgres://a:Pw9secret@[::1/d');
    expect(bad).toMatch(/^not a valid PostgreSQL URL \(.*\): postgres:\/\/a:\*\*\*@\[::1\/d$/);
    expect(bad).not.toContain('Pw9secret');
  });
});

describe('epochMsOfTimestamptz', () => {
  it('reads the server text under DateStyle ISO, any offset, fractions, BC', () => {
    expect(epochMsOfTimestamptz('2025-04-21 09:00:00+08')).toBe(Date.parse('2025-04-21T01:00:00Z'));
    expect(epochMsOfTimestamptz('2025-04-21 01:00:00.123456+00')).toBe(Date.parse('2025-04-21T01:00:00.123Z'));
    expect(epochMsOfTimestamptz('2025-04-21 06:30:00+05:30')).toBe(Date.parse('2025-04-21T01:00:00Z'));
    expect(epochMsOfTimestamptz('1901-12-13 20:45:52-04:56:02')).toBe(Date.parse('1901-12-14T01:41:54Z'));
    // years below 100 are not 19xx (Date.UTC's trap); 2024-02-29 exists
    expect(new Date(epochMsOfTimestamptz('0050-02-28 00:00:00+00')).toISOString()).toBe('0050-02-28T00:00:00.000Z');
    expect(new Date(epochMsOfTimestamptz('2024-02-29 23:59:59+00')).toISOString()).toBe('2024-02-29T23:59:59.000Z');
    expect(new Date(epochMsOfTimestamptz('0044-03-15 12:00:00+00 BC')).getUTCFullYear()).toBe(-43);
    expect([epochMsOfTimestamptz('infinity'), epochMsOfTimestamptz('-infinity')]).toEqual([Infinity, -Infinity]);
    expect(() => epochMsOfTimestamptz('04/21/2025 09:00:00 CST')).toThrow('unexpected timestamptz text from the server: "04/21/2025 09:00:00 CST" (is DateStyle ISO?)');
  });
});

const server = await pgTestServer();

describe.runIf(server)('on the test server', () => {
  const db = freshDatabase(server, 'connect');
  const open: PgConnection[] = [];
  const connect = async (url: string, z = zone) => {
    const c = await connectPg(url, { zone: z });
    open.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of open) { const t = Date.now(); await c.close(); console.log("closed", c.target.user, c.target.database, Date.now() - t); }
  });

  it('gives rows as the SQLite backend does: shop-zone ISO times, numbers, 1/0, JSON text', async () => {
    const c = await connect(db.url);
    expect(c.serverVersion).toBeGreaterThanOrEqual(120000);
    const { rows } = await c.pool.query(`SELECT
      '2025-04-21T09:00:00+08:00'::timestamptz AS t, '2025-04-21T01:00:00Z'::timestamptz AS utc, NULL::timestamptz AS none,
      9007199254740991::bigint AS big, 5990::bigint AS fen, sum(x) AS total, count(*) AS n, true AS yes, false AS no, NULL::boolean AS unknown,
      '["a","b"]'::json AS j, 'infinity'::timestamptz AS forever, '{"why":"x","id":"y"}'::jsonb AS jb, current_setting('TimeZone') AS tz, current_setting('application_name') AS app
      FROM (VALUES (5990::bigint), (10::bigint)) v(x)`);
    expect(rows).toEqual([{
      t: '2025-04-21T09:00:00+08:00', utc: '2025-04-21T09:00:00+08:00', none: null, big: 9007199254740991, fen: 5990, total: 6000, n: 2,
      yes: 1, no: 0, unknown: null, j: '["a","b"]', forever: 'infinity', jb: '{"id": "y", "why": "x"}', tz: 'Asia/Shanghai', app: 'refunds',
    }]);
  });

  it('gives times in the configured shop zone, across a daylight-saving change', async () => {
    const c = await connect(db.url, new ShopZone('America/New_York'));
    const { rows } = await c.pool.query(`SELECT '2025-03-09T01:59:59-05:00'::timestamptz AS before, '2025-03-09T03:00:00-04:00'::timestamptz AS after,
      '2025-04-21T09:00:00+08:00'::timestamptz AS shanghai, date_trunc('day', '2025-04-21T09:00:00+08:00'::timestamptz) AS day`);
    expect(rows[0]).toEqual({ before: '2025-03-09T01:59:59-05:00', after: '2025-03-09T03:00:00-04:00', shanghai: '2025-04-20T21:00:00-04:00', day: '2025-04-20T00:00:00-04:00' });
  });

  it('is not fooled by a server whose own DateStyle and TimeZone differ', async () => {
    await adminQuery(server!.url, `ALTER DATABASE "${db.name}" SET DateStyle = 'SQL, DMY'`);
    await adminQuery(server!.url, `ALTER DATABASE "${db.name}" SET TimeZone = 'Pacific/Kiritimati'`);
    try {
      const c = await connect(db.url);
      const { rows } = await c.pool.query(`SELECT '2025-04-21T09:00:00+08:00'::timestamptz AS t`);
      expect(rows[0]).toEqual({ t: '2025-04-21T09:00:00+08:00' });
    } finally {
      await adminQuery(server!.url, `ALTER DATABASE "${db.name}" RESET ALL`);
    }
  });

  describe('connection failures: one line each, by kind, never the password', () => {
    const failure = async (url: string): Promise<StoreError> => {
      const e = await connectPg(url, { zone }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(StoreError);
      const err = e as StoreError;
      expect(err.message).not.toContain('\n');
      return err;
    };
    const PW = 'Wr0ng%40Pass%2Fx';
    const noPassword = (err: StoreError) => {
      const all = `${err.message} ${JSON.stringify(err.details)}`;
      for (const form of [PW, decodeURIComponent(PW), 'Wr0ng']) expect(all).not.toContain(form);
    };

    it('unreachable: no server socket in the folder', async () => {
      const dir = tmpDir('refunds-nopg-');
      const err = await failure(`postgresql://agent:${PW}@/refunds?host=${dir}`);
      expect(err.kind).toBe('unreachable');
      expect(err.message).toBe(
        `cannot reach PostgreSQL at ${dir}/.s.PGSQL.5432: no server socket there (is the server running, is ?host= its socket folder?) (postgresql://agent:***@/refunds?host=${dir})`,
      );
      expect(err.details).toMatchObject({ code: 'ENOENT', host: dir, port: 5432, database: 'refunds', user: 'agent', url: `postgresql://agent:***@/refunds?host=${dir}` });
      noPassword(err);
    });

    it('unreachable: connection refused on a TCP port', async () => {
      const port = await freePort();
      const err = await failure(`postgresql://agent:${PW}@127.0.0.1:${port}/refunds`);
      expect(err.kind).toBe('unreachable');
      expect(err.message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused (is the server running, on this port?) (postgresql://agent:***@127.0.0.1:${port}/refunds)`);
      noPassword(err);
    });

    it('unreachable: something listens but never answers (connect_timeout)', async () => {
      const silent = net.createServer(() => {});
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      const port = (silent.address() as net.AddressInfo).port;
      try {
        const err = await failure(`postgresql://agent:${PW}@127.0.0.1:${port}/refunds?connect_timeout=2`);
        expect(err.kind).toBe('unreachable');
        expect(err.message).toBe(`cannot reach PostgreSQL at 127.0.0.1:${port}: no answer within the connect timeout (postgresql://agent:***@127.0.0.1:${port}/refunds?connect_timeout=2)`);
        noPassword(err);
      } finally {
        silent.close();
      }
    });

    it('auth: a wrong password', async () => {
      const url = db.passwordUrl!.replace(/:pw[0-9a-f]+@/, `:${PW}@`);
      const err = await failure(url);
      expect(err.kind).toBe('auth');
      expect(err.message).toBe(`PostgreSQL refused user "refunds_pw" at ${server!.dir}/.s.PGSQL.5432: password authentication failed for user "refunds_pw" (postgresql://refunds_pw:***@/${db.name}?host=${server!.dir})`);
      expect(err.details.code).toBe('28P01');
      noPassword(err);
    });

    // Also guards ClosingClient: pg left this socket open, and the afterAll DROP DATABASE hung on it.
    it('auth: no password given where one is asked; a role that does not exist', async () => {
      const none = await failure(db.passwordUrl!.replace(/:pw[0-9a-f]+@/, '@'));
      expect(none.kind).toBe('auth');
      expect(none.message).toBe(`PostgreSQL refused user "refunds_pw" at ${server!.dir}/.s.PGSQL.5432: the server asks for a password and none was given (URL, PGPASSWORD or ~/.pgpass) (postgresql://refunds_pw@/${db.name}?host=${server!.dir})`);
      const ghost = await failure(`postgresql://nobody_here:${PW}@/${db.name}?host=${server!.dir}`);
      expect(ghost.kind).toBe('auth');
      expect(ghost.message).toBe(`PostgreSQL refused user "nobody_here" at ${server!.dir}/.s.PGSQL.5432: role "nobody_here" does not exist (postgresql://nobody_here:***@/${db.name}?host=${server!.dir})`);
      noPassword(ghost);
    });

    it('no-database: the database does not exist', async () => {
      const url = withDatabase(db.passwordUrl!, 'no_such_db').replace(/:pw[0-9a-f]+@/, `:${PW}@`);
      const err = await failure(withDatabase(server!.url, 'no_such_db'));
      expect(err.kind).toBe('no-database');
      expect(err.message).toBe(`PostgreSQL at ${server!.dir}/.s.PGSQL.5432 has no database "no_such_db" (postgresql://postgres@/no_such_db?host=${server!.dir})`);
      expect(err.details).toMatchObject({ code: '3D000', database: 'no_such_db' });
      // with a password in the URL: still masked (the server checks the password first, so it is auth here)
      noPassword(await failure(url));
    });
  });

  describe('failures while working', () => {
    it('forbidden: a privilege the role lacks; readonly: a read-only transaction; busy: a lock not available', async () => {
      await adminQuery(db.url, 'CREATE TABLE IF NOT EXISTS guarded (id int PRIMARY KEY)');
      await adminQuery(db.url, 'INSERT INTO guarded VALUES (1) ON CONFLICT DO NOTHING');
      const agent = await connect(db.passwordUrl!);
      const denied = await agent.pool.query('SELECT * FROM guarded').catch((e: unknown) => pgStoreError(e, agent.errorContext));
      expect(denied).toBeInstanceOf(StoreError);
      expect((denied as StoreError).kind).toBe('forbidden');
      expect((denied as StoreError).message).toBe(`user "refunds_pw" lacks a privilege on postgresql://refunds_pw:***@/${db.name}?host=${server!.dir}: permission denied for table guarded`);

      const owner = await connect(db.url);
      const client = await owner.pool.connect();
      try {
        await client.query('BEGIN READ ONLY');
        const ro = await client.query('INSERT INTO guarded VALUES (2)').catch((e: unknown) => pgStoreError(e, owner.errorContext));
        expect((ro as StoreError).kind).toBe('readonly');
        expect((ro as StoreError).message).toBe(`the database postgresql://postgres@/${db.name}?host=${server!.dir} takes no writes here: cannot execute INSERT in a read-only transaction`);
        await client.query('ROLLBACK');

        await client.query('BEGIN');
        await client.query('SELECT * FROM guarded WHERE id = 1 FOR UPDATE');
        const busy = await owner.pool.query('SELECT * FROM guarded WHERE id = 1 FOR UPDATE NOWAIT').catch((e: unknown) => pgStoreError(e, owner.errorContext, 'claim'));
        expect(busy).toBeInstanceOf(StoreBusy);
        expect((busy as StoreBusy).op).toBe('claim');
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      // anything else is a bug and stays as it was
      const other = await owner.pool.query('SELECT 1/0').catch((e: unknown) => pgStoreError(e, owner.errorContext));
      expect(other).not.toBeInstanceOf(StoreError);
      expect((other as Error).message).toBe('division by zero');
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
