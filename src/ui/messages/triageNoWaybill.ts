import { messageSet } from '../messageSet.js';

// Texts that quote the order's shipping waybill, for a case whose waybill no imported export
// names (a Douyin after-sale export alone, no order report): say where to find it instead of
// "waybill —, —". Picked by src/ui/caseWording.ts when the waybill parameter is unknown.
export const triageNoWaybillMessages = messageSet({
  en: {
    'triage.q.shippedOnly.tracking:noWaybill': 'No export names the waybill: see the order\'s details. Where is the parcel?',
    'triage.check.intercept.carrier:noWaybill': 'Ask the carrier to intercept the parcel (the waybill is in the order\'s details in the seller backend) and send it back.',
  },
  zh: {
    'triage.q.shippedOnly.tracking:noWaybill': '报表中没有发货运单号：请到后台订单详情查看并查询物流。包裹现在在哪里？',
    'triage.check.intercept.carrier:noWaybill': '联系快递拦截包裹（运单号见卖家后台的订单详情）并退回。',
  },
});
