// Deadline rule tables: data, not code. One JSON file per platform ships in src/rules/ (copied to
// dist/rules/ by tsc because it is imported here); users may override or add rules by id. The
// platform's own deadline column always wins over these (see deadlines.ts); the rules are the
// fallback and, even then, tell who acts and what the platform does at timeout.
import type { DisputeState, Platform, Refund, RefundStatus, RefundType } from './types.js';
import taobaoJson from '../rules/taobao.json' with { type: 'json' };
import douyinJson from '../rules/douyin.json' with { type: 'json' };
import pddJson from '../rules/pdd.json' with { type: 'json' };

/** States a rule can name: the open, known ones. */
export type RuleStatus = Exclude<RefundStatus, 'CLOSED' | 'SUCCESS' | 'UNKNOWN'>;
export const RULE_STATUSES: readonly RuleStatus[] = [
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'SELLER_REFUSE_BUYER',
];
export const REFUND_TYPES: readonly RefundType[] = ['refund_only', 'return_refund', 'exchange'];
export const DISPUTE_STATES: readonly DisputeState[] = ['none', 'requested', 'in_progress', 'finished'];

/** How the buyer sends the goods back: express/EMS, or 平邮 (surface mail). */
export type ReturnShipping = 'express' | 'post';
export const RETURN_SHIPPINGS: readonly ReturnShipping[] = ['express', 'post'];

/** The refund field a window counts from. A null field falls back to statusSince (recorded). */
export type AnchorField = 'appliedAt' | 'returnedAt' | 'statusSince';
export const ANCHOR_FIELDS: readonly AnchorField[] = ['appliedAt', 'returnedAt', 'statusSince'];

/**
 * hours: exact elapsed hours. days: calendar days, same shop-local clock time. workingDays: see
 * addWorkingDays() in calendar.ts (ends at 24:00 of the n-th working day after the start day).
 */
export type RuleWindow = { hours: number } | { days: number } | { workingDays: number };

export type RuleActor = 'seller' | 'buyer' | 'platform';
export const RULE_ACTORS: readonly RuleActor[] = ['seller', 'buyer', 'platform'];

/** What the platform does when the window runs out. */
export type AtTimeout = 'auto_refund' | 'auto_agree' | 'close' | 'staff_step_in' | 'none';
export const AT_TIMEOUTS: readonly AtTimeout[] = ['auto_refund', 'auto_agree', 'close', 'staff_step_in', 'none'];

export type Confidence = 'official' | 'commonly-cited' | 'unconfirmed';
export const CONFIDENCES: readonly Confidence[] = ['official', 'commonly-cited', 'unconfirmed'];

/** Conditions, all of which must hold. An absent condition matches anything. */
export interface RuleWhen {
  /** One state or a list of states; absent = any open, known state. */
  status?: RuleStatus | readonly RuleStatus[];
  refundType?: RefundType;
  /** Must equal the refund's `shipped`; a refund whose shipping state is unknown (null) does not match. */
  shipped?: boolean;
  /** Derived from the return carrier: 平邮 / 邮政平邮 / 普通包裹 → post, else express. */
  returnShipping?: ReturnShipping;
  dispute?: DisputeState;
}

export interface DeadlineRule {
  id: string;
  when: RuleWhen;
  anchor: AnchorField;
  window: RuleWindow;
  actor: RuleActor;
  atTimeout: AtTimeout;
  /** Where the number comes from (which document). */
  source: string;
  confidence: Confidence;
  note?: string;
}

export interface RuleTable {
  /** The platform the table is for; null for a platform-neutral override table. */
  platform: Platform | null;
  /** Checked in order; the first match wins. Most specific first. */
  rules: readonly DeadlineRule[];
}

/** One table per platform. */
export type RuleSet = Record<Platform, RuleTable>;

