// The ports (src/app/ports) over today's synchronous SQLite Store: a temporary adapter (issue 15)
// so that the use cases can move to the async ports while the store itself is rewritten into
// src/store/sqlite/. It adds no rule of its own beyond those the app carried until now
// (TriageDesk.commit and claimForDecide, merged in DecisionLog.record). Deleted with store.ts.
//
// SQLite's lock errors (SQLITE_BUSY*, SQLITE_LOCKED) become StoreBusy here; the codes of a
// read-only file, a full disk and an I/O failure become StoreError; nothing else is translated.
import type { Store } from './store.js';
import * as reports from './reports.js';
import * as statsBy from './statsBy.js';
import * as buyers from './buyerHistory.js';
import { StoreBusy, StoreError } from '../app/ports/errors.js';
import { TABLE_NAMES, type Ports, type TableName, type TableRow, type TxPorts, type UnitOfWorkOptions } from '../app/ports/index.js';
import type { DecideOutcome, DecisionGuard } from '../app/ports/decisions.js';
import type { NewDecision } from '../domain/inputs.js';
import type { Order, Refund } from '../domain/types.js';
import type { Clock } from '../domain/time.js';

/** SQLite's "another connection holds the lock" codes. */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_'));
}

/** A SQLite error as the ports' error (StoreBusy / StoreError), or the error itself when it is neither. */
export function portErrorOf(e: unknown, op: string, where: string): unknown {
  if (e instanceof StoreBusy || e instanceof StoreError) return e;
  if (isSqliteBusy(e)) return new StoreBusy(op, { cause: e });
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return e;
  const reason = (e as Error).message;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new StoreError('readonly', reason, { path: where, reason }, { cause: e });
  }
  if (code === 'SQLITE_FULL') return new StoreError('full', reason, { path: where, reason }, { cause: e });
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('io', reason, { path: where, reason }, { cause: e });
  return e;
}

/** Primary keys per table: the order `dump` reads in. */
const KEY_OF: Record<TableName, string> = {
  meta: 'key',
  imports: 'id',
  import_columns: 'id',
  orders: 'order_id',
  refunds: 'refund_id',
  refund_history: 'id',
  decisions: 'id',
  warehouse_receipts: 'id',
  claims: 'refund_id',
  snoozes: 'refund_id, agent',
};

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The ports over `store`. `clock` is the store's clock: claim expiry is judged on it (the CLI
 * passes real time counted from the command's "now", as the triage desk did).
 */
