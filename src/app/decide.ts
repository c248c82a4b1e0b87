// Recording a decision: the one path by which `refunds triage` and `refunds decide` write to the
// `decisions` table. Both validate with the same rules (domain/decisionRules.ts) and record the
// checklist, the buyer message and the expected platform state of a decision-tree outcome.
//
// How `decide` (no prompts) picks the outcome for an action:
//   1. The outcomes REACHABLE for this case: every path of the case's branch is walked from its
//      root with walk(), so questions the data already answers are answered as triage would
//      answer them. Among the outcomes with the action (an outcome escalated by the amount
//      threshold counts by the action it proposes), those needing the fewest answers from the
//      agent are kept — the fewest assumptions. If that leaves exactly one, it is used (e.g.
//      approve on an unshipped order → unshipped.approve; approve on an orange case whose parcel
//      the warehouse registered as fine → orange.approve).
//   2. Otherwise — several equally direct outcomes (a shipped refund-only approval: parcel lost?
//      coming back?), or none because the data rules the action out (approve on an orange case
//      whose parcel arrived empty), or the unknown-state branch — the generic outcome for the
//      action (GENERIC_OUTCOMES): the same checklist steps without the branch's assumptions.
//      `escalate` always uses the generic escalation. validateDecision alone decides whether the
//      decision may be recorded.
import type { Config } from '../config.js';
import type { DecisionAction, Decision, RefundStatus } from '../domain/types.js';
import { DECISION_ACTIONS } from '../domain/types.js';
import {
  CASE_BRANCHES,
  classifyCase,
  describeOutcome,
  formatYuan,
  isOutcome,
  walk,
  type CaseBranch,
  type CaseContext,
  type Outcome,
  type Translate,
} from '../domain/decisionTree.js';
import { validateDecision, type Violation } from '../domain/decisionRules.js';
import type { BuyerMessageId } from '../domain/buyerMessages.js';
import type { NewDecision } from '../domain/inputs.js';
import { parseYuanToCents } from '../domain/money.js';
import type { DecideOutcome, DecisionGuard, TxPorts } from './ports/index.js';
import { caseFile, type CaseFile } from './caseFile.js';
import { flagsForDecision } from './buyerHistory.js';
import type { SweepEnv } from './sweep.js';

export { DECISION_ACTIONS };

// Money typed by people: domain/money.ts (the triage prompts need it at run time).
export { parseYuanToCents };

// ---------------------------------------------------------------------------------------------
// The case as the decision tree sees it

export type DecisionConfig = Pick<Config, 'amountThresholdYuan' | 'supervisors' | 'tmall'>;

export function thresholdCents(config: DecisionConfig): number | null {
  const y = config.amountThresholdYuan;
  if (y === undefined || y === null || !Number.isFinite(y)) return null;
  // Config holds yuan as a JSON number; two decimals at most are meaningful.
  return parseYuanToCents(y.toFixed(2));
}

export function isSupervisor(config: DecisionConfig, agent: string): boolean {
  const me = agent.trim().toLowerCase();
  return (config.supervisors ?? []).some((s) => s.trim().toLowerCase() === me);
}

