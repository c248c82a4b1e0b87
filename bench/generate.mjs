#!/usr/bin/env node
// Generates the benchmark's input files from a fixed seed (issue 7):
//   bench/out/refunds-<N>.csv   Taobao 退款报表, the 2017-era 38 columns, GBK, CRLF
//   bench/out/orders-<M>.csv    Taobao ExportOrderList, 28 columns, GBK, CRLF
//   bench/out/refunds-<N>.utf8.csv   a UTF-8 copy of the refund report (sqlite3's .import and
//                                    sqlite-utils do not decode GBK)
// with the quirks of real exports: IDs written ="…", Chinese text, quoted fields holding commas,
// doubled quotes and line breaks, amounts like 59.90 and "1,299.00", times 2025-04-20 10:31:05,
// a trailing space in one order header, mobiles written '138…, a few hostile buyer texts.
//
// Files are cached: each has a .meta.json beside it; a file whose meta matches (generator version,
// seed, sizes, byte count) is not rewritten.
//
// Usage: node bench/generate.mjs            (BENCH_ROWS, BENCH_ORDER_ROWS, BENCH_SEED from env)
//
// Speed: every Chinese piece is encoded to GBK once, up front, and kept as a latin1 "binary"
// string (one char per byte; ASCII is the same in GBK). Rows are then built by string concatenation
// and written as Buffer.from(chunk, 'latin1'): no per-row encoding. GBK trail bytes are 0x40-0xFE,
// so a byte-string never shows a false comma, quote or line break to the CSV quoting test.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { rng, scramble12 } from './lib/prng.mjs';
import * as P from './lib/pools.mjs';

const GEN_VERSION = 3; // bump when the output format changes, to invalidate caches
export const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
export const DEFAULT_SEED = 20250421;
/** "Now" of the data set; run.mjs passes the same instant as --now. */
export const NOW_ISO = '2025-04-21T09:00:00+08:00';
const NOW = Date.UTC(2025, 3, 21, 1, 0, 0) / 1000; // epoch seconds of NOW_ISO

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

// ---- GBK byte-strings ---------------------------------------------------------------------------

const G = (s) => iconv.encode(s, 'gbk').toString('latin1');
const gAll = (arr) => arr.map(G);
const gTable = (table) => table.map(([w, v]) => [w, G(v)]);

const CRLF = '\r\n';
const needsQuote = /[",\r\n]/;
/** One CSV cell (already a byte-string). */
function q(s) {
  if (!needsQuote.test(s)) return s;
  return '"' + s.replace(/"/g, '""') + '"';
}
/** An ID as Taobao writes it so spreadsheets keep it text: ="4123…" (unquoted in the file). */
const eqId = (digits) => '="' + digits + '"';

function pad2(n) {
  return n < 10 ? '0' + n : '' + n;
}
/** Epoch seconds -> "2025-04-20 10:31:05" in Asia/Shanghai (UTC+8, no DST). */
function fmtTime(ts) {
  const d = new Date((ts + 8 * HOUR) * 1000);
  return (
    d.getUTCFullYear() + '-' + pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate()) + ' ' +
    pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ':' + pad2(d.getUTCSeconds())
  );
}
function ymd(ts) {
  const d = new Date((ts + 8 * HOUR) * 1000);
  return '' + d.getUTCFullYear() + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate());
}
/** Cents -> "59.90" / "1,299.00" (the comma makes the cell quoted). */
function fmtMoney(cents) {
  const neg = cents < 0;
  if (neg) cents = -cents;
  let whole = String(Math.floor(cents / 100));
  const frac = pad2(cents % 100);
  if (whole.length > 3) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + whole + '.' + frac;
}

// ---- shared pieces ------------------------------------------------------------------------------

