import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { Refund } from '../../src/domain/types.js';
import { ShopZone, parseShopTime } from '../../src/domain/time.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { type Deadline, deadlineFor } from '../../src/domain/deadlines.js';
import {
  type DeadlineRule,
  type RuleTable,
  builtinRules,
  formatWindow,
  loadRuleTable,
  matchRule,
  mergeRules,
  refundTypeOf,
  returnShippingOf,
} from '../../src/domain/rules.js';

const zone = new ShopZone();
const cal = chinaCalendar();
const iso = (ms: number | null): string | null => (ms === null ? null : zone.iso(ms));
const at = (s: string): number => {
  const ms = parseShopTime(s, zone);
  if (ms === null) throw new Error(`bad time in test: ${s}`);
  return ms;
};

function mk(over: Partial<Refund> = {}): Refund {
  return {
    refundId: '20250420000000001',
    orderId: '4123456789012345678',
    platform: 'taobao',
    status: 'WAIT_SELLER_AGREE',
    statusText: '买家已经申请退款，等待卖家同意',
    amountCents: 5990,
    paidCents: 5990,
    appliedAt: '2025-04-20 10:31:05',
    exportDeadline: null,
    refundType: 'refund_only',
    returnRequired: false,
    goodsStatus: null,
    shipped: false,
    phase: '售中',
    disputeState: 'none',
    disputeText: null,
    evidenceDeadline: null,
    buyerNick: 'buyer',
    itemTitle: 'item',
    sku: null,
    reason: null,
    buyerNote: null,
    returnWaybill: null,
    returnCarrier: null,
    returnedAt: null,
    finishedAt: null,
    sellerNote: null,
    statusSince: '2025-04-21 09:00:00',
    firstSeenAt: '2025-04-21 09:00:00',
    ...over,
  };
}

/** The parts of a deadline a test asserts, with instants as ISO strings. */
function view(d: Deadline) {
  return {
    at: iso(d.at),
    source: d.source,
    rule: d.rule?.id ?? null,
    anchor: d.anchor ? `${d.anchor.field}${d.anchor.column ? `:${d.anchor.column}` : ''}${d.anchor.fallbackFrom ? `<-${d.anchor.fallbackFrom}` : ''}` : null,
    actor: d.actor,
    atTimeout: d.atTimeout,
  };
}

const WSA = 'WAIT_SELLER_AGREE' as const;
const WBRG = 'WAIT_BUYER_RETURN_GOODS' as const;
const WSCG = 'WAIT_SELLER_CONFIRM_GOODS' as const;
const SRB = 'SELLER_REFUSE_BUYER' as const;

interface Case {
  name: string;
  refund: Partial<Refund>;
  expect: ReturnType<typeof view>;
}

