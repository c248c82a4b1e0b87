import { describe, expect, it } from 'vitest';
import {
  expectsReturn,
  latestReceipt,
  matchReceipt,
  receiptStatusFor,
  refundWaybillKey,
} from '../../src/domain/returns.js';
import type { Refund, WarehouseReceipt } from '../../src/domain/types.js';

function refund(over: Partial<Refund> = {}): Refund {
  return {
    refundId: '15870011223344550404',
    orderId: '4011223344556677889',
    platform: 'taobao',
    status: 'WAIT_SELLER_CONFIRM_GOODS',
    statusText: '买家已经退货，等待卖家确认收货',
    amountCents: 12800,
    paidCents: 12800,
    appliedAt: '2025-04-10T11:00:00+08:00',
    exportDeadline: '2025-04-21T18:30:00+08:00',
    refundType: 'return_refund',
    returnRequired: true,
    goodsStatus: '买家已退货',
    shipped: true,
    phase: '售后',
    disputeState: 'none',
    disputeText: null,
    evidenceDeadline: null,
    buyerNick: '陈静',
    itemTitle: '马克杯 350ml 白色',
    sku: 'MK-350-WHT',
    reason: '七天无理由退换货',
    buyerNote: null,
    returnWaybill: 'SF1234567890123',
    returnCarrier: '顺丰速运',
    returnedAt: '2025-04-11T18:30:00+08:00',
    finishedAt: null,
    sellerNote: null,
    statusSince: '2025-04-20T09:00:00+08:00',
    firstSeenAt: '2025-04-20T09:00:00+08:00',
    ...over,
  };
}

let nextId = 1;
function receipt(over: Partial<WarehouseReceipt> = {}): WarehouseReceipt {
  return {
    id: nextId++,
    waybill: 'sf 1234 5678 90123',
    carrier: '顺丰',
    receivedAt: '2025-04-20T16:05:00+08:00',
    sku: 'MK-350-WHT',
    quantity: 2,
    condition: 'ok',
    inspector: '王建国',
    note: null,
    ...over,
  };
}

describe('refundWaybillKey / expectsReturn', () => {
  it('normalizes the buyer-written waybill and treats blanks and dashes as none', () => {
    expect(refundWaybillKey(refund({ returnWaybill: 'sf-1234 5678.90123' }))).toBe('SF1234567890123');
    expect(refundWaybillKey(refund({ returnWaybill: null }))).toBeNull();
    expect(refundWaybillKey(refund({ returnWaybill: ' - ' }))).toBeNull();
  });

  it('expects a return in the return states, for return types, and when a waybill exists', () => {
    expect(expectsReturn(refund())).toBe(true);
    expect(expectsReturn(refund({ status: 'WAIT_SELLER_AGREE', refundType: 'refund_only', returnRequired: false, returnWaybill: null }))).toBe(false);
    expect(expectsReturn(refund({ status: 'WAIT_SELLER_AGREE', refundType: null, returnRequired: true, returnWaybill: null }))).toBe(true);
    expect(expectsReturn(refund({ status: 'WAIT_SELLER_AGREE', refundType: 'refund_only', returnRequired: false }))).toBe(true);
  });
});

describe('latestReceipt', () => {
  it('takes the greatest receivedAt as an instant (offsets compared correctly), ties to the greatest id', () => {
    const a = receipt({ id: 10, receivedAt: '2025-04-21T09:00:00+08:00' });
    const b = receipt({ id: 5, receivedAt: '2025-04-21T01:30:00Z' }); // 09:30 +08:00: later, despite the string
    const c = receipt({ id: 11, receivedAt: '2025-04-21T09:30:00+08:00' });
    expect(latestReceipt([a, b])!.id).toBe(5);
    expect(latestReceipt([a, b, c])!.id).toBe(11);
    expect(latestReceipt([c, b])!.id).toBe(11);
    expect(latestReceipt([])).toBeNull();
  });
});