const SURNAMES = gAll(P.SURNAMES);
const GIVEN = gAll(P.GIVEN);
const NICK_HEADS = gAll(P.NICK_HEADS);
const BRAND_TAGS = gAll(P.BRAND_TAGS);
const SEASONS = gAll(P.SEASONS);
const ITEMS = P.ITEMS.map(([a, b]) => [G(a), G(b)]);
const SPECS = gAll(P.SPECS);
const REASONS = gTable(P.REASONS);
const NOTE_PHRASES = gAll(P.NOTE_PHRASES);
const SELLER_NOTES = gAll(P.SELLER_NOTES);
const CARRIERS = P.CARRIERS.map(([name, prefix, len]) => ({ name: G(name), prefix, len }));
const DISPUTE = gTable(P.DISPUTE);
const AGENTS = gAll(P.AGENTS);
const PROVINCES = P.PROVINCES.map(([p, c, ds]) => [G(p), G(c), gAll(ds)]);
const STREETS = gAll(P.STREETS);
const BUILDINGS = gAll(P.BUILDINGS);
const ORDER_STATUS = gTable(P.ORDER_STATUS);
const CLOSE_REASONS = gAll(P.CLOSE_REASONS);
const BUYER_MESSAGES = gAll(P.BUYER_MESSAGES);
const S = Object.fromEntries(Object.entries(P.STATUS).map(([k, v]) => [k, G(v)]));
const S_ASCII_COMMA = Object.fromEntries(Object.entries(P.STATUS).map(([k, v]) => [k, G(v.replace('，', ','))]));
const W = Object.fromEntries(
  ['是', '否', '系统退款', '手工退款', '买家未收到货', '买家已收到货', '买家已退货', '售中', '售后', '部分退款', '全部退款',
    '买家', '卖家', '物流', '系统', '客服:', '号', '栋', '单元', '室', '，', '快递', 'EMS', '平邮', '旗舰店', '运单号:']
    .map((w) => [w, G(w)]),
);
const HOSTILE = [
  G('=HYPERLINK("http://example.invalid/","点击领取补偿")'),
  G('+cmd|\' /C calc\'!A0'),
  G('\x1b[2J\x1b[31m紧急\x1b[0m 请立即退款'),
  G('@SUM(1+1)*cmd'),
];

/** The order ID of order index i: 19 digits, unique (the last 12 are a bijection of i). */
export function orderId(i) {
  return String(2_000_000 + ((Math.imul(i, 2654435761) >>> 0) % 2_999_999)) + scramble12(i);
}

function personName(r) {
  return r.pick(SURNAMES) + r.pick(GIVEN) + (r.chance(0.6) ? r.pick(GIVEN) : '');
}
function nick(r) {
  const x = r.next();
  if (x < 0.25) return 'tb' + r.digits(r.int(8, 11));
  if (x < 0.4) return r.pick(SURNAMES) + '**' + r.pick(GIVEN); // masked nick, newer exports
  if (x < 0.5) return String.fromCharCode(97 + r.int(0, 25)) + String.fromCharCode(97 + r.int(0, 25)) + r.digits(r.int(3, 6)) + '_' + r.pick(['cn', 'tb', 'vip']);
  return r.pick(NICK_HEADS) + (r.chance(0.7) ? r.digits(r.int(2, 4)) : '');
}
function title(r) {
  const [item, desc] = r.pick(ITEMS);
  let t = r.pick(BRAND_TAGS) + r.pick(SEASONS) + item + desc;
  const spec = r.pick(SPECS);
  if (spec && r.chance(0.1)) t += ', ' + spec; // ASCII comma: quoted cell
  else if (spec && r.chance(0.12)) t += W['，'] + spec;
  return t;
}
function priceCents(r) {
  const band = r.weighted([[50, 0], [42, 1], [8, 2]]);
  const yuan = band === 0 ? r.int(9, 99) : band === 1 ? r.int(100, 999) : r.int(1000, 5999);
  const cents = r.pick([0, 0, 0, 90, 90, 50, 99, 80]);
  return yuan * 100 + cents;
}
function waybill(r, c) {
  return c.prefix + r.digits(c.len);
}
function address(r) {
  const [p, c, ds] = r.pick(PROVINCES);
  return p + ' ' + c + ' ' + r.pick(ds) + ' ' + r.pick(STREETS) + r.int(1, 2999) + W['号'] + ' ' +
    (r.chance(0.6) ? r.pick(SURNAMES) + r.pick(GIVEN) + r.pick(BUILDINGS) + r.int(1, 30) + W['栋'] + r.int(1, 4) + W['单元'] + r.int(101, 3208) + W['室'] : '') +
    (r.chance(0.3) ? '(' + r.digits(6) + ')' : '');
}
function buyerNote(r) {
  const x = r.next();
  if (x < 0.4) return '';
  if (x < 0.4002) return r.pick(HOSTILE); // untrusted text: formulas, terminal escapes
  let s = r.pick(NOTE_PHRASES);
  if (r.chance(0.35)) s += (r.chance(0.5) ? ',' : W['，']) + r.pick(NOTE_PHRASES);
  if (r.chance(0.01)) s += G('，快递员说"已经放驿站了"');
  if (r.chance(0.005)) s += '\n' + r.pick(NOTE_PHRASES); // a line break inside the cell
  return s;
}

