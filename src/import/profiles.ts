// Header profiles: how each platform export names its columns, across versions. Files are
// recognised by their headers and mapped by name through aliases, never by position.
import { REFUND_IMPORT_KIND, type RefundImportKind } from '../domain/platforms.js';

export type FieldType = 'id' | 'code' | 'text' | 'money' | 'time' | 'int' | 'yesno';

export interface FieldSpec {
  /** Our name for the field. */
  key: string;
  /** Header texts seen in exports, first is canonical. Matched after trimming and removing spaces. */
  aliases: string[];
  type: FieldType;
  /** A file without this column cannot be imported. */
  required?: boolean;
  /** An unreadable time is kept as text with a warning instead of rejecting the row. */
  lenient?: boolean;
}

/** The built-in kinds: each platform's refund export (domain/platforms.ts), Taobao's order report, the warehouse's log. */
export type BuiltinKind = RefundImportKind | 'taobao-orders' | 'warehouse-returns';
/** A built-in kind, or the `name` of a user profile (config `profiles`). */
export type ExportKind = string;

export interface Profile {
  kind: ExportKind;
  /** Built-in platforms, or any name a user profile gives (its refunds get no rule deadlines). */
  platform: string | null;
  target: 'refunds' | 'orders' | 'receipts';
  /** Headers that identify the export; the best-scoring profile wins. */
  signature: string[];
  fields: FieldSpec[];
  /** State texts (by statusKey) -> state, checked before the shipped table (user profiles). */
  statuses?: Record<string, string>;
  /** Refund-type texts (by statusKey) -> refund type, checked before the built-in guess. */
  refundTypes?: Record<string, 'refund_only' | 'return_refund' | 'exchange'>;
  /** Where the profile comes from: built in, or the user's config (and which built-in it extends). */
  origin?: { user: true; extends?: string } | { user: false };
}

