// Transactions as the ports' unitOfWork means them: commit, rollback with the error rethrown, a read
// snapshot that refuses writes, imports one at a time, wait 'none' failing at once as StoreBusy,
// savepoints per file; and the connection always back in the pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreBusy, StoreError } from '../../../src/app/ports/errors.js';
import { ShopZone } from '../../../src/domain/time.js';
import { connectPg, type PgConnection } from '../../../src/store/pg/connect.js';
import { inSavepoint, inTransaction, pgQuery } from '../../../src/store/pg/transaction.js';
import { freshDatabase, pgTestServer } from '../../helpers/pg.js';

const server = await pgTestServer();

describe.runIf(server)('inTransaction', () => {
  const db = freshDatabase(server, 'transaction');
  let a: PgConnection;
  let b: PgConnection;
  beforeAll(async () => {
    a = await connectPg(db.url, { zone: new ShopZone() });
    b = await connectPg(db.url, { zone: new ShopZone() });
    await pgQuery(a, 'CREATE TABLE t (id int PRIMARY KEY, v text)');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  const rows = async () => (await pgQuery<{ id: number; v: string }>(a, 'SELECT id, v FROM t ORDER BY id')).rows;
  const idle = () => expect([a.pool.totalCount, a.pool.idleCount]).toEqual([a.pool.totalCount, a.pool.totalCount]);

  it('commits what fn did when it resolves, and returns its value', async () => {
    const value = await inTransaction(a, async (tx) => {
      await tx.query("INSERT INTO t VALUES (1, 'one')");
      return 'done';
    });
    expect(value).toBe('done');
    expect(await rows()).toEqual([{ id: 1, v: 'one' }]);
    idle();
  });

  it('rolls everything back when fn throws, and rethrows the same error', async () => {
    const boom = new Error('boom');
    await expect(
      inTransaction(a, async (tx) => {
        await tx.query("INSERT INTO t VALUES (2, 'two')");
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await rows()).toEqual([{ id: 1, v: 'one' }]);
    idle();
  });

  it("'read' sees one snapshot, whatever commits meanwhile, and refuses writes as readonly", async () => {
    const seen = await inTransaction(
      a,
      async (tx) => {
        const before = (await tx.query('SELECT count(*) AS n FROM t')).rows[0].n;
        await pgQuery(b, "INSERT INTO t VALUES (3, 'three')");
        const after = (await tx.query('SELECT count(*) AS n FROM t')).rows[0].n;
        return [before, after];
      },
      { mode: 'read' },
    );
    expect(seen).toEqual([1, 1]);
    expect((await rows()).length).toBe(2);
    const err = await inTransaction(a, (tx) => tx.query("INSERT INTO t VALUES (4, 'four')"), { mode: 'read' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe('readonly');
    idle();
  });

  it("'load' takes the import lock: a second load waits, or with wait 'none' is StoreBusy at once", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = inTransaction(a, async () => {
      entered();
      await held;
    }, { mode: 'load' });
    await inside;
    const busy = await inTransaction(b, async () => 'ran', { mode: 'load', wait: 'none', op: 'import' }).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(StoreBusy);
    expect((busy as StoreBusy).op).toBe('import');
    const order: string[] = [];
    const second = inTransaction(b, async () => void order.push('second'), { mode: 'load' });
    await new Promise((r) => setTimeout(r, 200));
    order.push('first done');
    release();
    await first;
    await second;
    expect(order).toEqual(['first done', 'second']);
  });

  it("wait 'none' on a row another transaction holds: StoreBusy, nothing written", async () => {
    const holder = await b.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM t WHERE id = 1 FOR UPDATE');
      const err = await inTransaction(a, (tx) => tx.query("UPDATE t SET v = 'uno' WHERE id = 1"), { wait: 'none', op: 'decide' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreBusy);
      expect((err as StoreBusy).op).toBe('decide');
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await rows())[0]).toEqual({ id: 1, v: 'one' });
    idle();
  });

  it('a savepoint per file: a failed file is undone, the files before it stay', async () => {
    await inTransaction(a, async (tx) => {
      await inSavepoint(tx, () => tx.query("INSERT INTO t VALUES (10, 'file 1')"));
      await expect(
        inSavepoint(tx, async () => {
          await tx.query("INSERT INTO t VALUES (11, 'file 2')");
          await tx.query("INSERT INTO t VALUES (10, 'duplicate')");
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await inSavepoint(tx, () => tx.query("INSERT INTO t VALUES (12, 'file 3')"));
    }, { mode: 'load' });
    expect((await rows()).filter((r) => r.id >= 10)).toEqual([{ id: 10, v: 'file 1' }, { id: 12, v: 'file 3' }]);
  });
});
