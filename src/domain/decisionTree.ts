// The guided decision of `refunds triage`, as data. Pure: no I/O, no terminal, no database.
//
// A case is classified into a branch (classifyCase); each branch has a root question. Questions
// are data (`TREE`): every option leads to another question (by id) or to an Outcome — the
// decision to record, the checklist to carry out in the seller backend, the Chinese message to
// paste to the buyer, and the platform state expected once it is carried out.
//
// Questions whose answer the case already holds (order shipped or not, the refund reason's bucket,
// the warehouse receipt, the goods status) are answered automatically and never shown. Every
// outcome returned by firstQuestion / nextStep / walk has passed through applyThreshold.
import type { Decision, DecisionAction, Order, Refund, RefundStatus, WarehouseReceipt } from './types.js';
import { DECISION_ACTIONS, FINISHED_STATUSES } from './types.js';
import type { BuyerMessageId } from './buyerMessages.js';
import { renderBuyerMessage, cleanInline } from './buyerMessages.js';
import { ShopZone } from './time.js';
import { flagOffers } from './buyerFlags.js';

// ---------------------------------------------------------------------------------------------
// The case

export interface CaseContext {
  refund: Refund;
  order: Order | null;
  /** The warehouse registered the returned parcel. */
  receipt: WarehouseReceipt | null;
  /** Earlier decisions on this refund, oldest first. */
  decisions: Decision[];
  /** The platform's deadline for the current state, epoch ms. */
  deadlineAt: number | null;
  nowMs: number;
  platformIsTmall: boolean;
  agent: { name: string; isSupervisor: boolean };
  /** Above this amount, give-away decisions need a supervisor. */
  amountThresholdCents: number | null;
  /** The buyer's flags (domain/buyerFlags.ts): they add options, never take any away. */
  buyerFlags?: readonly { id: string; why: string }[];
}

export type CaseBranch =
  | 'unshipped-refund'
  | 'shipped-refund-only'
  | 'return-refund'
  | 'orange'
  | 'waiting-buyer'
  | 'dispute'
  | 'postage-only'
  | 'unknown-state'
  /** CLOSED or SUCCESS: nothing to decide (triage should not show it). */
  | 'finished';

export const CASE_BRANCHES: readonly CaseBranch[] = [
  'unshipped-refund',
  'shipped-refund-only',
  'return-refund',
  'orange',
  'waiting-buyer',
  'dispute',
  'postage-only',
  'unknown-state',
  'finished',
];

export type ReasonBucket = 'buyer' | 'merchant' | 'unknown';

// ---------------------------------------------------------------------------------------------
// Facts read from the case

const SEVEN_DAY_RE = /[七7７]\s*天\s*无\s*理\s*由/;
const POSTAGE_RE = /退\s*[运邮]\s*费|[运邮]\s*费\s*补\s*偿|补\s*[运邮]\s*费/;
const MERCHANT_RE =
  /破损|损坏|漏发|少件|少发|缺件|发错|错发|描述不符|与描述不一致|质量|瑕疵|假货|假冒|非正品|未按约定时间发货|延迟发货|一直未送到|空包|过期|变质/;
const BUYER_RE = /无理由|不想要|不要了|拍错|多拍|买错|不喜欢|效果不好|不合适|不需要|个人原因/;

/**
 * Buyer-side (七天无理由, 不想要, 拍错, 不喜欢…) vs merchant-side (破损, 漏发, 发错, 描述不符, 质量…)
 * reasons, from DOMAIN.md. A reason naming both counts as merchant-side (the benefit of the doubt
 * goes to the buyer). Postage requests and anything else are 'unknown'.
 */
export function reasonBucket(reason: string | null | undefined): ReasonBucket {
  if (!reason) return 'unknown';
  const r = reason.normalize('NFKC');
  if (POSTAGE_RE.test(r)) return 'unknown';
  if (MERCHANT_RE.test(r)) return 'merchant';
  if (BUYER_RE.test(r)) return 'buyer';
  return 'unknown';
}

/** 七天无理由退换货: the platform never lets the seller refuse it. */
export function isSevenDayNoReason(refund: Pick<Refund, 'reason'>): boolean {
  return refund.reason ? SEVEN_DAY_RE.test(refund.reason.normalize('NFKC')) : false;
}

