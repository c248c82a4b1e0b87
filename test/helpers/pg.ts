// The PostgreSQL server of the tests: REFUNDS_TEST_PG, a superuser URL (scripts/pg-test-server.sh
// prints it; .ci/run exports it). Each test file gets its own database, created for it and dropped
// after, so files can run in parallel and nothing carries over between runs.
//
//   const server = await pgTestServer();                 // top level of the test file
//   describe.runIf(server)('…', () => {
//     const db = freshDatabase(server, 'migrate');       // registers beforeAll / afterAll
//     it('…', async () => { … db.url … });
//   });
//
// Where the tests are required (REFUNDS_TEST_PG_REQUIRED or CI set: .ci/run), a missing or unreachable
// server throws, so the run fails instead of passing without them. On a developer's machine without a
// server the tests skip, and say why.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { maskUrl } from '../../src/store/common/url.js';

export interface PgTestServer {
  /** Superuser URL of the server's own test database (refunds_test). */
  readonly url: string;
  /** URL of role refunds_pw, which must give its password (scram); null when the server has none. */
  readonly passwordUrl: string | null;
  /** The socket folder (REFUNDS_TEST_PG_DIR), when the script started the server. */
  readonly dir: string | null;
  /** The server's bin/ (psql…), when the script started the server. */
  readonly bin: string | null;
}

export function pgTestsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.REFUNDS_TEST_PG_REQUIRED || env.CI);
}

const HOW = 'start one with: eval "$(bash scripts/pg-test-server.sh start)"';

let probe: Promise<PgTestServer | null> | undefined;

/** The server when it answers; null (after printing why) on a developer's machine without one; throws where required. */
export function pgTestServer(): Promise<PgTestServer | null> {
  return (probe ??= probePgTestServer(process.env));
}

/** pgTestServer's check on the given environment (exported for its own tests). */
export async function probePgTestServer(env: NodeJS.ProcessEnv): Promise<PgTestServer | null> {
  const url = env.REFUNDS_TEST_PG?.trim();
  const required = pgTestsRequired(env);
  const unavailable = (why: string): null => {
    if (required) throw new Error(`PostgreSQL tests are required here (REFUNDS_TEST_PG_REQUIRED or CI is set), but ${why}; ${HOW} (.ci/run does)`);
    console.warn(`skipping the PostgreSQL tests: ${why}; ${HOW}`);
    return null;
  };
  if (!url) return unavailable('REFUNDS_TEST_PG is not set');
  try {
    await adminQuery(url, 'SELECT 1');
  } catch (e) {
    return unavailable(`the server at ${maskUrl(url)} does not answer (${(e as Error).message})`);
  }
  return {
    url,
    passwordUrl: env.REFUNDS_TEST_PG_PASSWORD_URL?.trim() || null,
    dir: env.REFUNDS_TEST_PG_DIR || null,
    bin: env.REFUNDS_TEST_PG_BIN || null,
  };
}

/** Runs statements on a short-lived connection of its own (not the code under test's pool). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, application_name: 'refunds-tests' });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The URL with its database (the path) replaced; query, user and host are kept. */
export function withDatabase(url: string, database: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/is.exec(url);
  if (!m) throw new Error(`not a PostgreSQL URL: ${maskUrl(url)}`);
  return `${m[1]}/${encodeURIComponent(database)}${m[3]}`;
}

let made = 0;

export interface FreshDatabase {
  /** Its name (valid from beforeAll on). */
  readonly name: string;
  /** Superuser URL of it. */
  readonly url: string;
  /** refunds_pw's URL of it (password auth); null when the server has no such role. */
  readonly passwordUrl: string | null;
}

/**
 * A database of its own for the calling test file (or describe block): created empty in beforeAll,
 * dropped in afterAll even if a pool of the code under test is still connected.
 */
export function freshDatabase(server: PgTestServer | null, label = 'db'): FreshDatabase {
  // describe.runIf(null) still runs its body to collect the skipped tests: nothing to create then.
  if (!server) return { name: '', url: '', passwordUrl: null };
  const tag = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 20);
  const name = `refunds_t_${tag}_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 8)}`;
  const db: FreshDatabase = {
    name,
    url: withDatabase(server.url, name),
    passwordUrl: server.passwordUrl ? withDatabase(server.passwordUrl, name) : null,
  };
  beforeAll(async () => {
    await adminQuery(server.url, `CREATE DATABASE "${name}"`);
  });
  afterAll(async () => {
    await adminQuery(server.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return db;
}
