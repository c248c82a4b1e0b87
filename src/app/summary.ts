// The morning printout: the sweep (deadlines, urgency, receipts, decisions: computed once, in
// sweep.ts) cut into the sections a team lead hands out, yesterday's decisions per agent and the
// 28-day metrics. Store in, plain data out; views render it as text, Markdown, HTML or JSON.
import type { Order } from '../domain/types.js';
import type { ShopZone } from '../domain/time.js';
import { contactOf } from '../domain/privacy.js';
import type { Ports, TxPorts } from './ports/index.js';
import { computeStats, DEFAULT_STATS_WINDOW_MS, type Stats, type StatsOptions } from './stats.js';
import { refundJson, sweep, type SweepCounts, type SweepEnv, type SweepItem } from './sweep.js';
import { summarySweep } from './summarySweep.js';
import { ensureDeadlines } from './deadlines.js';
import { compareUrgency } from '../domain/urgency.js';

/** How many actions "what to do first" lists. */
export const FIRST_ACTIONS = 5;

export interface SummaryRow {
  item: SweepItem;
  /** The refund's order, when the order export was imported (receiver, phone, address). */
  order: Order | null;
}

export interface AgentDay {
  agent: string;
  total: number;
  actions: { action: string; decisions: number }[];
}

export interface SummaryData {
  asOfMs: number;
  zone: ShopZone;
  shop: string | null;
  /** Shop-local midnight ending today: "due today" means a deadline before it. */
  endOfTodayMs: number;
  /**
   * Every open refund, most urgent first (the sweep), read when asked: the summary itself reads
   * whole only the refunds it can list (summarySweep.ts), so its time and memory follow the lists,
   * not the open refunds.
   */
  readonly items: Promise<SweepItem[]>;
  /** The deadlines (epoch ms) of the open refunds that alarm the shop (`alarms`), for --fail-if. */
  alarmDeadlines: number[];
  /**
   * The sweep's counts (as `refunds today --json`), plus dueToday and overdueShop: overdue
   * refunds the platform waits on the shop (or its staff) for — the overdue list.
   */
  counts: SweepCounts & { dueToday: number; overdueShop: number };
  /** Open refunds per state, in the order of STATE_ORDER. */
  byState: { status: string; refunds: number; amountCents: number }[];
  overdue: SummaryRow[];
  dueToday: SummaryRow[];
  orange: SummaryRow[];
  notCarriedOut: SummaryRow[];
  yesterday: { date: string; since: string; until: string; total: number; agents: AgentDay[] };
  metrics: Stats;
  firstActions: SummaryRow[];
}

const STATE_ORDER = ['WAIT_SELLER_AGREE', 'WAIT_SELLER_CONFIRM_GOODS', 'WAIT_BUYER_RETURN_GOODS', 'SELLER_REFUSE_BUYER', 'UNKNOWN'];

/** The platform waits on the seller or its own staff: a passed deadline is the shop's timeout. */
export function alarms(item: SweepItem): boolean {
  return item.deadline.actor !== 'buyer' && item.deadline.actor !== 'none';
}

export interface SummaryOptions extends StatsOptions {
  shopName?: string | null;
  statsWindowMs?: number;
}

/**
 * The summary: its lists, counts, yesterday and metrics read in one 'read' unit of work (one
 * snapshot); `items` (every open refund) is read when asked, on its own.
 */
export async function buildSummary(ports: Ports, env: SweepEnv, opts: SummaryOptions = {}): Promise<SummaryData> {
  const { zone, nowMs } = env;
  const startOfToday = zone.startOfDay(nowMs);
  const endOfTodayMs = zone.addDays(startOfToday, 1);
  // Stale deadlines are stored first (a write, when nobody else writes): the snapshot reads them.
  const stored = await ensureDeadlines(ports, env, { reader: true });
  const data = await ports.unitOfWork((tx) => summaryIn(tx, env, endOfTodayMs, stored, opts), { mode: 'read' });
  let all: Promise<SweepItem[]> | undefined;
  return {
    ...data,
    get items() {
      return (all ??= sweep(ports, env));
    },
  };
}

