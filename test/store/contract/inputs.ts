// Inputs of the store contract suite, backend-neutral: the fixture exports read by the real
// producing half of the import (src/import/produce.ts: decode, header, normalize, lean extras),
// which knows no store, and a few literal rows for what no fixture holds.
import fs from 'node:fs';
import type { Clock } from '../../../src/domain/time.js';
import type { Refund } from '../../../src/domain/types.js';
import { detectEncoding } from '../../../src/import/decode.js';
import { produceRows } from '../../../src/import/produce.js';
import type { NewDecision, OrderInput, ReceiptInput, RefundInput, StoredDeadline } from '../../../src/domain/inputs.js';
import { fixture } from '../../helpers/cli.js';

export const ZONE = 'Asia/Shanghai';
/** "Now" of every fixture. */
export const NOW_ISO = '2025-04-21T09:00:00+08:00';
export const NOW = Date.parse(NOW_ISO);
export const LATER_ISO = '2025-04-22T09:00:00+08:00';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface ReadExport {
  file: string;
  kind: string;
  encoding: string;
  bytes: number;
  refunds: RefundInput[];
  orders: OrderInput[];
  receipts: { row: ReceiptInput; hash: string }[];
  /** Physical lines the normalizer rejected. */
  rejected: number[];
}

/** A fixture file as the import hands it to the ImportWriter (one array per target, in file order). */
export async function readExport(name: string): Promise<ReadExport> {
  const file = fixture(name);
  const bytes = fs.readFileSync(file);
  const encoding = detectEncoding(bytes, true);
  const out: ReadExport = { file: name, kind: '', encoding, bytes: bytes.length, refunds: [], orders: [], receipts: [], rejected: [] };
  await produceRows(fs.createReadStream(file), { file: name, encoding, zoneName: ZONE, format: 'csv' }, {
    header: (kind) => {
      out.kind = kind;
    },
    batch: (items) => {
      for (const { line, result } of items) {
        if (!('target' in result)) out.rejected.push(line);
        else if (result.target === 'refunds') out.refunds.push(result.row);
        else if (result.target === 'orders') out.orders.push(result.row);
        else out.receipts.push({ row: result.row, hash: result.hash });
      }
    },
  });
  return out;
}

/**
 * A deadline rule of the suite's own (the store knows no rules, it stores what it is given): the
 * export's deadline; waiting on the buyer while the buyer must return goods, on the platform
 * while a refusal is disputed, on nobody for an unknown state, else on the seller.
 */
export function testDeadlineOf(r: Refund): StoredDeadline {
  const actor: StoredDeadline['actor'] =
    r.status === 'WAIT_BUYER_RETURN_GOODS' ? 'buyer' : r.status === 'SELLER_REFUSE_BUYER' ? 'platform' : r.status === 'UNKNOWN' ? 'none' : 'seller';
  return r.exportDeadline
    ? { at: Date.parse(r.exportDeadline), source: 'export', rule: null, actor, atTimeout: 'auto-agree' }
    : { at: null, source: null, rule: null, actor, atTimeout: null };
}

/** A clock the test moves by hand: what "the store's clock" is for claims where the backend follows it. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export const refundInput = (over: Partial<RefundInput> = {}): RefundInput => ({
  refundId: '2024100112345678', orderId: '3012345678901234567', platform: 'taobao', status: 'WAIT_SELLER_AGREE',
  statusText: '买家已经申请退款，等待卖家同意', amountCents: 5990, paidCents: 5990, appliedAt: '2025-04-20T10:31:05+08:00',
  exportDeadline: '2025-04-22T10:31:05+08:00', refundType: 'refund_only', returnRequired: false, goodsStatus: '买家未收到货',
  shipped: false, phase: '售中', disputeState: 'none', disputeText: null, evidenceDeadline: null, buyerNick: 'tb1234',
  itemTitle: '连衣裙', sku: 'A-1', reason: '不想要了', buyerNote: null, returnWaybill: null, returnCarrier: null,
  returnedAt: null, finishedAt: null, sellerNote: null, extraJson: '{"审核操作人":"大刘"}', ...over,
});

export const orderInput = (over: Partial<OrderInput> = {}): OrderInput => ({
  orderId: '3012345678901234567', platform: 'taobao', buyerNick: 'tb1234', statusText: '卖家已发货，等待买家确认',
  status: 'WAIT_BUYER_CONFIRM_GOODS', paidCents: 5990, postageCents: 0, totalCents: 5990, createdAt: '2025-04-18T08:00:00+08:00',
  paidAt: '2025-04-18T08:01:00+08:00', shipped: true, waybill: 'SF1234567890', carrier: '顺丰速运', receiverName: '张三',
  address: '浙江省 杭州市', phone: '13800000000', buyerMessage: null, itemTitle: '连衣裙', quantity: 1, shopName: '店',
  closeReason: null, extraJson: null, ...over,
});

export const decisionInput = (over: Partial<NewDecision> = {}): NewDecision => ({
  refundId: '158700112233445502', action: 'approve', amountCents: 129900, note: '同意', evidence: ['截图1'], agent: 'xiaoli',
  decidedAt: '2025-04-21T09:10:00+08:00', statusAtDecision: 'WAIT_SELLER_AGREE', expectedStatus: ['SUCCESS'],
  checklist: ['在千牛同意退款'], buyerMessage: null, source: 'triage', flags: null, ...over,
});
