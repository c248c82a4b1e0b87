// The write side on PostgreSQL against the SQLite store, byte for byte (issue 19 §1, §3): the same
// sequence of imports, re-imports, literal batches (a refund twice in one batch, inserted then changed
// in one file, purged then re-imported), decisions and a purge go into a fresh SQLite file and a fresh
// PostgreSQL database; every outcome, and every stored row of the tables the import and purge write
// (dumped through Admin.dump on each side), must be the same JSON text. Times come back as the
// +08:00 text SQLite holds, fen and ids as numbers, booleans as 1 / 0.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ports, TableName } from '../../../src/app/ports/index.js';
import type { RefundInput } from '../../../src/domain/inputs.js';
import { ShopZone } from '../../../src/domain/time.js';
import { storePorts as portsOf } from '../../../src/store/store.js';
import { openPostgresPorts } from '../../../src/store/pg/index.js';
import { openStore } from '../../../src/store/store.js';
import { tmpDir } from '../../helpers/cli.js';
import { freshDatabase, pgTestServer } from '../../helpers/pg.js';
import { decisionInput, LATER_ISO, ManualClock, NOW, NOW_ISO, readExport, refundInput, testDeadlineOf, type ReadExport } from '../contract/inputs.js';

const server = await pgTestServer();

/** Every table but claims (they expire on each store's own clock). */
const COMPARED: TableName[] = ['meta', 'imports', 'import_columns', 'orders', 'refunds', 'refund_history', 'decisions', 'warehouse_receipts', 'snoozes'];

async function scenario(p: Ports): Promise<unknown[]> {
  const log: unknown[] = [];
  const file = (x: ReadExport, seenAt: string, deadlines = false) =>
    p.unitOfWork(
      (tx) =>
        tx.imports.file(async () => {
          const at = { seenAt, sourceFile: x.file, deadlineOf: deadlines ? testDeadlineOf : undefined };
          const out = [
            await tx.imports.writeRefunds(x.refunds, at),
            await tx.imports.writeOrders(x.orders, at),
            await tx.imports.writeReceipts(x.receipts, seenAt),
          ];
          await tx.imports.finishFile({ file: x.file, kind: x.kind, encoding: x.encoding, bytes: x.bytes, importedAt: seenAt, inserted: 1, updated: 2, unchanged: 3, rejected: x.rejected.length });
          return out;
        }),
      { mode: 'load' },
    );
  const literal = (batches: RefundInput[][], seenAt: string, name: string) =>
    p.unitOfWork(
      (tx) =>
        tx.imports.file(async () => {
          const out = [];
          for (const b of batches) out.push(await tx.imports.writeRefunds(b, { seenAt, sourceFile: name, deadlineOf: testDeadlineOf }));
          await tx.imports.finishFile(null);
          return out;
        }),
      { mode: 'load' },
    );
  log.push(await file(await readExport('taobao-orders-gbk.csv'), NOW_ISO));
  log.push(await file(await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO, true));
  log.push(await file(await readExport('taobao-refunds-2017-gbk.csv'), NOW_ISO, true));
  log.push(await file(await readExport('taobao-refunds-2017-gbk-v2.csv'), LATER_ISO, true));
  log.push(await file(await readExport('taobao-refunds-2024-utf8bom.csv'), LATER_ISO));
  log.push(await file(await readExport('douyin-aftersales.csv'), '2025-04-21T08:00:00+08:00', true));
  log.push(await file(await readExport('warehouse-returns.csv'), NOW_ISO));
  const receipts = await readExport('warehouse-returns.csv');
  log.push(await file(receipts, LATER_ISO));
  // After a re-import that added nothing, new receipts (one twice in the batch) take the next ids.
  const r0 = receipts.receipts[0]!;
  log.push(
    await p.unitOfWork(
      (tx) =>
        tx.imports.file(() =>
          tx.imports.writeReceipts([{ row: { ...r0.row, note: 'new' }, hash: 'h-new-1' }, { row: { ...r0.row, note: 'again' }, hash: 'h-new-1' }, { row: r0.row, hash: 'h-new-2' }], LATER_ISO),
        ),
      { mode: 'load' },
    ),
  );
  const a = refundInput({ refundId: '2024100100000001' });
  const changed = refundInput({ refundId: '2024100100000001', status: 'WAIT_BUYER_RETURN_GOODS', statusText: '等待买家退货', extraJson: '{"审核操作人":"小李"}' });
  log.push(await literal([[a, a, changed], [changed, refundInput({ refundId: '2024100100000002', buyerNote: 'tab\there\nand a \\ line' })]], '2025-04-23T09:00:00+08:00', 'literal.csv'));
  log.push(await literal([[refundInput({ refundId: '2024100100000002', status: 'CLOSED', statusText: '退款关闭', finishedAt: '2025-04-23T10:00:00+08:00' })]], '2025-04-24T09:00:00+08:00', 'later.csv'));
  log.push(await p.admin.purgePersonalData('2025-04-24T00:00:00+08:00', true, '2025-04-25T09:00:00+08:00'));
  log.push(await p.admin.purgePersonalData('2025-04-24T00:00:00+08:00', false, '2025-04-25T09:00:00+08:00'));
  // Purged data stays out when the same export comes again.
  log.push(await file(await readExport('taobao-refunds-2017-gbk.csv'), '2025-04-26T09:00:00+08:00', true));
  await p.locks.snooze('2024100100000001', 'xiaoli', '2025-04-22T09:00:00+08:00');
  const guard = { session: 'S', seenLastId: null, force: false, ttlMs: 60_000 };
  const first = await p.decisions.record(decisionInput({ refundId: '2024100100000001', evidence: ['截图1', 'a "quoted" \\ one'] }), guard);
  log.push(first);
  log.push(await p.decisions.record(decisionInput({ refundId: '2024100100000001', agent: 'zhao', decidedAt: '2025-04-21T09:20:00+08:00' }), { ...guard, session: 'Z' }));
  log.push(
    await p.decisions.insert(
      decisionInput({ refundId: '1587001122334455', expectedStatus: null, checklist: [], flags: [{ id: 'big-amount', why: '金额 > 1000' }], source: 'decide' }),
    ),
  );
  log.push(await p.decisions.since('2025-04-21T00:00:00+08:00', null));
  await p.meta.set('calendar', 'chinese-days@1');
  // Sorted here: the port promises refund ID order, which PostgreSQL gives and the legacy SQLite adapter does not (no ORDER BY; contract.md).
  log.push([...(await p.deadlines.openRefundIds())].sort());
  log.push(await p.admin.counts());
  return log;
}