async function summaryIn(
  tx: TxPorts,
  env: SweepEnv,
  endOfTodayMs: number,
  stored: boolean,
  opts: SummaryOptions,
): Promise<Omit<SummaryData, 'items'>> {
  const { zone, nowMs } = env;

  const startOfToday = zone.startOfDay(nowMs);
  const startOfYesterday = zone.addDays(startOfToday, -1);

  // Only the refunds the summary can list are read whole and assessed (summarySweep.ts); each
  // list below is a filter of them in sweep order, as it was of the whole sweep.
  const picked = await summarySweep(tx, env, endOfTodayMs, stored);
  const items = picked.items;
  const firstCandidate = (i: SweepItem) => ['overdue', 'dueSoon', 'orange', 'seller'].includes(i.urgency.section) && alarms(i) && i.next !== 'none';
  let candidates = items.filter(firstCandidate);
  // The due-soon refunds past today's end have at least this many seconds left: the candidates
  // with fewer are ahead of every one of them (urgency.ts: section, then seconds left).
  const laterSecondsLeft = Math.ceil((endOfTodayMs - nowMs) / 1000);
  const ahead = candidates.filter((i) => (i.urgency.section === 'overdue' || i.urgency.section === 'dueSoon') && i.urgency.secondsLeft! < laterSecondsLeft);
  if (ahead.length < FIRST_ACTIONS) candidates = [...candidates, ...(await picked.laterDueSoon()).filter(firstCandidate)].sort(byUrgency);
  // The seller section comes after the others: needed only when they hold too few first actions.
  if (candidates.filter((i) => i.urgency.section !== 'seller').length < FIRST_ACTIONS) {
    candidates = [...candidates.filter((i) => i.urgency.section !== 'seller'), ...[...items.filter((i) => i.urgency.section === 'seller'), ...(await picked.sellerSection())].filter(firstCandidate)].sort(byUrgency);
  }
  const counts = picked.counts;
  const lists = {
    overdue: items.filter((i) => i.urgency.section === 'overdue'),
    dueToday: items.filter((i) => alarms(i) && !i.urgency.overdue && i.deadline.at !== null && i.deadline.at < endOfTodayMs),
    orange: items.filter((i) => i.urgency.orange),
    notCarriedOut: items.filter((i) => i.notCarriedOut),
    firstActions: candidates.slice(0, FIRST_ACTIONS),
  };
  // The orders of every refund listed (receiver, phone, address), in one read.
  const orders = await tx.cases.orders([...new Set(Object.values(lists).flatMap((l) => l.map((i) => i.refund.orderId)))]);
  const row = (item: SweepItem): SummaryRow => ({ item, order: orders.get(item.refund.orderId) ?? null });
  const overdue = lists.overdue.map(row);
  const dueToday = lists.dueToday.map(row);
  const orange = lists.orange.map(row);
  const notCarriedOut = lists.notCarriedOut.map(row);
  const firstActions = lists.firstActions.map(row);

  // Alarms as urgency.ts has them: whoever the platform waits on but the buyer (or no one).
  const alarmDeadlines = picked.facts.filter((f) => f.actor !== 'buyer' && f.actor !== 'none' && f.deadlineAt !== null).map((f) => f.deadlineAt!);
  const states = new Map<string, { refunds: number; amountCents: number }>();
  for (const f of picked.facts) {
    const st = states.get(f.status) ?? { refunds: 0, amountCents: 0 };
    st.refunds++;
    st.amountCents += f.amountCents;
    states.set(f.status, st);
  }
  const byState = [...states.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1))
    .map(([status, s]) => ({ status, ...s }));

  const ywin = { since: zone.iso(startOfYesterday), until: zone.iso(startOfToday) };
  const agents = new Map<string, AgentDay>();
  for (const r of await tx.reports.decisionsByAgent(ywin)) {
    const a = agents.get(r.agent) ?? { agent: r.agent, total: 0, actions: [] };
    a.total += r.decisions;
    a.actions.push({ action: r.action, decisions: r.decisions });
    agents.set(r.agent, a);
  }
  const agentList = [...agents.values()].sort((a, b) => b.total - a.total || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));

  const statsWindow = opts.statsWindowMs ?? DEFAULT_STATS_WINDOW_MS;
  const metrics = await computeStats(tx.reports, zone, nowMs - statsWindow, nowMs, { previousWindow: opts.previousWindow });
  return {
    asOfMs: nowMs,
    zone,
    shop: opts.shopName || (await tx.reports.shopNames())[0] || null,
    endOfTodayMs,
    alarmDeadlines,
    counts: { ...counts, dueToday: dueToday.length, overdueShop: overdue.length },
    byState,
    overdue,
    dueToday,
    orange,
    notCarriedOut,
    yesterday: {
      date: zone.dateKey(startOfYesterday),
      ...ywin,
      total: agentList.reduce((s, a) => s + a.total, 0),
      agents: agentList,
    },
    metrics,
    firstActions,
  };
}

