import { describe, expect, it } from 'vitest';
import type { Actor, Refund, RefundStatus } from '../../src/domain/types.js';
import { ShopZone, parseShopTime } from '../../src/domain/time.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { type Deadline, deadlineFor } from '../../src/domain/deadlines.js';
import { builtinRules } from '../../src/domain/rules.js';
import { type Urgency, compareUrgency, formatTimeLeft, urgencyFor } from '../../src/domain/urgency.js';

const zone = new ShopZone();
const at = (s: string): number => {
  const ms = parseShopTime(s, zone);
  if (ms === null) throw new Error(`bad time in test: ${s}`);
  return ms;
};
const NOW = at('2025-04-21 09:00:00');
const H = 3600;

function mk(over: Partial<Refund> = {}): Refund {
  return {
    refundId: '1001',
    orderId: '1',
    platform: 'taobao',
    status: 'WAIT_SELLER_AGREE',
    statusText: '',
    amountCents: 100,
    paidCents: null,
    appliedAt: null,
    exportDeadline: null,
    refundType: null,
    returnRequired: null,
    goodsStatus: null,
    shipped: null,
    phase: null,
    disputeState: 'none',
    disputeText: null,
    evidenceDeadline: null,
    buyerNick: null,
    itemTitle: null,
    sku: null,
    reason: null,
    buyerNote: null,
    returnWaybill: null,
    returnCarrier: null,
    returnedAt: null,
    finishedAt: null,
    sellerNote: null,
    statusSince: '2025-04-20 09:00:00',
    firstSeenAt: '2025-04-20 09:00:00',
    ...over,
  };
}

/** A deadline `secondsLeft` from NOW (null: none) with the given actor. */
function dl(secondsLeft: number | null, actor: Actor): Deadline {
  return {
    at: secondsLeft === null ? null : NOW + secondsLeft * 1000,
    source: secondsLeft === null ? null : 'export',
    rule: null,
    anchor: null,
    actor,
    atTimeout: null,
    ruleAt: null,
    calendarKnown: true,
  };
}

const ACTOR_OF: Record<RefundStatus, Actor> = {
  WAIT_SELLER_AGREE: 'seller',
  WAIT_BUYER_RETURN_GOODS: 'buyer',
  WAIT_SELLER_CONFIRM_GOODS: 'seller',
  SELLER_REFUSE_BUYER: 'buyer',
  CLOSED: 'none',
  SUCCESS: 'none',
  UNKNOWN: 'seller',
};

