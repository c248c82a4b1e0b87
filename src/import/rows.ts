// One CSV record to one normalized row: a refund, an order, or a warehouse receipt. Pure, so it can
// run in the parsing worker; problems come back as codes, localized by the caller.
import { hash } from 'node:crypto';
import type { ShopZone } from '../domain/time.js';
import type { OrderInput, ReceiptInput, RefundInput } from '../store/store.js';
import { waybillKey } from '../store/waybill.js';
import type { FieldType, HeaderMapping } from './profiles.js';
import {
  FieldProblem,
  disputeStateOf,
  orderStatusOf,
  parseId,
  parseIntCell,
  parseMoney,
  parseOptionalCode,
  parseTimeCell,
  parseYesNo,
  refundStatusOf,
  refundTypeOf,
  shippedFromRefundRow,
  textOrNull,
} from './normalize.js';

export interface RowProblem {
  code: string;
  field?: string;
  header?: string;
  value?: string;
}

export type NormalizedRow =
  | { target: 'refunds'; row: RefundInput; unknownStatus: boolean }
  | { target: 'orders'; row: OrderInput }
  // A receipt's hash is its identity: the same parcel registered twice is one receipt.
  | { target: 'receipts'; row: ReceiptInput; hash: string };

type Value = string | number | boolean | null;

/** Reads the mapped cells of one record, typed; the first problem rejects the row. */
function readFields(mapping: HeaderMapping, cells: string[], zone: ShopZone, headers: string[]): Map<string, Value> | RowProblem {
  const out = new Map<string, Value>();
  for (const f of mapping.profile.fields) {
    const idx = mapping.columns.get(f.key);
    if (idx === undefined) continue;
    const cell = cells[idx] ?? '';
    const v = parseCell(f.type, cell, zone);
    // Any unreadable cell rejects the row, optional ones too: a wrong deadline is worse than none.
    if (v instanceof FieldProblem) return { code: v.code, field: f.key, header: headers[idx]?.trim(), value: v.value };
    if (f.required && (v === null || v === '')) {
      return { code: 'required-empty', field: f.key, header: headers[idx]?.trim() };
    }
    out.set(f.key, v);
  }
  return out;
}

function parseCell(type: FieldType, cell: string, zone: ShopZone): Value | FieldProblem {
  switch (type) {
    case 'id':
      return parseId(cell);
    case 'code':
      return parseOptionalCode(cell);
    case 'money':
      return parseMoney(cell);
    case 'time':
      return parseTimeCell(cell, zone);
    case 'int':
      return parseIntCell(cell);
    case 'yesno':
      return parseYesNo(cell);
    default:
      return textOrNull(cell);
  }
}

/** The unmapped cells in `mapping.extras` order (null when all are empty); the file's ExtrasEncoder packs them. */
function extrasOf(mapping: HeaderMapping, cells: string[]): string[] | null {
  let extra: string[] | null = null;
  for (let i = 0; i < mapping.extras.length; i++) {
    const v = cells[mapping.extras[i]!.index];
    if (v === undefined || v === '') continue;
    extra ??= mapping.extras.map((e) => cells[e.index] ?? '');
    break;
  }
  return extra;
}

const s = (v: Value | undefined): string | null => (v === undefined || v === null ? null : String(v));
const n = (v: Value | undefined): number | null => (typeof v === 'number' ? v : null);

function hashOf(values: unknown[]): string {
  // One-shot hashing: no Hash object per row (the same digest as createHash's, so stored hashes hold).
  return hash('sha1', JSON.stringify(values), 'base64');
}