const byUrgency = (a: SweepItem, b: SweepItem): number => compareUrgency(a.urgency, b.urgency);

function rank(status: string): number {
  const i = STATE_ORDER.indexOf(status);
  return i < 0 ? STATE_ORDER.length : i;
}

// ---- --fail-if ---------------------------------------------------------------------------------

export type FailIf = { kind: 'overdue' } | { kind: 'due-within'; ms: number };

/**
 * How many refunds meet the monitoring condition (it holds when > 0): `overdue` — a refund waiting on the seller (or the
 * platform's staff) is past its deadline; `due-within` — such a refund is overdue or due within
 * the window. Refunds waiting on the buyer never trigger: their timeout closes the refund and is
 * not the shop's.
 */
export function failIfCount(data: SummaryData, cond: FailIf): number {
  if (cond.kind === 'overdue') return data.overdue.length;
  return data.alarmDeadlines.filter((at) => at - data.asOfMs <= cond.ms).length;
}

export { contactOf, type Contact } from '../domain/privacy.js';

// ---- JSON ----------------------------------------------------------------------------------------

function rowJson(r: SummaryRow, zone: ShopZone, mask: boolean) {
  const { item } = r;
  const receipt = item.receipt;
  return {
    ...refundJson(item, zone),
    itemTitle: item.refund.itemTitle,
    sku: item.refund.sku,
    returnWaybill: item.refund.returnWaybill,
    receipt: receipt
      ? {
          state: receipt.state,
          receivedAt: receipt.receipt?.receivedAt ?? null,
          condition: receipt.receipt?.condition ?? null,
        }
      : null,
    receiver: contactOf(r, mask),
  };
}

export function summaryJson(d: SummaryData, opts: { mask: boolean }) {
  const z = d.zone;
  const rows = (list: SummaryRow[]) => list.map((r) => rowJson(r, z, opts.mask));
  return {
    asOf: z.iso(d.asOfMs),
    zone: z.name,
    shop: d.shop,
    masked: opts.mask,
    endOfToday: z.iso(d.endOfTodayMs),
    counts: d.counts,
    byState: d.byState,
    overdue: rows(d.overdue),
    dueToday: rows(d.dueToday),
    orange: rows(d.orange),
    notCarriedOut: rows(d.notCarriedOut),
    yesterday: d.yesterday,
    metrics: d.metrics,
    firstActions: d.firstActions.map((r, i) => ({
      rank: i + 1,
      refundId: r.item.refund.refundId,
      nextStep: r.item.next,
      section: r.item.urgency.section,
      secondsLeft: r.item.urgency.secondsLeft,
      amountCents: r.item.refund.amountCents,
    })),
  };
}
