// The buyer's history on one case: the store's rows (store/buyerHistory.ts), added up and
// flagged by the domain (domain/buyerHistory.ts, domain/buyerFlags.ts), with the thresholds of
// the config file (`buyerHistoryDays`, `buyerFlags`; README "Buyer history and flags").
import type { Config } from '../config.js';
import { buyerFlags, DEFAULT_BUYER_FLAG_THRESHOLDS, type BuyerFlagThresholds } from '../domain/buyerFlags.js';
import { buyerHistory, DEFAULT_BUYER_HISTORY_DAYS, type BuyerHistory } from '../domain/buyerHistory.js';
import type { Translate } from '../domain/decisionTree.js';
import { parseShopTime, type ShopZone } from '../domain/time.js';
import type { Refund } from '../domain/types.js';
import type { BuyerCaseRow, BuyerIdentityRow, BuyerWindow, CaseReader } from './ports/index.js';

export interface BuyerSettings {
  windowDays: number;
  thresholds: BuyerFlagThresholds;
  /** Translator for the flags' reasons (the agent's language); ids as reasons without it. */
  tr?: Translate;
  /** The same in the case's platform's words (平台仲裁 on Douyin where Taobao says 客服介入); tr without it. */
  trFor?: (platform: string) => Translate;
}

export const DEFAULT_BUYER_SETTINGS: BuyerSettings = { windowDays: DEFAULT_BUYER_HISTORY_DAYS, thresholds: { ...DEFAULT_BUYER_FLAG_THRESHOLDS } };

/** The settings from the config file (validated by loadConfig), defaults for what it leaves out. */
export function buyerSettings(config: Pick<Config, 'buyerHistoryDays' | 'buyerFlags'>, tr?: Translate, trFor?: (platform: string) => Translate): BuyerSettings {
  const s: BuyerSettings = {
    windowDays: config.buyerHistoryDays ?? DEFAULT_BUYER_HISTORY_DAYS,
    thresholds: { ...DEFAULT_BUYER_FLAG_THRESHOLDS, ...(config.buyerFlags ?? {}) },
  };
  if (tr) s.tr = tr;
  if (trFor) s.trFor = trFor;
  return s;
}

const DAY = 86_400_000;

/** The buyer's history on one case through the CaseReader port (src/app/ports): three reads, whatever the backend. */
export async function buyerHistoryOf(
  cases: Pick<CaseReader, 'buyerIdentity' | 'buyerCases' | 'buyerOrderCount'>,
  refund: Refund,
  env: { zone: ShopZone; nowMs: number },
  settings: BuyerSettings = DEFAULT_BUYER_SETTINGS,
): Promise<BuyerHistory> {
  const who = await cases.buyerIdentity(refund.refundId);
  const w = buyerWindowOf(refund, who, env, settings);
  const rows = await cases.buyerCases(w);
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const orders = w.buyer === null ? orderIds.length : await cases.buyerOrderCount(w, orderIds);
  return historyFrom(refund, who, rows, orders, env, settings);
}

export function buyerWindowOf(refund: Refund, who: BuyerIdentityRow | null, env: { zone: ShopZone; nowMs: number }, settings: BuyerSettings): BuyerWindow {
  return {
    platform: refund.platform,
    buyer: who?.buyer ?? null,
    since: env.zone.iso(env.nowMs - settings.windowDays * DAY),
    until: env.zone.iso(env.nowMs),
    refundId: refund.refundId,
  };
}

export function historyFrom(
  refund: Refund,
  who: BuyerIdentityRow | null,
  rows: BuyerCaseRow[],
  orders: number,
  env: { zone: ShopZone; nowMs: number },
  settings: BuyerSettings,
): BuyerHistory {
  const buyer = who?.buyer ?? null;
  const cases = rows.map((r) => ({
    refundId: r.refund_id,
    orderId: r.order_id,
    status: r.status,
    appliedAt: r.applied_at,
    amountCents: r.amount_cents,
    refundType: r.refund_type,
    reason: r.reason,
    refundOnlyAfterDelivery: r.refund_only_after_delivery === 1,
    disputed: r.disputed === 1,
    returnCondition: r.return_condition,
    returnReceivedAt: r.return_received_at,
  }));
  const h = buyerHistory({ buyer, platform: refund.platform, windowDays: settings.windowDays, cases, orders });
  const applied = refund.appliedAt ?? refund.firstSeenAt;
  const tr: Translate = settings.trFor?.(refund.platform) ?? settings.tr ?? ((key) => key);
  h.flags = buyerFlags(
    h,
    {
      refundId: refund.refundId,
      reason: refund.reason,
      appliedAtMs: applied ? parseShopTime(applied, env.zone) : null,
      receivedAtMs: who?.received_text ? parseShopTime(who.received_text, env.zone) : null,
    },
    settings.thresholds,
    tr,
    env.zone,
  );
  return h;
}

/** `show --json`'s `buyerHistory` (CONTRACT.md), with the cases behind the figures. */
export function buyerHistoryJson(h: BuyerHistory) {
  return {
    windowDays: h.windowDays,
    buyer: h.buyer,
    masked: h.masked,
    refunds: h.refunds,
    amountCents: h.amountCents,
    refundOnlyAfterDelivery: h.refundOnlyAfterDelivery,
    disputes: h.disputes,
    orders: h.orders,
    refundedOrders: h.refundedOrders,
    refundShare: h.refundShare === null ? null : Math.round(h.refundShare * 10_000) / 10_000,
    reasons: h.reasons,
    flags: h.flags.map((f) => ({ id: f.id, why: f.why })),
    cases: h.cases,
  };
}

/** What a decision records of the flags (decisions.flags_json). */
export function flagsForDecision(h: BuyerHistory | undefined): { id: string; why: string }[] | null {
  return h && h.flags.length ? h.flags.map((f) => ({ id: f.id, why: f.why })) : null;
}
