// The decision tree (see ../decisionTree.ts): its questions and outcomes, as data.
import type { DecisionAction, RefundStatus } from '../types.js';
import type { BuyerMessageId } from '../buyerMessages.js';
import type { CaseCondition, Option, Outcome, OutcomeNeeds, Question } from './shapes.js';

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

export const QUESTIONS: Question[] = [
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
