// PostgreSQL migrations: applied once and recorded; a second run finds nothing to do; five processes
// starting at the same moment migrate once between them; a newer database, a role that may not create
// tables and a database of another program are refused in one line; a failing migration changes nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { StoreError } from '../../../src/app/ports/errors.js';
import { ShopZone } from '../../../src/domain/time.js';
import { connectPg, type PgConnection } from '../../../src/store/pg/connect.js';
import { ADVISORY_LOCK, migratePg, pgSchemaVersion } from '../../../src/store/pg/migrate.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../../src/store/pg/schema.js';
import { ROOT } from '../../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer } from '../../helpers/pg.js';

const zone = new ShopZone();
const server = await pgTestServer();

describe.runIf(server)('migratePg', () => {
  const open: PgConnection[] = [];
  const connect = async (url: string) => {
    const c = await connectPg(url, { zone });
    open.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of open) await c.close();
  });
  const versions = async (url: string) => (await adminQuery<{ version: number; name: string }>(url, 'SELECT version, name FROM refunds_schema_migrations ORDER BY version')).map((r) => [r.version, r.name]);

  describe('on an empty database', () => {
    const db = freshDatabase(server, 'migrate once');

    it('applies every migration once, records it, and finds nothing to do the next time', async () => {
      const c = await connect(db.url);
      expect(await pgSchemaVersion(c.pool)).toBe(0);
      expect(await migratePg(c.pool, c.errorContext)).toEqual({ from: 0, to: PG_SCHEMA_VERSION, applied: [1, 2] });
      expect(await versions(db.url)).toEqual([[1, 'the SQLite layout of schema version 6'], [2, 'refunds_open_rank holds amount_cents (SQLite schema 7)']]);
      expect(await pgSchemaVersion(c.pool)).toBe(2);
      expect(await migratePg(c.pool, c.errorContext)).toEqual({ from: 2, to: 2, applied: [] });
      expect(await versions(db.url)).toHaveLength(2);
    });

    it('upgrades to a longer history, and a failing migration leaves the database as it was', async () => {
      const c = await connect(db.url);
      const two = [...PG_MIGRATIONS, { version: 3, name: 'test: a column', sql: 'ALTER TABLE meta ADD COLUMN note text; CREATE TABLE scratch (x int)' }];
      const broken = [...two, { version: 4, name: 'test: broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function()' }];
      await expect(migratePg(c.pool, c.errorContext, { migrations: broken })).rejects.toMatchObject({ code: '42883' });
      // nothing of 3 or 4 stayed: one transaction for the lot
      expect(await pgSchemaVersion(c.pool)).toBe(2);
      expect((await adminQuery(db.url, "SELECT to_regclass('scratch') AS s, to_regclass('half_done') AS h"))[0]).toEqual({ s: null, h: null });
      expect(await migratePg(c.pool, c.errorContext, { migrations: two })).toEqual({ from: 2, to: 3, applied: [3] });
      expect(await versions(db.url)).toEqual([[1, 'the SQLite layout of schema version 6'], [2, 'refunds_open_rank holds amount_cents (SQLite schema 7)'], [3, 'test: a column']]);
    });

    it('refuses a database of a newer refunds, without touching it', async () => {
      const c = await connect(db.url);
      const err = await migratePg(c.pool, c.errorContext).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).kind).toBe('newer');
      expect((err as StoreError).message).toBe(`the database ${c.target.where} has schema version 3, newer than this refunds knows (2): update refunds`);
      expect((err as StoreError).details).toEqual({ url: c.target.where, found: 3, known: 2 });
      expect(await versions(db.url)).toHaveLength(3);
    });
  });

  describe('five processes starting at once', () => {
    const db = freshDatabase(server, 'migrate five');

    it('migrate once between them: the others wait on the advisory lock, then find nothing to do', async () => {
      const built = path.join(ROOT, 'dist/store/pg/migrate.js');
      expect(fs.existsSync(built), `${built} is missing: npm run build (npm test does)`).toBe(true);
      // Hold the migration lock so that all five are surely waiting on it together, then let go.
      const gate = new pg.Client({ connectionString: db.url });
      await gate.connect();
      try {
        await gate.query('BEGIN');
        await gate.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK.migrate]);
        const children = Array.from({ length: 5 }, () => migrateInChild(db.url));
        const waiting = async () =>
          Number((await gate.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n);
        const until = Date.now() + 20_000;
        while ((await waiting()) < 5) {
          if (Date.now() > until) throw new Error(`only ${await waiting()} of 5 processes reached the migration lock`);
          await new Promise((r) => setTimeout(r, 50));
        }
        await gate.query('COMMIT');
        const results = await Promise.all(children);
        for (const r of results) expect(r.stderr).toBe('');
        expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
        const outcomes = results.map((r) => JSON.parse(r.stdout) as { from: number; to: number; applied: number[] });
        expect(outcomes.filter((o) => o.applied.length > 0)).toEqual([{ from: 0, to: 2, applied: [1, 2] }]);
        expect(outcomes.filter((o) => o.applied.length === 0)).toEqual(Array(4).fill({ from: 2, to: 2, applied: [] }));
      } finally {
        await gate.end();
      }
      expect(await versions(db.url)).toEqual([[1, 'the SQLite layout of schema version 6'], [2, 'refunds_open_rank holds amount_cents (SQLite schema 7)']]);
      const tables = await adminQuery<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'refunds'");
      expect(tables).toEqual([{ n: 1 }]);
    });
  });

  describe('refusals', () => {
    const empty = freshDatabase(server, 'migrate forbidden');
    const foreign = freshDatabase(server, 'migrate foreign');

    it('a role that may not create tables: forbidden, saying who should run it; once migrated it starts', async () => {
      const agent = await connect(empty.passwordUrl!);
      const err = await migratePg(agent.pool, agent.errorContext).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).kind).toBe('forbidden');
      expect((err as StoreError).message).toBe(
        `the database ${agent.target.where} needs schema version 2 (it has 0), and user "refunds_pw" may not change its tables: run refunds once as the database's owner`,
      );
      expect((err as StoreError).message).toMatch(/refunds_pw:\*\*\*@/);
      const owner = await connect(empty.url);
      await migratePg(owner.pool, owner.errorContext);
      // the agent's start needs no lock and no write
      expect(await migratePg(agent.pool, agent.errorContext)).toEqual({ from: 2, to: 2, applied: [] });
      // where an admin took away even that, the agent is told what to grant
      await adminQuery(empty.url, 'REVOKE SELECT ON refunds_schema_migrations FROM PUBLIC');
      const unread = await migratePg(agent.pool, agent.errorContext).catch((e: unknown) => e);
      expect((unread as StoreError).kind).toBe('forbidden');
      expect((unread as StoreError).message).toBe(
        `user "refunds_pw" may not read the schema version of ${agent.target.where} (permission denied for table refunds_schema_migrations): run refunds once as the database's owner, or grant SELECT on refunds_schema_migrations`,
      );
    });

    it("a database holding another program's refunds table: not-a-db, nothing changed", async () => {
      await adminQuery(foreign.url, 'CREATE TABLE refunds (id serial PRIMARY KEY, total numeric)');
      const c = await connect(foreign.url);
      const err = await migratePg(c.pool, c.errorContext).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).kind).toBe('not-a-db');
      expect((err as StoreError).message).toBe(
        `the database ${c.target.where} already holds tables that refunds did not make (relation "refunds" already exists): give refunds a database of its own`,
      );
      expect(await pgSchemaVersion(c.pool)).toBe(0);
      expect((await adminQuery(foreign.url, "SELECT to_regclass('import_columns') AS t"))[0]).toEqual({ t: null });
    });
  });
});

/** One process that connects, waits for the migration lock like any agent starting, and prints migratePg's result. */
function migrateInChild(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    const { connectPg } = await import(${JSON.stringify(path.join(ROOT, 'dist/store/pg/connect.js'))});
    const { migratePg } = await import(${JSON.stringify(path.join(ROOT, 'dist/store/pg/migrate.js'))});
    const { ShopZone } = await import(${JSON.stringify(path.join(ROOT, 'dist/domain/time.js'))});
    const c = await connectPg(process.env.URL, { zone: new ShopZone() });
    try { process.stdout.write(JSON.stringify(await migratePg(c.pool, c.errorContext))); } finally { await c.close(); }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
