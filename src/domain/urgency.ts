// How urgent a refund is this morning, and the order of the triage list.
//
// Taskwarrior ranks tasks by an "urgency" that is a sum of terms, each a property of the task
// times a coefficient (due date 12.0, blocking 8.0, priority H 6.0, age 2.0, …), so that the
// most pressing task floats to the top and each term says WHY it is there. Refund triage has far
// fewer properties and one of them dominates everything: a refund the platform will decide by
// itself (超时) hurts the shop's ranking, and that must never happen. So instead of adding terms we
// rank lexicographically — a higher term always beats any amount of a lower one — and keep a
// Taskwarrior-like `score` only to show the same order as one number.
//
// The terms, highest first:
//   1. overdue   — the deadline has passed (secondsLeft ≤ 0) and the platform is not waiting on
//                  the buyer. Most overdue first: the longer it has been, the likelier the platform
//                  has already acted, and the agent must check and record it now.
//   2. dueSoon   — the deadline is within `dueSoonMs` (default 24 h), same actor condition. Least
//                  time left first: this is the list of refunds that will time out before the
//                  next morning check.
//   3. orange    — 「买家已经退货，等待卖家确认收货」 (WAIT_SELLER_CONFIRM_GOODS). The seller procedure
//                  singles it out: the goods are on their way back or already in the warehouse,
//                  the money is the buyer's, and a late confirmation is a timeout or a dispute.
//   4. seller    — every other refund the platform is waiting on the seller for (including
//                  UNKNOWN states, which we cannot read and so treat as the seller's).
//   5. buyer     — waiting on the buyer (to return goods, or after a refusal). When the buyer's
//                  time runs out the platform closes the refund, which is not a shop timeout, so
//                  these never rise to overdue/dueSoon however close their deadline is.
//   6. other     — waiting on the platform's staff with time to spare, or finished.
// Within a term: less time left first (a refund without a deadline last), then refund ID (numeric
// IDs numerically) so the order is stable from one run to the next.
import type { Refund } from './types.js';
import type { Deadline } from './deadlines.js';
import { compareInSection, rankOf, sectionOf, type UrgencySection } from './sections.js';
// The section table lives in domain/sections.ts; these names stay importable from here.
export { URGENCY_SECTIONS, type UrgencySection } from './sections.js';

export interface UrgencyOptions {
  /** A deadline closer than this is "due soon". Default 24 h. */
  dueSoonMs?: number;
}

export interface Urgency {
  refundId: string;
  /**
   * Whole seconds until the deadline, rounded up (so it is ≤ 0 exactly when the deadline has
   * been reached); negative when overdue; null when there is no deadline.
   */
  secondsLeft: number | null;
  /** The deadline has been reached (now ≥ deadline), whoever the platform waits on. */
  overdue: boolean;
  /** Not overdue and the deadline is at most dueSoonMs away, whoever the platform waits on. */
  dueSoon: boolean;
  /** WAIT_SELLER_CONFIRM_GOODS, the state the seller procedure marks in orange. */
  orange: boolean;
  /** The platform is waiting on the seller (also for UNKNOWN states). */
  sellerMustAct: boolean;
  section: UrgencySection;
  /** Higher is more urgent; sorting by score descending gives the same order as compareUrgency. */
  score: number;
}

export const DEFAULT_DUE_SOON_MS = 24 * 3_600_000;

export function urgencyFor(refund: Refund, deadline: Deadline, now: number, options: UrgencyOptions = {}): Urgency {
  const dueSoonMs = options.dueSoonMs ?? DEFAULT_DUE_SOON_MS;
  let secondsLeft: number | null = null;
  if (deadline.at !== null) {
    secondsLeft = Math.ceil((deadline.at - now) / 1000);
    if (Object.is(secondsLeft, -0)) secondsLeft = 0;
  }
  const overdue = secondsLeft !== null && secondsLeft <= 0;
  const dueSoon = !overdue && deadline.at !== null && deadline.at - now <= dueSoonMs;
  const orange = refund.status === 'WAIT_SELLER_CONFIRM_GOODS';
  const sellerMustAct = deadline.actor === 'seller';
  const section = sectionOf({ status: refund.status, waitingOn: deadline.actor, deadlineAt: deadline.at }, now, dueSoonMs);

  return { refundId: refund.refundId, secondsLeft, overdue, dueSoon, orange, sellerMustAct, section, score: scoreOf(section, secondsLeft) };
}

/**
 * 10 points per section rank, plus a time term below 9.9 that grows as the deadline nears and
 * keeps growing once it has passed: 4.95 at the deadline, 2.475 with one day left, 7.425 one day
 * overdue; 0 without a deadline. It only falls within a section, so sections never mix.
 */
function scoreOf(section: UrgencySection, secondsLeft: number | null): number {
  let t = 0;
  if (secondsLeft !== null) {
    const hours = Math.abs(secondsLeft) / 3600;
    t = secondsLeft > 0 ? 4.95 * (24 / (hours + 24)) : 4.95 + 4.95 * (hours / (hours + 24));
  }
  return Math.round((rankOf(section) * 10 + t) * 1000) / 1000;
}

/** Array.sort comparator: most urgent first (see the comment at the top of this file). */
export function compareUrgency(a: Urgency, b: Urgency): number {
  const bySection = rankOf(b.section) - rankOf(a.section);
  if (bySection !== 0) return bySection;
  return compareInSection({ refundId: a.refundId, due: a.secondsLeft }, { refundId: b.refundId, due: b.secondsLeft });
}

/**
 * Time left for people, to the minute: "45m", "5h 12m", "2d 3h" (days from 48 h on), and
 * "overdue 3h 5m"; Chinese "剩 45分", "剩 5小时12分", "剩 2天3小时", "已超时 3小时5分".
 * Rounded towards the deadline: time left is rounded down, time overdue up, so the text never
 * shows more time than there is. null → "no deadline" / "无截止时间".
 */
export function formatTimeLeft(secondsLeft: number | null, lang: 'en' | 'zh'): string {
  if (secondsLeft === null) return lang === 'zh' ? '无截止时间' : 'no deadline';
  const overdue = secondsLeft <= 0;
  const minutes = overdue ? Math.ceil(-secondsLeft / 60) : Math.floor(secondsLeft / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  let text: string;
  if (minutes >= 48 * 60) text = lang === 'zh' ? `${d}天${h}小时` : `${d}d ${h}h`;
  else if (minutes >= 60) text = lang === 'zh' ? `${d * 24 + h}小时${m}分` : `${d * 24 + h}h ${m}m`;
  else text = lang === 'zh' ? `${m}分` : `${m}m`;
  if (lang === 'zh') return overdue ? `已超时 ${text}` : `剩 ${text}`;
  return overdue ? `overdue ${text}` : text;
}