export const PROFILES: Profile[] = [
  {
    kind: REFUND_IMPORT_KIND.taobao,
    platform: 'taobao',
    target: 'refunds',
    signature: ['退款编号', '退款状态', '买家退款金额', '退款的申请时间', '超时时间', '货物状态', '客服介入状态', '买家退款原因', '是否需要退货'],
    fields: [
      { key: 'refundId', aliases: ['退款编号', '退款单号', '退款ID'], type: 'id', required: true },
      { key: 'orderId', aliases: ['订单编号', '订单号', '子订单编号', '主订单编号'], type: 'id', required: true },
      { key: 'alipayNo', aliases: ['支付宝交易号'], type: 'code' },
      { key: 'paidAt', aliases: ['订单付款时间', '付款时间'], type: 'time' },
      { key: 'sku', aliases: ['商家编码', '商品编码', '商家货号'], type: 'code' },
      // 完结时间 alone is a duration in some reports (0.25天), not a time: it stays in extra_json.
      { key: 'finishedAt', aliases: ['退款完结时间'], type: 'time' },
      { key: 'buyerNick', aliases: ['买家会员名称', '买家会员名', '买家昵称'], type: 'text' },
      { key: 'paidCents', aliases: ['买家实际支付金额', '买家实付金额', '实付金额'], type: 'money' },
      { key: 'itemTitle', aliases: ['宝贝标题', '商品标题', '商品名称'], type: 'text' },
      { key: 'amountCents', aliases: ['买家退款金额', '退款金额', '申请退款金额'], type: 'money', required: true },
      { key: 'refundMode', aliases: ['手工退款/系统退款'], type: 'text' },
      { key: 'returnRequired', aliases: ['是否需要退货', '是否退货'], type: 'yesno' },
      { key: 'appliedAt', aliases: ['退款的申请时间', '退款申请时间', '申请时间'], type: 'time' },
      { key: 'exportDeadline', aliases: ['超时时间', '退款超时时间', '超时截止时间'], type: 'time' },
      { key: 'statusText', aliases: ['退款状态'], type: 'text', required: true },
      { key: 'goodsStatus', aliases: ['货物状态'], type: 'text' },
      { key: 'returnLogistics', aliases: ['退货物流信息'], type: 'text' },
      { key: 'shipmentInfo', aliases: ['发货物流信息'], type: 'text' },
      { key: 'disputeText', aliases: ['客服介入状态', '小二介入状态'], type: 'text' },
      { key: 'returnWaybill', aliases: ['退货物流单号', '退货运单号'], type: 'code' },
      { key: 'returnCarrier', aliases: ['退货物流公司', '退货快递公司'], type: 'text' },
      { key: 'reason', aliases: ['买家退款原因', '退款原因'], type: 'text' },
      { key: 'buyerNote', aliases: ['买家退款说明', '退款说明'], type: 'text' },
      { key: 'returnedAt', aliases: ['买家退货时间', '退货时间'], type: 'time' },
      { key: 'phase', aliases: ['售中或售后'], type: 'text' },
      { key: 'sellerNote', aliases: ['商家备注', '卖家备注'], type: 'text' },
      { key: 'evidenceDeadline', aliases: ['举证超时', '举证超时时间'], type: 'time', lenient: true },
      { key: 'afterSaleType', aliases: ['售后类型', '退款类型'], type: 'text' },
    ],
  },
  {
    kind: 'taobao-orders',
    platform: 'taobao',
    target: 'orders',
    signature: ['订单编号', '买家会员名', '买家应付货款', '买家应付邮费', '订单状态', '收货人姓名', '收货地址', '运送方式', '订单创建时间', '宝贝种类', '物流单号', '主订单编号', '买家实付金额', '商品属性SKU'],
    fields: [
      // 千牛's order-line export has no 订单编号: 主订单编号 is the order (子订单编号, the line, stays in extra_json).
      { key: 'orderId', aliases: ['订单编号', '主订单编号', '订单号'], type: 'id', required: true },
      { key: 'buyerNick', aliases: ['买家会员名', '买家会员名称', '买家昵称'], type: 'text' },
      { key: 'goodsCents', aliases: ['买家应付货款'], type: 'money' },
      { key: 'postageCents', aliases: ['买家应付邮费'], type: 'money' },
      { key: 'totalCents', aliases: ['总金额'], type: 'money' },
      { key: 'paidCents', aliases: ['买家实际支付金额', '买家实付金额', '实付金额'], type: 'money' },
      { key: 'statusText', aliases: ['订单状态'], type: 'text', required: true },
      { key: 'buyerMessage', aliases: ['买家留言'], type: 'text' },
      { key: 'receiverName', aliases: ['收货人姓名', '收货人'], type: 'text' },
      { key: 'address', aliases: ['收货地址', '收货地址 '], type: 'text' },
      { key: 'shippingMethod', aliases: ['运送方式'], type: 'text' },
      { key: 'phone', aliases: ['联系电话'], type: 'code' },
      { key: 'mobile', aliases: ['联系手机', '手机'], type: 'code' },
      { key: 'createdAt', aliases: ['订单创建时间', '下单时间'], type: 'time' },
      { key: 'paidAt', aliases: ['订单付款时间', '付款时间'], type: 'time' },
      { key: 'itemTitle', aliases: ['宝贝标题', '商品标题', '商品名称'], type: 'text' },
      { key: 'waybill', aliases: ['物流单号', '运单号'], type: 'code' },
      { key: 'carrier', aliases: ['物流公司', '快递公司'], type: 'text' },
      { key: 'quantity', aliases: ['宝贝总数量', '商品数量'], type: 'int' },
      { key: 'shopName', aliases: ['店铺名称'], type: 'text' },
      { key: 'closeReason', aliases: ['订单关闭原因'], type: 'text' },
    ],
  },
  {
    kind: REFUND_IMPORT_KIND.douyin,
    platform: 'douyin',
    target: 'refunds',
    signature: ['售后单号', '售后类型', '售后状态', '售后申请时间', '退商品金额（元）', '自动处理截止时间', '仲裁状态', '商品单号', '用户售后说明', '售后完结时间', '商品发货状态'],
    fields: [
      { key: 'refundId', aliases: ['售后单号', '售后单ID', '售后ID'], type: 'id', required: true },
      // Not 订单编号: that is Pinduoduo's and Taobao's word; a file with 售后单号 + 订单编号 is neither
      // layout (e.g. Kuaishou) and must be refused, naming what it lacks, not read as Douyin.
      { key: 'orderId', aliases: ['订单号', '主订单号', '父订单号'], type: 'id', required: true },
      { key: 'lineId', aliases: ['商品单号', '子订单号'], type: 'code' },
      { key: 'itemTitle', aliases: ['商品名称', '商品标题'], type: 'text' },
      { key: 'sku', aliases: ['商家编码', '商品编码'], type: 'code' },
      { key: 'afterSaleType', aliases: ['售后类型'], type: 'text' },
      {
        key: 'amountCents',
        aliases: ['退商品金额（元）', '退款金额（元）', '申请退款金额（元）', '售后金额（元）', '退款金额', '申请退款金额'],
        type: 'money',
        required: true,
      },
      { key: 'statusText', aliases: ['售后状态'], type: 'text', required: true },
      { key: 'appliedAt', aliases: ['售后申请时间', '申请时间'], type: 'time' },
      { key: 'reason', aliases: ['售后原因', '退款原因'], type: 'text' },
      { key: 'buyerNote', aliases: ['用户售后说明', '售后描述', '申请描述', '买家留言', '问题描述'], type: 'text' },
      { key: 'sellerNote', aliases: ['售后备注', '商家备注'], type: 'text' },
      { key: 'returnWaybill', aliases: ['退货物流单号', '退货运单号'], type: 'code' },
      { key: 'returnCarrier', aliases: ['退货物流公司'], type: 'text' },
      { key: 'exportDeadline', aliases: ['自动处理截止时间', '超时时间'], type: 'time' },
      { key: 'disputeText', aliases: ['仲裁状态'], type: 'text' },
      { key: 'shippedText', aliases: ['商品发货状态', '发货状态'], type: 'text' },
      { key: 'buyerNick', aliases: ['买家昵称', '用户昵称'], type: 'text' },
      // 应付金额 is what the buyer owed for the line: the paid amount when the export has no 实付金额.
      { key: 'paidCents', aliases: ['实付金额（元）', '订单实付金额', '应付金额（元）'], type: 'money' },
      { key: 'finishedAt', aliases: ['售后完结时间', '完结时间'], type: 'time' },
      // 退货发货时间: when the buyer sent the return off (the orange state's rule counts from it).
      { key: 'returnedAt', aliases: ['退货发货时间', '买家退货时间', '退货时间'], type: 'time' },
      { key: 'shipmentInfo', aliases: ['发货物流单号'], type: 'code' },
    ],
  },
  {
    kind: REFUND_IMPORT_KIND.pdd,
    platform: 'pdd',
    target: 'refunds',
    signature: ['售后编号', '订单编号', '售后状态', '申请时间', '退款金额', '退款类型', '退款原因', '订单状态', '发货运单号', '退货运单号', '交易金额', '退货物流状态', '同意退款时间', '退款成功时间', '售后完成时间'],
    fields: [
      { key: 'refundId', aliases: ['售后编号', '售后单编号'], type: 'id', required: true },
      // Pinduoduo order IDs look like 250418-123456789012345 (the dash is part of the ID).
      { key: 'orderId', aliases: ['订单编号', '订单号'], type: 'id', required: true },
      { key: 'statusText', aliases: ['售后状态'], type: 'text', required: true },
      { key: 'appliedAt', aliases: ['申请时间', '售后申请时间'], type: 'time' },
      { key: 'amountCents', aliases: ['退款金额（元）', '退款金额', '申请退款金额（元）', '申请退款金额'], type: 'money', required: true },
      { key: 'afterSaleType', aliases: ['退款类型', '售后类型'], type: 'text' },
      { key: 'reason', aliases: ['退款原因', '售后原因'], type: 'text' },
      { key: 'orderStatusText', aliases: ['订单状态'], type: 'text' },
      { key: 'shipmentInfo', aliases: ['发货运单号', '发货物流单号'], type: 'code' },
      { key: 'returnWaybill', aliases: ['退货运单号', '退货物流单号'], type: 'code' },
      { key: 'returnCarrier', aliases: ['退货物流公司', '退货快递公司'], type: 'text' },
      { key: 'paidCents', aliases: ['交易金额（元）', '交易金额', '实付金额（元）', '实付金额'], type: 'money' },
      { key: 'returnLogistics', aliases: ['退货物流状态'], type: 'text' },
      { key: 'finishedAt', aliases: ['售后完成时间', '退款成功时间'], type: 'time' },
      { key: 'itemTitle', aliases: ['商品名称', '商品'], type: 'text' },
      { key: 'buyerNick', aliases: ['买家', '买家昵称'], type: 'text' },
      { key: 'sellerNote', aliases: ['备注', '商家备注'], type: 'text' },
      { key: 'buyerNote', aliases: ['退款说明', '售后说明'], type: 'text' },
      { key: 'exportDeadline', aliases: ['处理截止时间', '超时时间'], type: 'time' },
    ],
  },
  {
    kind: 'warehouse-returns',
    platform: null,
    target: 'receipts',
    signature: ['退货物流单号', '运单号', '签收时间', '验货结果', '验货人', '数量'],
    fields: [
      { key: 'waybill', aliases: ['退货物流单号', '运单号', '快递单号', '物流单号'], type: 'code', required: true },
      { key: 'carrier', aliases: ['物流公司', '快递公司', '退货物流公司'], type: 'text' },
      { key: 'receivedAt', aliases: ['签收时间', '收货时间', '入库时间'], type: 'time', required: true },
      { key: 'sku', aliases: ['商家编码', '商品编码', 'SKU'], type: 'code' },
      { key: 'quantity', aliases: ['数量', '件数'], type: 'int' },
      { key: 'condition', aliases: ['验货结果', '货物状况', '状态'], type: 'text' },
      { key: 'inspector', aliases: ['验货人', '登记人'], type: 'text' },
      { key: 'note', aliases: ['备注'], type: 'text' },
    ],
  },
];

