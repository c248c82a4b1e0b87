// Where a case's latest decision stands against what the platform shows: the one copy of these
// rules (store/common/sql.ts notCarriedOutSql is the SQL form of isNotCarriedOut). A decision is
// carried out in the seller backend by hand; refunds only sees the result in the next export.
import type { Decision, Refund } from './types.js';
import { rankOf, SELLER_MIN_RANK, type UrgencySection } from './sections.js';

/** The latest decision when it was made in the refund's current state (since its last change). */
export function currentDecision(refund: Refund, decision: Decision | null): Decision | null {
  if (!decision) return null;
  return Date.parse(decision.decidedAt) >= Date.parse(refund.statusSince) ? decision : null;
}

/**
 * Decided in the current state and no refund export imported since: as far as refunds knows the
 * decision still has to be carried out in the seller backend, until the next import says otherwise.
 */
export function isAwaitingBackend(refund: Refund, decision: Decision | null, lastImportAt: string | null): boolean {
  const d = currentDecision(refund, decision);
  if (!d) return false;
  return lastImportAt === null || Date.parse(lastImportAt) <= Date.parse(d.decidedAt);
}

/**
 * A decision is "not carried out" when an export imported after it still shows a state the
 * decision should have changed: e.g. approved, yet the platform still waits for the seller.
 */
export function isNotCarriedOut(refund: Refund, decision: Decision | null, lastImportAt: string | null): boolean {
  if (!decision || !decision.expectedStatus || decision.expectedStatus.length === 0) return false;
  if (!lastImportAt || lastImportAt <= decision.decidedAt) return false;
  return !decision.expectedStatus.includes(refund.status);
}

/** The latest decision was recorded at or after the latest refund import of its platform. */
export function isDoneForNow(
  item: { decision: Decision | null; notCarriedOut: boolean; refund: Refund },
  lastImportAt: string | null,
): boolean {
  if (!item.decision || item.notCarriedOut) return false;
  if (lastImportAt === null) return true;
  const decided = Date.parse(item.decision.decidedAt);
  const imported = Date.parse(lastImportAt);
  if (!Number.isFinite(decided) || !Number.isFinite(imported)) return item.decision.decidedAt >= lastImportAt;
  return decided >= imported;
}

/** The case needs the seller (or, with includeBuyerSide, anyone): in a seller section, or not carried out. */
export function needsSeller(item: { notCarriedOut: boolean; urgency: { section: UrgencySection } }, includeBuyerSide = false): boolean {
  if (item.notCarriedOut) return true;
  if (includeBuyerSide) return true;
  return rankOf(item.urgency.section) >= SELLER_MIN_RANK;
}
