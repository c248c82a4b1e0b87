// Shop metrics over a window, from the database: what the platforms score a shop on (自主完结率,
// 退款完结时长, timeouts, 客服介入) and what the shop tracks itself (refunds as a share of sales,
// reasons, products, the daily trend). Store in, plain data out; the SQL is in store/reports.ts
// and every figure here is re-derivable by the README's copy of those queries.
//
// Definitions (also in the README):
// - finished: SUCCESS or CLOSED with its finish time in the window; finish time = finished_at
//   (退款完结时间), or status_since when the export has none;
// - finished by the platform: finished after the export's deadline (export_deadline < finish
//   time: a timeout) or with 客服介入 at some point (dispute_state not 'none'); every other
//   finished refund was finished by the seller; 自主完结率 = by the seller / finished;
// - mean time to finish: hours from applied_at to the finish time, over finished refunds that
//   have applied_at;
// - timeouts: finished refunds whose export deadline had passed when they finished, share of
//   finished;
// - applied: refunds whose application time (applied_at, else first_seen_at) is in the window;
//   disputes = applied ones with 客服介入 at some point, share of applied; reasons and products
//   rank the applied ones;
// - refunded / paid: SUCCESS amounts finished in the window over orders.paid_cents of orders
//   paid in the window, on the platforms whose order export was imported.
import { reasonBucket, type ReasonBucket } from '../domain/decisionTree.js';
import type { ShopZone } from '../domain/time.js';
import type { AppliedRow, CountRow, DayRow, FinishedRow, PlatformMoneyRow, ReportReader } from './ports/index.js';

export const DEFAULT_STATS_WINDOW_MS = 28 * 86_400_000;
export const TOP_PRODUCTS = 5;
/** The seed's rule of thumb: refund losses stay under 2% of sales. */
export const REFUND_SHARE_RULE_OF_THUMB = 0.02;

export interface Share {
  count: number;
  of: number;
  /** count / of, or null when `of` is 0. */
  share: number | null;
}

export interface PlatformShare {
  platform: string;
  refundedCents: number;
  refunds: number;
  paidCents: number;
  orders: number;
  /** False when no order of this platform was ever imported: its share cannot be known. */
  orderExportImported: boolean;
  share: number | null;
}

export interface Stats {
  since: string;
  until: string;
  /** Window length in days (may be fractional). */
  days: number;
  finished: { count: number; success: number; closed: number };
  /** 自主完结率: finished by the seller without the platform / all finished. */
  selfFinished: Share & { byPlatform: number };
  meanHoursToFinish: number | null;
  /** How many finished refunds the mean is over (those with an application time). */
  meanHoursOver: number;
  timeouts: Share;
  applied: { count: number; amountCents: number };
  /** 客服介入 among the refunds applied in the window. */
  disputes: Share;
  refundShare: {
    /** Refunded on the platforms with an order export, cents. */
    refundedCents: number;
    paidCents: number;
    share: number | null;
    ruleOfThumb: number;
    /** True when any order was ever imported. */
    orderExportImported: boolean;
    platforms: PlatformShare[];
  };
  reasons: {
    buckets: Record<ReasonBucket, { refunds: number; amountCents: number }>;
    ranked: { reason: string | null; bucket: ReasonBucket; refunds: number; amountCents: number }[];
  };
  topProducts: { product: string | null; refunds: number; amountCents: number }[];
  perDay: { date: string; applied: number; finished: number }[];
  /**
   * The previous window of the same length, day by day (for the HTML charts' comparison and the
   * JSON); null when the caller shows neither (StatsOptions.previousWindow).
   */
  previousPerDay: { date: string; applied: number; finished: number }[] | null;
}

function share(count: number, of: number): Share {
  return { count, of, share: of > 0 ? count / of : null };
}

/** The rows of the reports the figures are made of (ReportReader's, for the window and the one before). */
export interface StatsRows {
  finished: FinishedRow;
  applied: AppliedRow;
  paid: PlatformMoneyRow[];
  refunded: PlatformMoneyRow[];
  orderPlatforms: string[];
  reasons: CountRow[];
  products: CountRow[];
  perDay: DayRow[];
  previousPerDay: DayRow[] | null;
}

export interface StatsOptions {
  /**
   * Read the previous window's days too (Stats.previousPerDay; default true). Only the HTML
   * chart and the JSON show them, and on a long history that window is a third of the refunds
   * read: the text and Markdown pages leave it out.
   */
  previousWindow?: boolean;
}

export function statsWindows(zone: ShopZone, sinceMs: number, untilMs: number) {
  return {
    w: { since: zone.iso(sinceMs), until: zone.iso(untilMs) },
    prev: { since: zone.iso(sinceMs - (untilMs - sinceMs)), until: zone.iso(sinceMs) },
  };
}

