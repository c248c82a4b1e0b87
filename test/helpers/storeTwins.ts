// Tests only: synchronous twins of the read side's use cases on the test Store (syncStore.ts), for
// tests that set up and read a case in one synchronous step. Each reads what its async twin in
// src/app reads and hands it to the same pure code, so the two cannot drift.
import { deadlineFor } from '../../src/domain/deadlines.js';
import type { BuyerHistory } from '../../src/domain/buyerHistory.js';
import type { DeadlineRow } from '../../src/domain/inputs.js';
import type { ShopZone } from '../../src/domain/time.js';
import type { Refund } from '../../src/domain/types.js';
import { compareUrgency } from '../../src/domain/urgency.js';
import { waybillKey } from '../../src/domain/waybill.js';
import * as reports from '../../src/store/sqlite/reports.js';
import * as buyers from '../../src/store/sqlite/buyers.js';
import type { Store } from './syncStore.js';
import { buyerWindowOf, historyFrom, DEFAULT_BUYER_SETTINGS, type BuyerSettings } from '../../src/app/buyerHistory.js';
import type { CaseFile } from '../../src/app/caseFile.js';
import { DEADLINE_PAGE, deadlineFingerprint, FINGERPRINT_KEY, sameDeadline, toStored, type DeadlineEnv } from '../../src/app/deadlines.js';
import { packFrom, type EvidencePack } from '../../src/app/evidence.js';
export { PackError, writePack } from '../../src/app/evidence.js';
import { DEFAULT_STATS_WINDOW_MS, statsFrom, statsWindows, TOP_PRODUCTS, type Stats } from '../../src/app/stats.js';
import { assess, assessRead, receiptsByWaybillOf, withFreshDeadlines, type SweepEnv, type SweepFilter, type SweepItem } from '../../src/app/sweep.js';

/** app/deadlines.ts ensureDeadlines on the Store (Store.tryWrite for a reader). */
export function ensureDeadlinesOnStore(store: Store, env: DeadlineEnv, opts: { all?: boolean; reader?: boolean } = {}): boolean {
  const fingerprint = deadlineFingerprint(env);
  const all = opts.all || store.meta(FINGERPRINT_KEY) !== fingerprint;
  const work = () => {
    if (all) {
      const ids = store.openRefundIds();
      for (let i = 0; i < ids.length; i += DEADLINE_PAGE) {
        const changed: DeadlineRow[] = [];
        for (const { refund, deadline } of store.refundsWithDeadlines(ids.slice(i, i + DEADLINE_PAGE))) {
          const fresh = toStored(refund.refundId, deadlineFor(refund, env.rules, env.zone, env.calendar));
          if (!sameDeadline(fresh, deadline)) changed.push(fresh);
        }
        store.saveDeadlines(changed);
      }
      store.setMeta(FINGERPRINT_KEY, fingerprint);
    }
    for (let page = store.refundsNeedingDeadlines(DEADLINE_PAGE); page.length; page = store.refundsNeedingDeadlines(DEADLINE_PAGE)) {
      store.saveDeadlines(page.map((r) => toStored(r.refundId, deadlineFor(r, env.rules, env.zone, env.calendar))));
    }
  };
  if (!opts.reader) {
    work();
    return true;
  }
  if (!all && store.refundsNeedingDeadlines(1).length === 0) return true;
  return store.tryWrite(work);
}

/** app/sweep.ts sweep on the Store: every open refund, most urgent first. */
export function sweepOnStore(store: Store, env: SweepEnv, filter: SweepFilter = {}): SweepItem[] {
  const stored = ensureDeadlinesOnStore(store, env, { reader: true });
  let rows = store.openRefundsWithDeadlines({ ...filter, nowMs: env.nowMs });
  if (!stored) rows = withFreshDeadlines(rows, env, filter.dueWithinMs ?? null);
  const shared = { receipts: receiptsByWaybillOf(store.allReceipts()), lastImport: store.lastRefundImports() };
  const items = assessRead(env, rows, store.latestDecisions(rows.map((r) => r.refund.refundId)), shared, rows.map((r) => r.refund));
  items.sort((a, b) => compareUrgency(a.urgency, b.urgency));
  return items;
}

/** app/buyerHistory.ts buyerHistoryOf on the Store. */
export function buyerHistoryFor(store: Store, refund: Refund, env: { zone: ShopZone; nowMs: number }, settings: BuyerSettings = DEFAULT_BUYER_SETTINGS): BuyerHistory {
  const who = buyers.buyerIdentity(store, refund.refundId);
  const w = buyerWindowOf(refund, who, env, settings);
  const rows = buyers.buyerCases(store, w);
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const orders = w.buyer === null ? orderIds.length : buyers.buyerOrderCount(store, w, orderIds);
  return historyFrom(refund, who, rows, orders, env, settings);
}

/** app/caseFile.ts caseFile on the Store. */
export function caseFileFromStore(store: Store, env: SweepEnv, refundId: string): CaseFile | null {
  const refund = store.refund(refundId);
  if (!refund) return null;
  const decisions = store.decisions(refundId);
  const receipts = refund.returnWaybill ? store.receiptsForWaybill(waybillKey(refund.returnWaybill)) : [];
  const item = assess(refund, env, {
    decision: decisions.at(-1) ?? null,
    receipts,
    lastImportAt: store.lastRefundImports().get(refund.platform) ?? null,
  });
  const buyer = buyerHistoryFor(store, refund, env, env.buyer);
  return { ...item, order: store.order(refund.orderId), history: store.history(refundId), decisions, receipts, buyerHistory: buyer };
}

/** app/stats.ts computeStats on the Store. */
export function computeStatsOnStore(store: Store, zone: ShopZone, sinceMs: number, untilMs: number): Stats {
  const { w, prev } = statsWindows(zone, sinceMs, untilMs);
  return statsFrom(
    {
      finished: reports.finishedInWindow(store, w),
      applied: reports.appliedInWindow(store, w),
      paid: reports.paidByPlatform(store, w),
      refunded: reports.refundedByPlatform(store, w),
      orderPlatforms: reports.orderPlatforms(store),
      reasons: reports.reasonsInWindow(store, w),
      perDay: reports.perDayInWindow(store, w),
      products: reports.productsInWindow(store, w, TOP_PRODUCTS),
      previousPerDay: reports.perDayInWindow(store, prev),
    },
    zone,
    sinceMs,
    untilMs,
  );
}

/** app/evidence.ts evidencePack on the Store (the triage card's "write the appeal pack"). */
export function evidencePackFromStore(store: Store, env: SweepEnv, refundId: string): EvidencePack | null {
  const cf = caseFileFromStore(store, env, refundId);
  if (!cf) return null;
  const received = buyers.buyerIdentity(store, cf.refund.refundId)?.received_text ?? null;
  return packFrom(cf, received, computeStatsOnStore(store, env.zone, env.nowMs - DEFAULT_STATS_WINDOW_MS, env.nowMs), env);
}
