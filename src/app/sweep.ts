// The morning sweep: every open refund with its deadline, urgency, latest decision, warehouse
// receipt and suggested next step, most urgent first. Store in, domain computations, plain data out.
import { deadlineFor, type Deadline } from '../domain/deadlines.js';
import type { ReturnNextStep } from '../domain/returns.js';
import type { SectionCounts, StoredDeadline } from '../domain/inputs.js';
import { ensureDeadlines, fromStored, toStored } from './deadlines.js';
import { compareUrgency, urgencyFor, type Urgency } from '../domain/urgency.js';
import { nextStepFor, type NextStep, type ReceiptState } from '../domain/nextStep.js';
import { receiptStatusFor } from '../domain/returns.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { RuleSet } from '../domain/rules.js';
import type { ShopZone } from '../domain/time.js';
import type { Decision, Platform, Refund, RefundStatus, WarehouseReceipt } from '../domain/types.js';
import type { Ports, TxPorts } from './ports/index.js';
import type { BuyerSettings } from './buyerHistory.js';
import { waybillKey } from '../domain/waybill.js';
import { currentDecision, isAwaitingBackend, isNotCarriedOut } from '../domain/decisionState.js';
// Moved to domain/decisionState.ts (issue 15); re-exported for the callers not moved yet.
export { currentDecision, isAwaitingBackend, isNotCarriedOut };

export interface SweepEnv {
  zone: ShopZone;
  nowMs: number;
  rules: RuleSet;
  calendar: WorkCalendar;
  dueSoonMs: number;
  /** The buyer-history window and flag thresholds (app/buyerHistory.ts); defaults when absent. */
  buyer?: BuyerSettings;
}

export interface SweepFilter {
  platform?: Platform;
  statuses?: RefundStatus[];
  /** Only refunds due within this long of the sweep's now (`today --due-within`). */
  dueWithinMs?: number | null;
}

export interface ReceiptView {
  state: ReceiptState;
  receipt: WarehouseReceipt | null;
}

export interface SweepItem {
  refund: Refund;
  deadline: Deadline;
  urgency: Urgency;
  decision: Decision | null;
  /** A decision was recorded, a newer export arrived, and the platform state is not what it should be. */
  notCarriedOut: boolean;
  /** Decided since the platform's latest refund import: the agent still has to do it in the seller backend. */
  awaitingBackend: boolean;
  receipt: ReceiptView | null;
  next: NextStep;
}

export function assess(
  refund: Refund,
  env: SweepEnv,
  ctx: { decision: Decision | null; receipts: WarehouseReceipt[]; sharing?: Refund[]; lastImportAt: string | null; deadline?: Deadline },
): SweepItem {
  const deadline = ctx.deadline ?? deadlineFor(refund, env.rules, env.zone, env.calendar);
  const urgency = urgencyFor(refund, deadline, env.nowMs, { dueSoonMs: env.dueSoonMs });
  const notCarriedOut = isNotCarriedOut(refund, ctx.decision, ctx.lastImportAt);
  const awaitingBackend = !notCarriedOut && isAwaitingBackend(refund, ctx.decision, ctx.lastImportAt);
  let receipt: ReceiptView | null = null;
  let receiptNext: ReturnNextStep | null = null;
  if (refund.status === 'WAIT_SELLER_CONFIRM_GOODS' || refund.status === 'WAIT_BUYER_RETURN_GOODS' || ctx.receipts.length) {
    const r = receiptStatusFor(refund, ctx.receipts, ctx.sharing ?? []);
    receipt = { state: r.state, receipt: r.receipt };
    receiptNext = r.nextStep;
  }
  const next = nextStepFor(refund, deadline, urgency, { receipt: receiptNext, notCarriedOut, awaitingBackend });
  return { refund, deadline, urgency, decision: ctx.decision, notCarriedOut, awaitingBackend, receipt, next };
}

