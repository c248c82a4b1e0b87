// A first load on PostgreSQL (importWriter.ts): the owner's import into empty tables drops their
// secondary indexes and foreign keys for the file and builds them again at its end; afterwards the
// schema is exactly as before, the rows are what a plain import writes, and a failed file leaves
// both the indexes and the empty tables as they were. A role that may only INSERT (the README's
// refunds_lead) imports through the indexes, and its import works all the same.
import { describe, expect, it } from 'vitest';
import type { Ports } from '../../../src/app/ports/index.js';
import { ShopZone } from '../../../src/domain/time.js';
import { openPostgresPorts } from '../../../src/store/pg/index.js';
import { adminQuery, freshDatabase, pgTestServer } from '../../helpers/pg.js';
import { NOW_ISO, readExport, refundInput, testDeadlineOf, type ReadExport } from '../contract/inputs.js';

const server = await pgTestServer();
const zone = new ShopZone('Asia/Shanghai');

/** Every index and constraint of the import's tables, as the catalog defines them. */
async function schemaOf(url: string): Promise<string[]> {
  const rows = await adminQuery<{ d: string }>(
    url,
    `SELECT c.relname || ': ' || pg_get_indexdef(i.indexrelid) AS d FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       WHERE c.relname IN ('refunds', 'orders', 'refund_history')
     UNION ALL
     SELECT conrelid::regclass::text || ': ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
       WHERE conrelid IN ('refunds'::regclass, 'orders'::regclass, 'refund_history'::regclass)
     ORDER BY 1`,
  );
  return rows.map((r) => r.d);
}

const importFile = (p: Ports, x: ReadExport) =>
  p.unitOfWork(
    (tx) =>
      tx.imports.file(async () => {
        const at = { seenAt: NOW_ISO, sourceFile: x.file, deadlineOf: testDeadlineOf };
        const out = [await tx.imports.writeRefunds(x.refunds, at), await tx.imports.writeOrders(x.orders, at)];
        await tx.imports.finishFile(null);
        return out;
      }),
    { mode: 'load' },
  );

describe.runIf(server)('a first load on PostgreSQL', () => {
  const owner = freshDatabase(server, 'first_owner');
  const other = freshDatabase(server, 'first_lead');

  it("the owner's first import leaves every index and foreign key as the migration made them, and the rows a later import finds", async () => {
    const p = await openPostgresPorts(owner.url, { zone });
    try {
      const before = await schemaOf(owner.url);
      expect(before.filter((d) => d.includes('refunds_open_sweep') || d.includes('refunds_extra_columns_fkey'))).toHaveLength(2);
      // A file that fails half way: the indexes come back with its rollback, and the tables stay empty.
      const bad = p.unitOfWork(
        (tx) =>
          tx.imports.file(async () => {
            await tx.imports.writeRefunds([refundInput({ refundId: '2024100100000001' })], { seenAt: NOW_ISO, sourceFile: 'bad.csv' });
            throw new Error('the file broke half way');
          }),
        { mode: 'load' },
      );
      await expect(bad).rejects.toThrow('the file broke half way');
      expect(await schemaOf(owner.url)).toEqual(before);
      expect(await adminQuery(owner.url, 'SELECT count(*)::int AS n FROM refunds')).toEqual([{ n: 0 }]);

      const x = await readExport('taobao-refunds-2017-gbk.csv');
      const [refunds] = await importFile(p, x);
      expect(refunds!.every((o) => o === 'inserted')).toBe(true);
      expect(await schemaOf(owner.url)).toEqual(before);
      const [again] = await importFile(p, x);
      expect(again).toEqual(refunds!.map(() => 'unchanged'));
      // Each refund of the file once, its first sighting once.
      const [{ n, h }] = await adminQuery<{ n: number; h: number }>(owner.url, 'SELECT (SELECT count(*) FROM refunds)::int AS n, (SELECT count(*) FROM refund_history)::int AS h');
      expect(n).toBe(new Set(x.refunds.map((r) => r.refundId)).size);
      expect(h).toBe(n);
      // The planner has figures for the loaded table at once.
      expect(await adminQuery(owner.url, "SELECT reltuples::int AS t FROM pg_class WHERE relname = 'refunds'")).toEqual([{ t: n }]);
    } finally {
      await p.close();
    }
  });

  it('a role that may only write the rows imports into empty tables through the indexes', async () => {
    expect(other.passwordUrl, 'the test server has the password role refunds_pw').toBeTruthy();
    const ownerPorts = await openPostgresPorts(other.url, { zone });
    await ownerPorts.close();
    const before = await schemaOf(other.url);
    await adminQuery(
      other.url,
      `GRANT USAGE ON SCHEMA public TO refunds_pw;
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO refunds_pw;
       GRANT INSERT, UPDATE ON refunds, orders, refund_history, import_columns, imports TO refunds_pw;
       GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO refunds_pw;
       GRANT TEMPORARY ON DATABASE "${other.name}" TO refunds_pw`,
    );
    const lead = await openPostgresPorts(other.passwordUrl!, { zone });
    try {
      const x = await readExport('taobao-refunds-2017-gbk.csv');
      const [refunds] = await importFile(lead, x);
      expect(refunds!.every((o) => o === 'inserted')).toBe(true);
      expect(await schemaOf(other.url)).toEqual(before);
      expect(await adminQuery(other.url, 'SELECT count(*)::int AS n FROM refunds')).toEqual([{ n: new Set(x.refunds.map((r) => r.refundId)).size }]);
    } finally {
      await lead.close();
    }
  });
});
