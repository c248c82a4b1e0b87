// When the platform will decide a refund by itself, who it is waiting on, and what it will do.
// Order of precedence (DOMAIN.md "Deadlines"):
//   1. finished refunds (CLOSED, SUCCESS) have no deadline;
//   2. a dispute in progress with an evidence deadline (举证超时): that deadline (source 'export');
//   3. the export's own deadline (超时时间 / 自动处理截止时间) when present and readable;
//   4. otherwise the first matching rule of the platform's table, counted from its anchor field.
// Even when an export column wins, the matching rule is returned: it says who acts and what
// happens at zero. UNKNOWN states never match a rule and are treated as the seller's to act on.
import { type Actor, FINISHED_STATUSES, type Refund, type RefundStatus } from './types.js';
import { type ShopZone, parseShopTime } from './time.js';
import { type WorkCalendar, addWorkingDays, calendarCovers } from './calendar.js';
import {
  type AnchorField,
  type AtTimeout,
  type DeadlineRule,
  type RuleSet,
  type RuleTable,
  type RuleWindow,
  matchRule,
} from './rules.js';

export interface DeadlineAnchor {
  /** What the deadline counts from; 'export' when an export column gave the deadline itself. */
  field: AnchorField | 'export';
  /** The anchor instant (for 'export': the deadline itself), epoch ms. */
  at: number;
  /** For field 'export': which column. */
  column?: 'exportDeadline' | 'evidenceDeadline';
  /** Set when the rule's anchor field was empty or unreadable and statusSince was used instead. */
  fallbackFrom?: Exclude<AnchorField, 'statusSince'>;
}

export interface Deadline {
  /** Epoch ms when the platform acts by itself; null when there is none or it cannot be known. */
  at: number | null;
  source: 'export' | 'rule' | null;
  /** The matching rule, also when an export column gave the deadline. */
  rule: DeadlineRule | null;
  anchor: DeadlineAnchor | null;
  /** Who the platform is waiting on. 'seller' for UNKNOWN states (conservative), 'none' when finished. */
  actor: Actor;
  /** What the platform does at the deadline; null when unknown (no rule) or finished. */
  atTimeout: AtTimeout | null;
  /** What the rule alone would give (null without a rule or anchor): compare with `at` to check a rule. */
  ruleAt: number | null;
  /**
   * False when a working-day window crossed a year the holiday calendar has no data for, so the
   * count assumed Monday–Friday. True otherwise.
   */
  calendarKnown: boolean;
}

/** Who acts in each state when no rule says so (DOMAIN.md "Refund states"). */
const DEFAULT_ACTOR: Record<RefundStatus, Actor> = {
  WAIT_SELLER_AGREE: 'seller',
  WAIT_BUYER_RETURN_GOODS: 'buyer',
  WAIT_SELLER_CONFIRM_GOODS: 'seller',
  SELLER_REFUSE_BUYER: 'buyer',
  CLOSED: 'none',
  SUCCESS: 'none',
  UNKNOWN: 'seller',
};

function isRuleSet(rules: RuleTable | RuleSet): rules is RuleSet {
  return !('rules' in rules);
}

function parse(value: string | null, zone: ShopZone): number | null {
  return value === null ? null : parseShopTime(value, zone);
}

/** The instant `window` after `startMs`. */
export function applyWindow(startMs: number, window: RuleWindow, zone: ShopZone, calendar: WorkCalendar): number {
  if ('hours' in window) return startMs + Math.round(window.hours * 3_600_000);
  if ('days' in window) return zone.addDays(startMs, window.days);
  return addWorkingDays(startMs, window.workingDays, zone, calendar);
}

/**
 * The deadline that matters for a refund. `rules` is the refund's platform table, or a set of
 * tables keyed by platform (the refund's platform picks one). Throws if a single table is for a
 * different platform than the refund (a programming error).
 */
const NO_RULES: RuleTable = { platform: null, rules: [] };

export function deadlineFor(refund: Refund, rules: RuleTable | RuleSet, zone: ShopZone, calendar: WorkCalendar): Deadline {
  const none: Deadline = {
    at: null,
    source: null,
    rule: null,
    anchor: null,
    actor: DEFAULT_ACTOR[refund.status],
    atTimeout: null,
    ruleAt: null,
    calendarKnown: true,
  };
  if (FINISHED_STATUSES.includes(refund.status)) return none;

  // A platform of a user profile has no table: its deadlines come from the export alone.
  const table = isRuleSet(rules) ? (rules[refund.platform] ?? NO_RULES) : rules;
  if (table.platform && table.platform !== refund.platform) {
    throw new Error(`refund ${refund.refundId} is a ${refund.platform} refund but the rule table is for ${table.platform}`);
  }

  const rule = matchRule(refund, table); // null for UNKNOWN
  const result: Deadline = { ...none };
  if (rule) {
    result.rule = rule;
    result.actor = rule.actor;
    result.atTimeout = rule.atTimeout;
  }

  // What the rule alone says.
  let ruleAnchor: DeadlineAnchor | null = null;
  if (rule) {
    let start = rule.anchor === 'statusSince' ? null : parse(refund[rule.anchor], zone);
    if (start !== null) {
      ruleAnchor = { field: rule.anchor, at: start };
    } else {
      start = parse(refund.statusSince, zone);
      if (start !== null) {
        ruleAnchor = { field: 'statusSince', at: start };
        if (rule.anchor !== 'statusSince') ruleAnchor.fallbackFrom = rule.anchor;
      }
    }
    if (ruleAnchor) {
      result.ruleAt = applyWindow(ruleAnchor.at, rule.window, zone, calendar);
      if ('workingDays' in rule.window) {
        result.calendarKnown = calendarCovers(ruleAnchor.at, result.ruleAt, zone, calendar);
      }
    }
  }

  // 举证超时: in a dispute under way, the evidence deadline is the one the seller must meet.
  const evidence = refund.disputeState === 'in_progress' ? parse(refund.evidenceDeadline, zone) : null;
  if (evidence !== null) {
    return {
      ...result,
      at: evidence,
      source: 'export',
      anchor: { field: 'export', at: evidence, column: 'evidenceDeadline' },
      actor: 'seller',
      atTimeout: 'none',
    };
  }

  const exported = parse(refund.exportDeadline, zone);
  if (exported !== null) {
    return { ...result, at: exported, source: 'export', anchor: { field: 'export', at: exported, column: 'exportDeadline' } };
  }

  if (result.ruleAt !== null) {
    return { ...result, at: result.ruleAt, source: 'rule', anchor: ruleAnchor };
  }
  return result;
}