/** CONTRACT.md's `decision` of a refund: the latest decision since its last change, else null. */
export function decisionJson(item: SweepItem): { action: string; agent: string; decidedAt: string; carriedOut: boolean } | null {
  const d = currentDecision(item.refund, item.decision) ?? (item.notCarriedOut ? item.decision : null);
  if (!d) return null;
  return { action: d.action, agent: d.agent, decidedAt: d.decidedAt, carriedOut: Boolean(d.expectedStatus?.includes(item.refund.status)) };
}

/** Every warehouse receipt by waybill key. */
export function receiptsByWaybillOf(all: (WarehouseReceipt & { waybillKey: string })[]): Map<string, WarehouseReceipt[]> {
  const map = new Map<string, WarehouseReceipt[]>();
  for (const r of all) {
    const list = map.get(r.waybillKey);
    if (list) list.push(r);
    else map.set(r.waybillKey, [r]);
  }
  return map;
}

/** What assessing needs beyond each refund's own row, read once per sweep. */
export interface SweepShared {
  receipts: Map<string, WarehouseReceipt[]>;
  lastImport: Map<Platform, string>;
}

async function sharedOf(cases: TxPorts['cases']): Promise<SweepShared> {
  const [all, lastImport] = await Promise.all([cases.allReceipts(), cases.lastRefundImports()]);
  return { receipts: receiptsByWaybillOf(all), lastImport };
}

type Row = { refund: Refund; deadline: StoredDeadline };
type SweepPorts = Pick<TxPorts, 'cases' | 'sweep'>;

const keyOf = (refund: Refund) => (refund.returnWaybill ? waybillKey(refund.returnWaybill) : null);

/** The return waybills of `rows` the warehouse received: only those need the refunds sharing them (to tell whose parcel it is). */
export function receivedWaybills(rows: Row[], receipts: Map<string, WarehouseReceipt[]>): string[] {
  return [...new Set(rows.map(({ refund }) => keyOf(refund)).filter((k): k is string => k !== null && receipts.has(k)))];
}

/** The assessment of rows once everything it needs is read (pure): `candidates` are the refunds that may share a waybill with them. */
export function assessRead(env: SweepEnv, rows: Row[], decisions: Map<string, Decision>, shared: SweepShared, candidates: Refund[]): SweepItem[] {
  const { receipts, lastImport } = shared;
  const byWaybill = new Map<string, Refund[]>();
  for (const refund of candidates) {
    const key = keyOf(refund);
    if (key === null) continue;
    const list = byWaybill.get(key);
    if (list) list.push(refund);
    else byWaybill.set(key, [refund]);
  }
  return rows.map(({ refund, deadline }) => {
    const key = keyOf(refund);
    return assess(refund, env, {
      decision: decisions.get(refund.refundId) ?? null,
      receipts: key ? (receipts.get(key) ?? []) : [],
      sharing: key ? (byWaybill.get(key) ?? []).filter((r) => r.refundId !== refund.refundId) : [],
      lastImportAt: lastImport.get(refund.platform) ?? null,
      deadline: fromStored(deadline, env.rules, refund),
    });
  });
}

/**
 * Assesses refunds that already carry their stored deadline: decisions, receipts, next step.
 * `sharing` says where the other refunds on the same return waybill come from: the rows given
 * (they are the whole sweep), or the store, for a page or a screen of the sweep. A few port
 * calls per batch of rows, never one per row.
 */
export async function assessAll(
  ports: SweepPorts,
  env: SweepEnv,
  rows: Row[],
  opts: { shared?: SweepShared; sharing?: 'rows' | SweepFilter } = {},
): Promise<SweepItem[]> {
  const decisions = await ports.sweep.latestDecisions(rows.map((r) => r.refund.refundId));
  const shared = opts.shared ?? (await sharedOf(ports.cases));
  const received = receivedWaybills(rows, shared.receipts);
  const candidates =
    opts.sharing === undefined || opts.sharing === 'rows' || received.length === 0
      ? rows.map((r) => r.refund)
      : (await ports.sweep.openRefundsWithDeadlines({ ...opts.sharing, nowMs: env.nowMs, waybillKeys: received })).map((r) => r.refund);
  return assessRead(env, rows, decisions, shared, candidates);
}