const PLATFORMS: readonly Platform[] = ['taobao', 'douyin', 'pdd'];
const TABLE_KEYS = new Set(['$comment', 'platform', 'rules']);
const RULE_KEYS = new Set(['id', 'when', 'anchor', 'window', 'actor', 'atTimeout', 'source', 'confidence', 'note']);
const WHEN_KEYS = new Set(['status', 'refundType', 'shipped', 'returnShipping', 'dispute']);
const WINDOW_KEYS = ['hours', 'days', 'workingDays'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneOf<T extends string>(allowed: readonly T[]): string {
  return allowed.map((a) => JSON.stringify(a)).join(', ');
}

/**
 * Validates a rule table as read from JSON (shipped or user-supplied) and returns it typed.
 * Accepts `{ "platform"?: "taobao"|"douyin"|"pdd", "rules": [...] }` or a bare array of rules.
 * Throws an Error naming the table, the rule (id and index) and the field on the first problem,
 * e.g. `invalid rule table my-rules.json: rule "taobao.x" (rules[2]): "window" must have exactly
 * one of "hours", "days", "workingDays"`. Unknown keys are errors (they are usually typos).
 */
export function loadRuleTable(json: unknown, origin = 'rule table'): RuleTable {
  const fail = (msg: string): never => {
    throw new Error(`invalid rule table ${origin}: ${msg}`);
  };
  let platform: Platform | null = null;
  let rawRules: unknown;
  if (Array.isArray(json)) {
    rawRules = json;
  } else if (isObject(json)) {
    for (const k of Object.keys(json)) {
      if (!TABLE_KEYS.has(k)) fail(`unknown key ${JSON.stringify(k)} (expected "platform", "rules")`);
    }
    if (json.platform !== undefined && json.platform !== null) {
      if (!PLATFORMS.includes(json.platform as Platform)) {
        fail(`"platform" must be one of ${oneOf(PLATFORMS)}, got ${JSON.stringify(json.platform)}`);
      }
      platform = json.platform as Platform;
    }
    rawRules = json.rules;
    if (!Array.isArray(rawRules)) fail('"rules" must be an array of rules');
  } else {
    fail('expected an object with "rules" or an array of rules');
  }

  const seen = new Set<string>();
  const rules = (rawRules as unknown[]).map((raw, i) => {
    const rule = validateRule(raw, i, fail);
    if (seen.has(rule.id)) fail(`rule "${rule.id}" (rules[${i}]): duplicate id`);
    seen.add(rule.id);
    return rule;
  });
  return { platform, rules };
}

function validateRule(raw: unknown, i: number, fail: (msg: string) => never): DeadlineRule {
  const where0 = `rules[${i}]`;
  if (!isObject(raw)) return fail(`${where0}: a rule must be an object`);
  if (typeof raw.id !== 'string' || raw.id.trim() === '') return fail(`${where0}: "id" must be a non-empty string`);
  const id = raw.id;
  const at = `rule "${id}" (${where0})`;
  const bad = (field: string, msg: string): never => fail(`${at}: "${field}" ${msg}`);

  for (const k of Object.keys(raw)) if (!RULE_KEYS.has(k)) bad(k, 'is not a rule field');

  // when
  if (!isObject(raw.when)) return bad('when', 'must be an object');
  const w = raw.when;
  for (const k of Object.keys(w)) if (!WHEN_KEYS.has(k)) bad(`when.${k}`, `is not a condition (expected ${[...WHEN_KEYS].join(', ')})`);
  const when: RuleWhen = {};
  if (w.status !== undefined) {
    const list = Array.isArray(w.status) ? w.status : [w.status];
    if (list.length === 0) bad('when.status', 'must not be an empty list');
    for (const s of list) {
      if (!RULE_STATUSES.includes(s as RuleStatus)) {
        bad('when.status', `must be one of ${oneOf(RULE_STATUSES)} (or a list of them), got ${JSON.stringify(s)}`);
      }
    }
    when.status = Array.isArray(w.status) ? (list as RuleStatus[]) : (w.status as RuleStatus);
  }
  if (w.refundType !== undefined) {
    if (!REFUND_TYPES.includes(w.refundType as RefundType)) {
      bad('when.refundType', `must be one of ${oneOf(REFUND_TYPES)}, got ${JSON.stringify(w.refundType)}`);
    }
    when.refundType = w.refundType as RefundType;
  }
  if (w.shipped !== undefined) {
    if (typeof w.shipped !== 'boolean') bad('when.shipped', `must be true or false, got ${JSON.stringify(w.shipped)}`);
    when.shipped = w.shipped as boolean;
  }
  if (w.returnShipping !== undefined) {
    if (!RETURN_SHIPPINGS.includes(w.returnShipping as ReturnShipping)) {
      bad('when.returnShipping', `must be one of ${oneOf(RETURN_SHIPPINGS)}, got ${JSON.stringify(w.returnShipping)}`);
    }
    when.returnShipping = w.returnShipping as ReturnShipping;
  }
  if (w.dispute !== undefined) {
    if (!DISPUTE_STATES.includes(w.dispute as DisputeState)) {
      bad('when.dispute', `must be one of ${oneOf(DISPUTE_STATES)}, got ${JSON.stringify(w.dispute)}`);
    }
    when.dispute = w.dispute as DisputeState;
  }

  // anchor
  if (!ANCHOR_FIELDS.includes(raw.anchor as AnchorField)) {
    bad('anchor', `must be one of ${oneOf(ANCHOR_FIELDS)}, got ${JSON.stringify(raw.anchor)}`);
  }

  // window
  if (!isObject(raw.window)) return bad('window', 'must be an object such as {"hours": 48}, {"days": 5} or {"workingDays": 2}');
  const win = raw.window;
  const present = WINDOW_KEYS.filter((k) => win[k] !== undefined);
  for (const k of Object.keys(win)) {
    if (!(WINDOW_KEYS as readonly string[]).includes(k)) bad(`window.${k}`, 'is not a window unit (expected hours, days or workingDays)');
  }
  if (present.length !== 1) bad('window', 'must have exactly one of "hours", "days", "workingDays"');
  const unit = present[0];
  const n = win[unit];
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) bad(`window.${unit}`, `must be a positive number, got ${JSON.stringify(n)}`);
  if (unit !== 'hours' && !Number.isInteger(n)) bad(`window.${unit}`, `must be a whole number, got ${JSON.stringify(n)}`);
  // No platform window is longer than a year; beyond that the date arithmetic leaves the calendar.
  const most = unit === 'hours' ? 366 * 24 : unit === 'days' ? 366 : 250;
  if ((n as number) > most) bad(`window.${unit}`, `must be at most ${most}, got ${JSON.stringify(n)}`);
  const window = { [unit]: n } as RuleWindow;

  if (!RULE_ACTORS.includes(raw.actor as RuleActor)) bad('actor', `must be one of ${oneOf(RULE_ACTORS)}, got ${JSON.stringify(raw.actor)}`);
  if (!AT_TIMEOUTS.includes(raw.atTimeout as AtTimeout)) {
    bad('atTimeout', `must be one of ${oneOf(AT_TIMEOUTS)}, got ${JSON.stringify(raw.atTimeout)}`);
  }
  if (typeof raw.source !== 'string' || raw.source.trim() === '') bad('source', 'must say where the number comes from (a non-empty string)');
  if (!CONFIDENCES.includes(raw.confidence as Confidence)) {
    bad('confidence', `must be one of ${oneOf(CONFIDENCES)}, got ${JSON.stringify(raw.confidence)}`);
  }
  if (raw.note !== undefined && typeof raw.note !== 'string') bad('note', 'must be a string');

  const rule: DeadlineRule = {
    id,
    when,
    anchor: raw.anchor as AnchorField,
    window,
    actor: raw.actor as RuleActor,
    atTimeout: raw.atTimeout as AtTimeout,
    source: raw.source as string,
    confidence: raw.confidence as Confidence,
  };
  if (raw.note !== undefined) rule.note = raw.note as string;
  return rule;
}

