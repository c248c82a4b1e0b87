// One CSV record to one normalized row: a refund, an order, or a warehouse receipt. Pure, so it can
// run in the parsing worker; problems come back as codes, localized by the caller.
import { hash } from 'node:crypto';
import type { ShopZone } from '../domain/time.js';
import type { OrderInput, ReceiptInput, RefundInput } from '../domain/inputs.js';
import { waybillKey } from '../domain/waybill.js';
import type { FieldSpec, FieldType, HeaderMapping } from './profiles.js';
import {
  FieldProblem,
  PLAUSIBLE_YEARS,
  STATUS_TEXTS,
  disputeStateKnown,
  moneyOfNumber,
  statusKey,
  orderStatusOf,
  parseId,
  parseIntCell,
  parseMoney,
  parseOptionalCode,
  parseTimeCell,
  parseYesNo,
  refundTypeOf,
  shippedFromRefundRow,
  textOrNull,
} from './normalize.js';

export interface RowProblem {
  code: string;
  field?: string;
  header?: string;
  value?: string;
  params?: Record<string, string | number>;
}

/** A row imported with a doubt: which column, what kind of doubt (`code` picks the message), the value. */
export interface RowWarning {
  column: string;
  code: string;
  value?: string;
}

export type NormalizedRow =
  | { target: 'refunds'; row: RefundInput; unknownStatus: boolean; warnings?: RowWarning[] }
  | { target: 'orders'; row: OrderInput; warnings?: RowWarning[] }
  // A receipt's hash is its identity: the same parcel registered twice is one receipt.
  | { target: 'receipts'; row: ReceiptInput; hash: string };

type Value = string | number | boolean | null;

/**
 * Number cells of a workbook, by column: the cell text is the number as JavaScript prints it, and
 * an ID column must know it was a number (Excel keeps 15 significant digits: longer IDs are lost).
 */
export type NumberCells = (number | undefined)[] | null;

/** A mapping's mapped fields in profile order, each with its column, and the Map its rows' values go in. */
interface FieldPlan {
  fields: { f: FieldSpec; idx: number }[];
  values: Map<string, Value>;
}

const plans = new WeakMap<HeaderMapping, FieldPlan>();

function planOf(mapping: HeaderMapping): FieldPlan {
  let plan = plans.get(mapping);
  if (!plan) {
    const fields: FieldPlan['fields'] = [];
    for (const f of mapping.profile.fields) {
      const idx = mapping.columns.get(f.key);
      if (idx !== undefined) fields.push({ f, idx });
    }
    plan = { fields, values: new Map() };
    plans.set(mapping, plan);
  }
  return plan;
}

/**
 * Reads the mapped cells of one record, typed; the first problem rejects the row. The Map is the
 * mapping's own, reused row after row (every row sets the same keys; normalizeRow reads it before
 * it returns): a new Map per row, grown key by key, was most of this function's time and garbage.
 */
function readFields(
  mapping: HeaderMapping,
  cells: string[],
  zone: ShopZone,
  headers: string[],
  numbers: NumberCells,
  warnings: RowWarning[],
): Map<string, Value> | RowProblem {
  const plan = planOf(mapping);
  const out = plan.values;
  for (let i = 0; i < plan.fields.length; i++) {
    const { f, idx } = plan.fields[i]!;
    const cell = cells[idx] ?? '';
    let v = parseCell(f.type, cell, zone, numbers?.[idx]);
    if (v instanceof FieldProblem && f.lenient && v.code === 'time') {
      // Kept as the export wrote it (e.g. 举证超时 written as a note): no deadline comes from it.
      warnings.push({ column: headers[idx]?.trim() ?? f.key, code: 'kept-as-text', value: cell.trim() });
      v = cell.trim();
    }
    // Any unreadable cell rejects the row, optional ones too: a wrong deadline is worse than none.
    if (v instanceof FieldProblem) {
      const params = v.code === 'time-range' ? { from: PLAUSIBLE_YEARS[0], to: PLAUSIBLE_YEARS[1] } : undefined;
      return { code: v.code, field: f.key, header: headers[idx]?.trim(), value: v.value, params };
    }
    // No export states an amount below zero; a minus sign is a wrong column or a hand edit.
    if (f.type === 'money' && typeof v === 'number' && v < 0) return { code: 'negative-money', field: f.key, header: headers[idx]?.trim(), value: cell };
    if (f.required && (v === null || v === '')) {
      return { code: 'required-empty', field: f.key, header: headers[idx]?.trim() };
    }
    out.set(f.key, v);
  }
  return out;
}

/** Excel's serial numbers for 1900-01-01 … 9999-12-31. */
const MAX_SERIAL = 2958465;