/**
 * Every open refund, most urgent first, a page at a time: the order and the counts come from SQL
 * (sweep.sweepPlan), the rows are read and assessed `pageSize` at a time, so memory stays flat
 * however many refunds are open. Read the pages to the end (or leave the loop): the 'read' unit
 * of work they share ends then. One snapshot for the plan and every page: an import committing
 * while a slow reader takes the pages must not show up halfway (counts of one state, refunds of
 * another). When stored deadlines are stale and the database is busy, one page holds the whole
 * in-memory sweep instead.
 */
export async function sweepPages(
  ports: Ports,
  env: SweepEnv,
  filter: SweepFilter = {},
  pageSize = 500,
): Promise<{ counts: SweepCounts; pages: AsyncIterable<SweepItem[]> }> {
  if (!(await ensureDeadlines(ports, env, { reader: true }))) {
    const all = await sweepRead(ports, env, filter, false);
    return { counts: countsOf(all), pages: (async function* () { yield all; })() };
  }
  // The unit of work stays open while the caller takes the pages; it ends with the last one.
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let planned!: (v: { tx: TxPorts; shown: { id: string }[]; counts: SweepCounts; shared: SweepShared }) => void;
  const plan = new Promise<{ tx: TxPorts; shown: { id: string }[]; counts: SweepCounts; shared: SweepShared }>((resolve) => (planned = resolve));
  const unit = ports.unitOfWork(
    async (tx) => {
      const { shown, counts } = await tx.sweep.sweepPlan({ ...filter, nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, perSection: null });
      planned({ tx, shown, counts, shared: await sharedOf(tx.cases) });
      await finished;
    },
    { mode: 'read' },
  );
  const { tx, shown, counts, shared } = await Promise.race([plan, unit.then(() => Promise.reject(new Error('sweepPages: the unit of work ended before the plan')))]);
  async function* pages(): AsyncGenerator<SweepItem[]> {
    try {
      for (let i = 0; i < shown.length; i += pageSize) {
        const rows = await tx.sweep.refundsWithDeadlines(shown.slice(i, i + pageSize).map((x) => x.id));
        yield await assessAll(tx, env, rows, { shared, sharing: filter });
      }
    } finally {
      finish();
      await unit;
    }
  }
  return { counts, pages: pages() };
}

/** Every open refund, most urgent first. */
export async function sweep(ports: Ports, env: SweepEnv, filter: SweepFilter = {}): Promise<SweepItem[]> {
  const stored = await ensureDeadlines(ports, env, { reader: true });
  return sweepRead(ports, env, filter, stored);
}

/** The sweep's reads once the deadlines are ensured (`stored`: false when they are stale and computed in memory). */
export async function sweepRead(ports: SweepPorts, env: SweepEnv, filter: SweepFilter, stored: boolean): Promise<SweepItem[]> {
  let rows = await ports.sweep.openRefundsWithDeadlines({ ...filter, nowMs: env.nowMs });
  if (!stored) rows = withFreshDeadlines(rows, env, filter.dueWithinMs ?? null);
  const items = await assessAll(ports, env, rows);
  items.sort((a, b) => compareUrgency(a.urgency, b.urgency));
  return items;
}

/** When stored deadlines are stale and the database is busy: compute them in memory, this once. */
export function withFreshDeadlines(rows: Row[], env: SweepEnv, dueWithinMs: number | null): Row[] {
  const fresh = rows.map(({ refund }) => ({ refund, deadline: toStored(refund.refundId, deadlineFor(refund, env.rules, env.zone, env.calendar)) }));
  return dueWithinMs === null ? fresh : fresh.filter((r) => r.deadline.at !== null && r.deadline.at - env.nowMs <= dueWithinMs);
}