export function normalizeRow(mapping: HeaderMapping, cells: string[], zone: ShopZone, headers: string[]): NormalizedRow | RowProblem {
  const f = readFields(mapping, cells, zone, headers);
  if (!(f instanceof Map)) return f;
  const extraCells = extrasOf(mapping, cells);
  switch (mapping.profile.target) {
    case 'refunds': {
      const statusText = s(f.get('statusText'))!;
      const status = refundStatusOf(statusText);
      const afterSaleType = s(f.get('afterSaleType'));
      const returnRequired = (f.get('returnRequired') as boolean | null | undefined) ?? null;
      const goodsStatus = s(f.get('goodsStatus'));
      const disputeText = s(f.get('disputeText'));
      const amount = n(f.get('amountCents'));
      if (amount === null) return { code: 'required-empty', field: 'amountCents' };
      const row: RefundInput = {
        refundId: s(f.get('refundId'))!,
        orderId: s(f.get('orderId'))!,
        platform: mapping.profile.platform ?? 'taobao',
        status,
        statusText,
        amountCents: amount,
        paidCents: n(f.get('paidCents')),
        appliedAt: s(f.get('appliedAt')),
        exportDeadline: s(f.get('exportDeadline')),
        refundType: refundTypeOf(afterSaleType, returnRequired),
        returnRequired: returnRequired ?? (afterSaleType ? afterSaleType.includes('退货') : null),
        goodsStatus,
        shipped: shippedFromRefundRow(afterSaleType, s(f.get('shipmentInfo')), goodsStatus),
        phase: s(f.get('phase')),
        disputeState: disputeStateOf(disputeText),
        disputeText,
        evidenceDeadline: s(f.get('evidenceDeadline')),
        buyerNick: s(f.get('buyerNick')),
        itemTitle: s(f.get('itemTitle')),
        sku: s(f.get('sku')),
        reason: s(f.get('reason')),
        buyerNote: s(f.get('buyerNote')),
        returnWaybill: s(f.get('returnWaybill')),
        returnCarrier: s(f.get('returnCarrier')),
        returnedAt: s(f.get('returnedAt')),
        finishedAt: s(f.get('finishedAt')),
        sellerNote: s(f.get('sellerNote')),
        extraCells,
        // Set by the file's ExtrasEncoder (produce.ts); here so that every row has one shape.
        extraLayout: null,
        extraValues: null,
      };
      return { target: 'refunds', row, unknownStatus: status === 'UNKNOWN' };
    }
    case 'orders': {
      const statusText = s(f.get('statusText'))!;
      const st = orderStatusOf(statusText);
      const waybill = s(f.get('waybill'));
      const mobile = s(f.get('mobile'));
      const phone = s(f.get('phone'));
      const row: OrderInput = {
        orderId: s(f.get('orderId'))!,
        platform: mapping.profile.platform ?? 'taobao',
        buyerNick: s(f.get('buyerNick')),
        statusText,
        status: st.status,
        paidCents: n(f.get('paidCents')),
        postageCents: n(f.get('postageCents')),
        totalCents: n(f.get('totalCents')),
        createdAt: s(f.get('createdAt')),
        paidAt: s(f.get('paidAt')),
        shipped: st.shipped ?? (waybill ? true : null),
        waybill,
        carrier: s(f.get('carrier')),
        receiverName: s(f.get('receiverName')),
        address: s(f.get('address')),
        phone: mobile ?? phone,
        buyerMessage: s(f.get('buyerMessage')),
        itemTitle: s(f.get('itemTitle')),
        quantity: n(f.get('quantity')),
        shopName: s(f.get('shopName')),
        closeReason: s(f.get('closeReason')),
        extraCells,
        // Set by the file's ExtrasEncoder (produce.ts); here so that every row has one shape.
        extraLayout: null,
        extraValues: null,
      };
      return { target: 'orders', row };
    }
    case 'receipts': {
      const waybill = s(f.get('waybill'))!;
      const condition = conditionOf(s(f.get('condition')));
      if (condition === null) return { code: 'condition', field: 'condition', value: s(f.get('condition')) ?? '' };
      const row: ReceiptInput = {
        waybill,
        waybillKey: waybillKey(waybill),
        carrier: s(f.get('carrier')),
        receivedAt: s(f.get('receivedAt'))!,
        sku: s(f.get('sku')),
        quantity: n(f.get('quantity')),
        condition,
        inspector: s(f.get('inspector')),
        note: s(f.get('note')),
        source: 'import',
      };
      return { target: 'receipts', row, hash: hashOf([row.waybillKey, row.receivedAt, row.sku, row.quantity, row.condition]) };
    }
  }
}

/** Inspection results as warehouses write them. */
export function conditionOf(text: string | null): ReceiptInput['condition'] | null {
  if (text === null) return 'ok';
  const t = text.replace(/\s/g, '').toLowerCase();
  if (['正常', '完好', '良好', '合格', 'ok', '无问题', '已验收'].includes(t)) return 'ok';
  if (['破损', '损坏', '有损坏', '人为损坏', 'damaged', '二次销售受影响'].includes(t) || t.includes('破损') || t.includes('损坏')) return 'damaged';
  if (['错货', '非本店商品', '不是我们的货', 'wrong-item', '货不对版'].includes(t) || t.includes('错货') || t.includes('非本店')) return 'wrong-item';
  if (['空包', '空箱', 'empty'].includes(t) || t.includes('空包')) return 'empty';
  return null;
}
