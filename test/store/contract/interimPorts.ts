// TEMPORARY: a stand-in adapter so the suite runs before p0 commits src/store/legacyPorts.ts (portsOf); deleted when it lands.
import type { Ports, TxPorts } from '../../../src/app/ports/index.js';
import { StoreBusy } from '../../../src/app/ports/errors.js';
import type { Clock } from '../../../src/domain/time.js';
import type { Store } from '../../../src/store/store.js';
import * as rep from '../../../src/store/reports.js';
import * as by from '../../../src/store/statsBy.js';
import * as bh from '../../../src/store/buyerHistory.js';

const busy = (e: unknown) => /SQLITE_BUSY|SQLITE_LOCKED/.test((e as { code?: string }).code ?? '');

export function interimPortsOf(store: Store, clock: Clock): Ports {
  let mark = 0;
  const tx: TxPorts = {
    cases: {
      refund: async (id) => store.refund(id),
      refundIdsForOrder: async (o) => store.sql<{ refund_id: string }>('SELECT refund_id FROM refunds WHERE order_id = ? ORDER BY refund_id', [o]).map((r) => r.refund_id),
      similarRefundIds: async (id, n) => store.similarRefundIds(id, n),
      order: async (id) => store.order(id),
      history: async (id) => store.history(id),
      decisions: async (id) => store.decisions(id),
      receiptsForWaybill: async (k) => store.receiptsForWaybill(k),
      refundsByWaybill: async (k) => store.refundsByWaybill(k),
      allReceipts: async () => store.allReceipts(),
      openRefunds: async (f) => store.openRefunds(f),
      lastRefundImports: async () => store.lastRefundImports(),
      lastImportId: async () => store.sql<{ m: number | null }>('SELECT max(id) AS m FROM imports')[0]!.m,
      buyerIdentity: async (id) => bh.buyerIdentity(store, id),
      buyerCases: async (w) => bh.buyerCases(store, w),
      buyerOrderCount: async (w, ids) => bh.buyerOrderCount(store, w, ids),
    },
    sweep: {
      openRefundsWithDeadlines: async (f) => store.openRefundsWithDeadlines(f),
      refundsWithDeadlines: async (ids) => store.refundsWithDeadlines(ids),
      latestDecisions: async (ids) => store.latestDecisions(ids),
      openRefundFacts: async () => store.openRefundFacts(),
      rankedSections: async (q) => store.rankedSections(q),
      sweepPlan: async (q) => store.sweepPlan(q),
      triageCandidates: async (q) => store.triageCandidates({ ...q, clockMs: clock.now() }),
    },
    deadlines: { openRefundIds: async () => store.openRefundIds().sort(), needing: async (l) => store.refundsNeedingDeadlines(l), save: async (r) => store.saveDeadlines(r) },
    imports: {
      file: async (fn) => {
        store.beginFile();
        mark = store.newRowsMark();
        try {
          const v = await fn();
          store.endFile(true);
          return v;
        } catch (e) {
          store.endFile(false);
          throw e;
        }
      },
      writeRefunds: async (rows, at) => rows.map((r) => store.upsertRefund(r, at.seenAt, at.sourceFile, at.deadlineOf)),
      writeOrders: async (rows, at) => rows.map((r) => store.upsertOrder(r, at.seenAt, at.sourceFile)),
      writeReceipts: async (rows, at) => rows.map((r) => store.addReceipt(r.row, r.hash, at)),
      finishFile: async (log) => {
        store.recordFirstSightings(mark);
        if (log) store.logImport(log);
      },
    },
    decisions: {
      record: async (d, g) => {
        const now = clock.now();
        const own = !store.inTransaction();
        if (own) store.begin();
        try {
          const latest = store.decisions(d.refundId).at(-1) ?? null;
          if (g.seenLastId !== undefined && (latest?.id ?? null) !== g.seenLastId && latest) {
            if (own) store.rollback();
            return { ok: false, reason: 'decided', agent: latest.agent, decidedAt: latest.decidedAt };
          }
          let forcedOver = null;
          if (!store.claim(d.refundId, d.agent, g.session, now, g.ttlMs)) {
            const h = store.claimHolder(d.refundId, now)!;
            if (h.agent !== d.agent) {
              if (!g.force) {
                if (own) store.rollback();
                return { ok: false, reason: 'claimed', agent: h.agent, expiresAt: h.expiresAt };
              }
              forcedOver = { agent: h.agent, expiresAt: h.expiresAt };
              store.takeClaim(d.refundId, d.agent, g.session, now, g.ttlMs);
            }
          }
          const decision = store.recordDecision(d);
          if (own) store.commit();
          return { ok: true, decision, forcedOver };
        } catch (e) {
          if (own) store.rollback();
          throw e;
        }
      },
      insert: async (d) => store.recordDecision(d),
      since: async (a, b) => {
        const st = new Map(store.sql<{ id: number; s: string | null }>('SELECT id, status_at_decision AS s FROM decisions').map((r) => [r.id, r.s]));
        return store.decisionsSince(a, b).map((d) => ({ ...d, statusAtDecision: st.get(d.id) ?? null }));
      },
    },
    locks: {
      claim: async (id, a, s, ttl) => store.claim(id, a, s, clock.now(), ttl),
      claimFirst: async (ids, a, s, ttl) => ids.find((id) => store.claim(id, a, s, clock.now(), ttl)) ?? null,
      holder: async (id) => store.claimHolder(id, clock.now()),
      take: async (id, a, s, ttl) => store.takeClaim(id, a, s, clock.now(), ttl),
      release: async (s) => store.releaseClaims(s),
      claimedByOthers: async (s) => store.claimedByOthers(s, clock.now()),
      snooze: async (id, a, u) => store.snooze(id, a, u),
      snoozedUntil: async (a) => store.snoozedUntil(a),
    },
    reports: {
      finishedInWindow: async (w) => rep.finishedInWindow(store, w),
      appliedInWindow: async (w) => rep.appliedInWindow(store, w),
      paidByPlatform: async (w) => rep.paidByPlatform(store, w),
      refundedByPlatform: async (w) => rep.refundedByPlatform(store, w),
      orderPlatforms: async () => rep.orderPlatforms(store),
      reasonsInWindow: async (w) => rep.reasonsInWindow(store, w),
      productsInWindow: async (w, l) => rep.productsInWindow(store, w, l),
      perDayInWindow: async (w) => rep.perDayInWindow(store, w),
      decisionsByAgent: async (w) => rep.decisionsByAgent(store, w),
      shopNames: async () => rep.shopNames(store),
      refundsByKeyAndReason: async (w, k) => by.refundsByKeyAndReason(store, w, k),
      decisionsInWindow: async (w) => by.decisionsInWindow(store, w),
    },
    meta: { get: async (k) => store.meta(k), set: async (k, v) => store.setMeta(k, v) },
  };
  return {
    ...tx,
    backend: 'sqlite',
    where: store.path,
    unitOfWork: async (fn, opts = {}) => {
      if (opts.mode === 'read') {
        const snap = store.snapshot();
        store.sqlRun('PRAGMA query_only = 1');
        try {
          return await fn(tx);
        } finally {
          store.sqlRun('PRAGMA query_only = 0');
          snap.end();
        }
      }
      if (opts.wait === 'none') {
        const t = store.sql<{ timeout: number }>('PRAGMA busy_timeout')[0]!.timeout;
        store.sqlRun('PRAGMA busy_timeout = 0');
        try {
          store.begin();
        } catch (e) {
          if (busy(e)) throw new StoreBusy('unitOfWork', { cause: e });
          throw e;
        } finally {
          store.sqlRun(`PRAGMA busy_timeout = ${t}`);
        }
      } else store.begin({ load: opts.mode === 'load' });
      try {
        const v = await fn(tx);
        store.commit();
        return v;
      } catch (e) {
        store.rollback();
        throw e;
      }
    },
    admin: {
      backupTo: (f) => store.backupTo(f),
      purgePersonalData: async (b, d, n) => store.purgePersonalData(b, d, n),
      counts: async () => {
        const out: Record<string, number> = {};
        for (const t of ['meta', 'imports', 'import_columns', 'orders', 'refunds', 'refund_history', 'decisions', 'warehouse_receipts', 'claims', 'snoozes'])
          out[t] = store.sql<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)[0]!.n;
        return out as never;
      },
      dump: async function* (t, batch) {
        const rows = store.sql<Record<string, string | number | null>>(`SELECT * FROM ${t} ORDER BY rowid`);
        for (let i = 0; i < rows.length; i += batch) yield rows.slice(i, i + batch);
      },
      load: async (t, rows) => {
        for (const r of rows) {
          const cols = Object.keys(r).filter((c) => !['applied_ms', 'finished_ms', 'active_ms'].includes(c));
          store.sqlRun(`INSERT INTO ${t} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`, cols.map((c) => r[c]));
        }
      },
      emptyAndAlone: async () => store.emptyAndAlone(),
    },
    close: async () => store.close(),
  };
}
