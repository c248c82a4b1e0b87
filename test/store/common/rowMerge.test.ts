// refundContent is written position by position (refundContentInto, reused by the SQLite writer):
// each position must hold the field REFUND_CONTENT names there.
import { describe, expect, it } from 'vitest';
import { REFUND_CONTENT, REFUND_EXTRAS, refundContent, refundContentInto } from '../../../src/store/common/rowMerge.js';
import type { RefundInput } from '../../../src/domain/inputs.js';

const refund: RefundInput = {
  refundId: '2024100112345678', orderId: '3012345678901234567', platform: 'taobao', status: 'WAIT_BUYER_RETURN_GOODS',
  statusText: '等待买家退货', amountCents: 5990, paidCents: 6990, appliedAt: '2025-04-20T10:31:05+08:00',
  exportDeadline: '2025-04-22T10:31:05+08:00', refundType: 'return_refund', returnRequired: true, goodsStatus: '买家已收到货',
  shipped: false, phase: '售后', disputeState: 'requested', disputeText: '需要客服介入', evidenceDeadline: '2025-04-23T10:00:00+08:00',
  buyerNick: 'tb1234', itemTitle: '连衣裙', sku: 'A-1', reason: '尺码不合适', buyerNote: '太大了', returnWaybill: 'sf-1234 5678',
  returnCarrier: '顺丰速运', returnedAt: '2025-04-21T08:00:00+08:00', finishedAt: null, sellerNote: '已联系', extraJson: null,
};

describe('refundContent', () => {
  it('holds each REFUND_CONTENT column at its index, the extras last', () => {
    const byColumn = Object.fromEntries(REFUND_CONTENT.map((col, i) => [col, refundContent(refund, [7, '["x"]'])[i]]));
    expect(byColumn).toEqual({
      platform: 'taobao', order_id: '3012345678901234567', status: 'WAIT_BUYER_RETURN_GOODS', status_text: '等待买家退货',
      amount_cents: 5990, paid_cents: 6990, applied_at: '2025-04-20T10:31:05+08:00', export_deadline: '2025-04-22T10:31:05+08:00',
      refund_type: 'return_refund', return_required: 1, goods_status: '买家已收到货', shipped: 0, phase: '售后',
      dispute_state: 'requested', dispute_text: '需要客服介入', evidence_deadline: '2025-04-23T10:00:00+08:00', buyer_nick: 'tb1234',
      item_title: '连衣裙', sku: 'A-1', reason: '尺码不合适', buyer_note: '太大了', return_waybill: 'sf-1234 5678',
      return_waybill_key: 'SF12345678', return_carrier: '顺丰速运', returned_at: '2025-04-21T08:00:00+08:00', finished_at: null,
      seller_note: '已联系', extra_columns: 7, extra_values: '["x"]',
    });
    expect(REFUND_EXTRAS).toBe(REFUND_CONTENT.length - 2);
  });

  it('refundContentInto overwrites a reused array wholly, up to the extras', () => {
    const out: unknown[] = Array(REFUND_CONTENT.length + 3).fill('stale');
    refundContentInto(out, refund);
    expect(out.slice(0, REFUND_EXTRAS)).toEqual(refundContent(refund, [null, null]).slice(0, REFUND_EXTRAS));
    expect(out.slice(REFUND_EXTRAS)).toEqual(Array(5).fill('stale'));
  });
});
