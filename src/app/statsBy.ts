// `refunds stats --by product|reason|agent|platform`: the refunds applied in a window broken down
// by one key, with the trend against the previous window of the same length; for products the
// merchant-side share and what to look at when it is mostly merchant-side (总结经验教训); per agent
// the decisions, the median time from the export's applied time to the decision, and the share a
// later refund export showed carried out. The rows of each key add up to the window's totals.
import { reasonBucket } from '../domain/decisionTree.js';
import { ADVICE_MIN_REFUNDS, lookAt, MOSTLY_MERCHANT_SHARE, type LookArea } from '../domain/reasonAdvice.js';
import type { ShopZone } from '../domain/time.js';
import type { AgentDecisionRow, GroupKey, GroupReasonRow, ReportReader } from './ports/index.js';

export const STATS_BY_KEYS = ['product', 'reason', 'agent', 'platform'] as const;
export type StatsByKey = (typeof STATS_BY_KEYS)[number];

export interface ByItem {
  key: string | null;
  refunds: number;
  amountCents: number;
  previousRefunds: number;
  previousAmountCents: number;
  /** refunds / previousRefunds − 1; null when the previous window had none. */
  trend: number | null;
  /** Merchant-side refunds / refunds (products, platforms). */
  merchantSideShare?: number;
  /** Reason buckets (reasons). */
  bucket?: 'buyer' | 'merchant' | 'unknown';
  /** Mostly merchant-side products: what to look at, most refunds first, with the reasons behind. */
  advice?: { lookAt: LookArea[]; reasons: { reason: string; refunds: number }[] };
  // Agents
  decisions?: number;
  medianHoursToDecision?: number | null;
  /** Decisions expecting a platform state that a later refund export could confirm. */
  checked?: number;
  carriedOut?: number;
  carriedOutShare?: number | null;
}