// ---- file writing -------------------------------------------------------------------------------

const CHUNK = 1 << 20;

/** Writes rows produced by rowFn(i) (byte-strings without line end) to file, CRLF, in ~1 MB chunks. */
function writeRows(file, header, n, rowFn) {
  const tmp = file + '.partial';
  const fd = fs.openSync(tmp, 'w');
  let bytes = 0;
  try {
    let buf = header + CRLF;
    for (let i = 0; i < n; i++) {
      buf += rowFn(i) + CRLF;
      if (buf.length >= CHUNK) {
        const b = Buffer.from(buf, 'latin1');
        fs.writeSync(fd, b);
        bytes += b.length;
        buf = '';
      }
    }
    if (buf) {
      const b = Buffer.from(buf, 'latin1');
      fs.writeSync(fd, b);
      bytes += b.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return bytes;
}

function metaPath(file) {
  return file + '.meta.json';
}
function cached(file, want) {
  try {
    const meta = JSON.parse(fs.readFileSync(metaPath(file), 'utf8'));
    const st = fs.statSync(file);
    for (const [k, v] of Object.entries(want)) if (meta[k] !== v) return null;
    return st.size === meta.bytes ? meta : null;
  } catch {
    return null;
  }
}
function writeMeta(file, meta) {
  fs.writeFileSync(metaPath(file), JSON.stringify(meta, null, 2) + '\n');
}

// ---- refund report (退款报表) -------------------------------------------------------------------

export const REFUND_HEADERS = [
  '订单编号', '退款编号', '支付宝交易号', '订单付款时间', '商家编码', '退款完结时间', '买家会员名称', '买家实际支付金额', '宝贝标题',
  '买家退款金额', '手工退款/系统退款', '是否需要退货', '退款的申请时间', '超时时间', '退款状态', '货物状态', '退货物流信息',
  '发货物流信息', '客服介入状态', '卖家真实姓名', '卖家退货地址', '卖家邮编', '卖家电话', '卖家手机', '退货物流单号', '退货物流公司',
  '买家退款原因', '买家退款说明', '买家退货时间', '责任方', '售中或售后', '商家备注', '完结时间', '部分退款/全部退款', '审核操作人',
  '举证超时', '是否零秒响应', '退款操作人',
];

const OPEN_STATES = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER'];
const STATE_TABLE = [
  [58, 'SUCCESS'], [32, 'CLOSED'], [4, 'WAIT_SELLER_AGREE'], [2.5, 'WAIT_BUYER_RETURN_GOODS'], [2, 'WAIT_SELLER_CONFIRM_GOODS'],
  [1.5, 'SELLER_REFUSE_BUYER'],
];

/**
 * The shapes of a shop's database at scale (issue 18), beside the plain 200k report:
 * - report:  finished refunds applied over the last 120 days, ~10 % open (the 200k report);
 * - history: a two-year history, finished refunds applied over 730 days, ~2 % open, all of
 *            those applied within their state's window (the last 10 days at most);
 * - pile:    everything applied in the last 20 days, ~10 % open (the queue's worst case).
 */
export const SHAPES = {
  report: { finishedDays: 120, states: null },
  history: {
    finishedDays: 730,
    states: [[58.9, 'SUCCESS'], [39, 'CLOSED'], [0.8, 'WAIT_SELLER_AGREE'], [0.5, 'WAIT_BUYER_RETURN_GOODS'], [0.4, 'WAIT_SELLER_CONFIRM_GOODS'], [0.4, 'SELLER_REFUSE_BUYER']],
  },
  pile: { finishedDays: 20, states: null },
};

export function generateRefunds({ rows, orderRows, seed, file, shape = 'report' }) {
  const { finishedDays, states } = SHAPES[shape];
  const stateTable = states ?? STATE_TABLE;
  const want = { kind: 'taobao-refunds', version: GEN_VERSION, seed, rows, orderRows, ...(shape === 'report' ? {} : { shape }) };
  const hit = cached(file, want);
  if (hit) return { ...hit, cached: true };
  const t0 = Date.now();
  const r = rng(seed);
  // One shop: the seller's own details are the same on every row.
  const sellerName = personName(r);
  const sellerAddr = address(r) + ', ' + sellerName + G('收');
  const sellerZip = r.digits(6);
  const sellerTel = '0571-' + r.digits(8);
  const sellerMobile = '13' + r.digits(9);
  const counts = Object.fromEntries(stateTable.map(([, s]) => [s, 0]));
  let prevOrder = 0;
  const header = REFUND_HEADERS.map((h) => q(G(h))).join(',');
  const bytes = writeRows(file, header, rows, (k) => {
    const state = r.weighted(stateTable);
    counts[state]++;
    const open = OPEN_STATES.includes(state);
    // Which order: mostly one refund per order, sometimes several refunds on one order.
    const oi = k > 0 && r.chance(0.03) ? prevOrder : (k * 7919 + 13) % orderRows;
    prevOrder = oi;
    const refundLen = r.weighted([[5, 16], [10, 17], [35, 18], [40, 19], [10, 20]]);
    const refundId = String(r.int(1, 9)) + r.digits(refundLen - 13) + scramble12(k);

    const returnRequired = state === 'WAIT_BUYER_RETURN_GOODS' || state === 'WAIT_SELLER_CONFIRM_GOODS' ? true : r.chance(0.45);
    let goods;
    if (state === 'WAIT_SELLER_CONFIRM_GOODS') goods = W['买家已退货'];
    else if (returnRequired) goods = state === 'SUCCESS' && r.chance(0.7) ? W['买家已退货'] : W['买家已收到货'];
    else goods = r.chance(0.45) ? W['买家未收到货'] : W['买家已收到货'];
    const shipped = goods !== W['买家未收到货'] || r.chance(0.5);

    // Times (epoch seconds, shop time when formatted).
    let applied, paid, finished = 0, deadline = 0, returnedAt = 0, evidence = 0;
    if (open) {
      const windowDays = state === 'WAIT_SELLER_AGREE' ? (shipped ? 5 : 2) : state === 'WAIT_SELLER_CONFIRM_GOODS' ? 10 : 7;
      const age = r.chance(0.02) ? windowDays * DAY + r.int(HOUR, 2 * DAY) : r.int(5 * MIN, Math.floor(windowDays * DAY * 0.95));
      applied = NOW - age;
      paid = applied - r.int(HOUR, 20 * DAY);
      if (state === 'WAIT_SELLER_CONFIRM_GOODS') {
        returnedAt = applied + Math.floor((NOW - applied) * r.next() * 0.5);
        deadline = returnedAt + windowDays * DAY;
      } else deadline = applied + windowDays * DAY;
      if (!r.chance(0.92)) deadline = 0; // some exports leave 超时时间 empty on open rows
    } else {
      applied = NOW - r.int(2 * HOUR, finishedDays * DAY);
      paid = applied - r.int(HOUR, 20 * DAY);
      finished = applied + r.int(10 * MIN, Math.min(10 * DAY, NOW - applied - MIN));
      if (goods === W['买家已退货']) returnedAt = applied + Math.floor((finished - applied) * 0.4);
    }

    const paidCents = priceCents(r);
    const full = r.chance(0.8);
    const amount = full ? paidCents : Math.max(1, Math.floor(paidCents * (0.05 + r.next() * 0.8)));
    const shipCarrier = r.pick(CARRIERS);
    const shipInfo = shipped ? q(shipCarrier.name + ',' + waybill(r, shipCarrier)) : '';
    let retWaybill = '', retCarrier = '', retInfo = '';
    if (returnedAt) {
      const c = r.pick(CARRIERS);
      retWaybill = waybill(r, c);
      retCarrier = c.name;
      retInfo = q(c.name + ',' + retWaybill);
    }
    const dispute = r.weighted(DISPUTE);
    if (dispute === DISPUTE[2][1]) evidence = NOW + r.int(HOUR, 3 * DAY);
    const statusText = open && r.chance(0.03) ? S_ASCII_COMMA[state] : S[state];
    const success = state === 'SUCCESS';
    const agent = r.pick(AGENTS);
    const fin = finished ? fmtTime(finished) : '';

    return (
      eqId(orderId(oi)) + ',' +
      eqId(refundId) + ',' +
      eqId(ymd(paid) + '22001' + r.digits(15)) + ',' +
      fmtTime(paid) + ',' +
      (r.chance(0.05) ? '' : 'A' + r.digits(4) + '-' + r.pick(['01', '02', '03', 'XL', 'L', 'M'])) + ',' +
      fin + ',' +
      q(nick(r)) + ',' +
      q(fmtMoney(paidCents)) + ',' +
      q(title(r)) + ',' +
      q(fmtMoney(amount)) + ',' +
      (r.chance(0.85) ? W['系统退款'] : W['手工退款']) + ',' +
      (returnRequired ? W['是'] : W['否']) + ',' +
      fmtTime(applied) + ',' +
      (deadline ? fmtTime(deadline) : '') + ',' +
      q(statusText) + ',' +
      goods + ',' +
      retInfo + ',' +
      shipInfo + ',' +
      dispute + ',' +
      sellerName + ',' +
      q(sellerAddr) + ',' +
      sellerZip + ',' +
      sellerTel + ',' +
      sellerMobile + ',' +
      retWaybill + ',' +
      retCarrier + ',' +
      r.weighted(REASONS) + ',' +
      q(buyerNote(r)) + ',' +
      (returnedAt ? fmtTime(returnedAt) : '') + ',' +
      (success ? r.pick(['', W['买家'], W['卖家'], W['物流']]) : '') + ',' +
      (r.chance(0.7) ? W['售中'] : W['售后']) + ',' +
      (r.chance(0.1) ? q(r.pick(SELLER_NOTES)) : '') + ',' +
      fin + ',' +
      (full ? W['全部退款'] : W['部分退款']) + ',' +
      (success && r.chance(0.6) ? W['客服:'] + agent : '') + ',' +
      (evidence ? fmtTime(evidence) : '') + ',' +
      (r.chance(0.1) ? W['是'] : W['否']) + ',' +
      (success ? (r.chance(0.5) ? W['系统'] : agent) : '')
    );
  });
  const meta = { ...want, bytes, encoding: 'gbk', lineEnding: 'crlf', columns: REFUND_HEADERS.length, now: NOW_ISO, states: counts, ms: Date.now() - t0 };
  writeMeta(file, meta);
  return { ...meta, cached: false };
}

// ---- order report (ExportOrderList) ------------------------------------------------------------

export const ORDER_HEADERS = [
  '订单编号', '买家会员名', '买家支付宝账号', '买家应付货款', '买家应付邮费', '买家支付积分', '总金额', '返点积分', '买家实际支付金额',
  '买家实际支付积分', '订单状态', '买家留言', '收货人姓名', '收货地址 ', '运送方式', '联系电话', '联系手机', '订单创建时间',
  '订单付款时间', '宝贝标题', '宝贝种类', '物流单号', '物流公司', '订单备注', '宝贝总数量', '店铺Id', '店铺名称', '订单关闭原因',
];

export function generateOrders({ rows, seed, file }) {
  const want = { kind: 'taobao-orders', version: GEN_VERSION, seed, rows };
  const hit = cached(file, want);
  if (hit) return { ...hit, cached: true };
  const t0 = Date.now();
  const r = rng((seed ^ 0x9e3779b9) >>> 0);
  const shopId = r.digits(9).replace(/^0/, '1');
  const shopName = r.pick(SURNAMES) + r.pick(GIVEN) + W['旗舰店'];
  const header = ORDER_HEADERS.map((h) => q(G(h))).join(',');
  const bytes = writeRows(file, header, rows, (i) => {
    const status = r.weighted(ORDER_STATUS);
    const unpaid = status === ORDER_STATUS[4][1];
    const closed = status === ORDER_STATUS[3][1];
    const shipped = status === ORDER_STATUS[0][1] || status === ORDER_STATUS[1][1];
    const created = NOW - r.int(MIN, 180 * DAY);
    const paid = unpaid || (closed && r.chance(0.6)) ? 0 : created + r.int(5, 2 * HOUR);
    const qty = r.weighted([[80, 1], [12, 2], [5, 3], [3, r.int(4, 9)]]);
    const goods = priceCents(r) * qty;
    const postage = r.weighted([[80, 0], [12, 600], [6, 1000], [2, 1800]]);
    const total = goods + postage;
    const discount = r.chance(0.3) ? Math.min(total - 1, r.pick([300, 500, 1000, 2000])) : 0;
    const c = r.pick(CARRIERS);
    const mobile = "'1" + r.pick(['3', '5', '7', '8', '9']) + r.digits(9);
    const alipay = r.chance(0.7) ? '1' + r.int(30, 99) + '****' + r.digits(4) : String.fromCharCode(97 + r.int(0, 25)) + '***@' + r.pick(['163.com', 'qq.com', 'sina.com']);
    return (
      eqId(orderId(i)) + ',' +
      q(nick(r)) + ',' +
      alipay + ',' +
      q(fmtMoney(goods)) + ',' +
      fmtMoney(postage) + ',' +
      '0,' +
      q(fmtMoney(total)) + ',' +
      r.int(0, 50) + ',' +
      q(paid ? fmtMoney(total - discount) : '0.00') + ',' +
      '0,' +
      q(status) + ',' +
      (r.chance(0.12) ? q(r.pick(BUYER_MESSAGES)) : '') + ',' +
      personName(r) + ',' +
      q(address(r)) + ',' +
      r.weighted([[95, W['快递']], [4, W['EMS']], [1, W['平邮']]]) + ',' +
      (r.chance(0.05) ? '0' + r.int(10, 999) + '-' + r.digits(8) : '') + ',' +
      mobile + ',' +
      fmtTime(created) + ',' +
      (paid ? fmtTime(paid) : '') + ',' +
      q(title(r)) + ',' +
      (qty > 1 && r.chance(0.5) ? 2 : 1) + ',' +
      (shipped ? waybill(r, c) : '') + ',' +
      (shipped ? c.name : '') + ',' +
      (r.chance(0.08) ? q(r.pick(SELLER_NOTES)) : '') + ',' +
      qty + ',' +
      shopId + ',' +
      shopName + ',' +
      (closed ? q(r.pick(CLOSE_REASONS)) : '')
    );
  });
  const meta = { ...want, bytes, encoding: 'gbk', lineEnding: 'crlf', columns: ORDER_HEADERS.length, ms: Date.now() - t0 };
  writeMeta(file, meta);
  return { ...meta, cached: false };
}

// ---- UTF-8 copy for sqlite3 / sqlite-utils ------------------------------------------------------

/** Converts a GBK file to UTF-8 (no BOM) once with iconv-lite; cached against the source's meta. */
export async function utf8Copy(src, dst) {
  const srcMeta = JSON.parse(fs.readFileSync(metaPath(src), 'utf8'));
  const want = { source: path.basename(src), sourceBytes: srcMeta.bytes, sourceSeed: srcMeta.seed, version: GEN_VERSION };
  const hit = cached(dst, want);
  if (hit) return { ...hit, cached: true };
  const t0 = Date.now();
  const tmp = dst + '.partial';
  await new Promise((resolve, reject) => {
    const out = fs.createWriteStream(tmp);
    fs.createReadStream(src, { highWaterMark: 1 << 20 })
      .on('error', reject)
      .pipe(iconv.decodeStream('gbk'))
      .on('error', reject)
      .pipe(iconv.encodeStream('utf8'))
      .pipe(out)
      .on('error', reject)
      .on('finish', resolve);
  });
  fs.renameSync(tmp, dst);
  const meta = { ...want, bytes: fs.statSync(dst).size, encoding: 'utf-8', ms: Date.now() - t0 };
  writeMeta(dst, meta);
  return { ...meta, cached: false };
}

// ---- entry --------------------------------------------------------------------------------------

export function sizesFromEnv(env = process.env) {
  const num = (v, d) => {
    if (v === undefined || v === '') return d;
    const n = Number(String(v).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive integer: ${v}`);
    return n;
  };
  const rows = num(env.BENCH_ROWS, 200_000);
  const orderRows = num(env.BENCH_ORDER_ROWS, rows * 5);
  const seed = num(env.BENCH_SEED, DEFAULT_SEED);
  return { rows, orderRows, seed };
}

export async function generateAll({ rows, orderRows, seed }, log = () => {}) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const label = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n)).replace(/000k$/, 'M');
  const refunds = path.join(OUT_DIR, `refunds-${label(rows)}.csv`);
  const orders = path.join(OUT_DIR, `orders-${label(orderRows)}.csv`);
  const refundsUtf8 = path.join(OUT_DIR, `refunds-${label(rows)}.utf8.csv`);
  const a = generateRefunds({ rows, orderRows, seed, file: refunds });
  log(`${path.relative(process.cwd(), refunds)}: ${rows.toLocaleString('en-US')} rows, ${(a.bytes / 1e6).toFixed(1)} MB GBK ${a.cached ? '(cached)' : `(${(a.ms / 1000).toFixed(1)} s)`}`);
  const b = generateOrders({ rows: orderRows, seed, file: orders });
  log(`${path.relative(process.cwd(), orders)}: ${orderRows.toLocaleString('en-US')} rows, ${(b.bytes / 1e6).toFixed(1)} MB GBK ${b.cached ? '(cached)' : `(${(b.ms / 1000).toFixed(1)} s)`}`);
  const c = await utf8Copy(refunds, refundsUtf8);
  log(`${path.relative(process.cwd(), refundsUtf8)}: UTF-8 copy for sqlite3/sqlite-utils, ${(c.bytes / 1e6).toFixed(1)} MB ${c.cached ? '(cached)' : `(${(c.ms / 1000).toFixed(1)} s)`}`);
  return { refunds, orders, refundsUtf8, refundsMeta: a, ordersMeta: b };
}

/** The shop-scale inputs (bench/history.mjs): the two-year history and the 20-day pile of `rows` refunds each, with UTF-8 copies. */
export async function generateShapes({ rows, seed }, log = () => {}) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const label = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n)).replace(/000k$/, 'M');
  const out = {};
  for (const shape of ['history', 'pile']) {
    const file = path.join(OUT_DIR, `refunds-${shape}-${label(rows)}.csv`);
    const utf8 = path.join(OUT_DIR, `refunds-${shape}-${label(rows)}.utf8.csv`);
    const m = generateRefunds({ rows, orderRows: rows * 5, seed, file, shape });
    log(`${path.relative(process.cwd(), file)}: ${rows.toLocaleString('en-US')} rows (${shape}), ${(m.bytes / 1e6).toFixed(1)} MB GBK ${m.cached ? '(cached)' : `(${(m.ms / 1000).toFixed(1)} s)`}`);
    const c = await utf8Copy(file, utf8);
    log(`${path.relative(process.cwd(), utf8)}: UTF-8 copy, ${(c.bytes / 1e6).toFixed(1)} MB ${c.cached ? '(cached)' : `(${(c.ms / 1000).toFixed(1)} s)`}`);
    out[shape] = { file, utf8, meta: m, utf8Bytes: c.bytes };
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--shapes')) {
    const { seed } = sizesFromEnv();
    await generateShapes({ rows: Number(process.env.BENCH_SHAPE_ROWS ?? 1_000_000), seed }, (s) => console.log(s));
  } else {
    const sizes = sizesFromEnv();
    await generateAll(sizes, (s) => console.log(s));
  }
}
