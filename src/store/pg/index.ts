// The PostgreSQL backend (issue 19): `openPostgresPorts(url, opts)` opens a small pool, brings the
// schema up to date (migrate.ts, under its advisory lock), and composes the ports of this folder on
// one PgQuery (query.ts). A unit of work holds one pooled client for its whole transaction:
//   'write' — READ COMMITTED; 'read' — REPEATABLE READ READ ONLY (writes refused by the server);
//   'load'  — a write transaction holding the import advisory lock, so imports serialize;
//   wait 'none' — lock_timeout 1 ms / pg_try_advisory_xact_lock: a taken lock is StoreBusy at once.
import type { ShopZone } from '../../domain/time.js';
import type { Ports, TxPorts, UnitOfWorkOptions } from '../../app/ports/index.js';
import { connectPg, type PgConnection } from './connect.js';
import { StoreError } from '../../app/ports/errors.js';
import { pgStoreError } from './errors.js';
import { migratePg, pgSchemaVersion } from './migrate.js';
import { PG_SCHEMA_VERSION } from './schema.js';
import { pgScope, type PgQuery } from './query.js';
import { pgCaseReader } from './cases.js';
import { pgSweepReader } from './sweep.js';
import { pgReportReader } from './reports.js';
import { pgDeadlines, pgMeta } from './deadlines.js';
import { pgImportWriter } from './importWriter.js';
import { pgDecisionLog } from './decisions.js';
import { pgTriageLocks } from './locks.js';
import { pgAdmin } from './admin.js';

export interface OpenPostgresOptions {
  /** The shop's zone: times read back as its ISO text. */
  zone: ShopZone;
  /** Connections in the pool (default connect.ts's DEFAULT_POOL_SIZE). */
  poolSize?: number;
  /** false: do not migrate (a read-only command by an agent without CREATE); the version must be current. Default true. */
  migrate?: boolean;
  /** Environment for the PG* variables (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Every port over one PgQuery: the same objects serve inside and outside a unit of work. */
export function pgTxPorts(q: PgQuery): TxPorts {
  return {
    cases: pgCaseReader(q),
    sweep: pgSweepReader(q),
    reports: pgReportReader(q),
    deadlines: pgDeadlines(q),
    meta: pgMeta(q),
    imports: pgImportWriter(q),
    decisions: pgDecisionLog(q),
    locks: pgTriageLocks(q),
  };
}

export async function openPostgresPorts(url: string, opts: OpenPostgresOptions): Promise<Ports> {
  const conn: PgConnection = await connectPg(url, { zone: opts.zone, max: opts.poolSize, env: opts.env });
  try {
    if (opts.migrate === false) await checkSchema(conn);
    else await migratePg(conn.pool, conn.errorContext);
  } catch (e) {
    await conn.close();
    throw e;
  }
  const scope = pgScope(conn, opts.zone);
  const tx = pgTxPorts(scope.q);
  let closed = false;
  return {
    backend: 'postgres',
    where: conn.target.where,
    ...tx,
    admin: pgAdmin(scope.q, conn),
    unitOfWork: <T>(fn: (tx: TxPorts) => Promise<T>, uow: UnitOfWorkOptions = {}) =>
      scope.transaction(() => fn(tx), { mode: uow.mode ?? 'write', wait: uow.wait ?? 'block', op: 'unitOfWork' }),
    close: async () => {
      if (closed) return;
      closed = true;
      await conn.close();
    },
  };
}

/** Without migrating (an agent's read-only command): the database must be at this refunds' version. */
async function checkSchema(conn: PgConnection): Promise<void> {
  let found: number;
  try {
    found = await pgSchemaVersion(conn.pool);
  } catch (e) {
    throw pgStoreError(e, conn.errorContext, 'open');
  }
  const where = conn.target.where;
  if (found > PG_SCHEMA_VERSION) {
    throw new StoreError('newer', `the database at ${where} was written by a newer refunds (schema ${found}, this one knows ${PG_SCHEMA_VERSION}): update refunds`, { url: where, found, known: PG_SCHEMA_VERSION });
  }
  // A database refunds never wrote to: a read has nothing to read, as on a SQLite file not yet
  // imported (the cli says "import first"). Only a writing command migrates.
  if (found === 0) {
    throw new StoreError('open', `no refunds database at ${where} yet: import first`, { url: where, path: where, reason: 'import first', empty: 1 });
  }
  if (found < PG_SCHEMA_VERSION) {
    throw new StoreError('forbidden', `the database at ${where} is at schema ${found}, this refunds needs ${PG_SCHEMA_VERSION}: run refunds import once as the database's owner to migrate it`, { url: where, found, needed: PG_SCHEMA_VERSION });
  }
}
