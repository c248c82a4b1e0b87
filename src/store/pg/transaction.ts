// Transactions on a pg connection, as the ports' unitOfWork means them (app/ports/index.ts,
// UnitOfWorkOptions): one place that begins, commits, rolls back, and maps every failure through
// pgStoreError, so each port's queries need no error handling of their own.
//   'write' — READ COMMITTED (row locks, FOR UPDATE SKIP LOCKED, decide under a row lock).
//   'load'  — 'write' plus the import advisory lock: imports serialize, so two agents importing one
//             export give one import's result.
//   'read'  — REPEATABLE READ READ ONLY: every read sees one snapshot; a write is StoreError readonly.
//   wait 'none' — a lock that is taken fails at once (lock_timeout 1 ms; the import lock is tried) as
//             StoreBusy, nothing done.
import type pg from 'pg';
import { StoreBusy } from '../../app/ports/errors.js';
import type { PgConnection } from './connect.js';
import { pgStoreError } from './errors.js';
import { ADVISORY_LOCK } from './migrate.js';

export type PgTxMode = 'write' | 'load' | 'read';

export interface PgTxOptions {
  mode?: PgTxMode;
  wait?: 'block' | 'none';
  /** Names the operation in StoreBusy. */
  op?: string;
}

/** A transaction's queries; failures come out as pgStoreError gives them. */
export interface PgTx {
  readonly mode: PgTxMode;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>>;
  /** The client itself, for COPY streams (pg-copy-streams); its errors are not mapped. */
  readonly client: pg.PoolClient;
}

const BEGIN: Record<PgTxMode, string> = {
  write: 'BEGIN',
  load: 'BEGIN',
  read: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
};

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws (the error, mapped, is rethrown). */
export async function inTransaction<T>(conn: PgConnection, fn: (tx: PgTx) => Promise<T>, opts: PgTxOptions = {}): Promise<T> {
  const mode = opts.mode ?? 'write';
  const op = opts.op ?? 'unitOfWork';
  const map = (e: unknown) => pgStoreError(e, conn.errorContext, op);
  let client: pg.PoolClient;
  try {
    client = await conn.pool.connect();
  } catch (e) {
    throw map(e);
  }
  const tx: PgTx = {
    mode,
    client,
    query: async (sql, params) => {
      try {
        return await client.query(sql, params as unknown[] | undefined);
      } catch (e) {
        throw map(e);
      }
    },
  };
  let broken: Error | undefined;
  try {
    await tx.query(BEGIN[mode]);
    if (opts.wait === 'none') await tx.query("SET LOCAL lock_timeout = '1ms'");
    if (mode === 'load') {
      if (opts.wait === 'none') {
        // 1 / 0: connect.ts reads booleans as SQLite's integers
        const got = (await tx.query<{ got: number }>('SELECT pg_try_advisory_xact_lock($1) AS got', [ADVISORY_LOCK.import])).rows[0]!.got;
        if (got !== 1) throw new StoreBusy(op);
      } else {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK.import]);
      }
    }
    const value = await fn(tx);
    await tx.query('COMMIT');
    return value;
  } catch (e) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackFailed) {
      // The connection is gone or unusable: the pool must not hand it out again.
      broken = rollbackFailed as Error;
    }
    throw map(e);
  } finally {
    client.release(broken);
  }
}

/**
 * `fn` inside a savepoint of `tx` (ImportWriter.file: one file of a load): kept when it resolves,
 * rolled back to the savepoint when it throws, the rest of the transaction going on.
 */
export async function inSavepoint<T>(tx: PgTx, fn: () => Promise<T>, name = 'import_file'): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a savepoint name: ${name}`);
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const value = await fn();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return value;
  } catch (e) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    throw e;
  }
}

/** One statement on its own (autocommit), failures mapped: the ports' calls outside a unit of work. */
export async function pgQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(conn: PgConnection, sql: string, params?: readonly unknown[], op = 'query'): Promise<pg.QueryResult<R>> {
  try {
    return await conn.pool.query<R>(sql, params as unknown[] | undefined);
  } catch (e) {
    throw pgStoreError(e, conn.errorContext, op);
  }
}
