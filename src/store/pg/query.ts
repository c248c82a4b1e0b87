// The one query interface every PostgreSQL port file uses (cases.ts, sweep.ts, reports.ts, buyers.ts,
// decisions.ts, locks.ts, …). A port never takes a client or a transaction: it asks `q`, and `q` runs the
// statement where it belongs —
//   inside a unit of work (Ports.unitOfWork, bound to this async context by AsyncLocalStorage): on that
//     unit of work's pooled client, in its transaction;
//   outside one: as one autocommit statement on the pool (one statement's snapshot).
// `snapshot` and `atomic` group several statements: they join the open unit of work, or open a read
// (REPEATABLE READ READ ONLY) / write (READ COMMITTED) transaction of their own for the group.
// Every failure comes out mapped by pgStoreError (StoreBusy / StoreError / the bug unchanged).
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import type { ShopZone } from '../../domain/time.js';
import type { PgConnection } from './connect.js';
import { inTransaction, pgQuery, type PgTx, type PgTxOptions } from './transaction.js';

export type PgRow = pg.QueryResultRow;

export interface PgQuery {
  /** The shop's zone (times come back as its ISO text; the server's TimeZone is the same zone). */
  readonly zone: ShopZone;
  /** The rows of one statement. */
  rows<R extends PgRow = PgRow>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** The first row of one statement, or null. */
  one<R extends PgRow = PgRow>(sql: string, params?: readonly unknown[]): Promise<R | null>;
  /** Runs one statement; how many rows it changed (rowCount). */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * Several reads that must see one snapshot (a count and its rows, …): on the open unit of work, or
   * in a REPEATABLE READ READ ONLY transaction of their own. Inside `fn`, use `q` as usual.
   */
  snapshot<T>(fn: () => Promise<T>, op?: string): Promise<T>;
  /**
   * Several statements that must commit together (a guard and its insert): on the open unit of work,
   * or in a READ COMMITTED transaction of their own, committed when `fn` resolves.
   */
  atomic<T>(fn: () => Promise<T>, op?: string): Promise<T>;
  /** The open transaction (unit of work, snapshot or atomic group), or null: for COPY streams and savepoints. */
  current(): PgTx | null;
}

/** A PgQuery on a connection, and the unitOfWork that binds it (index.ts). */
export interface PgScope {
  readonly q: PgQuery;
  /** Runs `fn` in a transaction bound to this async context (throws when one is already open here). */
  transaction<T>(fn: (tx: PgTx) => Promise<T>, opts: PgTxOptions): Promise<T>;
  /** Whether a transaction of this scope is open in the calling async context. */
  inTransaction(): boolean;
}

export function pgScope(conn: PgConnection, zone: ShopZone): PgScope {
  // One store per connection: `refunds copy` between two PostgreSQL databases runs the source's dump
  // inside the target's unit of work, and each must keep to its own connection.
  const open = new AsyncLocalStorage<PgTx>();

  const transaction = <T>(fn: (tx: PgTx) => Promise<T>, opts: PgTxOptions): Promise<T> => {
    if (open.getStore()) return Promise.reject(new Error('units of work do not nest'));
    return inTransaction(conn, (tx) => open.run(tx, () => fn(tx)), opts);
  };

  const query = async <R extends PgRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>> => {
    const tx = open.getStore();
    return tx ? tx.query<R>(sql, params) : pgQuery<R>(conn, sql, params);
  };

  const q: PgQuery = {
    zone,
    rows: async (sql, params) => (await query(sql, params)).rows as never,
    one: async (sql, params) => ((await query(sql, params)).rows[0] ?? null) as never,
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    snapshot: (fn, op = 'snapshot') => (open.getStore() ? fn() : transaction(() => fn(), { mode: 'read', op })),
    atomic: (fn, op = 'write') => (open.getStore() ? fn() : transaction(() => fn(), { mode: 'write', op })),
    current: () => open.getStore() ?? null,
  };
  return { q, transaction, inTransaction: () => open.getStore() !== undefined };
}
