// Cell-level normalization of platform exports. Pure functions: a cell in, a value or a
// FieldProblem out. They run once per cell on files of hundreds of thousands of rows, so they
// avoid regex backtracking and allocation where they can.
import type { DisputeState, RefundStatus, RefundType } from '../domain/types.js';
import { parseShopTime, type ShopZone } from '../domain/time.js';
import statusTexts from '../rules/status-texts.json' with { type: 'json' };

/** A cell that cannot be read. `code` picks the message; `value` is shown (sanitized) to the user. */
export class FieldProblem {
  constructor(
    readonly code: 'id-empty' | 'id-mangled' | 'id-chars' | 'id-number' | 'money' | 'negative-money' | 'time' | 'time-range' | 'int',
    readonly value: string,
  ) {}
}

/**
 * Removes the wrappers exports put around long IDs so spreadsheets keep them as text:
 * `="4123…"`, a leading `'`, tabs, spaces, stray quotes.
 */
export function unwrapId(cell: string): string {
  let s = cell.trim();
  if (s.startsWith('="') && s.endsWith('"')) s = s.slice(2, -1);
  else if (s.startsWith('=')) s = s.slice(1);
  s = s.trim();
  if (s.startsWith("'")) s = s.slice(1);
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) s = s.slice(1, -1);
  return s.trim();
}

const ID_RE = /^[0-9A-Za-z][0-9A-Za-z_-]*$/;
const MANGLED_RE = /^\d(\.\d+)?[eE]\+?\d+$/;

/** A platform ID as text, never a number: they exceed JavaScript's safe integers. */
export function parseId(cell: string): string | FieldProblem {
  const s = unwrapId(cell);
  if (s === '') return new FieldProblem('id-empty', cell);
  if (MANGLED_RE.test(s)) return new FieldProblem('id-mangled', cell);
  if (!ID_RE.test(s) || s.length > 64) return new FieldProblem('id-chars', cell);
  return s;
}

/** An optional ID-like cell (waybill numbers, SKUs): wrappers removed, empty means null. */
export function parseOptionalCode(cell: string): string | null {
  const s = unwrapId(cell);
  return s === '' ? null : s;
}

const SENTINELS = new Set(['', '-', '--', '—', '无', 'null', 'NULL', 'N/A', 'n/a']);
/** Cells in an amount column that state there is no amount at all (e.g. 无退款申请). */
const NO_AMOUNT_RE = /^无/;

/**
 * Money to integer cents without floating point: "59.90", "1,299.00", "¥59.90", "￥59.90",
 * "59.90元", "-12.5". Returns null for an empty cell, FieldProblem for anything else unreadable.
 */
