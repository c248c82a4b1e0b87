// The buyer history's figures and flags as pure functions, and what the flags change in the
// decision tree (options added, none taken away).
import { describe, expect, it } from 'vitest';
import { buyerFlags, DEFAULT_BUYER_FLAG_THRESHOLDS, flagOffers } from '../../src/domain/buyerFlags.js';
import { buyerHistory, isMaskedIdentity, type BuyerCase } from '../../src/domain/buyerHistory.js';
import { caseHints, walk, type CaseContext, type Question } from '../../src/domain/decisionTree.js';
import { ShopZone } from '../../src/domain/time.js';
import type { Refund } from '../../src/domain/types.js';

const zone = new ShopZone();
const tr = (key: string, p?: Record<string, string | number>) => `${key}${p ? ` ${JSON.stringify(p)}` : ''}`;
const at = (s: string) => Date.parse(s);

function c(id: string, over: Partial<BuyerCase> = {}): BuyerCase {
  return {
    refundId: id,
    orderId: `O${id}`,
    status: 'SUCCESS',
    appliedAt: '2025-06-01T10:00:00+08:00',
    amountCents: 1000,
    refundType: 'return_refund',
    reason: '质量问题',
    refundOnlyAfterDelivery: false,
    disputed: false,
    returnCondition: null,
    returnReceivedAt: null,
    ...over,
  };
}

const req = { refundId: 'R2', reason: '质量问题', appliedAtMs: at('2025-06-28T10:00:00+08:00'), receivedAtMs: at('2025-06-25T10:00:00+08:00') };
const th = DEFAULT_BUYER_FLAG_THRESHOLDS;

describe('buyerHistory', () => {
  it('adds up cases, orders (never fewer than refunded ones; two refunds of one order count it once) and reasons', () => {
    const h = buyerHistory({
      buyer: 'nick',
      platform: 'taobao',
      windowDays: 90,
      cases: [c('R1', { refundOnlyAfterDelivery: true, amountCents: 5990 }), c('R2', { orderId: 'OR1', disputed: true, reason: ' 不想要 ' }), c('R3', { reason: null })],
      orders: 1,
    });
    expect(h).toMatchObject({ refunds: 3, amountCents: 7990, refundOnlyAfterDelivery: 1, disputes: 1, orders: 2, refundedOrders: 2, refundShare: 1, masked: false });
    expect(h.reasons).toEqual([
      { reason: '不想要', refunds: 1 },
      { reason: '质量问题', refunds: 1 },
      { reason: null, refunds: 1 },
    ]);
  });

  it('knows a masked identity', () => {
    expect(isMaskedIdentity('王*: 1*****9')).toBe(true);
    expect(isMaskedIdentity('王＊')).toBe(true);
    expect(isMaskedIdentity('tb_小王同学')).toBe(false);
    expect(isMaskedIdentity(null)).toBe(false);
  });
});

