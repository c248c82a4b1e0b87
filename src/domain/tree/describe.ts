// The decision tree (see ../decisionTree.ts): rendering helpers (the caller brings the translator,
// so this module stays free of the UI).
import { DECISION_ACTIONS } from '../types.js';
import { renderBuyerMessage, cleanInline } from '../buyerMessages.js';
import { ShopZone } from '../time.js';
import { CASE_BRANCHES, type CaseContext } from './case.js';
import { classifyCase, isSevenDayNoReason } from './facts.js';
import type { Outcome } from './shapes.js';
import { OUTCOMES, QUESTIONS } from './data.js';
import { ESCALATE, needsSupervisor } from './threshold.js';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

const defaultZone = new ShopZone();

/** Formats cents as ¥1,299.00. */
export function formatYuan(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

function shortTime(iso: string | null, zone: ShopZone): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? zone.short(ms) : null;
}

/**
 * Parameters for every question, hint and checklist text: amount, deadline, waybill, carrier,
 * returnWaybill, returnCarrier, evidenceDeadline, threshold, statusText, reason. Unknown values are
 * "—". Text from exports is cleaned of control characters.
 */
export function stepParams(ctx: CaseContext, zone: ShopZone = defaultZone): Record<string, string> {
  const r = ctx.refund;
  const dash = (s: string | null | undefined, max = 40): string => (s ? cleanInline(s, max) || '—' : '—');
  return {
    amount: formatYuan(r.amountCents),
    deadline: ctx.deadlineAt === null ? '—' : zone.short(ctx.deadlineAt),
    waybill: dash(ctx.order?.waybill),
    carrier: dash(ctx.order?.carrier),
    returnWaybill: dash(r.returnWaybill ?? ctx.receipt?.waybill),
    returnCarrier: dash(r.returnCarrier ?? ctx.receipt?.carrier),
    evidenceDeadline: shortTime(r.evidenceDeadline, zone) ?? '—',
    threshold: ctx.amountThresholdCents === null ? '—' : formatYuan(ctx.amountThresholdCents),
    statusText: dash(r.statusText),
    reason: dash(r.reason),
    refundId: dash(r.refundId),
  };
}

export interface Hint {
  key: string;
  params: Record<string, string | number>;
}

const DAY = 86_400_000;

/** Keys caseHints can produce (for catalog checks). */
export const CASE_HINT_KEYS: readonly string[] = [
  'finished',
  'noDeadline',
  'overdue',
  'dueSoon',
  'noRefuseUnshipped',
  'sevenDayNoRefuse',
  'aboveThreshold',
  'receipt',
  'evidenceDeadline',
  'lastDecision',
  'buyerFlags',
].map((k) => `triage.hint.${k}`);

/**
 * Reminders for the case card: deadline, refusal bans, threshold, receipt, the last decision.
 * With `tr`, the action and the receipt condition in params are translated (else raw ids).
 * `dueSoonMs` should be the same setting as urgency.ts's (default 24 h).
 */
