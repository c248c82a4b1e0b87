import { describe, expect, it } from 'vitest';
import type { Decision, Order, Refund, WarehouseReceipt } from '../../src/domain/types.js';
import {
  OUTCOMES,
  QUESTION_IDS,
  TREE,
  applyThreshold,
  autoAnswer,
  caseHints,
  classifyCase,
  describeOutcome,
  firstQuestion,
  formatYuan,
  isOutcome,
  nextStep,
  reasonBucket,
  returnRequested,
  shippedState,
  stepParams,
  treeMessageKeys,
  walk,
  type CaseBranch,
  type CaseContext,
  type Outcome,
  type Question,
  type Translate,
} from '../../src/domain/decisionTree.js';
import { BUYER_MESSAGE_IDS, codePointLength, renderBuyerMessage } from '../../src/domain/buyerMessages.js';
import { validateDecision, violationMessageKeys } from '../../src/domain/decisionRules.js';
import { triageMessages as coreTriageMessages } from '../../src/ui/messages/triage.js';
import { buyerMessages } from '../../src/ui/messages/buyer.js';

// The tree's texts: the triage catalog, and the buyer-flag options of the buyer catalog.
const buyerTriage = (lang: 'en' | 'zh') => Object.fromEntries(Object.entries(buyerMessages[lang]).filter(([k]) => k.startsWith('triage.')));
const triageMessages = {
  en: { ...coreTriageMessages.en, ...buyerTriage('en') },
  zh: { ...coreTriageMessages.zh, ...buyerTriage('zh') },
};

const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const HOUR = 3_600_000;

function mkRefund(over: Partial<Refund> = {}): Refund {
  return {
    refundId: 'R1',
    orderId: 'O1',
    platform: 'taobao',
    status: 'WAIT_SELLER_AGREE',
    statusText: '买家已经申请退款，等待卖家同意',
    amountCents: 5990,
    paidCents: 5990,
    appliedAt: '2025-04-20T10:00:00+08:00',
    exportDeadline: null,
    refundType: null,
    returnRequired: null,
    goodsStatus: null,
    shipped: null,
    phase: '售中',
    disputeState: 'none',
    disputeText: null,
    evidenceDeadline: null,
    buyerNick: 'buyer_nick_SECRET',
    itemTitle: '纯棉T恤',
    sku: 'SKU1',
    reason: null,
    buyerNote: 'BUYER-NOTE-SECRET =HYPERLINK("x") \u001b[31m',
    returnWaybill: null,
    returnCarrier: null,
    returnedAt: null,
    finishedAt: null,
    sellerNote: null,
    statusSince: '2025-04-20T10:00:00+08:00',
    firstSeenAt: '2025-04-20T10:00:00+08:00',
    ...over,
  };
}

function mkOrder(over: Partial<Order> = {}): Order {
  return {
    orderId: 'O1',
    platform: 'taobao',
    buyerNick: 'buyer_nick_SECRET',
    statusText: '卖家已发货，等待买家确认',
    status: 'WAIT_BUYER_CONFIRM_GOODS',
    paidCents: 5990,
    postageCents: 0,
    createdAt: null,
    paidAt: null,
    shipped: true,
    waybill: 'YT1234567890',
    carrier: '圆通速递',
    receiverName: null,
    address: null,
    phone: null,
    buyerMessage: null,
    itemTitle: null,
    quantity: 1,
    shopName: null,
    closeReason: null,
    ...over,
  };
}

function mkReceipt(condition: WarehouseReceipt['condition']): WarehouseReceipt {
  return {
    id: 1,
    waybill: 'SF100',
    carrier: '顺丰',
    receivedAt: '2025-04-21T08:00:00+08:00',
    sku: 'SKU1',
    quantity: 1,
    condition,
    inspector: '仓库小王',
    note: null,
  };
}

interface CtxSpec {
  refund?: Partial<Refund>;
  order?: Partial<Order> | null;
  receipt?: WarehouseReceipt | null;
  decisions?: Decision[];
  deadlineAt?: number | null;
  platformIsTmall?: boolean;
  supervisor?: boolean;
  threshold?: number | null;
  buyerFlags?: { id: string; why: string }[];
}

function mkCtx(spec: CtxSpec = {}): CaseContext {
  return {
    refund: mkRefund(spec.refund),
    order: spec.order === null ? null : mkOrder(spec.order ?? {}),
    receipt: spec.receipt ?? null,
    decisions: spec.decisions ?? [],
    deadlineAt: spec.deadlineAt === undefined ? NOW + 30 * HOUR : spec.deadlineAt,
    nowMs: NOW,
    platformIsTmall: spec.platformIsTmall ?? false,
    agent: { name: 'alice', isSupervisor: spec.supervisor ?? false },
    amountThresholdCents: spec.threshold === undefined ? null : spec.threshold,
    buyerFlags: spec.buyerFlags ?? [],
  };
}

// Case shapes.
const UNSHIPPED: CtxSpec = { order: { shipped: false, status: 'WAIT_SELLER_SEND_GOODS', statusText: '买家已付款，等待卖家发货' } };
const REFUND_ONLY: CtxSpec = { refund: { refundType: 'refund_only', returnRequired: false } };
const returnSpec = (reason: string | null): CtxSpec => ({ refund: { refundType: 'return_refund', returnRequired: true, reason } });
const ORANGE: CtxSpec = {
  refund: {
    status: 'WAIT_SELLER_CONFIRM_GOODS',
    statusText: '买家已经退货，等待卖家确认收货',
    refundType: 'return_refund',
    returnRequired: true,
    reason: '七天无理由退换货',
    returnWaybill: 'SF100',
    returnCarrier: '顺丰',
  },
};
const orangeWith = (condition: WarehouseReceipt['condition']): CtxSpec => ({ ...ORANGE, receipt: mkReceipt(condition) });
const AWAIT_RETURN: CtxSpec = { refund: { status: 'WAIT_BUYER_RETURN_GOODS', refundType: 'return_refund' } };
const SELLER_REFUSED: CtxSpec = { refund: { status: 'SELLER_REFUSE_BUYER', refundType: 'refund_only' } };
const DISPUTE: CtxSpec = {
  refund: { disputeState: 'in_progress', evidenceDeadline: '2025-04-23T18:00:00+08:00', refundType: 'refund_only' },
};
const POSTAGE: CtxSpec = { refund: { reason: '退运费', amountCents: 1200 } };
const NO_ORDER_UNKNOWN_SHIPPED: CtxSpec = { order: null };
const UNKNOWN_STATUS: CtxSpec = { order: null, refund: { status: 'UNKNOWN', statusText: '退款处理中???' } };