export function parseMoney(cell: string): number | null | FieldProblem {
  const plain = plainCents(cell);
  if (plain >= 0) return plain;
  let s = cell.trim();
  if (SENTINELS.has(s)) return null;
  if (NO_AMOUNT_RE.test(s)) return new FieldProblem('money', cell);
  s = s.replace(/^[¥￥]\s*/, '').replace(/\s*元$/, '');
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  }
  s = s.replace(/^[¥￥]\s*/, '');
  if (!/^\d{1,3}(,\d{3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$/.test(s)) return new FieldProblem('money', cell);
  s = s.replace(/,/g, '');
  const dot = s.indexOf('.');
  const whole = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  if (whole.length > 13) return new FieldProblem('money', cell); // beyond any real order
  const cents = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  return negative ? -cents : cents;
}

/**
 * The usual amount cell, "59.90" / "1299" / "0.5" (digits, then a point and one or two digits),
 * as parseMoney reads it, without regular expressions or substrings; -1 for anything else (then
 * the general path decides). A row has several such cells, and a file hundreds of thousands of rows.
 */
function plainCents(cell: string): number {
  const len = cell.length;
  let whole = 0;
  let i = 0;
  for (; i < len; i++) {
    const d = cell.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  // At most 13 digits before the point (parseMoney's own bound), so `whole` is exact.
  if (i === 0 || i > 13) return -1;
  if (i === len) return whole * 100;
  if (cell.charCodeAt(i) !== 46 || len - i - 1 < 1 || len - i - 1 > 2) return -1;
  const d1 = cell.charCodeAt(i + 1) - 48;
  const d2 = len - i - 1 === 2 ? cell.charCodeAt(i + 2) - 48 : 0;
  if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return -1;
  return whole * 100 + d1 * 10 + d2;
}

/**
 * A workbook's number cell as money, exactly: the double is printed to 15 significant digits
 * (what Excel itself keeps, which drops float noise such as 59.900000000000006) and rounded half
 * away from zero to the fen on that decimal text. No float multiplication.
 */
export function moneyOfNumber(num: number, cell: string): number | FieldProblem {
  if (!Number.isFinite(num) || Math.abs(num) >= 1e13) return new FieldProblem('money', cell);
  const negative = num < 0;
  let text = Math.abs(num).toPrecision(15);
  if (text.includes('e')) text = Math.abs(num).toFixed(20); // tiny amounts: 1e-7 and the like
  const [whole = '0', frac = ''] = text.split('.');
  let cents = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  if ((frac[2] ?? '0') >= '5') cents += 1n;
  const out = Number(cents);
  return negative && out !== 0 ? -out : out;
}

/** A time cell in the shop's zone, as ISO 8601 with offset; null when empty. */
export function parseTimeCell(cell: string, zone: ShopZone): string | null | FieldProblem {
  const s = cell.trim();
  // The usual "YYYY-MM-DD HH:mm:ss" first: no sentinel has that form, and isoOfCanonical refuses 0000-00-00.
  const fast = zone.isoOfCanonical(s);
  if (fast !== undefined) {
    const y = (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + (s.charCodeAt(3) - 48);
    return y >= PLAUSIBLE_YEARS[0] && y <= PLAUSIBLE_YEARS[1] ? fast : new FieldProblem('time-range', cell);
  }
  if (SENTINELS.has(s) || s === '0' || s === '0000-00-00 00:00:00') return null;
  const iso = parseShopTime(s, zone);
  if (iso === null) return new FieldProblem('time', cell);
  const text = typeof iso === 'string' ? iso : zone.iso(iso);
  // Epoch seconds or milliseconds read as a date decades away are a wrong column or a typo, not a deadline.
  const year = Number(text.slice(0, 4));
  if (!(year >= PLAUSIBLE_YEARS[0] && year <= PLAUSIBLE_YEARS[1])) return new FieldProblem('time-range', cell);
  return text;
}

/** The years a shop's export can speak of: Taobao opened in 2003. */
export const PLAUSIBLE_YEARS = [2003, 2099] as const;

export function parseIntCell(cell: string): number | null | FieldProblem {
  const s = cell.trim();
  if (SENTINELS.has(s)) return null;
  if (!/^-?\d{1,9}$/.test(s)) return new FieldProblem('int', cell);
  return Number(s);
}

export function parseYesNo(cell: string): boolean | null {
  const s = cell.trim();
  if (s === '是' || s === 'Y' || s === 'y' || s === 'yes' || s === '需要' || s === 'true' || s === 'TRUE') return true;
  if (s === '否' || s === 'N' || s === 'n' || s === 'no' || s === '不需要' || s === 'false' || s === 'FALSE') return false;
  return null;
}

export function textOrNull(cell: string): string | null {
  const s = cell.trim();
  return s === '' ? null : s;
}

// ---- state texts -------------------------------------------------------------------------------

/** Status texts are compared without punctuation or spaces: exports vary in comma style. */
export function statusKey(text: string): string {
  return text.replace(/[\s,，、;；.。:：!！"'“”‘’()（）\-－—–]/g, '');
}

export interface StatusTextEntry {
  text: string;
  platforms: string[];
  status: RefundStatus;
  actor: 'seller' | 'buyer' | 'platform' | 'none';
  finished: boolean;
  dispute?: DisputeState;
  shipped?: boolean;
  source: string;
  note?: string;
}

/** The shipped table of state texts (src/rules/status-texts.json), by statusKey. */
export const STATUS_TEXTS: ReadonlyMap<string, StatusTextEntry> = new Map(
  (statusTexts.refunds as StatusTextEntry[]).map((e) => [statusKey(e.text), e]),
);
const DISPUTE_TEXTS: ReadonlyMap<string, DisputeState> = new Map(
  (statusTexts.disputes as { text: string; dispute: DisputeState }[]).map((e) => [statusKey(e.text), e.dispute]),
);
const REFUND_STATUS_TEXTS: Record<string, RefundStatus> = Object.fromEntries([...STATUS_TEXTS].map(([k, e]) => [k, e.status]));

/** The normalized refund state; UNKNOWN (kept and flagged) when the text is new to us. */
export function refundStatusOf(text: string): RefundStatus {
  return REFUND_STATUS_TEXTS[statusKey(text)] ?? 'UNKNOWN';
}

const ORDER_STATUS_TEXTS: Record<string, { status: string; shipped: boolean | null }> = {
  等待买家付款: { status: 'WAIT_BUYER_PAY', shipped: false },
  买家已付款等待卖家发货: { status: 'WAIT_SELLER_SEND_GOODS', shipped: false },
  卖家部分发货: { status: 'SELLER_CONSIGNED_PART', shipped: true },
  卖家已发货等待买家确认: { status: 'WAIT_BUYER_CONFIRM_GOODS', shipped: true },
  交易成功: { status: 'TRADE_FINISHED', shipped: true },
  交易关闭: { status: 'TRADE_CLOSED', shipped: null },
  // Douyin order states
  待发货: { status: 'WAIT_SELLER_SEND_GOODS', shipped: false },
  已发货: { status: 'WAIT_BUYER_CONFIRM_GOODS', shipped: true },
  已完成: { status: 'TRADE_FINISHED', shipped: true },
  已关闭: { status: 'TRADE_CLOSED', shipped: null },
};

export function orderStatusOf(text: string): { status: string; shipped: boolean | null } {
  return ORDER_STATUS_TEXTS[statusKey(text)] ?? { status: 'UNKNOWN', shipped: null };
}

/** 客服介入状态 (Taobao) and 仲裁状态 (Douyin) to one scale; a text we do not know counts as in progress. */
export function disputeStateOf(text: string | null): DisputeState {
  return disputeStateKnown(text) ?? 'in_progress';
}

/** The dispute state of a known text, null for a text the table does not know. */
export function disputeStateKnown(text: string | null): DisputeState | null {
  if (!text) return 'none';
  const s = statusKey(text);
  if (s === '') return 'none';
  return DISPUTE_TEXTS.get(s) ?? null;
}

/** Refund type from 是否需要退货 (Taobao) or 售后类型 (Douyin, Taobao 54-column). */
export function refundTypeOf(afterSaleType: string | null, returnRequired: boolean | null): RefundType | null {
  if (afterSaleType) {
    const s = statusKey(afterSaleType);
    // 补寄 (resend) and 维修 (repair) have no type of their own: the seller ships goods, as for an exchange.
    if (s.includes('换货') || s.includes('补寄') || s.includes('维修')) return 'exchange';
    if (s.includes('退货')) return 'return_refund';
    if (s.includes('仅退款')) return 'refund_only';
  }
  if (returnRequired === true) return 'return_refund';
  if (returnRequired === false) return 'refund_only';
  return null;
}

/** Whether goods had shipped, as far as a refund row tells (the order export, when imported, wins). */
export function shippedFromRefundRow(afterSaleType: string | null, shipmentInfo: string | null, goodsStatus: string | null): boolean | null {
  if (afterSaleType) {
    const s = statusKey(afterSaleType);
    if (s.startsWith('未发货')) return false;
    if (s.startsWith('已发货') || s.includes('退货')) return true;
  }
  if (shipmentInfo) return true;
  if (goodsStatus && (goodsStatus.includes('已收到货') || goodsStatus.includes('已退货'))) return true;
  return null;
}