/** The CaseContext of decisionTree.ts for a case file, an agent and the shop's config. */
export function caseContext(cf: CaseFile, opts: { nowMs: number; agent: string; config: DecisionConfig }): CaseContext {
  return {
    refund: cf.refund,
    order: cf.order,
    receipt: cf.receipt?.receipt ?? cf.receipts.at(-1) ?? null,
    decisions: cf.decisions,
    deadlineAt: cf.deadline.at,
    nowMs: opts.nowMs,
    // Tmall exists on the Taobao platform only.
    platformIsTmall: opts.config.tmall === true && cf.refund.platform === 'taobao',
    agent: { name: opts.agent, isSupervisor: isSupervisor(opts.config, opts.agent) },
    amountThresholdCents: thresholdCents(opts.config),
    buyerFlags: cf.buyerHistory?.flags ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Which outcome an action means for a case

/** Branches whose paths are walked for `decide` (unknown-state and finished are not). */
const WALKED_BRANCHES: ReadonlySet<CaseBranch> = new Set(CASE_BRANCHES.filter((b) => b !== 'unknown-state' && b !== 'finished'));

function generic(
  action: DecisionAction,
  checks: string[],
  expectedStatus: RefundStatus[] | null,
  buyerMessage?: BuyerMessageId,
  needs: Outcome['needs'] = {},
): Outcome {
  const o: Outcome = {
    kind: 'outcome',
    id: `generic.${action}`,
    action,
    titleKey: `triage.action.${action}`,
    checklistKeys: checks.map((k) => `triage.check.${k}`),
    expectedStatus,
    needs,
  };
  if (buyerMessage) o.buyerMessage = buyerMessage;
  return o;
}

const REFUSE_STEPS = ['refuse.collectEvidence', 'refuse.beforeDeadline', 'refuse.writeReason', 'refuse.uploadProof', 'refuse.negotiate', 'refuse.watchDispute'];

/** One outcome per action for cases the tree has no specific outcome for; same checklist steps. */
export const GENERIC_OUTCOMES: Readonly<Record<DecisionAction, Outcome>> = {
  approve: generic('approve', ['approve', 'confirmSuccess'], ['SUCCESS']),
  'approve-return': generic('approve-return', ['return.agree', 'return.address', 'askWaybill', 'return.tellWarehouse'], ['WAIT_BUYER_RETURN_GOODS']),
  partial: generic('partial', ['partial.agreeAmount', 'partial.buyerModifies', 'partial.approveModified'], ['SUCCESS'], 'partial-offer', { amount: true, note: true }),
  refuse: generic('refuse', REFUSE_STEPS, ['SELLER_REFUSE_BUYER'], 'refusal', { note: true, evidence: true }),
  'contact-buyer': generic('contact-buyer', ['negotiate.offer', 'beforeDeadline'], null, 'negotiate'),
  'mark-shipped': generic('mark-shipped', ['tellBuyerShipped', 'markShipped', 'confirmClosed'], ['CLOSED'], 'shipped-not-marked'),
  'refund-postage': generic('refund-postage', ['postage.agree', 'postage.transfer', 'postage.askClose', 'postage.confirmClosed'], ['CLOSED'], 'postage-transfer', { amount: true }),
  escalate: generic('escalate', ['escalate.tellSupervisor', 'escalate.beforeDeadline'], null, 'checking'),
  wait: generic('wait', ['waiting.recheck'], null),
};

export interface Reachable {
  outcome: Outcome;
  /** Answers the agent must give to reach it (auto-answered questions not counted). */
  answers: number;
}

/** Every outcome reachable from the case's branch root, depth-first in option order, each with
 * the fewest agent answers that reach it. */
export function reachableOutcomes(ctx: CaseContext): Reachable[] {
  const found = new Map<string, Reachable>();
  const visit = (answers: string[]): void => {
    if (answers.length > 24) return;
    let step;
    try {
      step = walk(ctx, answers).step;
    } catch {
      return;
    }
    if (isOutcome(step)) {
      const prev = found.get(step.id);
      if (!prev || answers.length < prev.answers) found.set(step.id, { outcome: step, answers: answers.length });
      return;
    }
    for (const opt of step.options) visit([...answers, opt.value]);
  };
  visit([]);
  return [...found.values()];
}

/** What an outcome does once the threshold is set aside (an escalation counts as its proposal). */
const baseAction = (o: Outcome): DecisionAction => (o.proposed ?? o).action;

/** The outcome `decide --action` records for this case (see the header comment for the rules). */
export function outcomeForAction(ctx: CaseContext, action: DecisionAction): Outcome {
  if (action === 'escalate') return GENERIC_OUTCOMES.escalate;
  if (!WALKED_BRANCHES.has(classifyCase(ctx))) return GENERIC_OUTCOMES[action];
  const matches = reachableOutcomes(ctx).filter((r) => baseAction(r.outcome) === action);
  if (matches.length > 0) {
    const fewest = Math.min(...matches.map((r) => r.answers));
    const best = matches.filter((r) => r.answers === fewest);
    if (best.length === 1) return best[0]!.outcome.proposed ?? best[0]!.outcome;
  }
  return GENERIC_OUTCOMES[action];
}

// ---------------------------------------------------------------------------------------------
// Recording

export interface DecisionRequest {
  refundId: string;
  action: DecisionAction;
  amountCents?: number | null;
  note?: string | null;
  evidence?: readonly string[];
  agent: string;
  source: 'triage' | 'decide' | 'decide-forced';
  /** The tree outcome the agent reached (triage); `decide` leaves it out (outcomeForAction). */
  outcome?: Outcome;
  /** An escalation note to record instead of the agent's (triage escalations). */
  noteOverride?: string | null;
}

export interface DecisionEnv {
  sweep: SweepEnv;
  config: DecisionConfig;
  /** Translator for the checklist (the agent's language). */
  tr: Translate;
  /** The case's translator (its platform's words, overdue wording); default `tr`. */
  trFor?: (ctx: CaseContext) => Translate;
  /** Shop's return address for the buyer message, when configured. */
  returnAddress?: string;
}

export type RecordResult =
  | { ok: true; decision: Decision; outcome: Outcome; title: string; statusAtDecision: RefundStatus; ctx: CaseContext }
  /** Not recorded: the rules' `violations`, or (none then) the store's `refused` (DecisionLog.record). */
  | { ok: false; violations: Violation[]; outcome: Outcome; ctx: CaseContext; refused?: Refused };

/** The amount a decision records: what is given away (full amount for approvals when not typed). */
export function recordedAmount(action: DecisionAction, typed: number | null | undefined, requestedCents: number): number | null {
  if (typed !== null && typed !== undefined) return typed;
  if (action === 'approve' || action === 'approve-return' || action === 'refund-postage') return requestedCents;
  return null;
}

export interface PreparedDecision {
  ctx: CaseContext;
  outcome: Outcome;
  violations: Violation[];
  amountCents: number | null;
  note: string | null;
  evidence: string[];
  checklist: string[];
  buyerMessage: string | null;
  title: string;
}

/** Validates and renders a decision without writing anything. */
export function prepareDecision(cf: CaseFile, env: DecisionEnv, req: DecisionRequest): PreparedDecision {
  const ctx = caseContext(cf, { nowMs: env.sweep.nowMs, agent: req.agent, config: env.config });
  const outcome = req.outcome ?? outcomeForAction(ctx, req.action);
  const evidence = (req.evidence ?? []).map((e) => e.trim()).filter((e) => e !== '');
  const violations = validateDecision({ action: req.action, amountCents: req.amountCents ?? null, note: req.note ?? null, evidence }, ctx);
  const described = describeOutcome(outcome, ctx, env.trFor ? env.trFor(ctx) : env.tr, {
    amountCents: req.amountCents ?? undefined,
    reason: req.note ?? undefined,
    returnAddress: env.returnAddress,
    zone: env.sweep.zone,
  });
  // An escalation records what was proposed (the tree's note); otherwise the agent's note.
  const typedNote = req.note?.trim() ? req.note.trim() : null;
  const note = req.noteOverride ?? (described.note && typedNote ? `${described.note} ${typedNote}` : (described.note ?? typedNote));
  return {
    ctx,
    outcome,
    violations,
    amountCents: recordedAmount(req.action, req.amountCents, cf.refund.amountCents),
    note,
    evidence,
    checklist: described.checklist,
    buyerMessage: described.buyerMessage,
    title: described.title,
  };
}

/** What a decision records (decidedAt = env.sweep.nowMs in the shop zone). */
function newDecision(env: DecisionEnv, cf: CaseFile, req: DecisionRequest, p: PreparedDecision): NewDecision {
  return {
    refundId: cf.refund.refundId,
    action: req.action,
    amountCents: p.amountCents,
    note: p.note,
    evidence: p.evidence,
    agent: req.agent,
    decidedAt: env.sweep.zone.iso(env.sweep.nowMs),
    statusAtDecision: cf.refund.status,
    expectedStatus: p.outcome.expectedStatus,
    checklist: p.checklist,
    buyerMessage: p.buyerMessage,
    source: req.source,
    flags: flagsForDecision(cf.buyerHistory),
  };
}

/** The store refused the decision (DecisionLog.record): nothing was written. */
export type Refused = Exclude<DecideOutcome, { ok: true }>;

/**
 * Validates with validateDecision and, when allowed, records the decision through
 * DecisionLog.record (claim check, still-latest check and insert, atomic in the store).
 * expectedStatus, checklist and buyer message come from the outcome. Nothing is written when
 * there are violations or when the store refuses (`refused`).
 */
export async function recordDecision(
  ports: Pick<TxPorts, 'decisions'>,
  env: DecisionEnv,
  cf: CaseFile,
  req: DecisionRequest,
  guard: DecisionGuard,
): Promise<RecordResult> {
  const p = prepareDecision(cf, env, req);
  if (p.violations.length > 0) return { ok: false, violations: p.violations, outcome: p.outcome, ctx: p.ctx };
  const out = await ports.decisions.record(newDecision(env, cf, req, p), guard);
  if (!out.ok) return { ok: false, violations: [], outcome: p.outcome, ctx: p.ctx, refused: out };
  return { ok: true, decision: out.decision, outcome: p.outcome, title: p.title, statusAtDecision: cf.refund.status, ctx: p.ctx };
}

// ---------------------------------------------------------------------------------------------
// `refunds decide`: one decision without prompts

/** The claim key of one agent's `decide` on one case (releasing it touches no other case). */
export function decideSession(agent: string, refundId: string): string {
  return `decide:${agent}:${refundId}`;
}

export interface DecideInput {
  refundId: string;
  action: DecisionAction;
  amountCents: number | null;
  note: string | null;
  evidence: readonly string[];
  agent: string;
  /** Decide a case another agent holds (recorded as 'decide-forced'). */
  force: boolean;
  /** How long the claim taken lasts (config claimMinutes), on the store's clock. */
  claimTtlMs: number;
}

export type DecideResult =
  /** Another agent holds the case (triage, or their decide a moment ago); nothing was recorded. */
  | { kind: 'held'; agent: string; expiresAt: number }
  /** The rules refuse the decision; nothing was recorded. */
  | { kind: 'rejected'; violations: Violation[] }
  | {
      kind: 'recorded';
      decision: Decision;
      outcome: Outcome;
      title: string;
      statusAtDecision: RefundStatus;
      refund: CaseFile['refund'];
      /** The claim decided over (--force), or null. */
      forcedOver: { agent: string; expiresAt: number } | null;
    };

/**
 * `refunds decide`: honours the claims triage sessions take and takes one itself. A case another
 * agent holds is refused, naming who and until when, unless `force` (recorded as
 * 'decide-forced'); the agent's own triage session on another terminal does not stand in the
 * way. The claim is kept until it expires, so of two simultaneous decisions exactly one lands; a
 * refused decision, or an escalation (the supervisor's turn), leaves the case free.
 * Null when there is no such refund.
 */
export async function decide(
  ports: Pick<TxPorts, 'cases' | 'decisions' | 'locks'>,
  env: DecisionEnv,
  input: DecideInput,
): Promise<DecideResult | null> {
  const id = input.refundId;
  const session = decideSession(input.agent, id);
  // Before the case is read: a case another agent holds is theirs (the same answer, whatever the decision).
  const holder = await ports.locks.holder(id);
  const heldByOther = holder !== null && holder.agent !== input.agent;
  if (heldByOther && !input.force) return { kind: 'held', agent: holder.agent, expiresAt: holder.expiresAt };
  const cf = await caseFile(ports, env.sweep, id);
  if (!cf) return null;
  const req: DecisionRequest = {
    refundId: id,
    action: input.action,
    amountCents: input.amountCents,
    note: input.note,
    evidence: input.evidence,
    agent: input.agent,
    source: heldByOther ? 'decide-forced' : 'decide',
  };
  const res = await recordDecision(ports, env, cf, req, { session, force: heldByOther, ttlMs: input.claimTtlMs });
  if (!res.ok) {
    if (res.refused) {
      // Taken between the look and the write (a simultaneous decide): the case is theirs.
      if (res.refused.reason === 'claimed') return { kind: 'held', agent: res.refused.agent, expiresAt: res.refused.expiresAt };
      throw new Error(`decide: unexpected refusal ${res.refused.reason}`);
    }
    return { kind: 'rejected', violations: res.violations };
  }
  if (input.action === 'escalate') await ports.locks.release(session);
  return {
    kind: 'recorded',
    decision: res.decision,
    outcome: res.outcome,
    title: res.title,
    statusAtDecision: res.statusAtDecision,
    refund: cf.refund,
    forcedOver: heldByOther ? { agent: holder.agent, expiresAt: holder.expiresAt } : null,
  };
}

/** The escalation note for a partial whose typed amount is above the threshold. */
export function escalationNote(outcome: Outcome, ctx: CaseContext, tr: Translate, amountCents: number): string | null {
  if (!outcome.proposed || !outcome.noteKey) return null;
  return tr(outcome.noteKey, {
    action: tr(`triage.action.${outcome.proposed.action}`),
    amount: formatYuan(amountCents),
    threshold: ctx.amountThresholdCents === null ? '—' : formatYuan(ctx.amountThresholdCents),
  });
}

/** JSON of a recorded decision, as `decide --json` prints it. */
export function decisionJson(d: Decision, extra: { statusAtDecision: RefundStatus; outcome: string }) {
  return { ...d, statusAtDecision: extra.statusAtDecision, outcome: extra.outcome };
}
