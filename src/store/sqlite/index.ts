// The SQLite backend: every port (src/app/ports) implemented on one better-sqlite3 connection.
// The modules beside this one are synchronous (better-sqlite3 is); each port call runs one of
// them and hands back a promise, its SQLite errors mapped by errors.ts. A unit of work is one
// SQLite transaction on the connection: BEGIN IMMEDIATE for 'write' and 'load' (the import's
// first-load path, importWriter.ts), a deferred BEGIN under PRAGMA query_only for 'read'.
import type { Ports, TableName, TableRow, TxPorts, UnitOfWorkOptions } from '../../app/ports/index.js';
import type { Connection } from './connection.js';
import * as admin from './admin.js';
import * as buyers from './buyers.js';
import * as cases from './cases.js';
import * as deadlines from './deadlines.js';
import * as decisions from './decisions.js';
import { portErrorOf } from './errors.js';
import * as imports from './importWriter.js';
import * as locks from './locks.js';
import { openConnection, type SqliteOpenOptions } from './open.js';
import { purgePersonalData } from './privacy.js';
import * as reports from './reports.js';
import * as statsBy from './statsBy.js';
import * as sweep from './sweep.js';

export type { SqliteOpenOptions } from './open.js';

/** Opens (creating and migrating as needed) the SQLite store at `path`. */
export async function openSqlitePorts(path: string, opts: SqliteOpenOptions = {}): Promise<Ports> {
  return sqlitePortsOf(openConnection(path, opts));
}