describe('urgencyFor', () => {
  it.each([
    // status, actor override, secondsLeft, expected
    ['WAIT_SELLER_AGREE', null, -3 * H, { secondsLeft: -3 * H, overdue: true, dueSoon: false, orange: false, sellerMustAct: true, section: 'overdue' }],
    ['WAIT_SELLER_AGREE', null, 0, { secondsLeft: 0, overdue: true, dueSoon: false, orange: false, sellerMustAct: true, section: 'overdue' }],
    ['WAIT_SELLER_AGREE', null, 1, { secondsLeft: 1, overdue: false, dueSoon: true, orange: false, sellerMustAct: true, section: 'dueSoon' }],
    ['WAIT_SELLER_AGREE', null, 24 * H, { secondsLeft: 24 * H, overdue: false, dueSoon: true, orange: false, sellerMustAct: true, section: 'dueSoon' }],
    ['WAIT_SELLER_AGREE', null, 24 * H + 1, { secondsLeft: 24 * H + 1, overdue: false, dueSoon: false, orange: false, sellerMustAct: true, section: 'seller' }],
    ['WAIT_SELLER_CONFIRM_GOODS', null, 5 * 24 * H, { secondsLeft: 5 * 24 * H, overdue: false, dueSoon: false, orange: true, sellerMustAct: true, section: 'orange' }],
    ['WAIT_SELLER_CONFIRM_GOODS', null, 2 * H, { secondsLeft: 2 * H, overdue: false, dueSoon: true, orange: true, sellerMustAct: true, section: 'dueSoon' }],
    ['WAIT_SELLER_CONFIRM_GOODS', null, -60, { secondsLeft: -60, overdue: true, dueSoon: false, orange: true, sellerMustAct: true, section: 'overdue' }],
    ['WAIT_SELLER_CONFIRM_GOODS', null, null, { secondsLeft: null, overdue: false, dueSoon: false, orange: true, sellerMustAct: true, section: 'orange' }],
    // the buyer's clock running out closes the refund: no alarm for the shop
    ['WAIT_BUYER_RETURN_GOODS', null, -2 * H, { secondsLeft: -2 * H, overdue: true, dueSoon: false, orange: false, sellerMustAct: false, section: 'buyer' }],
    ['SELLER_REFUSE_BUYER', null, 2 * H, { secondsLeft: 2 * H, overdue: false, dueSoon: true, orange: false, sellerMustAct: false, section: 'buyer' }],
    ['SELLER_REFUSE_BUYER', null, 5 * 24 * H, { secondsLeft: 5 * 24 * H, overdue: false, dueSoon: false, orange: false, sellerMustAct: false, section: 'buyer' }],
    // staff about to step in (dispute requested): alarm, though not the seller's move
    ['SELLER_REFUSE_BUYER', 'platform', 3 * H, { secondsLeft: 3 * H, overdue: false, dueSoon: true, orange: false, sellerMustAct: false, section: 'dueSoon' }],
    ['SELLER_REFUSE_BUYER', 'platform', 3 * 24 * H, { secondsLeft: 3 * 24 * H, overdue: false, dueSoon: false, orange: false, sellerMustAct: false, section: 'other' }],
    ['UNKNOWN', null, null, { secondsLeft: null, overdue: false, dueSoon: false, orange: false, sellerMustAct: true, section: 'seller' }],
    ['UNKNOWN', null, -1, { secondsLeft: -1, overdue: true, dueSoon: false, orange: false, sellerMustAct: true, section: 'overdue' }],
    ['CLOSED', null, null, { secondsLeft: null, overdue: false, dueSoon: false, orange: false, sellerMustAct: false, section: 'other' }],
  ] as const)('%s (actor %s), %s s left', (status, actor, secondsLeft, expected) => {
    const u = urgencyFor(mk({ status }), dl(secondsLeft, actor ?? ACTOR_OF[status]), NOW);
    const { score: _score, refundId: _id, ...rest } = u;
    expect(rest).toEqual(expected);
  });

  it('rounds seconds up, so a sub-second remainder is not overdue and -0.5 s is', () => {
    const base = dl(0, 'seller');
    expect(urgencyFor(mk(), { ...base, at: NOW + 500 }, NOW)).toMatchObject({ secondsLeft: 1, overdue: false });
    expect(urgencyFor(mk(), { ...base, at: NOW - 500 }, NOW)).toMatchObject({ secondsLeft: 0, overdue: true });
    expect(Object.is(urgencyFor(mk(), { ...base, at: NOW - 500 }, NOW).secondsLeft, 0)).toBe(true);
    expect(urgencyFor(mk(), { ...base, at: NOW - 1500 }, NOW)).toMatchObject({ secondsLeft: -1, overdue: true });
  });

  it('honours dueSoonMs', () => {
    expect(urgencyFor(mk(), dl(5 * H, 'seller'), NOW, { dueSoonMs: 6 * H * 1000 }).section).toBe('dueSoon');
    expect(urgencyFor(mk(), dl(7 * H, 'seller'), NOW, { dueSoonMs: 6 * H * 1000 }).section).toBe('seller');
  });

  it('works on real deadlines: an already-passed rule deadline gives negative secondsLeft', () => {
    const refund = mk({ status: 'WAIT_SELLER_AGREE', shipped: false, appliedAt: '2025-04-19 05:30:00' });
    const d = deadlineFor(refund, builtinRules, zone, chinaCalendar());
    expect(zone.iso(d.at!)).toBe('2025-04-21T05:30:00+08:00');
    const u = urgencyFor(refund, d, NOW);
    expect(u).toMatchObject({ secondsLeft: -3.5 * H, overdue: true, section: 'overdue', sellerMustAct: true });
    expect(formatTimeLeft(u.secondsLeft, 'en')).toBe('overdue 3h 30m');
    expect(formatTimeLeft(u.secondsLeft, 'zh')).toBe('已超时 3小时30分');
  });
});

