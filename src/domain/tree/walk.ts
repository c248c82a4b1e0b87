// The decision tree (see ../decisionTree.ts): walking it for one case — the root question of each
// branch, the conditions that hide options, the answers the case gives itself, the recommended ones.
import { flagOffers } from '../buyerFlags.js';
import type { CaseBranch, CaseContext } from './case.js';
import { classifyCase, goodsReceived, isSevenDayNoReason, reasonBucket, returnRequested, shippedState } from './facts.js';
import { isOutcome, type CaseCondition, type Option, type Outcome, type Question, type Step } from './shapes.js';
import { OUTCOMES, TREE } from './data.js';
import { applyThreshold } from './threshold.js';

const O = OUTCOMES;

/** The question each branch starts from (waiting-buyer and unknown-state depend on the status). */
function root(ctx: CaseContext, branch: CaseBranch): string | Outcome {
  switch (branch) {
    case 'unshipped-refund':
      return 'unshipped.actuallyShipped';
    case 'shipped-refund-only':
      return 'shippedOnly.tracking';
    case 'return-refund':
      return 'return.reason';
    case 'orange':
      return 'orange.received';
    case 'waiting-buyer':
      return 'waiting.choice';
    case 'dispute':
      return 'dispute.choice';
    case 'postage-only':
      return 'postage.pay';
    case 'unknown-state':
      return ctx.refund.status === 'WAIT_SELLER_AGREE' ? 'unknown.shipped' : 'unknown.status';
    case 'finished':
      return O['finished.none'];
  }
}

const CONDITIONS: Record<CaseCondition, (ctx: CaseContext) => boolean> = {
  // The platform lets the seller refuse: not 七天无理由, not known unshipped.
  refusable: (ctx) => !isSevenDayNoReason(ctx.refund) && shippedState(ctx) !== false,
  awaitingReturn: (ctx) => ctx.refund.status !== 'SELLER_REFUSE_BUYER',
  sellerRefused: (ctx) => ctx.refund.status !== 'WAIT_BUYER_RETURN_GOODS',
  buyerFlagged: (ctx) => flagOffers(ctx.buyerFlags ?? []).collectEvidence,
  periodPassed: (ctx) => flagOffers(ctx.buyerFlags ?? []).periodPassed,
};

const yesNo = (b: boolean | null): string | undefined => (b === null ? undefined : b ? 'yes' : 'no');

/** Questions the case already answers; they are skipped. */
const AUTO_ANSWERS: Record<string, (ctx: CaseContext) => string | undefined> = {
  'unknown.shipped': (ctx) => yesNo(shippedState(ctx)),
  'unknown.returnRequested': (ctx) => yesNo(returnRequested(ctx)),
  'return.reason': (ctx) => {
    const b = reasonBucket(ctx.refund.reason);
    return b === 'unknown' ? undefined : b;
  },
  'orange.received': (ctx) => (ctx.receipt ? 'yes' : undefined),
  'orange.condition': (ctx) => ctx.receipt?.condition,
  'shippedOnly.tracking': (ctx) => (goodsReceived(ctx.refund) === 'received' ? 'delivered' : undefined),
  'shippedOnly.delivered': (ctx) => {
    const g = goodsReceived(ctx.refund);
    return g === 'received' ? 'received-problem' : g === 'not-received' ? 'not-received' : undefined;
  },
};

/**
 * The answer the screen's cursor starts on: what the shop's procedure advises for this case
 * (agree fast unless the buyer is clearly at fault; the data's own answer where it has one).
 * Undefined where only the agent can know (where is the parcel?).
 */