/**
 * User overrides on top of a base table. An override with the id of a base rule replaces it in
 * place (keeping its position in the order); an override with a new id is added BEFORE all base
 * rules (in the overrides' own order), so user rules are checked first. Give a new rule narrow
 * conditions: a broad one placed first shadows the more specific built-in rules.
 * Throws when the override table names a different platform.
 */
export function mergeRules(base: RuleTable, overrides: RuleTable | readonly DeadlineRule[]): RuleTable {
  const over: RuleTable = isRuleTable(overrides) ? overrides : { platform: null, rules: overrides };
  if (over.platform && base.platform && over.platform !== base.platform) {
    throw new Error(`cannot merge ${over.platform} rules into the ${base.platform} rule table`);
  }
  const byId = new Map(over.rules.map((r) => [r.id, r]));
  const baseIds = new Set(base.rules.map((r) => r.id));
  const added = over.rules.filter((r) => !baseIds.has(r.id));
  const replaced = base.rules.map((r) => byId.get(r.id) ?? r);
  return { platform: base.platform ?? over.platform, rules: [...added, ...replaced] };
}

function isRuleTable(x: RuleTable | readonly DeadlineRule[]): x is RuleTable {
  return !Array.isArray(x);
}

/** 平邮, 邮政平邮 and 普通包裹 are surface mail; anything else (or nothing) counts as express. */
export function returnShippingOf(refund: Pick<Refund, 'returnCarrier'>): ReturnShipping {
  return refund.returnCarrier && /平邮|普通包裹/.test(refund.returnCarrier) ? 'post' : 'express';
}

