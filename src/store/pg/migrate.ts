// Brings a PostgreSQL database to PG_SCHEMA_VERSION, once, however many agents start at the same
// moment: the migrations run in one transaction under a transaction-level advisory lock, so the
// others wait on the lock, then find nothing to do. DDL is transactional in PostgreSQL: a migration
// that fails leaves the database as it was.
import type pg from 'pg';
import { StoreError } from '../../app/ports/errors.js';
import { pgStoreError, sqlstateOf, type PgErrorContext } from './errors.js';
import { PG_MIGRATIONS, type PgMigration } from './schema.js';

/** Advisory lock keys of refunds (pg_advisory_xact_lock): one per kind of exclusive work. */
export const ADVISORY_LOCK = {
  /** Held while migrating. */
  migrate: 7263019150,
  /** Held by an import's unit of work (imports serialize: two agents importing one export = one import). */
  import: 7263019151,
} as const;

export interface MigrateOptions {
  /** The schema history; tests pass a longer one to exercise upgrades. */
  migrations?: readonly PgMigration[];
}

export interface MigrateResult {
  /** The version found (0: an empty database) and the one left. */
  from: number;
  to: number;
  /** The versions this call applied (empty when another process had done it, or none was due). */
  applied: number[];
}

type Queryable = Pick<pg.Pool, 'connect'>;

/** The schema version recorded in the database: 0 when it has no refunds_schema_migrations table (empty, or not ours). */
export async function pgSchemaVersion(db: Pick<pg.Pool, 'query'> | pg.PoolClient): Promise<number> {
  const r = await db.query<{ v: number | null }>(
    "SELECT CASE WHEN to_regclass('refunds_schema_migrations') IS NULL THEN 0 END AS v",
  );
  if (r.rows[0]!.v === 0) return 0;
  const m = await db.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM refunds_schema_migrations');
  return m.rows[0]!.v;
}

/**
 * Migrates the database the pool is connected to. Throws StoreError 'newer' when it was written by a
 * newer refunds, 'forbidden' when a migration is due and the user may not create tables (only the
 * database's owner role should migrate; README "Team mode"), and the mapped connection errors.
 */
export async function migratePg(pool: Queryable, ctx: PgErrorContext, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = opts.migrations ?? PG_MIGRATIONS;
  const known = migrations.length;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`PostgreSQL migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw pgStoreError(e, ctx, 'migrate');
  }
  let from: number | null = null;
  try {
    // Most starts: the schema is current. Seen without a lock or a write, so that agents whose role
    // may not create tables start too.
    from = await pgSchemaVersion(client);
    if (from > known) throw newer(from, known, ctx);
    if (from === known) return { from, to: from, applied: [] };

    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK.migrate]);
      await client.query(`CREATE TABLE IF NOT EXISTS refunds_schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      // Every role's start reads the version (the fast path above); it is no secret.
      await client.query('GRANT SELECT ON refunds_schema_migrations TO PUBLIC');
      // Another process may have migrated while this one waited for the lock.
      from = (await client.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM refunds_schema_migrations')).rows[0]!.v;
      if (from! > known) throw newer(from!, known, ctx);
      const applied: number[] = [];
      for (const m of migrations.slice(from!)) {
        await client.query(m.sql);
        await client.query('INSERT INTO refunds_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
      return { from: from!, to: known, applied };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  } catch (e) {
    if (e instanceof StoreError) throw e;
    // 42P07 duplicate table / 42710 duplicate object: the database holds tables of another program.
    if (from === 0 && (sqlstateOf(e) === '42P07' || sqlstateOf(e) === '42710')) {
      const reason = (e as Error).message.split('\n', 1)[0]!;
      throw new StoreError('not-a-db', `the database ${ctx.where} already holds tables that refunds did not make (${reason}): give refunds a database of its own`, { url: ctx.where, reason, code: sqlstateOf(e)! }, { cause: e });
    }
    if (sqlstateOf(e) === '42501') {
      const who = ctx.user ?? '?';
      if (from === null)
        throw new StoreError(
          'forbidden',
          `user "${who}" may not read the schema version of ${ctx.where} (${(e as Error).message.split('\n', 1)[0]}): run refunds once as the database's owner, or grant SELECT on refunds_schema_migrations`,
          { url: ctx.where, user: who, needed: known, code: '42501' },
          { cause: e },
        );
      throw new StoreError(
        'forbidden',
        `the database ${ctx.where} needs schema version ${known} (it has ${from}), and user "${who}" may not change its tables: run refunds once as the database's owner`,
        { url: ctx.where, user: who, found: from, needed: known, code: '42501' },
        { cause: e },
      );
    }
    throw pgStoreError(e, ctx, 'migrate');
  } finally {
    client.release();
  }
}

function newer(found: number, known: number, ctx: PgErrorContext): StoreError {
  return new StoreError(
    'newer',
    `the database ${ctx.where} has schema version ${found}, newer than this refunds knows (${known}): update refunds`,
    { url: ctx.where, found, known },
  );
}
