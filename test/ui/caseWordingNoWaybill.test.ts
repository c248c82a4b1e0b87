// A case whose shipping waybill no export names (a Douyin after-sale export alone) is asked to
// look it up in the backend, not "waybill —, —"; with a waybill the plain text stays.
import { afterEach, describe, expect, it } from 'vitest';
import { caseTranslator } from '../../src/ui/caseWording.js';
import { setLang } from '../../src/ui/i18n.js';
import { triageMessages } from '../../src/ui/messages/triage.js';
import { triageNoWaybillMessages } from '../../src/ui/messages/triageNoWaybill.js';

afterEach(() => setLang('en'));

describe('texts quoting the order waybill', () => {
  it('every :noWaybill variant replaces a real key that quotes {waybill}, in both languages', () => {
    expect(Object.keys(triageNoWaybillMessages.zh).sort()).toEqual(Object.keys(triageNoWaybillMessages.en).sort());
    for (const k of Object.keys(triageNoWaybillMessages.en)) {
      const base = k.replace(/:noWaybill$/, '');
      expect(triageMessages.en[base], base).toContain('{waybill}');
      expect(triageMessages.zh[base], base).toContain('{waybill}');
    }
  });

  it('says where to find an unknown waybill, and quotes a known one', () => {
    setLang('zh');
    const tr = caseTranslator({ platform: 'douyin', overdue: false });
    expect(tr('triage.q.shippedOnly.tracking', { waybill: '—', carrier: '—' })).toBe('报表中没有发货运单号：请到后台订单详情查看并查询物流。包裹现在在哪里？');
    expect(tr('triage.q.shippedOnly.tracking', { waybill: 'ZT1000000000001', carrier: '中通快递' })).toBe('请查询物流（运单号 ZT1000000000001，中通快递）。包裹现在在哪里？');
    setLang('en');
    expect(caseTranslator({ platform: 'taobao', overdue: true })('triage.check.intercept.carrier', { waybill: '—', carrier: '—' })).toBe(
      "Ask the carrier to intercept the parcel (the waybill is in the order's details in the seller backend) and send it back.",
    );
  });
});