describe('buyerFlags', () => {
  const history = (cases: BuyerCase[], orders = cases.length) => buyerHistory({ buyer: 'nick', platform: 'taobao', windowDays: 90, cases, orders });

  it('gives a buyer with one refund no flag, even one that would reach every threshold', () => {
    const h = history([c('R1', { refundOnlyAfterDelivery: true, disputed: true, returnCondition: 'empty' })], 1);
    expect(buyerFlags(h, { ...req, receivedAtMs: at('2025-01-01T10:00:00+08:00') }, { ...th, refundOnlyAfterDelivery: 1 }, tr, zone)).toEqual([]);
  });

  it('gives an unknown buyer no flag', () => {
    const h = buyerHistory({ buyer: null, platform: 'taobao', windowDays: 90, cases: [c('R1', { disputed: true }), c('R2', { disputed: true })], orders: 2 });
    expect(buyerFlags(h, req, th, tr, zone)).toEqual([]);
  });

  it('flags each rule at its threshold and not below it, with the terms of its reason', () => {
    const two = history([c('R1', { refundOnlyAfterDelivery: true }), c('R2', { refundOnlyAfterDelivery: true })], 5);
    expect(buyerFlags(two, req, th, tr, zone)).toEqual([
      { id: 'repeat-refund-only', why: 'buyer.why.repeat-refund-only {"days":90,"n":2,"threshold":2,"ids":"R1, R2"}' },
    ]);
    const one = history([c('R1', { refundOnlyAfterDelivery: true }), c('R2')], 5);
    expect(buyerFlags(one, req, th, tr, zone)).toEqual([]);

    // 2 of 4 orders = 50% ≥ 50%; 2 of 5 is not.
    expect(buyerFlags(history([c('R1'), c('R2')], 4), req, th, tr, zone)).toEqual([
      { id: 'high-refund-share', why: 'buyer.why.high-refund-share {"days":90,"refunded":2,"orders":4,"share":"50%","threshold":"50%","minOrders":2}' },
    ]);
    expect(buyerFlags(history([c('R1'), c('R2')], 4), req, { ...th, refundShareMinOrders: 5 }, tr, zone)).toEqual([]);

    expect(buyerFlags(history([c('R1', { disputed: true }), c('R2')], 9), req, th, tr, zone)).toEqual([
      { id: 'dispute-history', why: 'buyer.why.dispute-history {"days":90,"n":1,"threshold":1,"ids":"R1"}' },
    ]);
    expect(buyerFlags(history([c('R1', { disputed: true }), c('R2')], 9), req, { ...th, disputes: 2 }, tr, zone)).toEqual([]);
  });

  it('flags a request long after receipt, and a buyer-side one past the 7-day window', () => {
    const h = history([c('R1'), c('R2')], 9);
    const long = { ...req, receivedAtMs: at('2025-05-28T10:00:00+08:00') }; // 31 days
    expect(buyerFlags(h, long, th, tr, zone)).toEqual([
      { id: 'late-request', why: 'buyer.why.late-request.long {"n":"31","receivedAt":"2025-05-28 10:00","threshold":30}' },
    ]);
    expect(buyerFlags(h, { ...long, receivedAtMs: at('2025-05-29T10:00:00+08:00') }, th, tr, zone)).toEqual([]); // exactly 30 days
    const noReason = { ...req, reason: '七天无理由退换货', receivedAtMs: at('2025-06-20T22:00:00+08:00') }; // 7.5 days
    expect(buyerFlags(h, noReason, th, tr, zone)).toEqual([
      { id: 'late-request', why: 'buyer.why.late-request.noReason {"n":"7.5","receivedAt":"2025-06-20 22:00","threshold":7}' },
    ]);
    // A merchant-side reason 7.5 days after receipt is not late.
    expect(buyerFlags(h, { ...noReason, reason: '质量问题' }, th, tr, zone)).toEqual([]);
    // Unknown receipt: no late flag.
    expect(buyerFlags(h, { ...noReason, receivedAtMs: null }, th, tr, zone)).toEqual([]);
  });

  it('flags a returned parcel not ours or empty, not a damaged one', () => {
    const h = history([c('R1', { returnCondition: 'wrong-item', returnReceivedAt: '2025-06-02T09:00:00+08:00' }), c('R2', { returnCondition: 'damaged' })], 9);
    expect(buyerFlags(h, req, th, tr, zone)).toEqual([
      {
        id: 'bad-return',
        why: 'buyer.why.bad-return {"n":1,"days":90,"terms":"buyer.why.bad-return.term {\\"refundId\\":\\"R1\\",\\"condition\\":\\"buyer.condition.wrong-item\\",\\"receivedAt\\":\\"2025-06-02 09:00\\"}"}',
      },
    ]);
  });
});

describe('what the flags change in the decision tree', () => {
  const refund = {
    refundId: '2900000000000000104', orderId: 'O1', platform: 'taobao', status: 'WAIT_SELLER_AGREE', statusText: '买家已经申请退款，等待卖家同意',
    amountCents: 8900, paidCents: 8900, appliedAt: '2025-06-28T21:00:00+08:00', exportDeadline: null, refundType: 'refund_only', returnRequired: false,
    goodsStatus: '买家已收到货', shipped: true, phase: '售后', disputeState: 'none', disputeText: null, evidenceDeadline: null, buyerNick: 'nick',
    itemTitle: null, sku: null, reason: '收到商品与描述不符', buyerNote: null, returnWaybill: null, returnCarrier: null, returnedAt: null, finishedAt: null,
    sellerNote: null, statusSince: '2025-06-28T21:00:00+08:00', firstSeenAt: '2025-06-28T21:00:00+08:00',
  } satisfies Refund;
  const ctx = (flags: { id: string; why: string }[]): CaseContext => ({
    refund, order: null, receipt: null, decisions: [], deadlineAt: null, nowMs: at('2025-06-30T10:00:00+08:00'),
    platformIsTmall: false, agent: { name: 'a', isSupervisor: false }, amountThresholdCents: null, buyerFlags: flags,
  });
  const options = (flags: { id: string; why: string }[]) => (walk(ctx(flags), []).step as Question).options.map((o) => o.value);

  it('adds the evidence and period-passed options only for flagged buyers, keeping the rest', () => {
    expect(options([])).toEqual(['partial', 'ask-return', 'approve']);
    expect(options([{ id: 'dispute-history', why: '' }])).toEqual(['partial', 'ask-return', 'approve', 'collect-evidence']);
    expect(options([{ id: 'late-request', why: '' }])).toEqual(['partial', 'ask-return', 'approve', 'period-passed']);
    expect(flagOffers([{ id: 'late-request' }])).toEqual({ collectEvidence: false, periodPassed: true });
  });

  it('reminds the agent on the card, naming the flags and the evidence command', () => {
    const hints = caseHints(ctx([{ id: 'repeat-refund-only', why: '' }, { id: 'bad-return', why: '' }]), { zone });
    expect(hints).toContainEqual({ key: 'triage.hint.buyerFlags', params: { n: 2, flags: 'repeat-refund-only, bad-return', refundId: '2900000000000000104' } });
    expect(caseHints(ctx([]), { zone }).map((h) => h.key)).not.toContain('triage.hint.buyerFlags');
  });
});