describe('receiptStatusFor', () => {
  it('received OK → confirm-now, with the receipt that decided it', () => {
    const r = receipt({ id: 1 });
    expect(receiptStatusFor(refund(), [r])).toEqual({
      state: 'received-ok',
      receipt: r,
      nextStep: 'confirm-now',
      waybillKey: 'SF1234567890123',
      receiptCount: 1,
      actionable: true,
      sharedWaybill: false,
    });
  });

  it.each([
    ['ok', 'received-ok', 'confirm-now'],
    ['wrong-item', 'wrong-item', 'refuse-and-return'],
    ['empty', 'empty', 'refuse-and-return'],
    ['damaged', 'damaged', 'negotiate-partial'],
  ] as const)('condition %s → state %s, next step %s', (condition, state, nextStep) => {
    const s = receiptStatusFor(refund(), [receipt({ condition })]);
    expect([s.state, s.nextStep]).toEqual([state, nextStep]);
  });

  it('the latest receipt wins: a re-inspection recorded later corrects the first one', () => {
    const first = receipt({ id: 100, condition: 'ok', receivedAt: '2025-04-20T16:05:00+08:00' });
    const second = receipt({ id: 101, condition: 'wrong-item', receivedAt: '2025-04-21T08:10:00+08:00' });
    const s = receiptStatusFor(refund(), [second, first]);
    expect(s).toMatchObject({ state: 'wrong-item', nextStep: 'refuse-and-return', receiptCount: 2 });
    expect(s.receipt!.id).toBe(101);
    // Same time: the one recorded last (greater id) wins.
    const again = receipt({ id: 102, condition: 'ok', receivedAt: '2025-04-21T08:10:00+08:00' });
    expect(receiptStatusFor(refund(), [first, second, again]).state).toBe('received-ok');
  });

  it('ignores receipts of other waybills (callers may pass every receipt)', () => {
    const other = receipt({ waybill: 'YT2345678901234', condition: 'wrong-item' });
    const mine = receipt({ waybill: 'SF1234567890123', condition: 'damaged', receivedAt: '2025-04-19T10:00:00+08:00' });
    expect(receiptStatusFor(refund(), [other, mine])).toMatchObject({ state: 'damaged', receiptCount: 1 });
    expect(receiptStatusFor(refund(), [other])).toEqual({
      state: 'not-received',
      receipt: null,
      nextStep: 'check-waybill',
      waybillKey: 'SF1234567890123',
      receiptCount: 0,
      actionable: true,
      sharedWaybill: false,
    });
  });

  it('no waybill from the buyer → ask-waybill (even if parcels were received)', () => {
    expect(receiptStatusFor(refund({ returnWaybill: null }), [receipt()])).toEqual({
      state: 'no-waybill',
      receipt: null,
      nextStep: 'ask-waybill',
      waybillKey: null,
      receiptCount: 0,
      actionable: true,
      sharedWaybill: false,
    });
  });

  it('finished refunds and refund-only requests without a parcel are not actionable', () => {
    expect(receiptStatusFor(refund({ status: 'SUCCESS', statusText: '退款成功' }), [receipt()])).toMatchObject({
      state: 'received-ok',
      nextStep: 'confirm-now',
      actionable: false,
    });
    const refundOnly = refund({ status: 'WAIT_SELLER_AGREE', refundType: 'refund_only', returnRequired: false, returnWaybill: null });
    expect(receiptStatusFor(refundOnly, [])).toMatchObject({ state: 'no-waybill', nextStep: 'ask-waybill', actionable: false });
  });

  it('open refunds of different orders sharing the waybill → check-waybill, never confirm-now', () => {
    const mine = refund();
    const stranger = refund({ refundId: '158700112233445599', orderId: '4999999999999999999' });
    const s = receiptStatusFor(mine, [receipt()], [mine, stranger]);
    expect(s).toMatchObject({ state: 'received-ok', nextStep: 'check-waybill', sharedWaybill: true });
    // Same order (one parcel, several lines), or the other one finished: no doubt.
    const sibling = refund({ refundId: '158700112233445598' });
    expect(receiptStatusFor(mine, [receipt()], [mine, sibling])).toMatchObject({ nextStep: 'confirm-now', sharedWaybill: false });
    const closed = refund({ refundId: '158700112233445597', orderId: '4999999999999999999', status: 'CLOSED' });
    expect(receiptStatusFor(mine, [receipt()], [mine, closed])).toMatchObject({ nextStep: 'confirm-now', sharedWaybill: false });
  });
});

describe('matchReceipt', () => {
  const r04 = refund();
  const d3 = refund({ refundId: '7360123456789012303', orderId: '6928123456789012321', platform: 'douyin', returnWaybill: 'YT2345678901234' });

  it('one refund with the waybill → matched', () => {
    expect(matchReceipt(receipt(), [r04, d3])).toEqual({ kind: 'matched', refunds: [r04], superseded: [], sameOrder: true });
  });

  it('no refund with the waybill → unmatched (无主件)', () => {
    expect(matchReceipt(receipt({ waybill: ' yd 4300 9999 0000 1 ' }), [r04, d3])).toEqual({
      kind: 'unmatched',
      refunds: [],
      superseded: [],
      sameOrder: false,
    });
    expect(matchReceipt(receipt({ waybill: ' - ' }), [refund({ returnWaybill: '-' })]).kind).toBe('unmatched');
  });

  it('several open refunds of one order → ambiguous, same order, listed in ID order', () => {
    const a = refund({ refundId: '158700112233445602' });
    const b = refund({ refundId: '15870011223344560' });
    expect(matchReceipt(receipt(), [a, b])).toEqual({ kind: 'ambiguous', refunds: [b, a], superseded: [], sameOrder: true });
  });

  it('several open refunds of different orders → ambiguous, not the same order', () => {
    const other = refund({ refundId: '158700112233445599', orderId: '4999999999999999999', returnWaybill: 'SF-1234567890123' });
    const m = matchReceipt(receipt(), [other, r04]);
    expect(m.kind).toBe('ambiguous');
    expect(m.sameOrder).toBe(false);
    expect(m.refunds.map((r) => r.refundId)).toEqual(['158700112233445599', '15870011223344550404']);
  });

  it('one open refund and a finished one → the open one, the finished one superseded', () => {
    const old = refund({ refundId: '158700112233445508', status: 'CLOSED', statusText: '退款关闭' });
    expect(matchReceipt(receipt(), [old, r04])).toEqual({ kind: 'matched', refunds: [r04], superseded: [old], sameOrder: true });
  });

  it('only finished refunds: one → matched; several → ambiguous over all of them', () => {
    const done = refund({ status: 'SUCCESS' });
    expect(matchReceipt(receipt(), [done]).kind).toBe('matched');
    const done2 = refund({ refundId: '158700112233445509', orderId: '4199001122334455667', status: 'CLOSED' });
    expect(matchReceipt(receipt(), [done, done2])).toEqual({ kind: 'ambiguous', refunds: [done2, done], superseded: [], sameOrder: false });
  });
});
