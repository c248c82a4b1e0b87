// The sweep's sections, defined once. Each refund falls in the first section of SECTIONS whose
// condition it meets; the rank orders sections (higher first). The TypeScript rule (sectionOf),
// the store's SQL (store/common/sql.ts sectionRankSql, generated from this table) and the store's
// per-range planning (slicesOf) all read this table, and a test checks SQL against TypeScript over
// every (status, waiting on, deadline band). See domain/urgency.ts for why the sections are these.
import { compareRefundIds } from './types.js';

export type UrgencySection = 'overdue' | 'dueSoon' | 'orange' | 'seller' | 'buyer' | 'other';

/** Who the platform waits on, as stored beside each open refund (null: not computed yet). */
export type WaitingOn = 'seller' | 'buyer' | 'platform' | 'none';

/**
 * Where a deadline stands at `now`: 'overdue' at or past it; 'dueSoon' within the due-soon window
 * (now < at ≤ now + window); 'later' beyond it, or no deadline at all.
 */
export type DeadlineBand = 'overdue' | 'dueSoon' | 'later';

export interface SectionCondition {
  /** The deadline must be in this band. */
  band?: Exclude<DeadlineBand, 'later'>;
  /** The platform must be waiting on one of these. */
  waitingOn?: readonly WaitingOn[];
  /** The refund must be in this state. */
  status?: string;
}

export interface SectionDef {
  section: UrgencySection;
  rank: number;
  when: SectionCondition;
}

/** Highest rank first; the first whose condition holds is the refund's section. The last holds always. */
export const SECTIONS: readonly SectionDef[] = [
  { section: 'overdue', rank: 5, when: { band: 'overdue', waitingOn: ['seller', 'platform'] } },
  { section: 'dueSoon', rank: 4, when: { band: 'dueSoon', waitingOn: ['seller', 'platform'] } },
  { section: 'orange', rank: 3, when: { status: 'WAIT_SELLER_CONFIRM_GOODS' } },
  { section: 'seller', rank: 2, when: { waitingOn: ['seller'] } },
  { section: 'buyer', rank: 1, when: { waitingOn: ['buyer'] } },
  { section: 'other', rank: 0, when: {} },
];

/** Sections of this rank and above need the seller (the triage queue's "seller sections"). */
export const SELLER_MIN_RANK = 2;

/** Highest first. */
export const URGENCY_SECTIONS: readonly UrgencySection[] = SECTIONS.map((s) => s.section);

const RANK = new Map(SECTIONS.map((s) => [s.section, s.rank]));
const BY_RANK = new Map(SECTIONS.map((s) => [s.rank, s.section]));

export function rankOf(section: UrgencySection): number {
  return RANK.get(section)!;
}

export function sectionOfRank(rank: number): UrgencySection {
  const s = BY_RANK.get(rank);
  if (s === undefined) throw new RangeError(`no section of rank ${rank}`);
  return s;
}

/** The deadline band of `deadlineAt` at `nowMs` with a due-soon window of `windowMs` (all epoch ms). */
export function bandOf(deadlineAt: number | null, nowMs: number, windowMs: number): DeadlineBand {
  if (deadlineAt === null) return 'later';
  if (deadlineAt <= nowMs) return 'overdue';
  if (deadlineAt - nowMs <= windowMs) return 'dueSoon';
  return 'later';
}

function holds(c: SectionCondition, status: string, waitingOn: WaitingOn | null, band: DeadlineBand): boolean {
  if (c.band !== undefined && c.band !== band) return false;
  if (c.waitingOn !== undefined && (waitingOn === null || !c.waitingOn.includes(waitingOn))) return false;
  if (c.status !== undefined && c.status !== status) return false;
  return true;
}

/** The section of a refund in this state, waiting on this side, with its deadline in this band. */
export function sectionOfBand(status: string, waitingOn: WaitingOn | null, band: DeadlineBand): SectionDef {
  return SECTIONS.find((s) => holds(s.when, status, waitingOn, band))!;
}

/** The section of one open refund at `nowMs` (waitingOn null: its deadline was never computed). */
export function sectionOf(
  f: { status: string; waitingOn: WaitingOn | null; deadlineAt: number | null },
  nowMs: number,
  windowMs: number,
): UrgencySection {
  return sectionOfBand(f.status, f.waitingOn, bandOf(f.deadlineAt, nowMs, windowMs)).section;
}

/** Per-(status, waiting on) totals, as the store counts them in one grouped pass. */
export interface StateGroup {
  status: string;
  waiting_on: string | null;
  n: number;
  /** Rows with deadline_at <= now. */
  overdue: number;
  /** Rows with deadline_at <= now + window (overdue included). */
  due: number;
}

export interface SectionSlice {
  rank: number;
  rows: number;
  /** Deadlines in (after, upTo]. */
  after: number;
  upTo: number;
  /** The slice also holds the pair's rows without a deadline. */
  undated: boolean;
}

const NO_DEADLINE_BEFORE = -8.64e15;
const NO_DEADLINE_AFTER = 8.64e15;

/**
 * The sections per deadline range instead of per row: the ranges of one (status, waiting on)
 * pair, each inside one section, with how many of the pair's rows it holds.
 */
export function slicesOf(g: StateGroup, nowMs: number, windowMs: number): SectionSlice[] {
  const waiting = g.waiting_on as WaitingOn | null;
  const rank = (band: DeadlineBand) => sectionOfBand(g.status, waiting, band).rank;
  const [overdue, dueSoon, later] = [rank('overdue'), rank('dueSoon'), rank('later')];
  if (overdue === later && dueSoon === later) {
    return [{ rank: later, rows: g.n, after: NO_DEADLINE_BEFORE, upTo: NO_DEADLINE_AFTER, undated: true }];
  }
  return [
    { rank: overdue, rows: g.overdue, after: NO_DEADLINE_BEFORE, upTo: nowMs, undated: false },
    { rank: dueSoon, rows: g.due - g.overdue, after: nowMs, upTo: nowMs + windowMs, undated: false },
    { rank: later, rows: g.n - g.due, after: nowMs + windowMs, upTo: NO_DEADLINE_AFTER, undated: true },
  ];
}

/**
 * Order within a section: sooner `due` first (none last), then refund ID (compareRefundIds).
 * `due` is whatever the caller ranks by: the deadline in ms, or the whole seconds left.
 */
export function compareInSection(a: { refundId: string; due: number | null }, b: { refundId: string; due: number | null }): number {
  if (a.due !== b.due) {
    if (a.due === null) return 1;
    if (b.due === null) return -1;
    return a.due - b.due;
  }
  return compareRefundIds(a.refundId, b.refundId);
}