interface Row {
  name: string;
  spec: CtxSpec;
  branch: CaseBranch;
  answers: string[];
  outcome: keyof typeof OUTCOMES;
  action: Outcome['action'];
  checklist: string[];
  expectedStatus: Outcome['expectedStatus'];
  /** Questions the agent is asked, in order (auto-answered ones excluded). */
  asked: string[];
}

const REFUSE_TAIL = ['refuse.beforeDeadline', 'refuse.writeReason', 'refuse.uploadProof', 'refuse.negotiate', 'refuse.watchDispute'];

const ROWS: Row[] = [
  // ---- not shipped
  {
    name: 'unshipped, actually shipped but not marked → mark shipped, tell buyer',
    spec: UNSHIPPED, branch: 'unshipped-refund', answers: ['yes'],
    outcome: 'unshipped.markShipped', action: 'mark-shipped',
    checklist: ['tellBuyerShipped', 'markShipped', 'confirmClosed'], expectedStatus: ['CLOSED'],
    asked: ['unshipped.actuallyShipped'],
  },
  {
    name: 'unshipped, keep the sale, buyer agreed → ship with consent',
    spec: UNSHIPPED, branch: 'unshipped-refund', answers: ['no', 'yes', 'agreed'],
    outcome: 'unshipped.shipWithConsent', action: 'mark-shipped',
    checklist: ['keepSale.saveChat', 'markShipped', 'confirmClosed'], expectedStatus: ['CLOSED'],
    asked: ['unshipped.actuallyShipped', 'unshipped.keepSale', 'unshipped.buyerAgreed'],
  },
  {
    name: 'unshipped, keep the sale, not asked yet → contact buyer',
    spec: UNSHIPPED, branch: 'unshipped-refund', answers: ['no', 'yes', 'not-yet'],
    outcome: 'unshipped.contactKeepSale', action: 'contact-buyer',
    checklist: ['keepSale.contact', 'keepSale.shipOnlyWithConsent', 'keepSale.saveChat', 'keepSale.approveIfNo'], expectedStatus: null,
    asked: ['unshipped.actuallyShipped', 'unshipped.keepSale', 'unshipped.buyerAgreed'],
  },
  {
    name: 'unshipped, keep the sale, buyer refuses → approve',
    spec: UNSHIPPED, branch: 'unshipped-refund', answers: ['no', 'yes', 'refused'],
    outcome: 'unshipped.approve', action: 'approve',
    checklist: ['approve', 'doNotShip', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unshipped.actuallyShipped', 'unshipped.keepSale', 'unshipped.buyerAgreed'],
  },
  {
    name: 'unshipped, otherwise → approve',
    spec: UNSHIPPED, branch: 'unshipped-refund', answers: ['no', 'no'],
    outcome: 'unshipped.approve', action: 'approve',
    checklist: ['approve', 'doNotShip', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unshipped.actuallyShipped', 'unshipped.keepSale'],
  },
  {
    name: 'unshipped from the order status text alone (shipped flag unknown)',
    spec: { order: { shipped: null, status: null, statusText: '买家已付款,等待卖家发货' }, refund: { shipped: true } },
    branch: 'unshipped-refund', answers: ['no', 'no'],
    outcome: 'unshipped.approve', action: 'approve',
    checklist: ['approve', 'doNotShip', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unshipped.actuallyShipped', 'unshipped.keepSale'],
  },
  // ---- shipped, refund only
  {
    name: 'refund only, in transit, intercept → contact buyer',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['in-transit', 'intercept'],
    outcome: 'shippedOnly.intercept', action: 'contact-buyer',
    checklist: ['intercept.carrier', 'intercept.tellBuyer', 'intercept.approveWhenBack'], expectedStatus: null,
    asked: ['shippedOnly.tracking', 'shippedOnly.inTransit'],
  },
  {
    name: 'refund only, in transit, approve now → approve, buyer refuses delivery',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['in-transit', 'approve'],
    outcome: 'shippedOnly.approveInTransit', action: 'approve',
    checklist: ['approve', 'askBuyerRejectDelivery', 'warehouseExpectParcel', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.tracking', 'shippedOnly.inTransit'],
  },
  {
    name: 'refund only, lost → approve',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['lost'],
    outcome: 'shippedOnly.approveLost', action: 'approve',
    checklist: ['approve', 'claimCarrier', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.tracking'],
  },
  {
    name: 'refund only, parcel coming back → approve',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['returned'],
    outcome: 'shippedOnly.approveReturned', action: 'approve',
    checklist: ['warehouseExpectParcel', 'approve', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.tracking'],
  },
  {
    name: 'refund only, delivered, not received, signed receipt → refuse with evidence',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['delivered', 'not-received', 'signed'],
    outcome: 'shippedOnly.refuseSigned', action: 'refuse',
    checklist: ['refuse.collectSignedProof', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['shippedOnly.tracking', 'shippedOnly.delivered', 'shippedOnly.proof'],
  },
  {
    name: 'refund only, delivered, not received, no proof → check delivery',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['delivered', 'not-received', 'no-proof'],
    outcome: 'shippedOnly.checkDelivery', action: 'contact-buyer',
    checklist: ['askCarrierProof', 'askBuyerCheckLocker', 'approveIfNoProof'], expectedStatus: null,
    asked: ['shippedOnly.tracking', 'shippedOnly.delivered', 'shippedOnly.proof'],
  },
  {
    name: 'refund only, received with a problem → partial',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['delivered', 'received-problem', 'partial'],
    outcome: 'shippedOnly.partial', action: 'partial',
    checklist: ['partial.agreeAmount', 'partial.noReturn', 'partial.buyerModifies', 'partial.approveModified'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.tracking', 'shippedOnly.delivered', 'shippedOnly.received'],
  },
  {
    name: 'refund only, received with a problem → ask for a return',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['delivered', 'received-problem', 'ask-return'],
    outcome: 'shippedOnly.askReturn', action: 'contact-buyer',
    checklist: ['askReturnInstead', 'beforeDeadline'], expectedStatus: null,
    asked: ['shippedOnly.tracking', 'shippedOnly.delivered', 'shippedOnly.received'],
  },
  {
    name: 'refund only, received with a problem → approve in full',
    spec: REFUND_ONLY, branch: 'shipped-refund-only', answers: ['delivered', 'received-problem', 'approve'],
    outcome: 'shippedOnly.approveReceived', action: 'approve',
    checklist: ['approve', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.tracking', 'shippedOnly.delivered', 'shippedOnly.received'],
  },
  {
    name: 'refund only, goods status 买家已收到货 skips tracking and the buyer question',
    spec: { refund: { refundType: 'refund_only', goodsStatus: '买家已收到货' } }, branch: 'shipped-refund-only', answers: ['partial'],
    outcome: 'shippedOnly.partial', action: 'partial',
    checklist: ['partial.agreeAmount', 'partial.noReturn', 'partial.buyerModifies', 'partial.approveModified'], expectedStatus: ['SUCCESS'],
    asked: ['shippedOnly.received'],
  },
  {
    name: 'refund only, goods status 买家未收到货, tracking delivered → straight to the proof question',
    spec: { refund: { refundType: 'refund_only', goodsStatus: '买家未收到货' } }, branch: 'shipped-refund-only', answers: ['delivered', 'signed'],
    outcome: 'shippedOnly.refuseSigned', action: 'refuse',
    checklist: ['refuse.collectSignedProof', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['shippedOnly.tracking', 'shippedOnly.proof'],
  },
  // ---- return + refund
  {
    name: 'return, 七天无理由 → approve return, buyer pays postage',
    spec: returnSpec('七天无理由退换货'), branch: 'return-refund', answers: ['approve-return'],
    outcome: 'return.approveBuyerPays', action: 'approve-return',
    checklist: ['return.agree', 'return.address', 'return.buyerPaysPostage', 'askWaybill', 'return.tellWarehouse'], expectedStatus: ['WAIT_BUYER_RETURN_GOODS'],
    asked: ['return.buyerSide'],
  },
  {
    name: 'return, 不想要, excessive demand with evidence → refuse',
    spec: returnSpec('多拍/拍错/不想要'), branch: 'return-refund', answers: ['excessive', 'evidence'],
    outcome: 'return.refuseExcessive', action: 'refuse',
    checklist: ['refuse.collectEvidence', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['return.buyerSide', 'return.excessive'],
  },
  {
    name: 'return, 不想要, excessive demand without evidence → negotiate',
    spec: returnSpec('不想要了'), branch: 'return-refund', answers: ['excessive', 'no-evidence'],
    outcome: 'return.negotiate', action: 'contact-buyer',
    checklist: ['negotiate.offer', 'approveBeforeDeadline'], expectedStatus: null,
    asked: ['return.buyerSide', 'return.excessive'],
  },
  {
    name: 'return, 破损 → approve return, we pay postage',
    spec: returnSpec('收到商品破损'), branch: 'return-refund', answers: ['approve-return'],
    outcome: 'return.approveSellerPays', action: 'approve-return',
    checklist: ['return.agree', 'return.address', 'return.sellerPaysPostage', 'askWaybill', 'return.tellWarehouse'], expectedStatus: ['WAIT_BUYER_RETURN_GOODS'],
    asked: ['return.merchantSide'],
  },
  {
    name: 'return, 描述不符 → partial without return',
    spec: returnSpec('收到商品与描述不符'), branch: 'return-refund', answers: ['partial'],
    outcome: 'return.partialNoReturn', action: 'partial',
    checklist: ['partial.agreeAmount', 'partial.noReturn', 'partial.buyerModifies', 'partial.approveModified'], expectedStatus: ['SUCCESS'],
    asked: ['return.merchantSide'],
  },
  {
    name: 'return, 漏发 → offer to resend',
    spec: returnSpec('少件/漏发'), branch: 'return-refund', answers: ['resend'],
    outcome: 'return.resend', action: 'contact-buyer',
    checklist: ['resend.offer', 'resend.ship', 'resend.askCancel', 'beforeDeadline'], expectedStatus: null,
    asked: ['return.merchantSide'],
  },
  {
    name: 'return, 质量问题 claimed, strong evidence against → refuse',
    spec: returnSpec('质量问题'), branch: 'return-refund', answers: ['excessive', 'evidence'],
    outcome: 'return.refuseExcessive', action: 'refuse',
    checklist: ['refuse.collectEvidence', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['return.merchantSide', 'return.excessive'],
  },
  {
    name: 'return, unknown reason → the agent says whose side',
    spec: returnSpec('其他'), branch: 'return-refund', answers: ['merchant', 'approve-return'],
    outcome: 'return.approveSellerPays', action: 'approve-return',
    checklist: ['return.agree', 'return.address', 'return.sellerPaysPostage', 'askWaybill', 'return.tellWarehouse'], expectedStatus: ['WAIT_BUYER_RETURN_GOODS'],
    asked: ['return.reason', 'return.merchantSide'],
  },
  {
    name: 'return, no reason at all, buyer side',
    spec: returnSpec(null), branch: 'return-refund', answers: ['buyer', 'approve-return'],
    outcome: 'return.approveBuyerPays', action: 'approve-return',
    checklist: ['return.agree', 'return.address', 'return.buyerPaysPostage', 'askWaybill', 'return.tellWarehouse'], expectedStatus: ['WAIT_BUYER_RETURN_GOODS'],
    asked: ['return.reason', 'return.buyerSide'],
  },
  // ---- orange
  {
    name: 'orange, not received, in transit → wait, note the deadline',
    spec: ORANGE, branch: 'orange', answers: ['no', 'in-transit'],
    outcome: 'orange.waitInTransit', action: 'wait',
    checklist: ['orange.trackWaybill', 'orange.tellWarehouse', 'orange.noteDeadline'], expectedStatus: null,
    asked: ['orange.received', 'orange.notReceived'],
  },
  {
    name: 'orange, delivered but not registered → have the warehouse find it',
    spec: ORANGE, branch: 'orange', answers: ['no', 'delivered'],
    outcome: 'orange.findParcel', action: 'wait',
    checklist: ['orange.askWarehouseFind', 'orange.noteDeadline'], expectedStatus: null,
    asked: ['orange.received', 'orange.notReceived'],
  },
  {
    name: 'orange, no tracking → ask the buyer for the waybill',
    spec: ORANGE, branch: 'orange', answers: ['no', 'no-tracking'],
    outcome: 'orange.askWaybill', action: 'contact-buyer',
    checklist: ['askWaybill', 'orange.noteDeadline'], expectedStatus: null,
    asked: ['orange.received', 'orange.notReceived'],
  },
  {
    name: 'orange, received (agent says), fine → approve now',
    spec: ORANGE, branch: 'orange', answers: ['yes', 'ok'],
    outcome: 'orange.approve', action: 'approve',
    checklist: ['orange.confirmReceipt', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['orange.received', 'orange.condition'],
  },
  {
    name: 'orange, received (agent says), empty parcel → refuse',
    spec: ORANGE, branch: 'orange', answers: ['yes', 'empty'],
    outcome: 'orange.refuseEmpty', action: 'refuse',
    checklist: ['orange.photoEmpty', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['orange.received', 'orange.condition'],
  },
  {
    name: 'orange, warehouse receipt ok → approve without a question',
    spec: orangeWith('ok'), branch: 'orange', answers: [],
    outcome: 'orange.approve', action: 'approve',
    checklist: ['orange.confirmReceipt', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: [],
  },
  {
    name: 'orange, receipt wrong item → refuse and send back (even for 七天无理由)',
    spec: orangeWith('wrong-item'), branch: 'orange', answers: [],
    outcome: 'orange.refuseWrongItem', action: 'refuse',
    checklist: ['orange.photoWrongItem', 'orange.sendBack', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: [],
  },
  {
    name: 'orange, receipt empty → refuse',
    spec: orangeWith('empty'), branch: 'orange', answers: [],
    outcome: 'orange.refuseEmpty', action: 'refuse',
    checklist: ['orange.photoEmpty', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: [],
  },
  {
    name: 'orange, damaged, not discussed → propose partial',
    spec: orangeWith('damaged'), branch: 'orange', answers: ['propose'],
    outcome: 'orange.negotiateDamage', action: 'contact-buyer',
    checklist: ['orange.photoDamage', 'orange.proposePartial', 'orange.noteDeadline'], expectedStatus: null,
    asked: ['orange.damaged'],
  },
  {
    name: 'orange, damaged, partial agreed → partial',
    spec: orangeWith('damaged'), branch: 'orange', answers: ['agreed'],
    outcome: 'orange.partial', action: 'partial',
    checklist: ['orange.photoDamage', 'partial.agreeAmount', 'partial.buyerModifies', 'partial.approveModified'], expectedStatus: ['SUCCESS'],
    asked: ['orange.damaged'],
  },
  {
    name: 'orange, damaged, no agreement → refuse with photos',
    spec: orangeWith('damaged'), branch: 'orange', answers: ['no-agreement'],
    outcome: 'orange.refuseDamaged', action: 'refuse',
    checklist: ['orange.photoDamage', ...REFUSE_TAIL], expectedStatus: ['SELLER_REFUSE_BUYER'],
    asked: ['orange.damaged'],
  },
  {
    name: 'orange, damaged, accept anyway → approve',
    spec: orangeWith('damaged'), branch: 'orange', answers: ['accept'],
    outcome: 'orange.approveDamaged', action: 'approve',
    checklist: ['orange.photoDamage', 'orange.confirmReceipt', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['orange.damaged'],
  },
  // ---- waiting on the buyer
  {
    name: 'awaiting return → remind waybill number and carrier',
    spec: AWAIT_RETURN, branch: 'waiting-buyer', answers: ['remind'],
    outcome: 'waiting.remindWaybill', action: 'contact-buyer',
    checklist: ['askWaybill', 'waiting.noteBuyerDeadline'], expectedStatus: null,
    asked: ['waiting.choice'],
  },
  {
    name: 'awaiting return → wait',
    spec: AWAIT_RETURN, branch: 'waiting-buyer', answers: ['wait'],
    outcome: 'waiting.wait', action: 'wait',
    checklist: ['waiting.noteBuyerDeadline', 'waiting.recheck'], expectedStatus: null,
    asked: ['waiting.choice'],
  },
  {
    name: 'seller refused → prepare evidence for 客服介入',
    spec: SELLER_REFUSED, branch: 'waiting-buyer', answers: ['evidence'],
    outcome: 'waiting.prepareEvidence', action: 'wait',
    checklist: ['evidence.collect', 'waiting.keepChat', 'waiting.watchDispute'], expectedStatus: null,
    asked: ['waiting.choice'],
  },
  {
    name: 'seller refused → negotiate',
    spec: SELLER_REFUSED, branch: 'waiting-buyer', answers: ['negotiate'],
    outcome: 'waiting.negotiate', action: 'contact-buyer',
    checklist: ['negotiate.offer', 'waiting.watchDispute'], expectedStatus: null,
    asked: ['waiting.choice'],
  },
  // ---- dispute
  {
    name: 'dispute → submit evidence',
    spec: DISPUTE, branch: 'dispute', answers: ['submit-evidence'],
    outcome: 'dispute.submitEvidence', action: 'wait',
    checklist: ['evidence.collect', 'dispute.upload', 'dispute.statement', 'dispute.watch'], expectedStatus: null,
    asked: ['dispute.choice'],
  },
  {
    name: 'dispute → settle with the buyer',
    spec: DISPUTE, branch: 'dispute', answers: ['settle'],
    outcome: 'dispute.settle', action: 'contact-buyer',
    checklist: ['dispute.offerSettlement', 'dispute.askWithdraw', 'dispute.upload'], expectedStatus: null,
    asked: ['dispute.choice'],
  },
  {
    name: 'dispute → concede',
    spec: DISPUTE, branch: 'dispute', answers: ['concede'],
    outcome: 'dispute.concede', action: 'approve',
    checklist: ['dispute.concede', 'confirmSuccess'], expectedStatus: ['SUCCESS', 'WAIT_BUYER_RETURN_GOODS'],
    asked: ['dispute.choice'],
  },
  // ---- postage only
  {
    name: 'postage only → pay by Alipay, buyer closes the request',
    spec: POSTAGE, branch: 'postage-only', answers: ['pay'],
    outcome: 'postage.transfer', action: 'refund-postage',
    checklist: ['postage.agree', 'postage.transfer', 'postage.askClose', 'postage.confirmClosed'], expectedStatus: ['CLOSED'],
    asked: ['postage.pay'],
  },
  {
    name: 'postage only → discuss first',
    spec: POSTAGE, branch: 'postage-only', answers: ['discuss'],
    outcome: 'postage.discuss', action: 'contact-buyer',
    checklist: ['postage.discuss', 'beforeDeadline'], expectedStatus: null,
    asked: ['postage.pay'],
  },
  // ---- unknown
  {
    name: 'shipped unknown → ask; not shipped → the unshipped questions',
    spec: NO_ORDER_UNKNOWN_SHIPPED, branch: 'unknown-state', answers: ['no', 'no', 'no'],
    outcome: 'unshipped.approve', action: 'approve',
    checklist: ['approve', 'doNotShip', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unknown.shipped', 'unshipped.actuallyShipped', 'unshipped.keepSale'],
  },
  {
    name: 'shipped unknown, return type known → only the shipped question is asked',
    spec: { order: null, refund: { refundType: 'return_refund', reason: '七天无理由退换货' } }, branch: 'unknown-state',
    answers: ['yes', 'approve-return'],
    outcome: 'return.approveBuyerPays', action: 'approve-return',
    checklist: ['return.agree', 'return.address', 'return.buyerPaysPostage', 'askWaybill', 'return.tellWarehouse'], expectedStatus: ['WAIT_BUYER_RETURN_GOODS'],
    asked: ['unknown.shipped', 'return.buyerSide'],
  },
  {
    name: 'shipped, return type unknown → ask it; refund only → tracking',
    spec: {}, branch: 'unknown-state', answers: ['no', 'lost'],
    outcome: 'shippedOnly.approveLost', action: 'approve',
    checklist: ['approve', 'claimCarrier', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unknown.returnRequested', 'shippedOnly.tracking'],
  },
  {
    name: 'unknown status → the agent reads the backend: orange',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['seller-confirm', 'yes', 'ok'],
    outcome: 'orange.approve', action: 'approve',
    checklist: ['orange.confirmReceipt', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unknown.status', 'orange.received', 'orange.condition'],
  },
  {
    name: 'unknown status → awaiting return',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['buyer-return', 'remind'],
    outcome: 'waiting.remindWaybill', action: 'contact-buyer',
    checklist: ['askWaybill', 'waiting.noteBuyerDeadline'], expectedStatus: null,
    asked: ['unknown.status', 'waiting.choice'],
  },
  {
    name: 'unknown status → seller refused',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['seller-refused', 'wait'],
    outcome: 'waiting.wait', action: 'wait',
    checklist: ['waiting.noteBuyerDeadline', 'waiting.recheck'], expectedStatus: null,
    asked: ['unknown.status', 'waiting.choice'],
  },
  {
    name: 'unknown status → dispute',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['dispute', 'submit-evidence'],
    outcome: 'dispute.submitEvidence', action: 'wait',
    checklist: ['evidence.collect', 'dispute.upload', 'dispute.statement', 'dispute.watch'], expectedStatus: null,
    asked: ['unknown.status', 'dispute.choice'],
  },
  {
    name: 'unknown status → waiting for the seller, shipped, refund only',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['seller-agree', 'yes', 'no', 'returned'],
    outcome: 'shippedOnly.approveReturned', action: 'approve',
    checklist: ['warehouseExpectParcel', 'approve', 'confirmSuccess'], expectedStatus: ['SUCCESS'],
    asked: ['unknown.status', 'unknown.shipped', 'unknown.returnRequested', 'shippedOnly.tracking'],
  },
  {
    name: 'unknown status → finished',
    spec: UNKNOWN_STATUS, branch: 'unknown-state', answers: ['finished'],
    outcome: 'finished.none', action: 'wait',
    checklist: ['finished.nothing'], expectedStatus: null,
    asked: ['unknown.status'],
  },
  {
    name: 'finished refund → nothing to do',
    spec: { refund: { status: 'SUCCESS', statusText: '退款成功' } }, branch: 'finished', answers: [],
    outcome: 'finished.none', action: 'wait',
    checklist: ['finished.nothing'], expectedStatus: null,
    asked: [],
  },
  // ---- flagged buyers (buyerFlags.ts): extra options, none taken away
  {
    name: 'refund only, received with a problem, buyer flagged → collect the evidence for an appeal',
    spec: { ...REFUND_ONLY, refund: { refundType: 'refund_only', returnRequired: false, goodsStatus: '买家已收到货' }, buyerFlags: [{ id: 'repeat-refund-only', why: '…' }] },
    branch: 'shipped-refund-only', answers: ['collect-evidence'],
    outcome: 'buyer.collectEvidence', action: 'wait',
    checklist: ['evidence.collect', 'buyer.evidencePack', 'buyer.appeal', 'beforeDeadline'], expectedStatus: null,
    asked: ['shippedOnly.received'],
  },
  {
    name: 'return, 七天无理由 long after receipt → the period has passed, politely',
    spec: { ...returnSpec('七天无理由退换货'), buyerFlags: [{ id: 'late-request', why: '…' }] },
    branch: 'return-refund', answers: ['period-passed'],
    outcome: 'buyer.periodPassed', action: 'contact-buyer',
    checklist: ['buyer.periodPassed', 'waiting.keepChat', 'beforeDeadline'], expectedStatus: null,
    asked: ['return.buyerSide'],
  },
];

describe('decision tree: every branch reaches its outcome', () => {
  it.each(ROWS)('$name', (row) => {
    const ctx = mkCtx(row.spec);
    expect(classifyCase(ctx)).toBe(row.branch);
    const { step, path } = walk(ctx, row.answers);
    expect(isOutcome(step)).toBe(true);
    const o = step as Outcome;
    expect(o.id).toBe(row.outcome);
    expect(o.action).toBe(row.action);
    expect(o.checklistKeys).toEqual(row.checklist.map((k) => `triage.check.${k}`));
    expect(o.expectedStatus).toEqual(row.expectedStatus);
    expect(path.filter((p) => !p.auto).map((p) => p.questionId)).toEqual(row.asked);
  });

  it.each(ROWS)('stepwise firstQuestion/nextStep agrees with walk: $name', (row) => {
    const ctx = mkCtx(row.spec);
    let step = firstQuestion(ctx);
    for (const answer of row.answers) {
      expect(isOutcome(step)).toBe(false);
      const qn = step as Question;
      expect(qn.options.map((o) => o.value)).toContain(answer);
      step = nextStep(ctx, qn.id, answer);
    }
    expect(isOutcome(step) && step.id).toBe(row.outcome);
  });

  it('reaches every outcome and asks every question somewhere in the table', () => {
    const reached = new Set(ROWS.map((r) => r.outcome));
    expect(Object.keys(OUTCOMES).filter((id) => !reached.has(id as keyof typeof OUTCOMES))).toEqual([]);
    const asked = new Set(ROWS.flatMap((r) => r.asked));
    expect(QUESTION_IDS.filter((id) => !asked.has(id))).toEqual([]);
  });

  it('the tree never proposes what the rules reject (given the inputs it asks for)', () => {
    for (const row of ROWS.filter((r) => r.outcome !== 'finished.none')) {
      for (const tmall of [false, true]) {
        const ctx = mkCtx({ ...row.spec, platformIsTmall: tmall });
        const o = walk(ctx, row.answers).step as Outcome;
        const v = validateDecision(
          {
            action: o.action,
            amountCents: o.needs.amount ? Math.floor(ctx.refund.amountCents / 2) : undefined,
            note: o.needs.note || o.action === 'refuse' ? '签收记录显示已由买家本人签收' : undefined,
            evidence: o.needs.evidence || o.action === 'refuse' ? ['https://img.example.com/proof.jpg'] : undefined,
          },
          ctx,
        );
        expect({ row: row.name, tmall, v }).toEqual({ row: row.name, tmall, v: [] });
      }
    }
  });

  it('every option leads to an existing question or an outcome; ids are unique', () => {
    const ids = new Set<string>();
    for (const id of QUESTION_IDS) {
      expect(ids.has(id)).toBe(false);
      ids.add(id);
      const values = TREE[id].options.map((o) => o.value);
      expect(new Set(values).size).toBe(values.length);
      for (const o of TREE[id].options) {
        if (typeof o.next === 'string') expect(TREE[o.next], `${id} → ${o.next}`).toBeDefined();
        else expect(o.next.kind).toBe('outcome');
      }
    }
  });
});

describe('asks only what matters', () => {
  it('never asks "shipped?" when the order is known unshipped or shipped', () => {
    for (const spec of [UNSHIPPED, REFUND_ONLY, returnSpec('质量问题')]) {
      const q = firstQuestion(mkCtx(spec)) as Question;
      expect(q.id).not.toBe('unknown.shipped');
    }
  });

  it('七天无理由 offers no way to refuse', () => {
    const q = firstQuestion(mkCtx(returnSpec('七天无理由退换货'))) as Question;
    expect(q.id).toBe('return.buyerSide');
    expect(q.options.map((o) => o.value)).toEqual(['approve-return']);
    expect(() => nextStep(mkCtx(returnSpec('七天无理由退换货')), 'return.buyerSide', 'excessive')).toThrow(RangeError);
  });

  it('waiting-buyer shows remind only while awaiting the return, negotiate only after a refusal', () => {
    expect((firstQuestion(mkCtx(AWAIT_RETURN)) as Question).options.map((o) => o.value)).toEqual(['remind', 'evidence', 'wait']);
    expect((firstQuestion(mkCtx(SELLER_REFUSED)) as Question).options.map((o) => o.value)).toEqual(['negotiate', 'evidence', 'wait']);
  });

  it('uses the warehouse receipt instead of asking, and reports the auto answers', () => {
    const ctx = mkCtx(orangeWith('damaged'));
    const { step, path } = walk(ctx, []);
    expect((step as Question).id).toBe('orange.damaged');
    expect(path).toEqual([
      { questionId: 'orange.received', answer: 'yes', auto: true },
      { questionId: 'orange.condition', answer: 'damaged', auto: true },
    ]);
    expect(autoAnswer(ctx, 'orange.received')).toBe('yes');
    expect(autoAnswer(mkCtx(ORANGE), 'orange.received')).toBeUndefined();
  });

  it('hides the refusal for 七天无理由 in refund-only cases too', () => {
    const ctx = mkCtx({ refund: { reason: '七天无理由退换货', refundType: 'refund_only' } });
    const q = walk(ctx, ['delivered', 'not-received']).step as Question;
    expect(q.id).toBe('shippedOnly.proof');
    expect(q.options.map((o) => o.value)).toEqual(['no-proof']);
  });
});

describe('nextStep errors', () => {
  const ctx = mkCtx(UNSHIPPED);
  it('unknown question id', () => expect(() => nextStep(ctx, 'nope', 'yes')).toThrow(RangeError));
  it('answer not among the options', () => expect(() => nextStep(ctx, 'unshipped.actuallyShipped', 'maybe')).toThrow(RangeError));
  it('too many answers', () => expect(() => walk(ctx, ['yes', 'yes'])).toThrow(RangeError));
  it('returns the next question', () => expect((nextStep(ctx, 'unshipped.actuallyShipped', 'no') as Question).id).toBe('unshipped.keepSale'));
});

describe('classifyCase and the facts it reads', () => {
  it('dispute wins over the status; finished wins over everything', () => {
    expect(classifyCase(mkCtx({ ...ORANGE, refund: { ...ORANGE.refund, disputeState: 'requested' } }))).toBe('dispute');
    expect(classifyCase(mkCtx({ refund: { disputeState: 'finished', refundType: 'refund_only' } }))).toBe('shipped-refund-only');
    expect(classifyCase(mkCtx({ refund: { status: 'CLOSED', disputeState: 'in_progress' } }))).toBe('finished');
  });

  it('postage only from the reason (退运费 / 退邮费), not in the orange state', () => {
    expect(classifyCase(mkCtx({ refund: { reason: '退邮费' } }))).toBe('postage-only');
    expect(classifyCase(mkCtx({ refund: { reason: '退运费', status: 'SELLER_REFUSE_BUYER' } }))).toBe('postage-only');
    expect(classifyCase(mkCtx({ ...ORANGE, refund: { ...ORANGE.refund, reason: '退运费' } }))).toBe('orange');
  });

  it('shipped: the order wins over the refund row, then the refund row, then what the refund implies', () => {
    expect(shippedState({ refund: mkRefund({ shipped: true }), order: mkOrder({ shipped: false }) })).toBe(false);
    expect(shippedState({ refund: mkRefund({ shipped: false }), order: mkOrder({ shipped: null, status: 'TRADE_FINISHED', statusText: null }) })).toBe(true);
    expect(shippedState({ refund: mkRefund({ shipped: false }), order: null })).toBe(false);
    expect(shippedState({ refund: mkRefund({ goodsStatus: '买家已收到货' }), order: null })).toBe(true);
    expect(shippedState({ refund: mkRefund(), order: mkOrder({ shipped: null, status: null, statusText: null }) })).toBeNull();
    expect(shippedState({ refund: mkRefund({ status: 'WAIT_BUYER_RETURN_GOODS' }), order: null })).toBe(true);
  });

  it('return requested from the type, then 是否需要退货, then the goods status', () => {
    expect(returnRequested({ refund: mkRefund({ refundType: 'exchange' }) })).toBe(true);
    expect(returnRequested({ refund: mkRefund({ returnRequired: true }) })).toBe(true);
    expect(returnRequested({ refund: mkRefund({ goodsStatus: '买家未收到货' }) })).toBe(false);
    expect(returnRequested({ refund: mkRefund() })).toBeNull();
  });

  it.each([
    ['七天无理由退换货', 'buyer'],
    ['7天无理由', 'buyer'],
    ['多拍/拍错/不想要', 'buyer'],
    ['不喜欢/效果不好', 'buyer'],
    ['质量问题', 'merchant'],
    ['收到商品与描述不符', 'merchant'],
    ['收到商品破损', 'merchant'],
    ['少件/漏发', 'merchant'],
    ['商家发错货', 'merchant'],
    ['未按约定时间发货', 'merchant'],
    ['快递一直未送到', 'merchant'],
    ['退运费', 'unknown'],
    ['其他', 'unknown'],
    ['', 'unknown'],
  ])('reasonBucket(%s) = %s', (reason, bucket) => {
    expect(reasonBucket(reason)).toBe(bucket);
  });
  it('reasonBucket(null) is unknown', () => expect(reasonBucket(null)).toBe('unknown'));
});

describe('threshold escalation', () => {
  const big = (supervisor: boolean, threshold: number | null = 10_000): CaseContext =>
    mkCtx({ ...UNSHIPPED, refund: { amountCents: 20_000 }, supervisor, threshold });

  it('an agent above the threshold gets escalate, keeping the proposal', () => {
    const o = walk(big(false), ['no', 'no']).step as Outcome;
    expect(o.action).toBe('escalate');
    expect(o.id).toBe('escalate:unshipped.approve');
    expect(o.proposed?.id).toBe('unshipped.approve');
    expect(o.proposed?.action).toBe('approve');
    expect(o.expectedStatus).toBeNull();
    expect(o.noteKey).toBe('triage.escalate.note');
    expect(o.buyerMessage).toBe('checking');
  });

  it('a supervisor decides themselves', () => {
    expect((walk(big(true), ['no', 'no']).step as Outcome).action).toBe('approve');
  });

  it('at the threshold exactly, or without one, nothing changes', () => {
    expect((walk(big(false, 20_000), ['no', 'no']).step as Outcome).action).toBe('approve');
    expect((walk(big(false, null), ['no', 'no']).step as Outcome).action).toBe('approve');
  });

  it.each([
    ['approve-return', 'return.approveBuyerPays', true],
    ['partial', 'return.partialNoReturn', true],
    ['refund-postage', 'postage.transfer', true],
    ['refuse', 'return.refuseExcessive', false],
    ['contact-buyer', 'return.negotiate', false],
    ['mark-shipped', 'unshipped.markShipped', false],
    ['wait', 'waiting.wait', false],
  ] as const)('%s escalates: %s', (_action, id, escalates) => {
    const ctx = mkCtx({ refund: { amountCents: 20_000 }, threshold: 10_000 });
    expect(applyThreshold(OUTCOMES[id], ctx).action === 'escalate').toBe(escalates);
  });

  it('uses the given amount (a small partial stays with the agent) and is idempotent', () => {
    const ctx = mkCtx({ refund: { amountCents: 20_000 }, threshold: 10_000 });
    expect(applyThreshold(OUTCOMES['return.partialNoReturn'], ctx, 5_000).action).toBe('partial');
    const once = applyThreshold(OUTCOMES['unshipped.approve'], ctx);
    expect(applyThreshold(once, ctx)).toBe(once);
  });

  it('describes the escalation note in both languages', () => {
    const ctx = big(false);
    const o = walk(ctx, ['no', 'no']).step as Outcome;
    const en = describeOutcome(o, ctx, translator('en'));
    expect(en.note).toBe('Proposed: approve the refund, ¥200.00. Above the shop threshold ¥100.00: a supervisor must decide.');
    const zh = describeOutcome(o, ctx, translator('zh'));
    expect(zh.note).toContain('同意退款');
    expect(zh.buyerMessage).toContain('核实');
  });
});

// ---------------------------------------------------------------------------------------------
// The catalog

function translator(lang: 'en' | 'zh'): Translate {
  return (key, params) => {
    const text = triageMessages[lang][key];
    if (text === undefined) throw new Error(`missing ${lang} ${key}`);
    return params ? text.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m)) : text;
  };
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalog', () => {
  const keys = [...treeMessageKeys(), ...violationMessageKeys()];

  it('has every key the tree and the rules reference, in English and Chinese', () => {
    expect(keys.filter((k) => !(k in triageMessages.en))).toEqual([]);
    expect(keys.filter((k) => !(k in triageMessages.zh))).toEqual([]);
  });

  it('en and zh have the same keys, all prefixed triage., with the same placeholders', () => {
    expect(Object.keys(triageMessages.zh).sort()).toEqual(Object.keys(triageMessages.en).sort());
    for (const [k, en] of Object.entries(triageMessages.en)) {
      expect(k.startsWith('triage.')).toBe(true);
      expect(en.trim()).not.toBe('');
      expect(triageMessages.zh[k].trim()).not.toBe('');
      expect({ k, p: placeholders(triageMessages.zh[k]) }).toEqual({ k, p: placeholders(en) });
    }
  });

  it('question, option, outcome and checklist texts only use stepParams placeholders', () => {
    const available = Object.keys(stepParams(mkCtx()));
    const treeKeys = treeMessageKeys().filter((k) => /^triage\.(q|opt|outcome|check)\./.test(k));
    for (const k of treeKeys) {
      for (const p of placeholders(triageMessages.en[k])) expect(available, `${k} uses {${p}}`).toContain(p);
    }
  });

  it('renders a whole outcome with nothing left unfilled', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const row of ROWS) {
        const ctx = mkCtx(row.spec);
        const d = describeOutcome(walk(ctx, row.answers).step as Outcome, ctx, translator(lang), {
          amountCents: 1000,
          reason: '已签收',
        });
        for (const s of [d.title, ...d.checklist]) expect(s).not.toMatch(/\{\w+\}/);
      }
      for (const id of QUESTION_IDS) {
        const params = stepParams(mkCtx());
        const tr = translator(lang);
        expect(tr(TREE[id].textKey, params)).not.toMatch(/\{\w+\}/);
        TREE[id].hintKeys.forEach((h) => expect(tr(h, params)).not.toMatch(/\{\w+\}/));
      }
    }
  });
});

describe('stepParams, caseHints, describeOutcome', () => {
  it('formats amounts and shop-time deadlines; cleans export text', () => {
    const ctx = mkCtx({ refund: { amountCents: 129_900, statusText: '退款\u001b[2J中\u202e' }, deadlineAt: NOW, threshold: 50_000 });
    const p = stepParams(ctx);
    expect(p.amount).toBe('¥1,299.00');
    expect(p.threshold).toBe('¥500.00');
    expect(p.deadline).toBe('2025-04-21 09:00');
    expect(p.statusText).toBe('退款[2J中');
    expect(p.returnWaybill).toBe('—');
    expect(formatYuan(-5)).toBe('-¥0.05');
  });

  it('hints: overdue / due soon, no refusal before shipping, 七天无理由, threshold, last decision', () => {
    const decision: Decision = {
      id: 1, refundId: 'R1', action: 'contact-buyer', amountCents: null, note: null, evidence: [], agent: 'bob',
      decidedAt: '2025-04-20T15:00:00+08:00', expectedStatus: null, checklist: [], buyerMessage: null, source: 'triage',
    };
    const ctx = mkCtx({ ...UNSHIPPED, refund: { reason: '七天无理由退换货', amountCents: 20_000 }, deadlineAt: NOW - 1, threshold: 100, decisions: [decision] });
    const hints = caseHints(ctx, { tr: translator('zh') });
    expect(hints.map((h) => h.key)).toEqual([
      'triage.hint.overdue',
      'triage.hint.noRefuseUnshipped',
      'triage.hint.sevenDayNoRefuse',
      'triage.hint.aboveThreshold',
      'triage.hint.lastDecision',
    ]);
    expect(hints[4].params).toEqual({ action: '联系买家', agent: 'bob', at: '2025-04-20 15:00' });
    expect(caseHints(mkCtx({ deadlineAt: NOW + HOUR })).map((h) => h.key)).toContain('triage.hint.dueSoon');
    expect(caseHints(mkCtx({ deadlineAt: null })).map((h) => h.key)).toContain('triage.hint.noDeadline');
    expect(caseHints(mkCtx(orangeWith('wrong-item')), { tr: translator('en') }).find((h) => h.key === 'triage.hint.receipt')?.params)
      .toEqual({ receivedAt: '2025-04-21 08:00', condition: 'wrong item' });
  });

  it('describeOutcome fills the checklist and the Chinese buyer message', () => {
    const ctx = mkCtx(POSTAGE);
    const o = walk(ctx, ['pay']).step as Outcome;
    const d = describeOutcome(o, ctx, translator('en'), { amountCents: 1500 });
    expect(d.title).toBe('Pay the postage by Alipay; the buyer closes the request');
    expect(d.checklist[1]).toBe("Transfer ¥12.00 to the buyer's Alipay account (即时到账) and keep the receipt.");
    expect(d.buyerMessage).toContain('15.00元');
    expect(d.note).toBeNull();
    const none = describeOutcome(walk(mkCtx(AWAIT_RETURN), ['wait']).step as Outcome, mkCtx(AWAIT_RETURN), translator('zh'));
    expect(none.buyerMessage).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Buyer messages

describe('buyer messages', () => {
  const ctx = mkCtx({ order: { waybill: 'YT12\u001b[31m34', carrier: '圆通\u0007速递' } });

  it('every template renders polite Chinese without placeholders, control characters or buyer text', () => {
    for (const id of BUYER_MESSAGE_IDS) {
      const m = renderBuyerMessage(id, ctx, { reason: '物流显示已签收', amountCents: 500, returnAddress: '浙江省杭州市某路1号 张三 13800000000' });
      expect(m, id).toMatch(/^亲/);
      expect(m).toMatch(/[\u4e00-\u9fff]/);
      expect(m).not.toMatch(/[{}]/);
      // eslint-disable-next-line no-control-regex
      expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(m).not.toContain('SECRET');
      expect(m).not.toContain('HYPERLINK');
      expect(codePointLength(m)).toBeLessThanOrEqual(300);
    }
  });

  it('the refusal message stays within 2–200 characters whatever the reason', () => {
    for (const reason of [undefined, '', '已签收', '很'.repeat(500), '😀'.repeat(300)]) {
      const m = renderBuyerMessage('refusal', ctx, { reason });
      expect(codePointLength(m)).toBeGreaterThanOrEqual(2);
      expect(codePointLength(m)).toBeLessThanOrEqual(200);
    }
    expect(renderBuyerMessage('refusal', ctx, { reason: '物流显示本人已签收。' })).toContain('原因：物流显示本人已签收。相关凭证已上传');
  });

  it('fills amounts, the return address and the sanitized waybill', () => {
    expect(renderBuyerMessage('postage-transfer', mkCtx(POSTAGE))).toContain('12.00元');
    expect(renderBuyerMessage('postage-transfer', mkCtx(POSTAGE), { amountCents: 800 })).toContain('8.00元');
    expect(renderBuyerMessage('return-address-buyer-pays', ctx, { returnAddress: '杭州\n西湖区\u202e1号' })).toContain('杭州 西湖区1号');
    expect(renderBuyerMessage('return-address-buyer-pays', ctx)).toContain('退款详情页');
    expect(renderBuyerMessage('shipped-not-marked', ctx)).toContain('圆通速递，运单号YT1231m34');
    expect(renderBuyerMessage('shipped-not-marked', mkCtx({ order: null }))).not.toContain('运单号');
    expect(renderBuyerMessage('partial-offer', ctx, { amountCents: 2000 })).toContain('20.00元');
    expect(renderBuyerMessage('partial-offer', ctx)).not.toMatch(/\d+\.\d\d元/);
  });
});