export function portsOf(store: Store, clock: Clock): Ports {
  const where = store.path;
  /** Runs a synchronous store call as a port call: errors translated, result as a promise. */
  const call = <T>(op: string, f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (e) {
      return Promise.reject(portErrorOf(e, op, where));
    }
  };
  /** Runs `f` in a write transaction of its own, or in the caller's unit of work when one is open. */
  const atomically = <T>(op: string, f: () => T): T => {
    if (store.inTransaction()) return f();
    try {
      store.begin();
    } catch (e) {
      throw portErrorOf(e, op, where);
    }
    try {
      const v = f();
      store.commit();
      return v;
    } catch (e) {
      store.rollback();
      throw portErrorOf(e, op, where);
    }
  };

  let fileMark: number | null = null;

  const record = (d: NewDecision, guard: DecisionGuard): DecideOutcome =>
    atomically('decisions.record', () => {
      const now = clock.now();
      // BEGIN IMMEDIATE holds the write lock: nobody records on the case between these checks and the insert.
      const latest = store.decisions(d.refundId).at(-1) ?? null;
      if (guard.seenLastId !== undefined && latest && latest.id !== guard.seenLastId) {
        return { ok: false, reason: 'decided', agent: latest.agent, decidedAt: latest.decidedAt };
      }
      let forcedOver: { agent: string; expiresAt: number } | null = null;
      if (!store.claim(d.refundId, d.agent, guard.session, now, guard.ttlMs)) {
        const holder = store.claimHolder(d.refundId, now)!;
        // The agent's own other session (triage on another terminal) keeps its claim; the decision is theirs either way.
        if (holder.agent !== d.agent) {
          if (!guard.force) return { ok: false, reason: 'claimed', agent: holder.agent, expiresAt: holder.expiresAt };
          forcedOver = { agent: holder.agent, expiresAt: holder.expiresAt };
          store.takeClaim(d.refundId, d.agent, guard.session, now, guard.ttlMs);
        }
      }
      return { ok: true, decision: store.recordDecision(d), forcedOver };
    });

  const columnsOf = (table: TableName): string[] =>
    // hidden 0: stored columns (generated ones are 2/3 and cannot be inserted).
    store.sql<{ name: string }>(`SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid`, [table]).map((c) => c.name);

  const checkTable = (table: string): TableName => {
    if (!(TABLE_NAMES as readonly string[]).includes(table)) throw new RangeError(`no table ${table}`);
    return table as TableName;
  };

  const tx: TxPorts = {
    cases: {
      refund: (id) => call('cases.refund', () => store.refund(id)),
      refundIdsForOrder: (orderId) =>
        call('cases.refundIdsForOrder', () =>
          store.sql<{ refund_id: string }>('SELECT refund_id FROM refunds WHERE order_id = ? ORDER BY refund_id', [orderId]).map((r) => r.refund_id),
        ),
      similarRefundIds: (id, limit) => call('cases.similarRefundIds', () => store.similarRefundIds(id, limit)),
      order: (id) => call('cases.order', () => store.order(id)),
      orders: (ids) =>
        call('cases.orders', () => {
          const found = new Map<string, Order>();
          for (const id of ids) {
            const o = store.order(id);
            if (o) found.set(id, o);
          }
          return found;
        }),
      history: (id) => call('cases.history', () => store.history(id)),
      decisions: (id) => call('cases.decisions', () => store.decisions(id)),
      receiptsForWaybill: (key) => call('cases.receiptsForWaybill', () => store.receiptsForWaybill(key)),
      refundsByWaybill: (key) => call('cases.refundsByWaybill', () => store.refundsByWaybill(key)),
      refundsByWaybills: (keys) =>
        call('cases.refundsByWaybills', () => {
          const found = new Map<string, Refund[]>();
          for (const key of new Set(keys)) {
            const list = store.refundsByWaybill(key);
            if (list.length) found.set(key, list);
          }
          return found;
        }),
      allReceipts: () => call('cases.allReceipts', () => store.allReceipts()),
      openRefunds: (filter) => call('cases.openRefunds', () => store.openRefunds(filter)),
      lastRefundImports: () => call('cases.lastRefundImports', () => store.lastRefundImports()),
      lastImportId: () => call('cases.lastImportId', () => store.sql<{ id: number | null }>('SELECT max(id) AS id FROM imports')[0]?.id ?? null),
      buyerIdentity: (refundId) => call('cases.buyerIdentity', () => buyers.buyerIdentity(store, refundId)),
      buyerCases: (w) => call('cases.buyerCases', () => buyers.buyerCases(store, w)),
      buyerOrderCount: (w, ids) => call('cases.buyerOrderCount', () => buyers.buyerOrderCount(store, w, ids)),
    },
    sweep: {
      openRefundsWithDeadlines: (f) => call('sweep.openRefundsWithDeadlines', () => store.openRefundsWithDeadlines(f)),
      refundsWithDeadlines: (ids) => call('sweep.refundsWithDeadlines', () => store.refundsWithDeadlines(ids)),
      latestDecisions: (ids) => call('sweep.latestDecisions', () => store.latestDecisions(ids)),
      openRefundFacts: () => call('sweep.openRefundFacts', () => store.openRefundFacts()),
      rankedSections: (q) => call('sweep.rankedSections', () => store.rankedSections(q)),
      sweepPlan: (q) => call('sweep.sweepPlan', () => store.sweepPlan(q)),
      // Claims are judged on the store's clock, whatever the caller passed.
      triageCandidates: (q) => call('sweep.triageCandidates', () => store.triageCandidates({ ...q, clockMs: clock.now() })),
    },
    deadlines: {
      openRefundIds: () => call('deadlines.openRefundIds', () => store.openRefundIds()),
      needing: (limit) => call('deadlines.needing', () => store.refundsNeedingDeadlines(limit)),
      save: (rows) => call('deadlines.save', () => store.saveDeadlines(rows)),
    },
    imports: {
      async file(fn) {
        if (fileMark !== null) throw new Error('ImportWriter.file: files do not nest');
        await call('imports.file', () => store.beginFile());
        fileMark = store.newRowsMark();
        try {
          const v = await fn();
          await call('imports.file', () => store.endFile(true));
          return v;
        } catch (e) {
          if (store.inTransaction()) {
            try {
              store.endFile(false);
            } catch {
              /* the transaction is gone with the error; the unit of work rolls back */
            }
          }
          throw portErrorOf(e, 'imports.file', where);
        } finally {
          fileMark = null;
        }
      },
      writeRefunds: (rows, at) => call('imports.writeRefunds', () => rows.map((r) => store.upsertRefund(r, at.seenAt, at.sourceFile, at.deadlineOf))),
      writeOrders: (rows, at) => call('imports.writeOrders', () => rows.map((o) => store.upsertOrder(o, at.seenAt, at.sourceFile))),
      writeReceipts: (rows, recordedAt) => call('imports.writeReceipts', () => rows.map((r) => store.addReceipt(r.row, r.hash, recordedAt))),
      finishFile: (log) =>
        call('imports.finishFile', () => {
          if (fileMark === null) throw new Error('ImportWriter.finishFile: call it inside file(fn)');
          store.recordFirstSightings(fileMark);
          // A second finishFile in the same file adds no sightings twice.
          fileMark = store.newRowsMark();
          if (log) store.logImport(log);
        }),
    },
    decisions: {
      record: (d, guard) => call('decisions.record', () => record(d, guard)),
      insert: (d) => call('decisions.insert', () => store.recordDecision(d)),
      since: (sinceIso, untilIso = null) =>
        call('decisions.since', () => {
          const list = store.decisionsSince(sinceIso, untilIso);
          const statusAt = new Map(
            store
              .sql<{ id: number; status_at_decision: string | null }>(
                'SELECT id, status_at_decision FROM decisions WHERE (? IS NULL OR decided_at >= ?) AND (? IS NULL OR decided_at < ?)',
                [sinceIso, sinceIso, untilIso, untilIso],
              )
              .map((r) => [r.id, r.status_at_decision]),
          );
          return list.map((d) => ({ ...d, statusAtDecision: statusAt.get(d.id) ?? null }));
        }),
    },
    locks: {
      claim: (id, agent, session, ttlMs) => call('locks.claim', () => store.claim(id, agent, session, clock.now(), ttlMs)),
      claimFirst: (ids, agent, session, ttlMs) =>
        call('locks.claimFirst', () => {
          for (const id of ids) if (store.claim(id, agent, session, clock.now(), ttlMs)) return id;
          return null;
        }),
      holder: (id) => call('locks.holder', () => store.claimHolder(id, clock.now())),
      take: (id, agent, session, ttlMs) => call('locks.take', () => store.takeClaim(id, agent, session, clock.now(), ttlMs)),
      release: (session) => call('locks.release', () => store.releaseClaims(session)),
      claimedByOthers: (session) => call('locks.claimedByOthers', () => store.claimedByOthers(session, clock.now())),
      snooze: (id, agent, untilIso) => call('locks.snooze', () => store.snooze(id, agent, untilIso)),
      snoozedUntil: (agent) => call('locks.snoozedUntil', () => store.snoozedUntil(agent)),
    },
    reports: {
      finishedInWindow: (w) => call('reports.finishedInWindow', () => reports.finishedInWindow(store, w)),
      appliedInWindow: (w) => call('reports.appliedInWindow', () => reports.appliedInWindow(store, w)),
      paidByPlatform: (w) => call('reports.paidByPlatform', () => reports.paidByPlatform(store, w)),
      refundedByPlatform: (w) => call('reports.refundedByPlatform', () => reports.refundedByPlatform(store, w)),
      orderPlatforms: () => call('reports.orderPlatforms', () => reports.orderPlatforms(store)),
      reasonsInWindow: (w) => call('reports.reasonsInWindow', () => reports.reasonsInWindow(store, w)),
      productsInWindow: (w, limit) => call('reports.productsInWindow', () => reports.productsInWindow(store, w, limit)),
      perDayInWindow: (w) => call('reports.perDayInWindow', () => reports.perDayInWindow(store, w)),
      decisionsByAgent: (w) => call('reports.decisionsByAgent', () => reports.decisionsByAgent(store, w)),
      shopNames: () => call('reports.shopNames', () => reports.shopNames(store)),
      refundsByKeyAndReason: (w, by) => call('reports.refundsByKeyAndReason', () => statsBy.refundsByKeyAndReason(store, w, by)),
      decisionsInWindow: (w) => call('reports.decisionsInWindow', () => statsBy.decisionsInWindow(store, w)),
    },
    meta: {
      get: (key) => call('meta.get', () => store.meta(key)),
      set: (key, value) => call('meta.set', () => store.setMeta(key, value)),
    },
  };

  let inUnit = false;

  async function unitOfWork<T>(fn: (tx: TxPorts) => Promise<T>, opts: UnitOfWorkOptions = {}): Promise<T> {
    const mode = opts.mode ?? 'write';
    if (inUnit) throw new Error('unitOfWork: units of work do not nest');
    inUnit = true;
    try {
      if (mode === 'read') {
        const snap = await call('unitOfWork', () => store.snapshot());
        try {
          return await fn(tx);
        } catch (e) {
          throw portErrorOf(e, 'unitOfWork', where);
        } finally {
          snap.end();
        }
      }
      if (store.inTransaction()) {
        // Legacy only: a caller still on the Store holds a transaction; join it through a savepoint.
        store.sqlRun('SAVEPOINT unit_of_work');
        try {
          const v = await fn(tx);
          store.sqlRun('RELEASE unit_of_work');
          return v;
        } catch (e) {
          if (store.inTransaction()) {
            store.sqlRun('ROLLBACK TO unit_of_work');
            store.sqlRun('RELEASE unit_of_work');
          }
          throw portErrorOf(e, 'unitOfWork', where);
        }
      }
      await call('unitOfWork', () => {
        if (opts.wait !== 'none') return store.begin({ load: mode === 'load' });
        // As Store.tryWrite: no wait for the write lock; once it is held nothing else waits.
        const [prev] = store.sql<{ timeout: number }>('PRAGMA busy_timeout');
        store.sqlRun('PRAGMA busy_timeout = 0');
        try {
          store.begin({ load: mode === 'load' });
        } finally {
          store.sqlRun(`PRAGMA busy_timeout = ${Number(prev?.timeout ?? 10_000)}`);
        }
      });
      try {
        const v = await fn(tx);
        await call('unitOfWork', () => store.commit());
        return v;
      } catch (e) {
        store.rollback();
        throw portErrorOf(e, 'unitOfWork', where);
      }
    } finally {
      inUnit = false;
    }
  }

  return {
    backend: 'sqlite',
    where,
    ...tx,
    unitOfWork,
    admin: {
      backupTo: (file) => store.backupTo(file).catch((e: unknown) => Promise.reject(portErrorOf(e, 'admin.backupTo', where))),
      purgePersonalData: (beforeIso, dryRun, nowIso) => call('admin.purgePersonalData', () => store.purgePersonalData(beforeIso, dryRun, nowIso)),
      counts: () =>
        call('admin.counts', () => {
          // One snapshot for all tables (a no-op inside a unit of work, which is consistent already).
          const snap = store.snapshot();
          try {
            return Object.fromEntries(
              TABLE_NAMES.map((t) => [t, store.sql<{ n: number }>(`SELECT count(*) AS n FROM ${quoteId(t)}`)[0]!.n]),
            ) as Record<TableName, number>;
          } finally {
            snap.end();
          }
        }),
      dump(table, batch) {
        const t = checkTable(table);
        if (!(Number.isInteger(batch) && batch > 0)) throw new RangeError(`dump: batch ${batch}`);
        return {
          async *[Symbol.asyncIterator]() {
            const snap = store.snapshot();
            try {
              const cols = columnsOf(t).map(quoteId).join(', ');
              for (let offset = 0; ; offset += batch) {
                const rows = store.sql<TableRow>(`SELECT ${cols} FROM ${quoteId(t)} ORDER BY ${KEY_OF[t]} LIMIT ? OFFSET ?`, [batch, offset]);
                if (rows.length === 0) return;
                yield rows;
                if (rows.length < batch) return;
              }
            } catch (e) {
              throw portErrorOf(e, 'admin.dump', where);
            } finally {
              snap.end();
            }
          },
        };
      },
      load: (table, rows) =>
        call('admin.load', () => {
          const t = checkTable(table);
          if (rows.length === 0) return;
          const known = new Set(columnsOf(t));
          const cols = Object.keys(rows[0]!);
          for (const c of cols) if (!known.has(c)) throw new RangeError(`load: ${t} has no column ${c}`);
          const sql = `INSERT INTO ${quoteId(t)} (${cols.map(quoteId).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
          atomically('admin.load', () => {
            for (const r of rows) store.sqlRun(sql, cols.map((c) => r[c] ?? null));
          });
        }),
      emptyAndAlone: () => call('admin.emptyAndAlone', () => store.emptyAndAlone()),
    },
    close: () => call('close', () => store.close()),
  };
}
