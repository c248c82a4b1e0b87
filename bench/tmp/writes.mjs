import { openStore } from '../../dist/store/store.js';
import fs from 'node:fs';
const f = '/tmp/w.sqlite'; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
const store = openStore(f);
const base = { platform: 'taobao', orderId: '4123456789012345678', status: 'SUCCESS', statusText: '退款成功', amountCents: 5990, paidCents: 5990, appliedAt: '2025-04-20T10:31:05+08:00', exportDeadline: null, refundType: 'refund_only', returnRequired: false, goodsStatus: '买家未收到货', shipped: true, phase: '售后', disputeState: 'none', disputeText: '不需客服介入', evidenceDeadline: null, buyerNick: '买家昵称', itemTitle: '宝贝标题很长很长的标题', sku: 'SKU-1', reason: '七天无理由退换货', buyerNote: '说明', returnWaybill: null, returnCarrier: null, returnedAt: null, finishedAt: '2025-04-21T10:31:05+08:00', sellerNote: null, extra: null };
let t = Date.now();
store.begin();
for (let i = 0; i < 200000; i++) {
  store.upsertRefund({ ...base, refundId: String(1000000000000000 + i), orderId: String(4000000000000000000n + BigInt(i)) }, 'h' + i, '2025-04-21T09:00:00+08:00', 'x.csv');
}
store.commit();
console.log('insert', Date.now() - t);
t = Date.now();
store.begin();
for (let i = 0; i < 200000; i++) {
  store.upsertRefund({ ...base, refundId: String(1000000000000000 + i) }, 'h' + i, '2025-04-21T09:00:00+08:00', 'x.csv');
}
store.commit();
console.log('unchanged', Date.now() - t);