export function caseHints(ctx: CaseContext, opts: { tr?: Translate; zone?: ShopZone; dueSoonMs?: number } = {}): Hint[] {
  const zone = opts.zone ?? defaultZone;
  const label = (key: string, raw: string): string => (opts.tr ? opts.tr(key) : raw);
  const p = stepParams(ctx, zone);
  const hints: Hint[] = [];
  const branch = classifyCase(ctx);
  if (branch === 'finished') return [{ key: 'triage.hint.finished', params: {} }];
  if (ctx.deadlineAt === null) hints.push({ key: 'triage.hint.noDeadline', params: {} });
  else if (ctx.deadlineAt <= ctx.nowMs) hints.push({ key: 'triage.hint.overdue', params: { deadline: p.deadline } });
  else if (ctx.deadlineAt - ctx.nowMs <= (opts.dueSoonMs ?? DAY)) hints.push({ key: 'triage.hint.dueSoon', params: { deadline: p.deadline } });
  if (branch === 'unshipped-refund') hints.push({ key: 'triage.hint.noRefuseUnshipped', params: {} });
  if (isSevenDayNoReason(ctx.refund) && ctx.refund.status !== 'WAIT_SELLER_CONFIRM_GOODS') {
    hints.push({ key: 'triage.hint.sevenDayNoRefuse', params: {} });
  }
  if (needsSupervisor(ctx, 'approve', ctx.refund.amountCents)) {
    hints.push({ key: 'triage.hint.aboveThreshold', params: { amount: p.amount, threshold: p.threshold } });
  }
  if (ctx.receipt) {
    const c = ctx.receipt.condition;
    hints.push({
      key: 'triage.hint.receipt',
      params: { receivedAt: shortTime(ctx.receipt.receivedAt, zone) ?? '—', condition: label(`triage.condition.${c}`, c) },
    });
  }
  if (branch === 'dispute') hints.push({ key: 'triage.hint.evidenceDeadline', params: { evidenceDeadline: p.evidenceDeadline } });
  if (ctx.buyerFlags?.length) {
    hints.push({ key: 'triage.hint.buyerFlags', params: { n: ctx.buyerFlags.length, flags: ctx.buyerFlags.map((f) => f.id).join(', '), refundId: ctx.refund.refundId } });
  }
  const last = ctx.decisions[ctx.decisions.length - 1];
  if (last) {
    hints.push({
      key: 'triage.hint.lastDecision',
      params: {
        action: label(`triage.action.${last.action}`, last.action),
        agent: cleanInline(last.agent, 40),
        at: shortTime(last.decidedAt, zone) ?? '—',
      },
    });
  }
  return hints;
}

export interface DescribedOutcome {
  title: string;
  checklist: string[];
  /** Ready-to-paste Chinese message, or null. */
  buyerMessage: string | null;
  /** The note to record for an escalation (what was proposed), else null. */
  note: string | null;
}

/**
 * Renders an outcome for display and recording (Decision.checklist / buyerMessage / note).
 * `amountCents`, `reason` (the refusal text) and `returnAddress` fill the buyer message.
 */
export function describeOutcome(
  outcome: Outcome,
  ctx: CaseContext,
  tr: Translate,
  opts: { amountCents?: number; reason?: string; returnAddress?: string; zone?: ShopZone } = {},
): DescribedOutcome {
  const params = stepParams(ctx, opts.zone);
  let note: string | null = null;
  if (outcome.proposed && outcome.noteKey) {
    note = tr(outcome.noteKey, {
      action: tr(`triage.action.${outcome.proposed.action}`),
      amount: params.amount,
      threshold: params.threshold,
    });
  }
  return {
    title: tr(outcome.titleKey, params),
    checklist: outcome.checklistKeys.map((k) => tr(k, params)),
    buyerMessage: outcome.buyerMessage
      ? renderBuyerMessage(outcome.buyerMessage, ctx, {
          amountCents: opts.amountCents,
          reason: opts.reason,
          returnAddress: opts.returnAddress,
        })
      : null,
    note,
  };
}

/** Every outcome reachable from the tree's data (for tests and catalog checks). */
export function allOutcomes(): Outcome[] {
  return Object.values(OUTCOMES);
}

/** Every i18n key the tree can reference (questions, options, static hints, outcomes, checklists,
 * action and branch labels). caseHints and violation keys are listed in their own modules. */
export function treeMessageKeys(): string[] {
  const keys = new Set<string>();
  for (const node of QUESTIONS) {
    keys.add(node.textKey);
    node.hintKeys.forEach((k) => keys.add(k));
    node.options.forEach((o) => keys.add(o.labelKey));
  }
  for (const o of allOutcomes()) {
    keys.add(o.titleKey);
    o.checklistKeys.forEach((k) => keys.add(k));
  }
  keys.add(ESCALATE.titleKey);
  keys.add(ESCALATE.noteKey);
  ESCALATE.checklistKeys.forEach((k) => keys.add(k));
  for (const a of DECISION_ACTIONS) keys.add(`triage.action.${a}`);
  for (const b of CASE_BRANCHES) keys.add(`triage.branch.${b}`);
  for (const c of ['ok', 'damaged', 'wrong-item', 'empty']) keys.add(`triage.condition.${c}`);
  CASE_HINT_KEYS.forEach((k) => keys.add(k));
  return [...keys].sort();
}