async function dumpAll(p: Ports): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of COMPARED) {
    out[t] = [];
    for await (const rows of p.admin.dump(t, 7)) out[t]!.push(...rows);
  }
  return out;
}

describe.runIf(server)('PostgreSQL writes the same rows as SQLite', () => {
  const db = freshDatabase(server, 'same_as_sqlite');
  let pg: Ports;
  let lite: Ports;
  beforeAll(async () => {
    pg = await openPostgresPorts(db.url, { zone: new ShopZone() });
    lite = portsOf(openStore(path.join(tmpDir('refunds-same-'), 'r.sqlite')), new ManualClock(NOW));
  });
  afterAll(async () => {
    await pg?.close();
    await lite?.close();
  });

  it('every outcome, count and stored row of the import, the purge and the re-import', async () => {
    const [onLite, onPg] = [await scenario(lite), await scenario(pg)];
    onPg.forEach((step, i) => expect(JSON.stringify(step), `step ${i}`).toBe(JSON.stringify(onLite[i])));
    const [rowsLite, rowsPg] = [await dumpAll(lite), await dumpAll(pg)];
    for (const t of COMPARED) expect(JSON.stringify(rowsPg[t]), t).toBe(JSON.stringify(rowsLite[t]));
    // Not vacuous: the scenario wrote history, purged rows and receipts.
    expect((rowsPg.refund_history ?? []).length).toBeGreaterThan(20);
    expect((rowsPg.refunds as { purged_at: string | null }[]).filter((r) => r.purged_at !== null).length).toBeGreaterThan(0);
    expect((rowsPg.warehouse_receipts ?? []).map((r) => (r as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