/** The buyer asks only for postage (退运费 / 退邮费). */
export function isPostageOnly(refund: Pick<Refund, 'reason'>): boolean {
  return refund.reason ? POSTAGE_RE.test(refund.reason.normalize('NFKC')) : false;
}

export function isFinished(refund: Pick<Refund, 'status'>): boolean {
  return FINISHED_STATUSES.includes(refund.status);
}

export function inDispute(refund: Pick<Refund, 'disputeState'>): boolean {
  return refund.disputeState === 'requested' || refund.disputeState === 'in_progress';
}

const ORDER_UNSHIPPED = new Set(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_PAY', 'TRADE_NO_CREATE_PAY']);
const ORDER_SHIPPED = new Set([
  'WAIT_BUYER_CONFIRM_GOODS',
  'SELLER_CONSIGNED_PART',
  'TRADE_BUYER_SIGNED',
  'TRADE_FINISHED',
]);

/**
 * Whether the seller shipped: the order wins (its flag, then its state: 买家已付款，等待卖家发货 is
 * unshipped), then the refund row, then what the refund implies (goods received or returned, a
 * return under way). null when nothing says.
 */
export function shippedState(ctx: Pick<CaseContext, 'refund' | 'order'>): boolean | null {
  const o = ctx.order;
  if (o) {
    if (o.shipped !== null) return o.shipped;
    const st = o.status?.toUpperCase() ?? '';
    if (ORDER_UNSHIPPED.has(st)) return false;
    if (ORDER_SHIPPED.has(st)) return true;
    const text = o.statusText ?? '';
    if (/等待卖家发货|等待买家付款/.test(text)) return false;
    if (/卖家已发货|部分发货|交易成功|已签收/.test(text)) return true;
  }
  const r = ctx.refund;
  if (r.shipped !== null) return r.shipped;
  if (r.goodsStatus && /买家已收到货|买家已退货/.test(r.goodsStatus)) return true;
  if (r.status === 'WAIT_BUYER_RETURN_GOODS' || r.status === 'WAIT_SELLER_CONFIRM_GOODS') return true;
  return null;
}

/** Whether the buyer asks to send the goods back (退货退款, 换货). null when nothing says. */
export function returnRequested(ctx: Pick<CaseContext, 'refund'>): boolean | null {
  const r = ctx.refund;
  if (r.refundType === 'return_refund' || r.refundType === 'exchange') return true;
  if (r.refundType === 'refund_only') return false;
  if (r.returnRequired !== null) return r.returnRequired;
  if (r.goodsStatus) {
    if (/买家已退货/.test(r.goodsStatus)) return true;
    if (/买家未收到货/.test(r.goodsStatus)) return false;
  }
  return null;
}

function goodsReceived(refund: Refund): 'received' | 'not-received' | null {
  const g = refund.goodsStatus ?? '';
  if (/买家已收到货/.test(g)) return 'received';
  if (/买家未收到货/.test(g)) return 'not-received';
  return null;
}

/** The branch of the tree for this case. */
export function classifyCase(ctx: CaseContext): CaseBranch {
  const r = ctx.refund;
  if (isFinished(r)) return 'finished';
  if (inDispute(r)) return 'dispute';
  if (isPostageOnly(r) && (r.status === 'WAIT_SELLER_AGREE' || r.status === 'SELLER_REFUSE_BUYER' || r.status === 'UNKNOWN')) {
    return 'postage-only';
  }
  switch (r.status) {
    case 'WAIT_SELLER_CONFIRM_GOODS':
      return 'orange';
    case 'WAIT_BUYER_RETURN_GOODS':
    case 'SELLER_REFUSE_BUYER':
      return 'waiting-buyer';
    case 'WAIT_SELLER_AGREE': {
      const shipped = shippedState(ctx);
      if (shipped === false) return 'unshipped-refund';
      if (shipped === null) return 'unknown-state';
      const ret = returnRequested(ctx);
      if (ret === null) return 'unknown-state';
      return ret ? 'return-refund' : 'shipped-refund-only';
    }
    default:
      return 'unknown-state';
  }
}

// ---------------------------------------------------------------------------------------------
// The tree's shapes

export interface OutcomeNeeds {
  amount?: true;
  note?: true;
  evidence?: true;
}

export interface Outcome {
  kind: 'outcome';
  /** Stable id, e.g. "orange.approve". Escalations are "escalate:<proposed id>". */
  id: string;
  action: DecisionAction;
  titleKey: string;
  /** Steps to carry out in the seller backend (i18n keys; params from stepParams). */
  checklistKeys: string[];
  /** Template of the ready-to-paste Chinese message to the buyer (buyerMessages.ts). */
  buyerMessage?: BuyerMessageId;
  /** Platform state(s) expected once carried out; null when no change is expected. */
  expectedStatus: RefundStatus[] | null;
  /** What the agent must supply before the decision is recorded. */
  needs: OutcomeNeeds;
  /** Escalations: what the agent would have done, kept for the supervisor. */
  proposed?: Outcome;
  /** Escalations: i18n key of the note to record (params: action, amount, threshold). */
  noteKey?: string;
}

/** Named predicates on the case that hide an option when false. */
export type CaseCondition = 'refusable' | 'awaitingReturn' | 'sellerRefused' | 'buyerFlagged' | 'periodPassed';

export interface Option {
  value: string;
  labelKey: string;
  next: string | Outcome;
  showIf?: CaseCondition;
}

export interface Question {
  kind: 'question';
  id: string;
  textKey: string;
  /** Short reminders to show under the question. */
  hintKeys: string[];
  options: Option[];
}

export type Step = Question | Outcome;

export function isOutcome(step: Step): step is Outcome {
  return step.kind === 'outcome';
}

// ---------------------------------------------------------------------------------------------
// The tree's data

const SUCCESS: RefundStatus[] = ['SUCCESS'];
const REFUSED: RefundStatus[] = ['SELLER_REFUSE_BUYER'];
const RETURNING: RefundStatus[] = ['WAIT_BUYER_RETURN_GOODS'];
const CLOSED: RefundStatus[] = ['CLOSED'];

function out(
  id: string,
  action: DecisionAction,
  checklistKeys: string[],
  expectedStatus: RefundStatus[] | null,
  extra: { buyerMessage?: BuyerMessageId; needs?: OutcomeNeeds } = {},
): Outcome {
  const o: Outcome = {
    kind: 'outcome',
    id,
    action,
    titleKey: `triage.outcome.${id}`,
    checklistKeys: checklistKeys.map((k) => `triage.check.${k}`),
    expectedStatus,
    needs: extra.needs ?? {},
  };
  if (extra.buyerMessage) o.buyerMessage = extra.buyerMessage;
  return o;
}

function q(
  id: string,
  options: { value: string; next: string | Outcome; showIf?: CaseCondition }[],
  hints: string[] = [],
): Question {
  return {
    kind: 'question',
    id,
    textKey: `triage.q.${id}`,
    hintKeys: hints.map((h) => `triage.hint.${h}`),
    options: options.map((o) => {
      const opt: Option = { value: o.value, labelKey: `triage.opt.${id}.${o.value}`, next: o.next };
      if (o.showIf) opt.showIf = o.showIf;
      return opt;
    }),
  };
}

const REFUSE_STEPS = ['refuse.beforeDeadline', 'refuse.writeReason', 'refuse.uploadProof', 'refuse.negotiate', 'refuse.watchDispute'];
const REFUSE_NEEDS: OutcomeNeeds = { note: true, evidence: true };

/** Every outcome of the tree, by id. */
export const OUTCOMES = {
  // Not shipped
  'unshipped.markShipped': out('unshipped.markShipped', 'mark-shipped', ['tellBuyerShipped', 'markShipped', 'confirmClosed'], CLOSED, {
    buyerMessage: 'shipped-not-marked',
  }),
  'unshipped.contactKeepSale': out('unshipped.contactKeepSale', 'contact-buyer', ['keepSale.contact', 'keepSale.shipOnlyWithConsent', 'keepSale.saveChat', 'keepSale.approveIfNo'], null, {
    buyerMessage: 'keep-sale',
  }),
  'unshipped.shipWithConsent': out('unshipped.shipWithConsent', 'mark-shipped', ['keepSale.saveChat', 'markShipped', 'confirmClosed'], CLOSED, {
    buyerMessage: 'shipping-with-consent',
    needs: { evidence: true },
  }),
  'unshipped.approve': out('unshipped.approve', 'approve', ['approve', 'doNotShip', 'confirmSuccess'], SUCCESS),

  // Shipped, refund only
  'shippedOnly.intercept': out('shippedOnly.intercept', 'contact-buyer', ['intercept.carrier', 'intercept.tellBuyer', 'intercept.approveWhenBack'], null, {
    buyerMessage: 'in-transit',
  }),
  'shippedOnly.approveInTransit': out('shippedOnly.approveInTransit', 'approve', ['approve', 'askBuyerRejectDelivery', 'warehouseExpectParcel', 'confirmSuccess'], SUCCESS, {
    buyerMessage: 'reject-delivery',
  }),
  'shippedOnly.approveLost': out('shippedOnly.approveLost', 'approve', ['approve', 'claimCarrier', 'confirmSuccess'], SUCCESS, {
    buyerMessage: 'lost-parcel',
  }),
  'shippedOnly.approveReturned': out('shippedOnly.approveReturned', 'approve', ['warehouseExpectParcel', 'approve', 'confirmSuccess'], SUCCESS),
  'shippedOnly.refuseSigned': out('shippedOnly.refuseSigned', 'refuse', ['refuse.collectSignedProof', ...REFUSE_STEPS], REFUSED, {
    buyerMessage: 'refusal',
    needs: REFUSE_NEEDS,
  }),
  'shippedOnly.checkDelivery': out('shippedOnly.checkDelivery', 'contact-buyer', ['askCarrierProof', 'askBuyerCheckLocker', 'approveIfNoProof'], null, {
    buyerMessage: 'check-delivery',
  }),
  'shippedOnly.partial': out('shippedOnly.partial', 'partial', ['partial.agreeAmount', 'partial.noReturn', 'partial.buyerModifies', 'partial.approveModified'], SUCCESS, {
    buyerMessage: 'partial-offer',
    needs: { amount: true, note: true },
  }),
  'shippedOnly.askReturn': out('shippedOnly.askReturn', 'contact-buyer', ['askReturnInstead', 'beforeDeadline'], null, {
    buyerMessage: 'ask-return-instead',
  }),
  'shippedOnly.approveReceived': out('shippedOnly.approveReceived', 'approve', ['approve', 'confirmSuccess'], SUCCESS),

  // Return + refund
  'return.approveBuyerPays': out('return.approveBuyerPays', 'approve-return', ['return.agree', 'return.address', 'return.buyerPaysPostage', 'askWaybill', 'return.tellWarehouse'], RETURNING, {
    buyerMessage: 'return-address-buyer-pays',
  }),
  'return.approveSellerPays': out('return.approveSellerPays', 'approve-return', ['return.agree', 'return.address', 'return.sellerPaysPostage', 'askWaybill', 'return.tellWarehouse'], RETURNING, {
    buyerMessage: 'return-address-seller-pays',
  }),
  'return.partialNoReturn': out('return.partialNoReturn', 'partial', ['partial.agreeAmount', 'partial.noReturn', 'partial.buyerModifies', 'partial.approveModified'], SUCCESS, {
    buyerMessage: 'partial-offer',
    needs: { amount: true, note: true },
  }),
  'return.resend': out('return.resend', 'contact-buyer', ['resend.offer', 'resend.ship', 'resend.askCancel', 'beforeDeadline'], null, {
    buyerMessage: 'resend-offer',
  }),
  'return.refuseExcessive': out('return.refuseExcessive', 'refuse', ['refuse.collectEvidence', ...REFUSE_STEPS], REFUSED, {
    buyerMessage: 'refusal',
    needs: REFUSE_NEEDS,
  }),
  'return.negotiate': out('return.negotiate', 'contact-buyer', ['negotiate.offer', 'approveBeforeDeadline'], null, {
    buyerMessage: 'negotiate',
  }),

  // Orange: buyer returned, seller to confirm
  'orange.waitInTransit': out('orange.waitInTransit', 'wait', ['orange.trackWaybill', 'orange.tellWarehouse', 'orange.noteDeadline'], null),
  'orange.findParcel': out('orange.findParcel', 'wait', ['orange.askWarehouseFind', 'orange.noteDeadline'], null),
  'orange.askWaybill': out('orange.askWaybill', 'contact-buyer', ['askWaybill', 'orange.noteDeadline'], null, {
    buyerMessage: 'ask-waybill',
  }),
  'orange.approve': out('orange.approve', 'approve', ['orange.confirmReceipt', 'confirmSuccess'], SUCCESS),
  'orange.refuseWrongItem': out('orange.refuseWrongItem', 'refuse', ['orange.photoWrongItem', 'orange.sendBack', ...REFUSE_STEPS], REFUSED, {
    buyerMessage: 'wrong-item-returned',
    needs: REFUSE_NEEDS,
  }),
  'orange.refuseEmpty': out('orange.refuseEmpty', 'refuse', ['orange.photoEmpty', ...REFUSE_STEPS], REFUSED, {
    buyerMessage: 'refusal',
    needs: REFUSE_NEEDS,
  }),
  'orange.negotiateDamage': out('orange.negotiateDamage', 'contact-buyer', ['orange.photoDamage', 'orange.proposePartial', 'orange.noteDeadline'], null, {
    buyerMessage: 'damage-negotiate',
  }),
  'orange.partial': out('orange.partial', 'partial', ['orange.photoDamage', 'partial.agreeAmount', 'partial.buyerModifies', 'partial.approveModified'], SUCCESS, {
    buyerMessage: 'partial-offer',
    needs: { amount: true, note: true, evidence: true },
  }),
  'orange.refuseDamaged': out('orange.refuseDamaged', 'refuse', ['orange.photoDamage', ...REFUSE_STEPS], REFUSED, {
    buyerMessage: 'refusal',
    needs: REFUSE_NEEDS,
  }),
  'orange.approveDamaged': out('orange.approveDamaged', 'approve', ['orange.photoDamage', 'orange.confirmReceipt', 'confirmSuccess'], SUCCESS),

  // Waiting on the buyer
  'waiting.remindWaybill': out('waiting.remindWaybill', 'contact-buyer', ['askWaybill', 'waiting.noteBuyerDeadline'], null, {
    buyerMessage: 'ask-waybill',
  }),
  'waiting.negotiate': out('waiting.negotiate', 'contact-buyer', ['negotiate.offer', 'waiting.watchDispute'], null, {
    buyerMessage: 'negotiate',
  }),
  'waiting.prepareEvidence': out('waiting.prepareEvidence', 'wait', ['evidence.collect', 'waiting.keepChat', 'waiting.watchDispute'], null, {
    needs: { evidence: true },
  }),
  'waiting.wait': out('waiting.wait', 'wait', ['waiting.noteBuyerDeadline', 'waiting.recheck'], null),

  // Dispute (客服介入)
  'dispute.submitEvidence': out('dispute.submitEvidence', 'wait', ['evidence.collect', 'dispute.upload', 'dispute.statement', 'dispute.watch'], null, {
    needs: { note: true, evidence: true },
  }),
  'dispute.settle': out('dispute.settle', 'contact-buyer', ['dispute.offerSettlement', 'dispute.askWithdraw', 'dispute.upload'], null, {
    buyerMessage: 'negotiate',
  }),
  'dispute.concede': out('dispute.concede', 'approve', ['dispute.concede', 'confirmSuccess'], ['SUCCESS', 'WAIT_BUYER_RETURN_GOODS']),

  // Postage only
  'postage.transfer': out('postage.transfer', 'refund-postage', ['postage.agree', 'postage.transfer', 'postage.askClose', 'postage.confirmClosed'], CLOSED, {
    buyerMessage: 'postage-transfer',
    needs: { amount: true },
  }),
  'postage.discuss': out('postage.discuss', 'contact-buyer', ['postage.discuss', 'beforeDeadline'], null, {
    buyerMessage: 'negotiate',
  }),

  // Flagged buyers (buyerFlags.ts): keep the evidence for an appeal (申诉); a request long after
  // receipt gets the polite "the period has passed" reply.
  'buyer.collectEvidence': out('buyer.collectEvidence', 'wait', ['evidence.collect', 'buyer.evidencePack', 'buyer.appeal', 'beforeDeadline'], null),
  'buyer.periodPassed': out('buyer.periodPassed', 'contact-buyer', ['buyer.periodPassed', 'waiting.keepChat', 'beforeDeadline'], null, {
    buyerMessage: 'period-passed',
  }),

  // Finished: nothing to do. Not meant to be recorded (validateDecision rejects it).
  'finished.none': out('finished.none', 'wait', ['finished.nothing'], null),
} satisfies Record<string, Outcome>;

export type OutcomeId = keyof typeof OUTCOMES;
const O = OUTCOMES;

const QUESTIONS: Question[] = [
  // Not shipped: refusal is impossible.
  q('unshipped.actuallyShipped', [
    { value: 'refund', next: O['unshipped.approve'] },
    { value: 'yes', next: O['unshipped.markShipped'] },
    { value: 'no', next: 'unshipped.keepSale' },
  ], ['noRefuseUnshipped']),
  q('unshipped.keepSale', [
    { value: 'yes', next: 'unshipped.buyerAgreed' },
    { value: 'no', next: O['unshipped.approve'] },
  ]),
  q('unshipped.buyerAgreed', [
    { value: 'agreed', next: O['unshipped.shipWithConsent'] },
    { value: 'not-yet', next: O['unshipped.contactKeepSale'] },
    { value: 'refused', next: O['unshipped.approve'] },
  ], ['noForcedShipping']),

  // Shipped, refund only.
  q('shippedOnly.tracking', [
    { value: 'in-transit', next: 'shippedOnly.inTransit' },
    { value: 'delivered', next: 'shippedOnly.delivered' },
    { value: 'lost', next: O['shippedOnly.approveLost'] },
    { value: 'returned', next: O['shippedOnly.approveReturned'] },
  ], ['checkTracking']),
  q('shippedOnly.inTransit', [
    { value: 'intercept', next: O['shippedOnly.intercept'] },
    { value: 'approve', next: O['shippedOnly.approveInTransit'] },
  ]),
  q('shippedOnly.delivered', [
    { value: 'not-received', next: 'shippedOnly.proof' },
    { value: 'received-problem', next: 'shippedOnly.received' },
  ]),
  q('shippedOnly.proof', [
    { value: 'signed', next: O['shippedOnly.refuseSigned'], showIf: 'refusable' },
    { value: 'no-proof', next: O['shippedOnly.checkDelivery'] },
    { value: 'collect-evidence', next: O['buyer.collectEvidence'], showIf: 'buyerFlagged' },
  ], ['refuseOnlyWithEvidence']),
  q('shippedOnly.received', [
    { value: 'partial', next: O['shippedOnly.partial'] },
    { value: 'ask-return', next: O['shippedOnly.askReturn'] },
    { value: 'approve', next: O['shippedOnly.approveReceived'] },
    { value: 'period-passed', next: O['buyer.periodPassed'], showIf: 'periodPassed' },
    { value: 'collect-evidence', next: O['buyer.collectEvidence'], showIf: 'buyerFlagged' },
  ]),

  // Return + refund.
  q('return.reason', [
    { value: 'buyer', next: 'return.buyerSide' },
    { value: 'merchant', next: 'return.merchantSide' },
  ]),
  q('return.buyerSide', [
    { value: 'approve-return', next: O['return.approveBuyerPays'] },
    { value: 'excessive', next: 'return.excessive', showIf: 'refusable' },
    { value: 'period-passed', next: O['buyer.periodPassed'], showIf: 'periodPassed' },
    { value: 'collect-evidence', next: O['buyer.collectEvidence'], showIf: 'buyerFlagged' },
  ], ['sevenDayNoRefuse']),
  q('return.merchantSide', [
    { value: 'approve-return', next: O['return.approveSellerPays'] },
    { value: 'partial', next: O['return.partialNoReturn'] },
    { value: 'resend', next: O['return.resend'] },
    { value: 'excessive', next: 'return.excessive', showIf: 'refusable' },
    { value: 'period-passed', next: O['buyer.periodPassed'], showIf: 'periodPassed' },
    { value: 'collect-evidence', next: O['buyer.collectEvidence'], showIf: 'buyerFlagged' },
  ]),
  q('return.excessive', [
    { value: 'evidence', next: O['return.refuseExcessive'] },
    { value: 'no-evidence', next: O['return.negotiate'] },
  ], ['refuseOnlyWithEvidence']),

  // Orange: the buyer returned the goods.
  q('orange.received', [
    { value: 'yes', next: 'orange.condition' },
    { value: 'no', next: 'orange.notReceived' },
  ], ['orangeDeadline']),
  q('orange.notReceived', [
    { value: 'in-transit', next: O['orange.waitInTransit'] },
    { value: 'delivered', next: O['orange.findParcel'] },
    { value: 'no-tracking', next: O['orange.askWaybill'] },
  ]),
  q('orange.condition', [
    { value: 'ok', next: O['orange.approve'] },
    { value: 'wrong-item', next: O['orange.refuseWrongItem'] },
    { value: 'damaged', next: 'orange.damaged' },
    { value: 'empty', next: O['orange.refuseEmpty'] },
  ]),
  q('orange.damaged', [
    { value: 'propose', next: O['orange.negotiateDamage'] },
    { value: 'agreed', next: O['orange.partial'] },
    { value: 'no-agreement', next: O['orange.refuseDamaged'] },
    { value: 'accept', next: O['orange.approveDamaged'] },
  ]),

  // Waiting on the buyer (return not sent / seller refused).
  q('waiting.choice', [
    { value: 'remind', next: O['waiting.remindWaybill'], showIf: 'awaitingReturn' },
    { value: 'negotiate', next: O['waiting.negotiate'], showIf: 'sellerRefused' },
    { value: 'evidence', next: O['waiting.prepareEvidence'] },
    { value: 'wait', next: O['waiting.wait'] },
  ], ['buyerDeadline']),

  // Dispute.
  q('dispute.choice', [
    { value: 'submit-evidence', next: O['dispute.submitEvidence'] },
    { value: 'settle', next: O['dispute.settle'] },
    { value: 'concede', next: O['dispute.concede'] },
    { value: 'collect-evidence', next: O['buyer.collectEvidence'], showIf: 'buyerFlagged' },
  ], ['evidenceDeadline']),

  // Postage only.
  q('postage.pay', [
    { value: 'pay', next: O['postage.transfer'] },
    { value: 'discuss', next: O['postage.discuss'] },
  ], ['postageDirect']),

  // Unknown state: ask what the data could not tell.
  q('unknown.status', [
    { value: 'seller-agree', next: 'unknown.shipped' },
    { value: 'buyer-return', next: 'waiting.choice' },
    { value: 'seller-confirm', next: 'orange.received' },
    { value: 'seller-refused', next: 'waiting.choice' },
    { value: 'dispute', next: 'dispute.choice' },
    { value: 'finished', next: O['finished.none'] },
  ], ['checkBackend']),
  q('unknown.shipped', [
    { value: 'yes', next: 'unknown.returnRequested' },
    { value: 'no', next: 'unshipped.actuallyShipped' },
  ]),
  q('unknown.returnRequested', [
    { value: 'yes', next: 'return.reason' },
    { value: 'no', next: 'shippedOnly.tracking' },
  ]),
];

/** Every question of the tree, by id. */
export const TREE: Readonly<Record<string, Question>> = Object.fromEntries(QUESTIONS.map((x) => [x.id, x]));

export const QUESTION_IDS: readonly string[] = QUESTIONS.map((x) => x.id);

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

// ---------------------------------------------------------------------------------------------
// Amount threshold

export const GIVE_AWAY_ACTIONS: readonly DecisionAction[] = ['approve', 'approve-return', 'partial', 'refund-postage'];

/** True when `amountCents` is above the shop's threshold and the agent is not a supervisor. */
export function needsSupervisor(
  ctx: Pick<CaseContext, 'agent' | 'amountThresholdCents'>,
  action: DecisionAction,
  amountCents: number,
): boolean {
  return (
    GIVE_AWAY_ACTIONS.includes(action) &&
    ctx.amountThresholdCents !== null &&
    amountCents > ctx.amountThresholdCents &&
    !ctx.agent.isSupervisor
  );
}

/**
 * Above ctx.amountThresholdCents a give-away outcome (approve, approve-return, partial,
 * refund-postage) becomes `escalate`, keeping the proposal, unless the agent is a supervisor.
 * `amountCents` defaults to the requested refund amount (an upper bound for partial). Idempotent.
 */
export function applyThreshold(outcome: Outcome, ctx: CaseContext, amountCents: number = ctx.refund.amountCents): Outcome {
  if (!needsSupervisor(ctx, outcome.action, amountCents)) return outcome;
  return {
    kind: 'outcome',
    id: `escalate:${outcome.id}`,
    action: 'escalate',
    titleKey: ESCALATE.titleKey,
    checklistKeys: [...ESCALATE.checklistKeys],
    buyerMessage: 'checking',
    expectedStatus: null,
    needs: {},
    proposed: outcome,
    noteKey: ESCALATE.noteKey,
  };
}

const ESCALATE = {
  titleKey: 'triage.outcome.escalate',
  checklistKeys: ['triage.check.escalate.tellSupervisor', 'triage.check.escalate.beforeDeadline'],
  noteKey: 'triage.escalate.note',
} as const;

// ---------------------------------------------------------------------------------------------
// Rendering helpers (the caller brings the translator, so this module stays free of the UI)

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