/** The shop's figures over [sinceMs, untilMs): nine report queries (eight without the previous window), then statsFrom. */
export async function computeStats(reports: ReportReader, zone: ShopZone, sinceMs: number, untilMs: number, opts: StatsOptions = {}): Promise<Stats> {
  const { w, prev } = statsWindows(zone, sinceMs, untilMs);
  // One after the other: a backend answers one query at a time on a connection anyway. The
  // previous window first: SQLite reads the refunds active since its start once, and the window's
  // own figures, a part of them, read the same (store/sqlite/reports.ts windowRefunds).
  const previousPerDay = opts.previousWindow === false ? null : await reports.perDayInWindow(prev);
  const rows: StatsRows = {
    finished: await reports.finishedInWindow(w),
    applied: await reports.appliedInWindow(w),
    paid: await reports.paidByPlatform(w),
    refunded: await reports.refundedByPlatform(w),
    orderPlatforms: await reports.orderPlatforms(),
    reasons: await reports.reasonsInWindow(w),
    perDay: await reports.perDayInWindow(w),
    products: await reports.productsInWindow(w, TOP_PRODUCTS),
    previousPerDay,
  };
  return statsFrom(rows, zone, sinceMs, untilMs);
}

/** The figures from the report rows (pure). */
export function statsFrom(rows: StatsRows, zone: ShopZone, sinceMs: number, untilMs: number): Stats {
  const { w } = statsWindows(zone, sinceMs, untilMs);
  const f = rows.finished;
  const a = rows.applied;

  const paid = rows.paid;
  const refunded = rows.refunded;
  const withOrders = new Set(rows.orderPlatforms);
  const platforms = [...new Set([...paid.map((p) => p.platform), ...refunded.map((r) => r.platform), ...withOrders])].sort();
  const perPlatform: PlatformShare[] = platforms.map((platform) => {
    const p = paid.find((x) => x.platform === platform);
    const r = refunded.find((x) => x.platform === platform);
    const paidCents = p?.cents ?? 0;
    const refundedCents = r?.cents ?? 0;
    return {
      platform,
      refundedCents,
      refunds: r?.n ?? 0,
      paidCents,
      orders: p?.n ?? 0,
      orderExportImported: withOrders.has(platform),
      share: paidCents > 0 ? refundedCents / paidCents : null,
    };
  });
  const counted = perPlatform.filter((p) => p.orderExportImported);
  const refundedCents = counted.reduce((s, p) => s + p.refundedCents, 0);
  const paidCents = counted.reduce((s, p) => s + p.paidCents, 0);

  const buckets: Stats['reasons']['buckets'] = {
    buyer: { refunds: 0, amountCents: 0 },
    merchant: { refunds: 0, amountCents: 0 },
    unknown: { refunds: 0, amountCents: 0 },
  };
  const ranked = rows.reasons.map((r) => {
    const bucket = reasonBucket(r.key);
    buckets[bucket].refunds += r.refunds;
    buckets[bucket].amountCents += r.amount_cents;
    return { reason: r.key === '' ? null : r.key, bucket, refunds: r.refunds, amountCents: r.amount_cents };
  });

  const perDay = daysOf(rows.perDay, zone, sinceMs, untilMs);

  return {
    since: w.since,
    until: w.until,
    days: Math.round(((untilMs - sinceMs) / 86_400_000) * 1000) / 1000,
    finished: { count: f.finished, success: f.success, closed: f.closed },
    selfFinished: { ...share(f.finished - f.by_platform, f.finished), byPlatform: f.by_platform },
    meanHoursToFinish: f.mean_hours,
    meanHoursOver: f.timed,
    timeouts: share(f.timeouts, f.finished),
    applied: { count: a.applied, amountCents: a.amount_cents },
    disputes: share(a.disputes, a.applied),
    refundShare: {
      refundedCents,
      paidCents,
      share: paidCents > 0 ? refundedCents / paidCents : null,
      ruleOfThumb: REFUND_SHARE_RULE_OF_THUMB,
      orderExportImported: withOrders.size > 0,
      platforms: perPlatform,
    },
    reasons: { buckets, ranked },
    topProducts: rows.products.map((p) => ({
      product: p.key === '' ? null : p.key,
      refunds: p.refunds,
      amountCents: p.amount_cents,
    })),
    perDay,
    previousPerDay: rows.previousPerDay && daysOf(rows.previousPerDay, zone, sinceMs - (untilMs - sinceMs), sinceMs),
  };
}

/** Every shop-local day [sinceMs, untilMs) touches, empty ones included, so the chart shows the gaps. */
function daysOf(rows: DayRow[], zone: ShopZone, sinceMs: number, untilMs: number): Stats['perDay'] {
  const days = new Map(rows.map((d) => [d.day, d]));
  const perDay: Stats['perDay'] = [];
  if (untilMs > sinceMs) {
    const lastKey = zone.dateKey(untilMs - 1);
    for (let day = zone.startOfDay(sinceMs), i = 0; i < 3700; i++, day = zone.addDays(day, 1)) {
      const key = zone.dateKey(day);
      const d = days.get(key);
      perDay.push({ date: key, applied: d?.applied ?? 0, finished: d?.finished ?? 0 });
      if (key >= lastKey) break;
    }
  }
  return perDay;
}