/** The screen's version: the first `perSection` refunds of each section, ranked in SQL. */
export async function sweepSections(
  ports: Ports,
  env: SweepEnv,
  filter: SweepFilter,
  perSection: number | null,
): Promise<{ items: SweepItem[]; sectionSizes: Map<string, number>; counts: SweepCounts }> {
  if (!(await ensureDeadlines(ports, env, { reader: true }))) {
    // Busy and stale: rank in memory instead of in SQL.
    const all = await sweepRead(ports, env, filter, false);
    return firstOfEachSection(all, perSection);
  }
  const { rows, counts } = await ports.sweep.rankedSections({ ...filter, nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, perSection });
  const items = await assessAll(ports, env, rows, { sharing: filter });
  const sectionSizes = new Map<string, number>();
  items.forEach((item, i) => sectionSizes.set(item.urgency.section, rows[i]!.sectionSize));
  return { items, sectionSizes, counts };
}

/** The first `perSection` items of each section of a sweep ranked in memory, with the sections' sizes. */
export function firstOfEachSection(all: SweepItem[], perSection: number | null): { items: SweepItem[]; sectionSizes: Map<string, number>; counts: SweepCounts } {
  const sectionSizes = new Map<string, number>();
  for (const i of all) sectionSizes.set(i.urgency.section, (sectionSizes.get(i.urgency.section) ?? 0) + 1);
  const taken = new Map<string, number>();
  const shown = all.filter((i) => {
    const n = taken.get(i.urgency.section) ?? 0;
    taken.set(i.urgency.section, n + 1);
    return perSection === null || n < perSection;
  });
  return { items: shown, sectionSizes, counts: countsOf(all) };
}

/** One refund as CONTRACT.md's JSON has it (fields may be added, never renamed). */
export function refundJson(item: SweepItem, zone: ShopZone) {
  const { refund, deadline, urgency } = item;
  return {
    refundId: refund.refundId,
    orderId: refund.orderId,
    platform: refund.platform,
    status: refund.status,
    statusText: refund.statusText,
    amountCents: refund.amountCents,
    deadline: deadline.at === null ? null : zone.iso(deadline.at),
    deadlineSource: deadline.source,
    secondsLeft: urgency.secondsLeft,
    overdue: urgency.overdue,
    orange: urgency.orange,
    sellerMustAct: urgency.sellerMustAct,
    decision: decisionJson(item),
    // Additions beyond the contract's minimum:
    dueSoon: urgency.dueSoon,
    section: urgency.section,
    deadlineRule: deadline.rule?.id ?? null,
    atTimeout: deadline.atTimeout,
    waitingOn: deadline.actor,
    nextStep: item.next,
    buyerNick: refund.buyerNick,
    reason: refund.reason,
    appliedAt: refund.appliedAt,
    disputeState: refund.disputeState,
    decidedNotCarriedOut: item.notCarriedOut,
    lastDecision: item.decision ? { action: item.decision.action, agent: item.decision.agent, decidedAt: item.decision.decidedAt } : null,
    warehouse: item.receipt?.receipt ? { receivedAt: item.receipt.receipt.receivedAt, condition: item.receipt.receipt.condition } : null,
  };
}

/** The sweep's header counts: the same shape the store's SQL counts have. */
export type SweepCounts = SectionCounts;

export function countsOf(items: SweepItem[]): SweepCounts {
  const c: SweepCounts = { open: items.length, overdue: 0, dueSoon: 0, orange: 0, sellerMustAct: 0, waitingOnBuyer: 0, notCarriedOut: 0 };
  for (const i of items) {
    // Counts follow the per-refund flags of the JSON (time only, whoever must act), so scripts can
    // re-derive them; the sections of the screen rank by who must act as well.
    if (i.urgency.overdue) c.overdue++;
    if (i.urgency.dueSoon) c.dueSoon++;
    if (i.urgency.orange) c.orange++;
    if (i.urgency.sellerMustAct) c.sellerMustAct++;
    if (i.deadline.actor === 'buyer') c.waitingOnBuyer++;
    if (i.notCarriedOut) c.notCarriedOut++;
  }
  return c;
}