/** The ports over an open connection (shared with store/store.ts's old Store while its callers move). */
export function sqlitePortsOf(c: Connection): Ports {
  const where = c.where;
  /** Runs a synchronous backend call as a port call: errors translated, result as a promise. */
  const call = <T>(op: string, f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(portErrorOf(e, op, where));
    }
  };
  /** Runs `f` in a write transaction of its own (BEGIN IMMEDIATE), or in the open one. */
  const atomically = <T>(f: () => T): T => {
    if (c.db.inTransaction) return f();
    imports.beginWrite(c, false);
    try {
      const v = f();
      imports.commitWrite(c);
      return v;
    } catch (e) {
      imports.rollbackWrite(c);
      throw e;
    }
  };

  const caseReader = {
    refund: (id: string) => call('cases.refund', () => cases.refund(c, id)),
    refundIdsForOrder: (orderId: string) => call('cases.refundIdsForOrder', () => cases.refundIdsForOrder(c, orderId)),
    similarRefundIds: (id: string, limit: number) => call('cases.similarRefundIds', () => cases.similarRefundIds(c, id, limit)),
    order: (id: string) => call('cases.order', () => cases.order(c, id)),
    orders: (ids: string[]) => call('cases.orders', () => cases.orders(c, ids)),
    history: (id: string) => call('cases.history', () => cases.history(c, id)),
    decisions: (id: string) => call('cases.decisions', () => cases.decisions(c, id)),
    receiptsForWaybill: (key: string) => call('cases.receiptsForWaybill', () => cases.receiptsForWaybill(c, key)),
    refundsByWaybill: (key: string) => call('cases.refundsByWaybill', () => cases.refundsByWaybill(c, key)),
    refundsByWaybills: (keys: string[]) => call('cases.refundsByWaybills', () => cases.refundsByWaybills(c, keys)),
    allReceipts: () => call('cases.allReceipts', () => cases.allReceipts(c)),
    openRefunds: (filter?: Parameters<typeof cases.openRefunds>[1]) => call('cases.openRefunds', () => cases.openRefunds(c, filter)),
    lastRefundImports: () => call('cases.lastRefundImports', () => cases.lastRefundImports(c)),
    lastImportId: () => call('cases.lastImportId', () => cases.lastImportId(c)),
    buyerIdentity: (refundId: string) => call('cases.buyerIdentity', () => buyers.buyerIdentity(c, refundId)),
    buyerCases: (w: Parameters<typeof buyers.buyerCases>[1]) => call('cases.buyerCases', () => buyers.buyerCases(c, w)),
    buyerOrderCount: (w: Parameters<typeof buyers.buyerOrderCount>[1], ids: string[]) =>
      call('cases.buyerOrderCount', () => buyers.buyerOrderCount(c, w, ids)),
  };

  const tx: TxPorts = {
    cases: caseReader,
    sweep: {
      openRefundsWithDeadlines: (f) => call('sweep.openRefundsWithDeadlines', () => sweep.openRefundsWithDeadlines(c, f)),
      refundsWithDeadlines: (ids) => call('sweep.refundsWithDeadlines', () => sweep.refundsWithDeadlines(c, ids)),
      latestDecisions: (ids) => call('sweep.latestDecisions', () => sweep.latestDecisions(c, ids)),
      openRefundFacts: () => call('sweep.openRefundFacts', () => sweep.openRefundFacts(c)),
      rankedSections: (q) => call('sweep.rankedSections', () => sweep.rankedSections(c, q)),
      sweepPlan: (q) => call('sweep.sweepPlan', () => sweep.sweepPlan(c, q)),
      // Claims are judged on the store's clock, whatever the caller passed.
      triageCandidates: (q) => call('sweep.triageCandidates', () => sweep.triageCandidates(c, { ...q, clockMs: c.clock.now() })),
    },
    deadlines: {
      openRefundIds: () => call('deadlines.openRefundIds', () => deadlines.openRefundIds(c)),
      needing: (limit) => call('deadlines.needing', () => deadlines.refundsNeedingDeadlines(c, limit)),
      save: (rows) => call('deadlines.save', () => deadlines.saveDeadlines(c, rows)),
    },
    imports: {
      async file(fn) {
        await call('imports.file', () => imports.beginFile(c));
        let kept = false;
        try {
          const v = await fn();
          kept = true;
          imports.endFile(c, true);
          return v;
        } catch (e) {
          if (!kept && c.db.inTransaction) {
            try {
              imports.endFile(c, false);
            } catch {
              /* the transaction is gone with the error; the unit of work rolls back */
            }
          }
          c.fileMark = c.sightedUpTo = null;
          c.sightingsPerBatch = false;
          throw portErrorOf(e, 'imports.file', where);
        }
      },
      writeRefunds: (rows, at) => call('imports.writeRefunds', () => imports.writeRefunds(c, rows, at)),
      writeOrders: (rows, at) => call('imports.writeOrders', () => imports.writeOrders(c, rows, at)),
      writeReceipts: (rows, recordedAt) => call('imports.writeReceipts', () => imports.writeReceipts(c, rows, recordedAt)),
      finishFile: (log) => call('imports.finishFile', () => imports.finishFile(c, log)),
    },
    decisions: {
      record: (d, guard) => call('decisions.record', () => atomically(() => decisions.recordDecision(c, d, guard))),
      insert: (d) => call('decisions.insert', () => decisions.insertDecision(c, d)),
      since: (sinceIso, untilIso = null) => call('decisions.since', () => decisions.decisionsSince(c, sinceIso, untilIso)),
    },
    locks: {
      claim: (id, agent, session, ttlMs) => call('locks.claim', () => locks.claim(c, id, agent, session, ttlMs)),
      claimFirst: (ids, agent, session, ttlMs) => call('locks.claimFirst', () => atomically(() => locks.claimFirst(c, ids, agent, session, ttlMs))),
      holder: (id) => call('locks.holder', () => locks.holder(c, id)),
      take: (id, agent, session, ttlMs) => call('locks.take', () => locks.take(c, id, agent, session, ttlMs)),
      release: (session) => call('locks.release', () => locks.release(c, session)),
      claimedByOthers: (session) => call('locks.claimedByOthers', () => locks.claimedByOthers(c, session)),
      snooze: (id, agent, untilIso) => call('locks.snooze', () => locks.snooze(c, id, agent, untilIso)),
      snoozedUntil: (agent) => call('locks.snoozedUntil', () => locks.snoozedUntil(c, agent)),
    },
    reports: {
      finishedInWindow: (w) => call('reports.finishedInWindow', () => reports.finishedInWindow(c, w)),
      appliedInWindow: (w) => call('reports.appliedInWindow', () => reports.appliedInWindow(c, w)),
      paidByPlatform: (w) => call('reports.paidByPlatform', () => reports.paidByPlatform(c, w)),
      refundedByPlatform: (w) => call('reports.refundedByPlatform', () => reports.refundedByPlatform(c, w)),
      orderPlatforms: () => call('reports.orderPlatforms', () => reports.orderPlatforms(c)),
      reasonsInWindow: (w) => call('reports.reasonsInWindow', () => reports.reasonsInWindow(c, w)),
      productsInWindow: (w, limit) => call('reports.productsInWindow', () => reports.productsInWindow(c, w, limit)),
      perDayInWindow: (w) => call('reports.perDayInWindow', () => reports.perDayInWindow(c, w)),
      decisionsByAgent: (w) => call('reports.decisionsByAgent', () => reports.decisionsByAgent(c, w)),
      shopNames: () => call('reports.shopNames', () => reports.shopNames(c)),
      refundsByKeyAndReason: (w, by) => call('reports.refundsByKeyAndReason', () => statsBy.refundsByKeyAndReason(c, w, by)),
      decisionsInWindow: (w) => call('reports.decisionsInWindow', () => statsBy.decisionsInWindow(c, w)),
    },
    meta: {
      get: (key) => call('meta.get', () => deadlines.getMeta(c, key)),
      set: (key, value) => call('meta.set', () => deadlines.setMeta(c, key, value)),
    },
  };

  async function unitOfWork<T>(fn: (tx: TxPorts) => Promise<T>, opts: UnitOfWorkOptions = {}): Promise<T> {
    const mode = opts.mode ?? 'write';
    if (c.inUnit) throw new Error('unitOfWork: units of work do not nest');
    c.inUnit = true;
    try {
      if (c.db.inTransaction) return await joinOpenTransaction(fn, mode);
      if (mode === 'read') return await readUnit(fn);
      await call('unitOfWork', () => {
        if (opts.wait !== 'none') return imports.beginWrite(c, mode === 'load');
        // No wait for the write lock (housekeeping a reader can do without): busy_timeout 0 for BEGIN only.
        const prev = c.db.pragma('busy_timeout', { simple: true }) as number;
        c.db.pragma('busy_timeout = 0');
        try {
          imports.beginWrite(c, mode === 'load');
        } finally {
          c.db.pragma(`busy_timeout = ${prev}`);
        }
      });
      try {
        const v = await fn(tx);
        imports.commitWrite(c);
        return v;
      } catch (e) {
        imports.rollbackWrite(c);
        throw portErrorOf(e, 'unitOfWork', where);
      }
    } finally {
      c.inUnit = false;
    }
  }

  /** 'read': one snapshot from the first read on; PRAGMA query_only makes any write inside fail (StoreError 'readonly'). */
  async function readUnit<T>(fn: (tx: TxPorts) => Promise<T>): Promise<T> {
    await call('unitOfWork', () => {
      c.db.exec('BEGIN');
      c.db.pragma('query_only = 1');
    });
    try {
      return await fn(tx);
    } catch (e) {
      throw portErrorOf(e, 'unitOfWork', where);
    } finally {
      c.db.pragma('query_only = 0');
      if (c.db.inTransaction) c.db.exec('COMMIT');
    }
  }

  /**
   * While the old Store's callers move (store/store.ts), one of them may hold a transaction on
   * this connection: a unit of work then joins it (a savepoint for writes). Goes with the Store.
   */
  async function joinOpenTransaction<T>(fn: (tx: TxPorts) => Promise<T>, mode: 'write' | 'load' | 'read'): Promise<T> {
    if (mode === 'read') return fn(tx);
    c.db.exec('SAVEPOINT unit_of_work');
    try {
      const v = await fn(tx);
      c.db.exec('RELEASE unit_of_work');
      return v;
    } catch (e) {
      if (c.db.inTransaction) {
        c.db.exec('ROLLBACK TO unit_of_work');
        c.db.exec('RELEASE unit_of_work');
      }
      throw portErrorOf(e, 'unitOfWork', where);
    }
  }

  return {
    backend: 'sqlite',
    where,
    ...tx,
    unitOfWork,
    admin: {
      backupTo: (file) => admin.backupTo(c, file).catch((e: unknown) => Promise.reject(portErrorOf(e, 'admin.backupTo', where))),
      purgePersonalData: (beforeIso, dryRun, nowIso) => call('admin.purgePersonalData', () => purgePersonalData(c, beforeIso, dryRun, nowIso)),
      counts: () => call('admin.counts', () => admin.counts(c)),
      dump(table: TableName, batch: number): AsyncIterable<TableRow[]> {
        const t = admin.checkTable(table);
        if (!(Number.isInteger(batch) && batch > 0)) throw new RangeError(`dump: batch ${batch}`);
        return {
          async *[Symbol.asyncIterator]() {
            const own = !c.db.inTransaction;
            // One snapshot for every batch (inside a unit of work, its own).
            if (own) c.db.exec('BEGIN');
            try {
              for (let offset = 0; ; offset += batch) {
                const rows = admin.dumpBatch(c, t, batch, offset);
                if (rows.length === 0) return;
                yield rows;
                if (rows.length < batch) return;
              }
            } catch (e) {
              throw portErrorOf(e, 'admin.dump', where);
            } finally {
              if (own && c.db.inTransaction) c.db.exec('COMMIT');
            }
          },
        };
      },
      load: (table, rows) => call('admin.load', () => admin.loadRows(c, admin.checkTable(table), rows)),
      emptyAndAlone: () => call('admin.emptyAndAlone', () => imports.emptyAndAlone(c)),
    },
    close: () =>
      call('close', () => {
        if (c.db.open && c.db.inTransaction) imports.rollbackWrite(c);
        c.close();
      }),
  };
}