const RECOMMENDED: Record<string, (ctx: CaseContext) => string | undefined> = {
  // A waybill on an "unshipped" order suggests it left without being marked.
  'unshipped.actuallyShipped': (ctx) => (ctx.order?.waybill ? 'yes' : 'refund'),
  'unshipped.keepSale': () => 'no',
  'unshipped.buyerAgreed': () => 'not-yet',
  'shippedOnly.inTransit': () => 'intercept',
  'shippedOnly.delivered': (ctx) => (goodsReceived(ctx.refund) === 'received' ? 'received-problem' : 'not-received'),
  'shippedOnly.proof': () => 'no-proof',
  'shippedOnly.received': () => 'approve',
  'return.reason': () => 'merchant',
  'return.buyerSide': () => 'approve-return',
  'return.merchantSide': () => 'approve-return',
  'return.excessive': () => 'no-evidence',
  'orange.received': (ctx) => (ctx.receipt ? 'yes' : 'no'),
  'orange.notReceived': () => 'in-transit',
  'orange.condition': (ctx) => ctx.receipt?.condition ?? 'ok',
  'orange.damaged': () => 'propose',
  'waiting.choice': (ctx) => (ctx.refund.status === 'WAIT_BUYER_RETURN_GOODS' ? 'remind' : 'negotiate'),
  'dispute.choice': () => 'submit-evidence',
  'postage.pay': () => 'pay',
  'unknown.shipped': (ctx) => yesNo(shippedState(ctx)),
  'unknown.returnRequested': (ctx) => yesNo(returnRequested(ctx)),
};

/** The recommended answer to a question for this case (an answer it shows), or undefined. */
export function recommendedAnswer(ctx: CaseContext, questionId: string): string | undefined {
  const node = TREE[questionId];
  const a = RECOMMENDED[questionId]?.(ctx);
  return node && a !== undefined && visibleOptions(node, ctx).some((o) => o.value === a) ? a : undefined;
}

/** The answer the case itself gives to a question, if any (so the UI can say why it skipped it). */
export function autoAnswer(ctx: CaseContext, questionId: string): string | undefined {
  const node = TREE[questionId];
  const f = AUTO_ANSWERS[questionId];
  if (!node || !f) return undefined;
  const a = f(ctx);
  return a !== undefined && visibleOptions(node, ctx).some((o) => o.value === a) ? a : undefined;
}

function visibleOptions(node: Question, ctx: CaseContext): Option[] {
  return node.options.filter((o) => !o.showIf || CONDITIONS[o.showIf](ctx));
}

export interface PathEntry {
  questionId: string;
  answer: string;
  /** Answered from the case data, not by the agent. */
  auto: boolean;
}

export interface Walk {
  step: Step;
  path: PathEntry[];
}

function question(id: string): Question {
  const node = TREE[id];
  if (!node) throw new RangeError(`unknown question id: ${id}`);
  return node;
}

function follow(ctx: CaseContext, node: Question, answer: string): string | Outcome {
  const opt = visibleOptions(node, ctx).find((o) => o.value === answer);
  if (!opt) throw new RangeError(`"${answer}" is not an answer to ${node.id}`);
  return opt.next;
}

/** Follows auto-answered questions from `next` until a question to ask or an outcome. */
function settle(ctx: CaseContext, next: string | Outcome, path: PathEntry[]): Step {
  for (let guard = 0; guard < 64; guard++) {
    if (typeof next !== 'string') return applyThreshold(next, ctx);
    const node = question(next);
    const auto = autoAnswer(ctx, node.id);
    if (auto === undefined) return { ...node, options: visibleOptions(node, ctx) };
    path.push({ questionId: node.id, answer: auto, auto: true });
    next = follow(ctx, node, auto);
  }
  throw new Error('decision tree loops');
}

/**
 * Replays answers from the root of the case's branch: returns the step reached and the path
 * (auto-answered questions included). "Go back" = walk again without the last answer.
 */
export function walk(ctx: CaseContext, answers: readonly string[]): Walk {
  const path: PathEntry[] = [];
  let step = settle(ctx, root(ctx, classifyCase(ctx)), path);
  for (const answer of answers) {
    if (isOutcome(step)) throw new RangeError(`too many answers: reached ${step.id}`);
    path.push({ questionId: step.id, answer, auto: false });
    step = settle(ctx, follow(ctx, step, answer), path);
  }
  return { step, path };
}

/** The first question to ask for this case (or straight the outcome when the data decides). */
export function firstQuestion(ctx: CaseContext): Step {
  return walk(ctx, []).step;
}

/** The step after answering `answer` to `questionId`. Throws RangeError on an unknown id/answer. */
export function nextStep(ctx: CaseContext, questionId: string, answer: string): Step {
  return settle(ctx, follow(ctx, question(questionId), answer), []);
}