/** The refund type, inferred from 是否需要退货 when the export has no type column. */
export function refundTypeOf(refund: Pick<Refund, 'refundType' | 'returnRequired'>): RefundType | null {
  if (refund.refundType) return refund.refundType;
  if (refund.returnRequired === true) return 'return_refund';
  if (refund.returnRequired === false) return 'refund_only';
  return null;
}

/** Whether every condition of the rule holds for the refund. */
export function ruleMatches(rule: DeadlineRule, refund: Refund): boolean {
  const w = rule.when;
  if (w.status !== undefined) {
    const list: readonly RuleStatus[] = typeof w.status === 'string' ? [w.status] : w.status;
    if (!list.includes(refund.status as RuleStatus)) return false;
  }
  if (w.refundType !== undefined && refundTypeOf(refund) !== w.refundType) return false;
  if (w.shipped !== undefined && refund.shipped !== w.shipped) return false;
  if (w.returnShipping !== undefined && returnShippingOf(refund) !== w.returnShipping) return false;
  if (w.dispute !== undefined && refund.disputeState !== w.dispute) return false;
  return true;
}

/**
 * The first rule of the table that matches, or null. Finished (CLOSED, SUCCESS) and UNKNOWN
 * refunds never match a rule, not even one without a status condition.
 */
export function matchRule(refund: Refund, table: RuleTable): DeadlineRule | null {
  if (!RULE_STATUSES.includes(refund.status as RuleStatus)) return null;
  for (const rule of table.rules) if (ruleMatches(rule, refund)) return rule;
  return null;
}

/** The rule tables that ship with the tool (src/rules/*.json), validated on load. */
export const builtinRules: RuleSet = {
  taobao: loadRuleTable(taobaoJson, 'rules/taobao.json'),
  douyin: loadRuleTable(douyinJson, 'rules/douyin.json'),
  pdd: loadRuleTable(pddJson, 'rules/pdd.json'),
};

/** "48h", "5d", "2 working days" / "48小时", "5天", "2个工作日". */
export function formatWindow(window: RuleWindow, lang: 'en' | 'zh' = 'en'): string {
  if ('hours' in window) return lang === 'zh' ? `${window.hours}小时` : `${window.hours}h`;
  if ('days' in window) return lang === 'zh' ? `${window.days}天` : `${window.days}d`;
  return lang === 'zh'
    ? `${window.workingDays}个工作日`
    : `${window.workingDays} working day${window.workingDays === 1 ? '' : 's'}`;
}