const ruleCases: Case[] = [
  // ---- Taobao
  {
    name: 'WAIT_SELLER_AGREE, not shipped: 48 h from application, automatic refund',
    refund: { status: WSA, shipped: false, appliedAt: '2025-04-20 10:31:05' },
    expect: { at: '2025-04-22T10:31:05+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_SELLER_AGREE, shipped, refund only: 5 days, automatic refund',
    refund: { status: WSA, shipped: true, refundType: 'refund_only', appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-25T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.refund-only', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_SELLER_AGREE, shipped, return + refund: 5 days, automatic agreement',
    refund: { status: WSA, shipped: true, refundType: 'return_refund', returnRequired: true, appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-25T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.return-refund', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_agree' },
  },
  {
    name: 'refund type inferred from 是否需要退货 = 是',
    refund: { status: WSA, shipped: true, refundType: null, returnRequired: true, appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-25T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.return-refund', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_agree' },
  },
  {
    name: 'shipping state unknown: conservative 48 h fallback',
    refund: { status: WSA, shipped: null, refundType: 'return_refund', appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.fallback', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'shipped exchange (not in the table): conservative 48 h fallback',
    refund: { status: WSA, shipped: true, refundType: 'exchange', appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.fallback', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_BUYER_RETURN_GOODS: buyer has 7 days from the status, then closed',
    refund: { status: WBRG, shipped: true, refundType: 'return_refund', statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-28T09:00:00+08:00', source: 'rule', rule: 'taobao.wait-buyer-return-goods', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'WAIT_SELLER_CONFIRM_GOODS by express: 10 days from the return, automatic refund',
    refund: { status: WSCG, shipped: true, refundType: 'return_refund', returnCarrier: '圆通速递', returnedAt: '2025-04-22 15:00:00' },
    expect: { at: '2025-05-02T15:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-confirm-goods.express', anchor: 'returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_SELLER_CONFIRM_GOODS by EMS counts as express',
    refund: { status: WSCG, returnCarrier: 'EMS', returnedAt: '2025-04-22 15:00:00' },
    expect: { at: '2025-05-02T15:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-confirm-goods.express', anchor: 'returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_SELLER_CONFIRM_GOODS by 邮政平邮: 30 days',
    refund: { status: WSCG, returnCarrier: '邮政平邮', returnedAt: '2025-04-22 15:00:00' },
    expect: { at: '2025-05-22T15:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-confirm-goods.post', anchor: 'returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'WAIT_SELLER_CONFIRM_GOODS by 普通包裹: 30 days',
    refund: { status: WSCG, returnCarrier: '普通包裹', returnedAt: '2025-04-22 15:00:00' },
    expect: { at: '2025-05-22T15:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-confirm-goods.post', anchor: 'returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'SELLER_REFUSE_BUYER: buyer has 7 days, then closed',
    refund: { status: SRB, shipped: true, statusSince: '2025-04-23 18:20:00' },
    expect: { at: '2025-04-30T18:20:00+08:00', source: 'rule', rule: 'taobao.seller-refuse-buyer', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: '客服介入 requested: staff step in by the end of the 2nd working day (劳动节 2025)',
    refund: { status: SRB, shipped: true, disputeState: 'requested', statusSince: '2025-04-30 10:00:00' },
    expect: { at: '2025-05-08T00:00:00+08:00', source: 'rule', rule: 'taobao.dispute.requested', anchor: 'statusSince', actor: 'platform', atTimeout: 'staff_step_in' },
  },
  {
    name: '客服介入 requested on 国庆 eve 2025',
    refund: { status: SRB, shipped: true, disputeState: 'requested', statusSince: '2025-09-30 15:00:00' },
    expect: { at: '2025-10-11T00:00:00+08:00', source: 'rule', rule: 'taobao.dispute.requested', anchor: 'statusSince', actor: 'platform', atTimeout: 'staff_step_in' },
  },
  // ---- Douyin
  {
    name: 'Douyin 待商家处理, 退货退款: 48 h, automatic agreement',
    refund: { platform: 'douyin', status: WSA, shipped: true, refundType: 'return_refund', appliedAt: '2025-04-20 22:15:00' },
    expect: { at: '2025-04-22T22:15:00+08:00', source: 'rule', rule: 'douyin.wait-seller-agree.return-refund', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_agree' },
  },
  {
    name: 'Douyin 待商家处理, 已发货仅退款: 48 h, automatic refund',
    refund: { platform: 'douyin', status: WSA, shipped: true, refundType: 'refund_only', appliedAt: '2025-04-20 22:15:00' },
    expect: { at: '2025-04-22T22:15:00+08:00', source: 'rule', rule: 'douyin.wait-seller-agree', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'Douyin 待买家退货: 7 days',
    refund: { platform: 'douyin', status: WBRG, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-28T09:00:00+08:00', source: 'rule', rule: 'douyin.wait-buyer-return-goods', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'Douyin 待商家收货: 10 days from the return',
    refund: { platform: 'douyin', status: WSCG, returnCarrier: '中通快递', returnedAt: '2025-04-22 08:00:00' },
    expect: { at: '2025-05-02T08:00:00+08:00', source: 'rule', rule: 'douyin.wait-seller-confirm-goods', anchor: 'returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'Douyin 仲裁中-待商家举证: the seller owes evidence, 48 h from when the state was seen',
    refund: { platform: 'douyin', status: WSA, disputeState: 'in_progress', statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-23T09:00:00+08:00', source: 'rule', rule: 'douyin.dispute.evidence', anchor: 'statusSince', actor: 'seller', atTimeout: 'none' },
  },
  {
    name: 'Douyin 仲裁中: platform staff judge, check again after 2 working days',
    refund: { platform: 'douyin', status: SRB, disputeState: 'in_progress', statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-24T00:00:00+08:00', source: 'rule', rule: 'douyin.dispute.in-progress', anchor: 'statusSince', actor: 'platform', atTimeout: 'none' },
  },
  // ---- Pinduoduo (its export has no deadline column)
  {
    name: 'PDD 平台处理中: the platform judges, 2 working days',
    refund: { platform: 'pdd', status: SRB, disputeState: 'in_progress', statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-24T00:00:00+08:00', source: 'rule', rule: 'pdd.dispute.in-progress', anchor: 'statusSince', actor: 'platform', atTimeout: 'none' },
  },
  {
    name: 'PDD 待商家处理, 退货退款: 48 h, agreed automatically',
    refund: { platform: 'pdd', status: WSA, refundType: 'return_refund', appliedAt: '2025-04-20 10:00:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'rule', rule: 'pdd.wait-seller-agree.return-refund', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_agree' },
  },
  {
    name: 'PDD 待商家处理, 仅退款: 48 h, refunded automatically',
    refund: { platform: 'pdd', status: WSA, refundType: 'refund_only', appliedAt: '2025-04-20 10:00:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'rule', rule: 'pdd.wait-seller-agree', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'PDD 待消费者发货: the buyer has 7 days',
    refund: { platform: 'pdd', status: WBRG, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-28T09:00:00+08:00', source: 'rule', rule: 'pdd.wait-buyer-return-goods', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'PDD 待商家收货: 48 h, from when the state was seen (no 买家退货时间 in the export)',
    refund: { platform: 'pdd', status: WSCG, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-23T09:00:00+08:00', source: 'rule', rule: 'pdd.wait-seller-confirm-goods', anchor: 'statusSince<-returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'PDD refused: the buyer has 7 days',
    refund: { platform: 'pdd', status: SRB, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-28T09:00:00+08:00', source: 'rule', rule: 'pdd.seller-refuse-buyer', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'a user profile platform without a table: the export deadline only',
    refund: { platform: 'kuaishou' as never, status: WSA, exportDeadline: '2025-04-22 10:00:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'export', rule: null, anchor: 'export:exportDeadline', actor: 'seller', atTimeout: null },
  },
];

const calendarCases: Case[] = [
  {
    name: 'midnight crossing: 23:30 + 48 h',
    refund: { status: WSA, shipped: false, appliedAt: '2025-04-20 23:30:00' },
    expect: { at: '2025-04-22T23:30:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'midnight crossing: 23:59:59 + 5 days into the 劳动节 holiday (calendar days ignore holidays)',
    refund: { status: WSA, shipped: true, refundType: 'refund_only', appliedAt: '2025-04-30 23:59:59' },
    expect: { at: '2025-05-05T23:59:59+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.refund-only', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'month end: 2025-01-30 20:00 + 48 h',
    refund: { status: WSA, shipped: false, appliedAt: '2025-01-30 20:00:00' },
    expect: { at: '2025-02-01T20:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'February, non-leap: 2025-02-27 + 5 days',
    refund: { status: WSA, shipped: true, refundType: 'refund_only', appliedAt: '2025-02-27 10:00:00' },
    expect: { at: '2025-03-04T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.refund-only', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'February, leap: 2024-02-27 + 5 days',
    refund: { status: WSA, shipped: true, refundType: 'refund_only', appliedAt: '2024-02-27 10:00:00' },
    expect: { at: '2024-03-03T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.shipped.refund-only', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'year end: 2024-12-28 + 7 days',
    refund: { status: WBRG, statusSince: '2024-12-28 16:45:00' },
    expect: { at: '2025-01-04T16:45:00+08:00', source: 'rule', rule: 'taobao.wait-buyer-return-goods', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'an application time written as Unix seconds (2025-01-30T12:00:00Z)',
    refund: { status: WSA, shipped: false, appliedAt: '1738238400' },
    expect: { at: '2025-02-01T20:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
];

const fallbackCases: Case[] = [
  {
    name: 'no application time: counts from statusSince, and says so',
    refund: { status: WSA, shipped: false, appliedAt: null, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-23T09:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'statusSince<-appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'unreadable application time: same fallback',
    refund: { status: WSA, shipped: false, appliedAt: '昨天', statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-04-23T09:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'statusSince<-appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'orange state without 买家退货时间: counts from statusSince',
    refund: { status: WSCG, returnedAt: null, statusSince: '2025-04-21 09:00:00' },
    expect: { at: '2025-05-01T09:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-confirm-goods.express', anchor: 'statusSince<-returnedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'no usable anchor at all: rule known, no deadline',
    refund: { status: WSA, shipped: false, appliedAt: null, statusSince: 'garbage' },
    expect: { at: null, source: null, rule: 'taobao.wait-seller-agree.unshipped', anchor: null, actor: 'seller', atTimeout: 'auto_refund' },
  },
];

const precedenceCases: Case[] = [
  {
    name: 'the export deadline beats the rule (and the rule still says who acts)',
    refund: { status: WSA, shipped: false, appliedAt: '2025-04-20 10:31:05', exportDeadline: '2025-04-21 12:00:00' },
    expect: { at: '2025-04-21T12:00:00+08:00', source: 'export', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'export:exportDeadline', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'the export deadline wins even when later than the rule',
    refund: { status: WSCG, returnedAt: '2025-04-22 15:00:00', exportDeadline: '2025-05-03 15:00:00' },
    expect: { at: '2025-05-03T15:00:00+08:00', source: 'export', rule: 'taobao.wait-seller-confirm-goods.express', anchor: 'export:exportDeadline', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'export deadline written with an offset',
    refund: { platform: 'douyin', status: WSA, appliedAt: '2025-04-20 10:00', exportDeadline: '2025-04-22T02:00:00Z' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'export', rule: 'douyin.wait-seller-agree', anchor: 'export:exportDeadline', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'unreadable export deadline: the rule applies',
    refund: { status: WSA, shipped: false, appliedAt: '2025-04-20 10:31:05', exportDeadline: '—' },
    expect: { at: '2025-04-22T10:31:05+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'CLOSED: no deadline, even with an export column',
    refund: { status: 'CLOSED', exportDeadline: '2025-04-21 12:00:00' },
    expect: { at: null, source: null, rule: null, anchor: null, actor: 'none', atTimeout: null },
  },
  {
    name: 'SUCCESS: no deadline',
    refund: { status: 'SUCCESS', disputeState: 'in_progress', evidenceDeadline: '2025-04-25 12:00:00' },
    expect: { at: null, source: null, rule: null, anchor: null, actor: 'none', atTimeout: null },
  },
  {
    name: 'UNKNOWN with an export deadline: no rule, the seller acts',
    refund: { status: 'UNKNOWN', statusText: '退款待处理（新）', exportDeadline: '2025-04-22 08:00:00' },
    expect: { at: '2025-04-22T08:00:00+08:00', source: 'export', rule: null, anchor: 'export:exportDeadline', actor: 'seller', atTimeout: null },
  },
  {
    name: 'UNKNOWN without an export deadline: nothing known, the seller acts',
    refund: { status: 'UNKNOWN', statusText: '？？', disputeState: 'requested' },
    expect: { at: null, source: null, rule: null, anchor: null, actor: 'seller', atTimeout: null },
  },
  {
    name: 'dispute in progress: the evidence deadline (举证超时) beats the export deadline',
    refund: { status: SRB, disputeState: 'in_progress', evidenceDeadline: '2025-04-24 18:00:00', exportDeadline: '2025-04-30 18:00:00' },
    expect: { at: '2025-04-24T18:00:00+08:00', source: 'export', rule: 'taobao.seller-refuse-buyer', anchor: 'export:evidenceDeadline', actor: 'seller', atTimeout: 'none' },
  },
  {
    name: 'dispute in progress without an evidence deadline: the state rule applies',
    refund: { status: WSA, shipped: false, disputeState: 'in_progress', appliedAt: '2025-04-20 10:00' },
    expect: { at: '2025-04-22T10:00:00+08:00', source: 'rule', rule: 'taobao.wait-seller-agree.unshipped', anchor: 'appliedAt', actor: 'seller', atTimeout: 'auto_refund' },
  },
  {
    name: 'evidence deadline ignored once the dispute is finished',
    refund: { status: SRB, disputeState: 'finished', evidenceDeadline: '2025-04-24 18:00:00', statusSince: '2025-04-23 18:20:00' },
    expect: { at: '2025-04-30T18:20:00+08:00', source: 'rule', rule: 'taobao.seller-refuse-buyer', anchor: 'statusSince', actor: 'buyer', atTimeout: 'close' },
  },
  {
    name: 'dispute requested with an export deadline: export wins, the staff rule explains it',
    refund: { status: SRB, disputeState: 'requested', statusSince: '2025-04-30 10:00:00', exportDeadline: '2025-05-07 10:00:00' },
    expect: { at: '2025-05-07T10:00:00+08:00', source: 'export', rule: 'taobao.dispute.requested', anchor: 'export:exportDeadline', actor: 'platform', atTimeout: 'staff_step_in' },
  },
];

describe('deadlineFor: one case per rule', () => {
  it.each(ruleCases)('$name', ({ refund, expect: expected }) => {
    expect(view(deadlineFor(mk(refund), builtinRules, zone, cal))).toEqual(expected);
  });

  it('every shipped rule is exercised above', () => {
    const used = new Set(ruleCases.map((c) => c.expect.rule));
    const all = [...builtinRules.taobao.rules, ...builtinRules.douyin.rules, ...builtinRules.pdd.rules].map((r) => r.id);
    expect(all.filter((id) => !used.has(id))).toEqual([]);
  });
});

describe('deadlineFor: calendar arithmetic', () => {
  it.each(calendarCases)('$name', ({ refund, expect: expected }) => {
    expect(view(deadlineFor(mk(refund), builtinRules, zone, cal))).toEqual(expected);
  });
});

describe('deadlineFor: anchor fallback', () => {
  it.each(fallbackCases)('$name', ({ refund, expect: expected }) => {
    expect(view(deadlineFor(mk(refund), builtinRules, zone, cal))).toEqual(expected);
  });
});

describe('deadlineFor: precedence', () => {
  it.each(precedenceCases)('$name', ({ refund, expect: expected }) => {
    expect(view(deadlineFor(mk(refund), builtinRules, zone, cal))).toEqual(expected);
  });

  it('keeps what the rule alone would say when the export wins', () => {
    const d = deadlineFor(mk({ exportDeadline: '2025-04-21 12:00:00' }), builtinRules, zone, cal);
    expect(iso(d.ruleAt)).toBe('2025-04-22T10:31:05+08:00');
    expect(d.rule?.confidence).toBe('commonly-cited');
    expect(d.calendarKnown).toBe(true);
  });

  it('flags working-day counts that ran past the years the calendar knows', () => {
    const d = deadlineFor(mk({ status: SRB, disputeState: 'requested', statusSince: '2030-04-30 10:00' }), builtinRules, zone, cal);
    expect(iso(d.at)).toBe('2030-05-03T00:00:00+08:00'); // Mon–Fri guess: Tue → Wed 1 (劳动节, unknown in 2030), Thu 2
    expect(d.calendarKnown).toBe(false);
  });

  it('accepts a single platform table, and refuses the wrong one', () => {
    expect(deadlineFor(mk(), builtinRules.taobao, zone, cal).rule?.id).toBe('taobao.wait-seller-agree.unshipped');
    expect(() => deadlineFor(mk({ platform: 'douyin' }), builtinRules.taobao, zone, cal)).toThrow(/douyin refund but the rule table is for taobao/);
  });
});

describe('rule helpers', () => {
  it.each([
    [null, 'express'],
    ['', 'express'],
    ['顺丰速运', 'express'],
    ['EMS', 'express'],
    ['中国邮政', 'express'],
    ['平邮', 'post'],
    ['邮政平邮', 'post'],
    ['普通包裹', 'post'],
  ] as const)('returnShippingOf(%j) = %s', (carrier, expected) => {
    expect(returnShippingOf({ returnCarrier: carrier })).toBe(expected);
  });

  it.each([
    ['exchange', null, 'exchange'],
    [null, true, 'return_refund'],
    [null, false, 'refund_only'],
    [null, null, null],
  ] as const)('refundTypeOf(%j, returnRequired %j) = %j', (refundType, returnRequired, expected) => {
    expect(refundTypeOf({ refundType, returnRequired })).toBe(expected);
  });

  it('formats windows', () => {
    expect(formatWindow({ hours: 48 })).toBe('48h');
    expect(formatWindow({ days: 5 }, 'zh')).toBe('5天');
    expect(formatWindow({ workingDays: 2 })).toBe('2 working days');
    expect(formatWindow({ workingDays: 2 }, 'zh')).toBe('2个工作日');
  });

  it('never matches finished or UNKNOWN refunds, even with a catch-all rule', () => {
    const table = loadRuleTable([{ id: 'x', when: {}, anchor: 'statusSince', window: { days: 1 }, actor: 'seller', atTimeout: 'none', source: 's', confidence: 'unconfirmed' }]);
    expect(matchRule(mk({ status: 'UNKNOWN' }), table)).toBeNull();
    expect(matchRule(mk({ status: 'CLOSED' }), table)).toBeNull();
    expect(matchRule(mk({ status: WBRG }), table)?.id).toBe('x');
  });

  it('matches a list of states', () => {
    const table = loadRuleTable({ rules: [{ id: 'y', when: { status: [WBRG, SRB] }, anchor: 'statusSince', window: { days: 3 }, actor: 'buyer', atTimeout: 'close', source: 's', confidence: 'unconfirmed' }] });
    expect(matchRule(mk({ status: SRB }), table)?.id).toBe('y');
    expect(matchRule(mk({ status: WSA }), table)).toBeNull();
  });
});

describe('loadRuleTable', () => {
  const good = {
    id: 'my.rule',
    when: { status: 'WAIT_SELLER_AGREE' },
    anchor: 'appliedAt',
    window: { hours: 24 },
    actor: 'seller',
    atTimeout: 'auto_refund',
    source: 'our account manager, 2025-04',
    confidence: 'unconfirmed',
  };
  const withRule = (patch: Record<string, unknown>) => ({ platform: 'taobao', rules: [{ ...good, ...patch }] });

  it('loads the shipped tables', () => {
    expect(builtinRules.taobao.platform).toBe('taobao');
    expect(builtinRules.douyin.platform).toBe('douyin');
    expect(builtinRules.taobao.rules.map((r) => r.id)).toEqual([
      'taobao.dispute.requested',
      'taobao.wait-seller-agree.unshipped',
      'taobao.wait-seller-agree.shipped.refund-only',
      'taobao.wait-seller-agree.shipped.return-refund',
      'taobao.wait-seller-agree.fallback',
      'taobao.wait-buyer-return-goods',
      'taobao.wait-seller-confirm-goods.post',
      'taobao.wait-seller-confirm-goods.express',
      'taobao.seller-refuse-buyer',
    ]);
    for (const r of [...builtinRules.taobao.rules, ...builtinRules.douyin.rules]) {
      expect(r.source.length, r.id).toBeGreaterThan(10);
    }
  });

  it('accepts a valid user table and a bare array', () => {
    expect(loadRuleTable(withRule({}), 'x.json').rules[0]).toEqual(good);
    expect(loadRuleTable([good]).platform).toBeNull();
  });

  it.each([
    ['not an object', 42, /invalid rule table my.json: expected an object with "rules"/],
    ['rules not an array', { rules: {} }, /"rules" must be an array/],
    ['unknown table key', { platfrom: 'taobao', rules: [] }, /unknown key "platfrom"/],
    ['bad platform', { platform: 'jd', rules: [] }, /"platform" must be one of "taobao", "douyin", "pdd", got "jd"/],
    ['rule not an object', { rules: ['x'] }, /rules\[0\]: a rule must be an object/],
    ['missing id', withRule({ id: undefined }), /rules\[0\]: "id" must be a non-empty string/],
    ['unknown rule field', withRule({ widow: 1 }), /rule "my.rule" \(rules\[0\]\): "widow" is not a rule field/],
    ['bad status', withRule({ when: { status: 'WAIT_SELLER' } }), /rule "my.rule" \(rules\[0\]\): "when.status" must be one of .*got "WAIT_SELLER"/],
    ['UNKNOWN status', withRule({ when: { status: 'UNKNOWN' } }), /"when.status" must be one of/],
    ['empty status list', withRule({ when: { status: [] } }), /"when.status" must not be an empty list/],
    ['bad refundType', withRule({ when: { refundType: 'refund' } }), /"when.refundType" must be one of "refund_only", "return_refund", "exchange", got "refund"/],
    ['shipped as text', withRule({ when: { shipped: 'yes' } }), /"when.shipped" must be true or false, got "yes"/],
    ['bad returnShipping', withRule({ when: { returnShipping: 'ems' } }), /"when.returnShipping" must be one of "express", "post"/],
    ['bad dispute', withRule({ when: { dispute: 'yes' } }), /"when.dispute" must be one of/],
    ['unknown condition', withRule({ when: { platform: 'taobao' } }), /"when.platform" is not a condition/],
    ['bad anchor', withRule({ anchor: 'paidAt' }), /"anchor" must be one of "appliedAt", "returnedAt", "statusSince", got "paidAt"/],
    ['window missing', withRule({ window: undefined }), /"window" must be an object/],
    ['two window units', withRule({ window: { hours: 1, days: 1 } }), /"window" must have exactly one of "hours", "days", "workingDays"/],
    ['unknown window unit', withRule({ window: { weeks: 1 } }), /"window.weeks" is not a window unit/],
    ['negative window', withRule({ window: { hours: -1 } }), /"window.hours" must be a positive number, got -1/],
    ['window as text', withRule({ window: { days: '5' } }), /"window.days" must be a positive number, got "5"/],
    ['fractional days', withRule({ window: { days: 1.5 } }), /"window.days" must be a whole number/],
    ['bad actor', withRule({ actor: 'agent' }), /"actor" must be one of "seller", "buyer", "platform"/],
    ['bad atTimeout', withRule({ atTimeout: 'refund' }), /"atTimeout" must be one of "auto_refund"/],
    ['no source', withRule({ source: '' }), /"source" must say where the number comes from/],
    ['bad confidence', withRule({ confidence: 'high' }), /"confidence" must be one of "official", "commonly-cited", "unconfirmed"/],
    ['note not text', withRule({ note: 3 }), /"note" must be a string/],
    ['duplicate id', { rules: [good, good] }, /rule "my.rule" \(rules\[1\]\): duplicate id/],
  ])('%s', (_name, json, message) => {
    expect(() => loadRuleTable(json, 'my.json')).toThrow(message);
  });

  it('fractional hours are allowed', () => {
    expect(loadRuleTable(withRule({ window: { hours: 1.5 } })).rules[0].window).toEqual({ hours: 1.5 });
  });
});

describe('mergeRules', () => {
  const rule = (id: string, patch: Partial<DeadlineRule> = {}): DeadlineRule => ({
    id,
    when: { status: 'WAIT_SELLER_AGREE' },
    anchor: 'appliedAt',
    window: { hours: 24 },
    actor: 'seller',
    atTimeout: 'auto_refund',
    source: 'test',
    confidence: 'unconfirmed',
    ...patch,
  });

  it('replaces by id in place and puts new rules first', () => {
    const over: RuleTable = {
      platform: 'taobao',
      rules: [rule('taobao.wait-seller-agree.unshipped', { window: { hours: 36 } }), rule('shop.wait-seller-agree.exchange', { when: { status: 'WAIT_SELLER_AGREE', refundType: 'exchange' } })],
    };
    const merged = mergeRules(builtinRules.taobao, over);
    expect(merged.platform).toBe('taobao');
    expect(merged.rules.map((r) => r.id)).toEqual([
      'shop.wait-seller-agree.exchange',
      ...builtinRules.taobao.rules.map((r) => r.id),
    ]);
    const d = deadlineFor(mk({ shipped: false, appliedAt: '2025-04-20 10:00' }), merged, zone, cal);
    expect(iso(d.at)).toBe('2025-04-21T22:00:00+08:00');
    const ex = deadlineFor(mk({ shipped: true, refundType: 'exchange', appliedAt: '2025-04-20 10:00' }), merged, zone, cal);
    expect(ex.rule?.id).toBe('shop.wait-seller-agree.exchange');
    // the base table is untouched
    expect(builtinRules.taobao.rules[1].window).toEqual({ hours: 48 });
  });

  it('accepts a bare array and refuses another platform', () => {
    expect(mergeRules(builtinRules.douyin, [rule('d.x')]).rules[0].id).toBe('d.x');
    expect(() => mergeRules(builtinRules.douyin, { platform: 'taobao', rules: [] })).toThrow(/cannot merge taobao rules into the douyin rule table/);
  });
});

// Node reads TZ once at startup, so the honest proof that the machine's zone does not matter is a
// fresh process per zone running the compiled code (npm test builds dist/ before vitest).
describe('the machine time zone does not matter', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dist = join(root, 'dist', 'domain');
  const calendarData = join(root, 'dist', 'app', 'calendarData.js');
  const sources = [
    ...['deadlines.ts', 'rules.ts', 'calendar.ts', 'time.ts'].map((f) => join(root, 'src', 'domain', f)),
    join(root, 'src', 'app', 'calendarData.ts'),
    ...['taobao.json', 'douyin.json'].map((f) => join(root, 'src', 'rules', f)),
  ];
  const script = `
    const url = (f) => ${JSON.stringify(pathToFileURL(dist).href)} + '/' + f;
    const { deadlineFor } = await import(url('deadlines.js'));
    const { builtinRules } = await import(url('rules.js'));
    const { chinaCalendar } = await import(${JSON.stringify(pathToFileURL(calendarData).href)});
    const { ShopZone } = await import(url('time.js'));
    const zone = new ShopZone();
    const base = { refundId: '1', orderId: '1', platform: 'taobao', statusText: '', amountCents: 1, paidCents: null,
      exportDeadline: null, returnRequired: null, goodsStatus: null, phase: null, disputeState: 'none', disputeText: null,
      evidenceDeadline: null, buyerNick: null, itemTitle: null, sku: null, reason: null, buyerNote: null, returnWaybill: null,
      returnCarrier: null, returnedAt: null, finishedAt: null, sellerNote: null, firstSeenAt: '2025-01-01 00:00' };
    const cases = [
      { status: 'WAIT_SELLER_AGREE', shipped: false, refundType: 'refund_only', appliedAt: '2025-01-30 20:00', statusSince: '2025-01-30 20:00' },
      { status: 'WAIT_SELLER_AGREE', shipped: true, refundType: 'refund_only', appliedAt: '2024-02-27 10:00', statusSince: '2024-02-27 10:00' },
      { status: 'WAIT_SELLER_AGREE', shipped: true, refundType: 'refund_only', appliedAt: '2025-03-07 23:30', statusSince: '2025-03-07 23:30' },
      { status: 'SELLER_REFUSE_BUYER', shipped: true, refundType: 'refund_only', disputeState: 'requested', appliedAt: null, statusSince: '2025-04-30 10:00' },
      { status: 'SELLER_REFUSE_BUYER', shipped: true, refundType: 'refund_only', disputeState: 'requested', appliedAt: null, statusSince: '2025-04-26 23:59' },
      { status: 'SELLER_REFUSE_BUYER', shipped: true, refundType: 'refund_only', disputeState: 'requested', appliedAt: null, statusSince: '2025-09-30 15:00' },
    ];
    const out = cases.map((c) => zone.iso(deadlineFor({ ...base, ...c }, builtinRules, zone, chinaCalendar()).at));
    console.log(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: new Date(2025, 0, 1).getTimezoneOffset(), out }));
  `;
  const expected = [
    '2025-02-01T20:00:00+08:00',
    '2024-03-03T10:00:00+08:00',
    '2025-03-12T23:30:00+08:00', // crosses the US DST change (2025-03-09) with no effect
    '2025-05-08T00:00:00+08:00',
    '2025-04-29T00:00:00+08:00',
    '2025-10-11T00:00:00+08:00',
  ];

  it.each([
    ['UTC', 0],
    ['America/New_York', 300],
    ['Asia/Shanghai', -480],
    ['Pacific/Kiritimati', -840],
  ])('TZ=%s', (tz, offset) => {
    const built = join(dist, 'deadlines.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run "npm run build" first (npm test does)`);
    const builtAt = Math.min(...[...['deadlines.js', 'rules.js', 'calendar.js', 'time.js'].map((f) => join(dist, f)), calendarData].map((f) => statSync(f).mtimeMs));
    const stale = sources.filter((s) => statSync(s).mtimeMs > builtAt);
    if (stale.length > 0) throw new Error(`dist/ is older than ${stale.join(', ')}: run "npm run build" first (npm test does)`);
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout) as { tz: string; offset: number; out: string[] };
    expect(result.offset).toBe(offset); // the child really ran in that zone
    expect(result.tz).toBe(tz);
    expect(result.out).toEqual(expected);
  });
});