export interface StatsBy {
  by: StatsByKey;
  since: string;
  until: string;
  previous: { since: string; until: string };
  days: number;
  totals: { refunds: number; amountCents: number; previousRefunds: number; previousAmountCents: number; decisions?: number };
  items: ByItem[];
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function trend(now: number, before: number): number | null {
  return before > 0 ? round(now / before - 1) : null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function refundItems(by: GroupKey, current: GroupReasonRow[], previous: GroupReasonRow[]): ByItem[] {
  const items = new Map<string, ByItem & { merchant: number; reasons: Map<string, number> }>();
  const get = (key: string) => {
    let it = items.get(key);
    if (!it) {
      it = { key: key === '' ? null : key, refunds: 0, amountCents: 0, previousRefunds: 0, previousAmountCents: 0, trend: null, merchant: 0, reasons: new Map() };
      items.set(key, it);
    }
    return it;
  };
  for (const row of current) {
    const it = get(row.key);
    it.refunds += row.refunds;
    it.amountCents += row.amount_cents;
    if (reasonBucket(row.reason) === 'merchant') {
      it.merchant += row.refunds;
      it.reasons.set(row.reason, (it.reasons.get(row.reason) ?? 0) + row.refunds);
    }
  }
  for (const row of previous) {
    const it = get(row.key);
    it.previousRefunds += row.refunds;
    it.previousAmountCents += row.amount_cents;
  }
  return [...items.values()]
    .map(({ merchant, reasons, ...it }) => {
      const out: ByItem = { ...it, trend: trend(it.refunds, it.previousRefunds) };
      if (by === 'reason') out.bucket = reasonBucket(it.key);
      if (by === 'product' || by === 'platform') out.merchantSideShare = it.refunds > 0 ? round(merchant / it.refunds) : 0;
      if (by === 'product' && it.refunds >= ADVICE_MIN_REFUNDS && merchant / it.refunds > MOSTLY_MERCHANT_SHARE) {
        const ranked = [...reasons].map(([reason, refunds]) => ({ reason, refunds })).sort((a, b) => b.refunds - a.refunds || (a.reason < b.reason ? -1 : 1));
        const areas: LookArea[] = [];
        for (const r of ranked) {
          const a = lookAt(r.reason);
          if (a && !areas.includes(a)) areas.push(a);
        }
        out.advice = { lookAt: areas, reasons: ranked };
      }
      return out;
    })
    .sort((a, b) => b.refunds - a.refunds || b.amountCents - a.amountCents || b.previousRefunds - a.previousRefunds || String(a.key ?? '\uffff').localeCompare(String(b.key ?? '\uffff'), 'en'));
}

function agentItems(current: AgentDecisionRow[], previous: AgentDecisionRow[]): ByItem[] {
  const items = new Map<string, { refunds: Map<string, number>; prevRefunds: Map<string, number>; decisions: number; hours: number[]; checked: number; carried: number }>();
  const get = (agent: string) => {
    let it = items.get(agent);
    if (!it) {
      it = { refunds: new Map(), prevRefunds: new Map(), decisions: 0, hours: [], checked: 0, carried: 0 };
      items.set(agent, it);
    }
    return it;
  };
  for (const d of current) {
    const it = get(d.agent);
    it.decisions++;
    it.refunds.set(d.refund_id, d.amount_cents ?? 0);
    const applied = d.applied_at ? Date.parse(d.applied_at) : NaN;
    const decided = Date.parse(d.decided_at);
    if (Number.isFinite(applied) && Number.isFinite(decided)) it.hours.push((decided - applied) / 3_600_000);
    if (d.expecting && d.checked) {
      it.checked++;
      if (d.carried_out) it.carried++;
    }
  }
  for (const d of previous) get(d.agent).prevRefunds.set(d.refund_id, d.amount_cents ?? 0);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
  return [...items]
    .map(([agent, it]) => {
      const med = median(it.hours);
      return {
        key: agent,
        refunds: it.refunds.size,
        amountCents: sum(it.refunds),
        previousRefunds: it.prevRefunds.size,
        previousAmountCents: sum(it.prevRefunds),
        trend: trend(it.refunds.size, it.prevRefunds.size),
        decisions: it.decisions,
        medianHoursToDecision: med === null ? null : Math.round(med * 10) / 10,
        checked: it.checked,
        carriedOut: it.carried,
        carriedOutShare: it.checked > 0 ? round(it.carried / it.checked) : null,
      };
    })
    .sort((a, b) => b.decisions - a.decisions || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function computeStatsBy(reports: ReportReader, zone: ShopZone, by: StatsByKey, sinceMs: number, untilMs: number): Promise<StatsBy> {
  const w = { since: zone.iso(sinceMs), until: zone.iso(untilMs) };
  const prev = { since: zone.iso(sinceMs - (untilMs - sinceMs)), until: w.since };
  const items =
    by === 'agent'
      ? agentItems(await reports.decisionsInWindow(w), await reports.decisionsInWindow(prev))
      : refundItems(by, await reports.refundsByKeyAndReason(w, by), await reports.refundsByKeyAndReason(prev, by));
  const totals: StatsBy['totals'] = {
    refunds: items.reduce((s, i) => s + i.refunds, 0),
    amountCents: items.reduce((s, i) => s + i.amountCents, 0),
    previousRefunds: items.reduce((s, i) => s + i.previousRefunds, 0),
    previousAmountCents: items.reduce((s, i) => s + i.previousAmountCents, 0),
  };
  if (by === 'agent') totals.decisions = items.reduce((s, i) => s + (i.decisions ?? 0), 0);
  return { by, ...w, previous: prev, days: Math.round(((untilMs - sinceMs) / 86_400_000) * 1000) / 1000, totals, items };
}

/** `stats --by --json`: each item named by its key field (CONTRACT.md). */
export function statsByJson(s: StatsBy) {
  return {
    since: s.since,
    until: s.until,
    previous: s.previous,
    days: s.days,
    totals: s.totals,
    by: s.items.map(({ key, ...rest }) => ({ [s.by]: key, ...rest })),
  };
}
