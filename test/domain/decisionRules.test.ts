import { describe, expect, it } from 'vitest';
import type { Order, Refund } from '../../src/domain/types.js';
import {
  BATCH_AGREE_LIMITS,
  VIOLATION_CODES,
  batchAgreeLimit,
  looksLikeImage,
  planAgreeBatches,
  validateDecision,
  type DecisionInput,
  type RuleContext,
  type ViolationCode,
} from '../../src/domain/decisionRules.js';
import { triageMessages } from '../../src/ui/messages/triage.js';

function mkRefund(over: Partial<Refund> = {}): Refund {
  return {
    refundId: 'R1',
    orderId: 'O1',
    platform: 'taobao',
    status: 'WAIT_SELLER_AGREE',
    statusText: '买家已经申请退款，等待卖家同意',
    amountCents: 10_000,
    paidCents: 10_000,
    appliedAt: null,
    exportDeadline: null,
    refundType: 'refund_only',
    returnRequired: false,
    goodsStatus: null,
    shipped: null,
    phase: null,
    disputeState: 'none',
    disputeText: null,
    evidenceDeadline: null,
    buyerNick: null,
    itemTitle: null,
    sku: null,
    reason: '质量问题',
    buyerNote: null,
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

function mkOrder(shipped: boolean | null): Order {
  return {
    orderId: 'O1', platform: 'taobao', buyerNick: null, statusText: null, status: null, paidCents: 10_000,
    postageCents: null, createdAt: null, paidAt: null, shipped, waybill: null, carrier: null, receiverName: null,
    address: null, phone: null, buyerMessage: null, itemTitle: null, quantity: null, shopName: null, closeReason: null,
  };
}

interface Spec {
  refund?: Partial<Refund>;
  shipped?: boolean | null;
  tmall?: boolean;
  supervisor?: boolean;
  threshold?: number | null;
}

function mkCtx(spec: Spec = {}): RuleContext {
  return {
    refund: mkRefund(spec.refund),
    order: spec.shipped === null ? null : mkOrder(spec.shipped ?? true),
    platformIsTmall: spec.tmall ?? false,
    agent: { name: 'alice', isSupervisor: spec.supervisor ?? false },
    amountThresholdCents: spec.threshold ?? null,
  };
}

const GOOD_REFUSE: DecisionInput = { action: 'refuse', note: '物流显示买家本人已签收', evidence: ['signed.jpg'] };
const codes = (input: DecisionInput, spec: Spec = {}): ViolationCode[] => validateDecision(input, mkCtx(spec)).map((v) => v.code);

interface Row {
  name: string;
  input: DecisionInput;
  spec?: Spec;
  expect: ViolationCode[];
}

const ROWS: Row[] = [
  // finished
  { name: 'approve on a SUCCESS refund', input: { action: 'approve' }, spec: { refund: { status: 'SUCCESS' } }, expect: ['refund-finished'] },
  { name: 'anything on a CLOSED refund, only that violation', input: { action: 'refuse' }, spec: { refund: { status: 'CLOSED' }, shipped: false }, expect: ['refund-finished'] },
  { name: 'wait on a CLOSED refund', input: { action: 'wait' }, spec: { refund: { status: 'CLOSED' } }, expect: ['refund-finished'] },

  // refuse
  { name: 'a well-formed refusal', input: GOOD_REFUSE, expect: [] },
  { name: 'refuse while unshipped', input: GOOD_REFUSE, spec: { shipped: false }, expect: ['refuse-unshipped'] },
  { name: 'refuse with shipped unknown is not blocked', input: GOOD_REFUSE, spec: { shipped: null }, expect: [] },
  { name: 'refuse 七天无理由', input: GOOD_REFUSE, spec: { refund: { reason: '七天无理由退换货' } }, expect: ['refuse-seven-day'] },
  { name: 'refuse 7天无理由, unshipped: both', input: GOOD_REFUSE, spec: { refund: { reason: '7天无理由' }, shipped: false }, expect: ['refuse-unshipped', 'refuse-seven-day'] },
  {
    name: 'refuse a wrong returned item on a 七天无理由 return (orange) is allowed',
    input: GOOD_REFUSE,
    spec: { refund: { reason: '七天无理由退换货', status: 'WAIT_SELLER_CONFIRM_GOODS' } },
    expect: [],
  },
  { name: 'refuse without note or evidence', input: { action: 'refuse' }, expect: ['refuse-note-missing', 'refuse-evidence-missing'] },
  { name: 'refuse with a blank note and blank evidence', input: { action: 'refuse', note: '   ', evidence: ['  ', ''] }, expect: ['refuse-note-missing', 'refuse-evidence-missing'] },
  { name: 'refuse note of 1 character (trimmed)', input: { ...GOOD_REFUSE, note: '  否 ' }, expect: ['refuse-note-length'] },
  { name: 'refuse note of 2 characters', input: { ...GOOD_REFUSE, note: '签收' }, expect: [] },
  { name: 'refuse note of 200 characters', input: { ...GOOD_REFUSE, note: '很'.repeat(200) }, expect: [] },
  { name: 'refuse note of 201 characters', input: { ...GOOD_REFUSE, note: '很'.repeat(201) }, expect: ['refuse-note-length'] },
  { name: 'refuse note of 200 emoji (400 UTF-16 units) counts code points', input: { ...GOOD_REFUSE, note: '😀'.repeat(200) }, expect: [] },
  { name: 'refuse note of 1 emoji (2 UTF-16 units)', input: { ...GOOD_REFUSE, note: '😀' }, expect: ['refuse-note-length'] },
  { name: 'Taobao: a text evidence item is enough', input: { ...GOOD_REFUSE, evidence: ['chat-2025-04-20.txt'] }, expect: [] },
  { name: 'Tmall: a text evidence item is not', input: { ...GOOD_REFUSE, evidence: ['chat-2025-04-20.txt'] }, spec: { tmall: true }, expect: ['refuse-image-required'] },
  { name: 'Tmall: no evidence at all', input: { ...GOOD_REFUSE, evidence: [] }, spec: { tmall: true }, expect: ['refuse-evidence-missing', 'refuse-image-required'] },
  { name: 'Tmall: an image URL with a query', input: { ...GOOD_REFUSE, evidence: ['chat.txt', 'https://img.example.com/a/B.JPG?x=1'] }, spec: { tmall: true }, expect: [] },

  // partial
  { name: 'partial without amount', input: { action: 'partial' }, expect: ['partial-amount-missing'] },
  { name: 'partial of zero', input: { action: 'partial', amountCents: 0 }, expect: ['amount-invalid'] },
  { name: 'partial negative', input: { action: 'partial', amountCents: -100 }, expect: ['amount-invalid'] },
  { name: 'partial fractional cents', input: { action: 'partial', amountCents: 12.5 }, expect: ['amount-invalid'] },
  { name: 'partial of the full amount', input: { action: 'partial', amountCents: 10_000 }, expect: ['partial-amount-range'] },
  { name: 'partial above the amount', input: { action: 'partial', amountCents: 10_001 }, expect: ['partial-amount-range'] },
  { name: 'partial below the amount', input: { action: 'partial', amountCents: 9_999 }, expect: [] },
  { name: 'partial of 1 fen', input: { action: 'partial', amountCents: 1 }, expect: [] },

  // approve / approve-return
  { name: 'approve', input: { action: 'approve' }, expect: [] },
  { name: 'approve with the requested amount', input: { action: 'approve', amountCents: 10_000 }, expect: [] },
  { name: 'approve with another amount', input: { action: 'approve', amountCents: 5_000 }, expect: ['approve-amount-mismatch'] },
  { name: 'approve on an unshipped order', input: { action: 'approve' }, spec: { shipped: false }, expect: [] },
  { name: 'approve-return on an unshipped order', input: { action: 'approve-return' }, spec: { shipped: false }, expect: ['return-unshipped'] },
  { name: 'approve-return when shipped', input: { action: 'approve-return' }, expect: [] },

  // mark-shipped
  { name: 'mark-shipped on an unshipped order', input: { action: 'mark-shipped' }, spec: { shipped: false }, expect: [] },
  { name: 'mark-shipped when shipped is unknown', input: { action: 'mark-shipped' }, spec: { shipped: null }, expect: [] },
  { name: 'mark-shipped on a shipped order', input: { action: 'mark-shipped' }, spec: { shipped: true }, expect: ['mark-shipped-already-shipped'] },

  // threshold
  { name: 'approve above the threshold by an agent', input: { action: 'approve' }, spec: { threshold: 5_000 }, expect: ['threshold-needs-supervisor'] },
  { name: 'approve above the threshold by a supervisor', input: { action: 'approve' }, spec: { threshold: 5_000, supervisor: true }, expect: [] },
  { name: 'approve at the threshold', input: { action: 'approve' }, spec: { threshold: 10_000 }, expect: [] },
  { name: 'approve-return above the threshold', input: { action: 'approve-return' }, spec: { threshold: 5_000 }, expect: ['threshold-needs-supervisor'] },
  { name: 'partial: the partial amount counts, not the request', input: { action: 'partial', amountCents: 4_000 }, spec: { threshold: 5_000 }, expect: [] },
  { name: 'partial above the threshold', input: { action: 'partial', amountCents: 6_000 }, spec: { threshold: 5_000 }, expect: ['threshold-needs-supervisor'] },
  { name: 'refund-postage above the threshold', input: { action: 'refund-postage', amountCents: 6_000 }, spec: { threshold: 5_000 }, expect: ['threshold-needs-supervisor'] },
  { name: 'refund-postage defaults to the requested amount', input: { action: 'refund-postage' }, spec: { threshold: 5_000 }, expect: ['threshold-needs-supervisor'] },
  { name: 'refuse above the threshold is not a give-away', input: GOOD_REFUSE, spec: { threshold: 5_000 }, expect: [] },
  { name: 'escalate above the threshold', input: { action: 'escalate', note: 'big one' }, spec: { threshold: 5_000 }, expect: [] },
  { name: 'contact-buyer and wait are always fine', input: { action: 'contact-buyer' }, spec: { threshold: 1, shipped: false }, expect: [] },
];

describe('validateDecision', () => {
  it.each(ROWS)('$name → $expect', (row) => {
    expect(codes(row.input, row.spec)).toEqual(row.expect);
  });

  it('every code is exercised by the table', () => {
    const seen = new Set(ROWS.flatMap((r) => r.expect));
    expect(VIOLATION_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });

  it('carries the i18n key and params the message needs, in both languages', () => {
    for (const row of ROWS) {
      for (const v of validateDecision(row.input, mkCtx(row.spec))) {
        expect(v.messageKey).toBe(`triage.violation.${v.code}`);
        for (const lang of ['en', 'zh'] as const) {
          const text = triageMessages[lang][v.messageKey];
          expect(text, `${lang} ${v.messageKey}`).toBeDefined();
          for (const m of text.matchAll(/\{(\w+)\}/g)) expect(v.params, `${v.code} {${m[1]}}`).toHaveProperty(m[1]);
        }
      }
    }
  });

  it('reports lengths and amounts for people', () => {
    expect(validateDecision({ ...GOOD_REFUSE, note: '😀' }, mkCtx())[0].params).toEqual({ min: 2, max: 200, length: 1 });
    expect(validateDecision({ action: 'partial', amountCents: 10_000 }, mkCtx())[0].params).toEqual({ amount: '¥100.00', requested: '¥100.00' });
    expect(validateDecision({ action: 'approve' }, mkCtx({ threshold: 5_000 }))[0].params).toEqual({ amount: '¥100.00', threshold: '¥50.00' });
    expect(validateDecision({ action: 'approve' }, mkCtx({ refund: { status: 'SUCCESS' } }))[0].params).toEqual({ status: 'SUCCESS' });
  });
});

describe('looksLikeImage', () => {
  it.each([
    ['a.jpg', true], ['a.JPEG', true], ['photos/b.png', true], ['c.gif', true], ['d.webp', true],
    ['https://x.example/e.png?sig=1#f', true], ['  spaced.jpg  ', true],
    ['a.jpg.txt', false], ['jpg', false], ['chat.txt', false], ['https://x.example/page', false], ['', false],
  ])('%s → %s', (item, ok) => expect(looksLikeImage(item)).toBe(ok));
});

describe('batch agree limits', () => {
  it('Taobao 20 / ¥6,000, Tmall 30 / ¥10,000', () => {
    expect(BATCH_AGREE_LIMITS.taobao).toEqual({ maxRefunds: 20, maxTotalCents: 600_000 });
    expect(BATCH_AGREE_LIMITS.tmall).toEqual({ maxRefunds: 30, maxTotalCents: 1_000_000 });
    expect(batchAgreeLimit(true)).toBe(BATCH_AGREE_LIMITS.tmall);
    expect(batchAgreeLimit(false)).toBe(BATCH_AGREE_LIMITS.taobao);
  });

  it('plans batches within both limits; a refund above the total goes alone', () => {
    const items = [
      ...Array.from({ length: 25 }, (_, i) => ({ id: `s${i}`, amountCents: 1_000 })),
      { id: 'big', amountCents: 700_000 },
      { id: 'm1', amountCents: 400_000 },
      { id: 'm2', amountCents: 300_000 },
    ];
    const { batches, single } = planAgreeBatches(items, BATCH_AGREE_LIMITS.taobao);
    expect(single.map((x) => x.id)).toEqual(['big']);
    expect(batches.map((b) => b.length)).toEqual([20, 6, 1]);
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(20);
      expect(b.reduce((s, x) => s + x.amountCents, 0)).toBeLessThanOrEqual(600_000);
    }
    expect(planAgreeBatches([], BATCH_AGREE_LIMITS.tmall)).toEqual({ batches: [], single: [] });
  });
});