function parseCell(type: FieldType, cell: string, zone: ShopZone, num?: number): Value | FieldProblem {
  if (num !== undefined) {
    switch (type) {
      case 'id':
      case 'code':
        // 16+ digits in a number cell: Excel has already replaced the last ones with zeros.
        if (!Number.isInteger(num) || Math.abs(num) >= 1e15) return new FieldProblem('id-number', cell);
        return type === 'id' ? parseId(String(num)) : String(num);
      case 'money':
        return moneyOfNumber(num, cell);
      case 'time':
        // A date without a date format: an Excel serial (days since 1899-12-30), in shop time.
        if (num > 0 && num <= MAX_SERIAL) return parseTimeCell(serialToShopText(num), zone);
        break;
    }
  }
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

/** An Excel serial date as shop wall-clock text ("2025-04-20 10:31:05"): serials carry no zone. */
export function serialToShopText(serial: number): string {
  const ms = Math.round((serial - 25569) * 86400) * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
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

const headerOf = (mapping: HeaderMapping, headers: string[], key: string): string => {
  const i = mapping.columns.get(key);
  return (i === undefined ? undefined : headers[i]?.trim()) ?? key;
};

/** 商品发货状态 / 订单状态 texts that say whether the goods had left. */
function shippedFromText(text: string | null): boolean | null {
  if (!text) return null;
  const k = statusKey(text);
  if (k.includes('未发货') || k.includes('待发货')) return false;
  if (k.includes('已发货') || k.includes('已签收') || k.includes('已收货') || k.includes('待签收') || k.includes('已揽收')) return true;
  return null;
}

export function normalizeRow(
  mapping: HeaderMapping,
  cells: string[],
  zone: ShopZone,
  headers: string[],
  numbers: NumberCells = null,
): NormalizedRow | RowProblem {
  const warnings: RowWarning[] = [];
  const f = readFields(mapping, cells, zone, headers, numbers, warnings);
  if (!(f instanceof Map)) return f;
  const extraCells = extrasOf(mapping, cells);
  const profile = mapping.profile;
  switch (profile.target) {
    case 'refunds': {
      const statusText = s(f.get('statusText'))!;
      const key = statusKey(statusText);
      const known = STATUS_TEXTS.get(key);
      const status = ((profile.statuses?.[key] as RefundInput['status'] | undefined) ?? known?.status ?? 'UNKNOWN') as RefundInput['status'];
      if (status === 'UNKNOWN') warnings.push({ column: headerOf(mapping, headers, 'statusText'), code: 'unknown-status', value: statusText });
      const afterSaleType = s(f.get('afterSaleType'));
      const returnRequired = (f.get('returnRequired') as boolean | null | undefined) ?? null;
      const goodsStatus = s(f.get('goodsStatus'));
      const disputeText = s(f.get('disputeText'));
      let disputeState = disputeStateKnown(disputeText);
      if (disputeState === null) {
        // A dispute text we do not know: treated as under way (the seller may owe evidence), flagged.
        disputeState = 'in_progress';
        warnings.push({ column: headerOf(mapping, headers, 'disputeText'), code: 'unknown-dispute', value: disputeText ?? '' });
      }
      // Some state texts say more than the enum: arbitration under way, shipped or not.
      if (disputeState === 'none' && known?.dispute && !profile.statuses?.[key]) disputeState = known.dispute;
      const userType = afterSaleType ? profile.refundTypes?.[statusKey(afterSaleType)] : undefined;
      const shipped =
        (profile.statuses?.[key] ? null : known?.shipped) ??
        shippedFromText(s(f.get('shippedText'))) ??
        shippedFromText(s(f.get('orderStatusText'))) ??
        shippedFromRefundRow(afterSaleType, s(f.get('shipmentInfo')), goodsStatus);
      const amount = n(f.get('amountCents'));
      if (amount === null) return { code: 'required-empty', field: 'amountCents' };
      const row: RefundInput = {
        refundId: s(f.get('refundId'))!,
        orderId: s(f.get('orderId'))!,
        platform: (profile.platform ?? 'taobao') as RefundInput['platform'],
        status,
        statusText,
        amountCents: amount,
        paidCents: n(f.get('paidCents')),
        appliedAt: s(f.get('appliedAt')),
        exportDeadline: s(f.get('exportDeadline')),
        refundType: userType ?? refundTypeOf(afterSaleType, returnRequired),
        returnRequired: returnRequired ?? (userType ? userType === 'return_refund' : afterSaleType ? afterSaleType.includes('退货') : null),
        goodsStatus,
        shipped,
        phase: s(f.get('phase')),
        disputeState,
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
      return warnings.length
        ? { target: 'refunds', row, unknownStatus: status === 'UNKNOWN', warnings }
        : { target: 'refunds', row, unknownStatus: status === 'UNKNOWN' };
    }
    case 'orders': {
      const statusText = s(f.get('statusText'))!;
      const userStatus = profile.statuses?.[statusKey(statusText)];
      const st = userStatus ? { status: userStatus, shipped: orderShippedOf(userStatus) } : orderStatusOf(statusText);
      if (st.status === 'UNKNOWN') warnings.push({ column: headerOf(mapping, headers, 'statusText'), code: 'unknown-order-status', value: statusText });
      const waybill = s(f.get('waybill'));
      const mobile = s(f.get('mobile'));
      const phone = s(f.get('phone'));
      const row: OrderInput = {
        orderId: s(f.get('orderId'))!,
        platform: (profile.platform ?? 'taobao') as OrderInput['platform'],
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
      return warnings.length ? { target: 'orders', row, warnings } : { target: 'orders', row };
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

/** Whether an order in one of the order states had shipped. */
function orderShippedOf(status: string): boolean | null {
  if (status === 'WAIT_BUYER_PAY' || status === 'WAIT_SELLER_SEND_GOODS') return false;
  if (status === 'SELLER_CONSIGNED_PART' || status === 'WAIT_BUYER_CONFIRM_GOODS' || status === 'TRADE_FINISHED') return true;
  return null;
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