describe('compareUrgency', () => {
  const rows: Array<[string, RefundStatus, Actor, number | null]> = [
    // id, status, actor, secondsLeft
    ['b-buyer-late', 'WAIT_BUYER_RETURN_GOODS', 'buyer', 1 * 24 * H],
    ['b-buyer-overdue', 'WAIT_BUYER_RETURN_GOODS', 'buyer', -5 * H],
    ['o-orange-3d', 'WAIT_SELLER_CONFIRM_GOODS', 'seller', 3 * 24 * H],
    ['o-orange-9d', 'WAIT_SELLER_CONFIRM_GOODS', 'seller', 9 * 24 * H],
    ['o-orange-none', 'WAIT_SELLER_CONFIRM_GOODS', 'seller', null],
    ['s-seller-40h', 'WAIT_SELLER_AGREE', 'seller', 40 * H],
    ['s-unknown', 'UNKNOWN', 'seller', null],
    ['d-soon-2h', 'WAIT_SELLER_AGREE', 'seller', 2 * H],
    ['d-soon-orange-20h', 'WAIT_SELLER_CONFIRM_GOODS', 'seller', 20 * H],
    ['x-overdue-1h', 'WAIT_SELLER_AGREE', 'seller', -1 * H],
    ['x-overdue-2d', 'WAIT_SELLER_CONFIRM_GOODS', 'seller', -2 * 24 * H],
    ['p-staff-3d', 'SELLER_REFUSE_BUYER', 'platform', 3 * 24 * H],
    ['t-tie-2', 'WAIT_SELLER_AGREE', 'seller', 30 * H],
    ['t-tie-10', 'WAIT_SELLER_AGREE', 'seller', 30 * H],
  ];
  const urgencies: Urgency[] = rows.map(([id, status, actor, s]) => urgencyFor(mk({ refundId: id, status }), dl(s, actor), NOW));
  const expected = [
    'x-overdue-2d',
    'x-overdue-1h',
    'd-soon-2h',
    'd-soon-orange-20h',
    'o-orange-3d',
    'o-orange-9d',
    'o-orange-none',
    // Same section and time: shorter ID first, then text, for any ID (the store's SQL sorts by the
    // same key); for the platforms' numeric IDs that is numeric order.
    't-tie-2',
    't-tie-10',
    's-seller-40h',
    's-unknown',
    'b-buyer-overdue',
    'b-buyer-late',
    'p-staff-3d',
  ];

  it('orders overdue, due soon, orange, seller, buyer, other', () => {
    expect([...urgencies].sort(compareUrgency).map((u) => u.refundId)).toEqual(expected);
    expect([...urgencies].reverse().sort(compareUrgency).map((u) => u.refundId)).toEqual(expected);
  });

  it('score descending gives the same order', () => {
    const byScore = [...urgencies].sort((a, b) => b.score - a.score || compareUrgency(a, b));
    expect(byScore.map((u) => u.refundId)).toEqual(expected);
    const scores = [...urgencies].sort(compareUrgency).map((u) => u.score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
  });

  it('breaks ties by refund ID, numeric IDs numerically', () => {
    const mkU = (id: string) => urgencyFor(mk({ refundId: id }), dl(30 * H, 'seller'), NOW);
    const ids = ['100000000000000000010', '99999999999999999999', '100000000000000000002'];
    expect(ids.map(mkU).sort(compareUrgency).map((u) => u.refundId)).toEqual([
      '99999999999999999999',
      '100000000000000000002',
      '100000000000000000010',
    ]);
  });
});

describe('formatTimeLeft', () => {
  it.each([
    [null, 'no deadline', '无截止时间'],
    [59, '0m', '剩 0分'],
    [60, '1m', '剩 1分'],
    [45 * 60 + 59, '45m', '剩 45分'],
    [5 * H + 12 * 60, '5h 12m', '剩 5小时12分'],
    [5 * H + 12 * 60 + 59, '5h 12m', '剩 5小时12分'],
    [24 * H, '24h 0m', '剩 24小时0分'],
    [47 * H + 59 * 60 + 59, '47h 59m', '剩 47小时59分'],
    [48 * H, '2d 0h', '剩 2天0小时'],
    [51 * H + 59 * 60, '2d 3h', '剩 2天3小时'],
    [30 * 24 * H, '30d 0h', '剩 30天0小时'],
    [0, 'overdue 0m', '已超时 0分'],
    [-1, 'overdue 1m', '已超时 1分'],
    [-(3 * H + 5 * 60), 'overdue 3h 5m', '已超时 3小时5分'],
    [-(3 * H + 4 * 60 + 1), 'overdue 3h 5m', '已超时 3小时5分'],
    [-(50 * H), 'overdue 2d 2h', '已超时 2天2小时'],
  ])('%s s → "%s" / "%s"', (secondsLeft, en, zh) => {
    expect(formatTimeLeft(secondsLeft, 'en')).toBe(en);
    expect(formatTimeLeft(secondsLeft, 'zh')).toBe(zh);
  });
});