/** Headers are compared trimmed, without inner spaces, full-width brackets folded. */
export function headerKey(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

export interface HeaderMapping {
  profile: Profile;
  /** Field key -> column index. */
  columns: Map<string, number>;
  /** Columns no field claims: kept as raw extras. */
  extras: { index: number; name: string }[];
  missingRequired: FieldSpec[];
  /** Header names seen more than once (the first wins; later ones are kept as extras). */
  duplicates: string[];
}

/** Header keys for signature matching: 退款金额（元） also counts as 退款金额. */
export function signatureKeys(headers: string[]): Set<string> {
  const keys = new Set<string>();
  for (const h of headers) {
    const k = headerKey(h);
    keys.add(k);
    if (k.endsWith('（元）')) keys.add(k.slice(0, -3));
  }
  return keys;
}

function score(profile: Profile, keys: Set<string>): number {
  let n = 0;
  for (const s of profile.signature) if (keys.has(headerKey(s))) n++;
  return n;
}

/** The profile whose signature the headers come nearest to, and the signature headers they lack. */
export function closestProfile(headers: string[], profiles: Profile[] = PROFILES): { profile: Profile; hits: number; lacks: string[] } | null {
  const keys = signatureKeys(headers);
  let best: { profile: Profile; hits: number; lacks: string[] } | null = null;
  for (const p of profiles) {
    const hits = score(p, keys);
    if (!best || hits / p.signature.length > best.hits / best.profile.signature.length) {
      best = { profile: p, hits, lacks: p.signature.filter((s) => !keys.has(headerKey(s))) };
    }
  }
  return best;
}

/** Picks the export kind from a header row, or null when nothing fits (fewer than 3 signature hits). */
export function recognise(headers: string[], profiles: Profile[] = PROFILES, forced?: string): HeaderMapping | null {
  if (forced) {
    const p = profiles.find((x) => x.kind === forced);
    return p ? mapHeaders(p, headers) : null;
  }
  const keys = signatureKeys(headers);
  // Candidates: three signature headers (all of them, for a user profile with a shorter signature).
  // A layout whose key columns (IDs, state, amount) are all there beats one that lacks some; then
  // the largest share of its signature wins (a user profile's three headers, all present, beat
  // five of a built-in's fifteen); then the most headers; then the first (user profiles first).
  let best: { mapping: HeaderMapping; complete: boolean; share: number; hits: number } | null = null;
  for (const p of profiles) {
    const hits = score(p, keys);
    if (hits === 0 || hits < Math.min(3, p.signature.length)) continue;
    const share = hits / p.signature.length;
    const mapping = mapHeaders(p, headers);
    const complete = mapping.missingRequired.length === 0;
    const better =
      !best ||
      (complete && !best.complete) ||
      (complete === best.complete && (share > best.share || (share === best.share && hits > best.hits)));
    if (better) best = { mapping, complete, share, hits };
  }
  return best?.mapping ?? null;
}

export function mapHeaders(profile: Profile, headers: string[]): HeaderMapping {
  const byKey = new Map<string, number>();
  const duplicates: string[] = [];
  headers.forEach((h, i) => {
    const k = headerKey(h);
    if (k === '') return;
    if (byKey.has(k)) duplicates.push(h.trim());
    else byKey.set(k, i);
  });
  const columns = new Map<string, number>();
  const claimed = new Set<number>();
  const missingRequired: FieldSpec[] = [];
  for (const f of profile.fields) {
    const idx = f.aliases.map((a) => byKey.get(headerKey(a))).find((i) => i !== undefined && !claimed.has(i));
    if (idx === undefined) {
      if (f.required) missingRequired.push(f);
      continue;
    }
    columns.set(f.key, idx);
    claimed.add(idx);
  }
  const extras: { index: number; name: string }[] = [];
  const extraNames = new Set<string>();
  headers.forEach((h, i) => {
    if (claimed.has(i)) return;
    const name = h.replace(/^\uFEFF/, '').trim();
    if (name === '') return;
    const unique = extraNames.has(name) ? `${name}#${i + 1}` : name;
    extraNames.add(unique);
    extras.push({ index: i, name: unique });
  });
  return { profile, columns, extras, missingRequired, duplicates };
}
