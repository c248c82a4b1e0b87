// How normalized rows cross from the parsing worker to the writing thread. postMessage clones
// objects key by key, and every string on its own: a refund row is 30 keys and ~25 strings,
// 200,000 times per big file, and its layout key (a few hundred characters, the same on every row)
// would be copied 200,000 times. So a batch goes over as three flat things instead: a few strings
// (every text value, end to end), one Uint8Array of tags (what each value is) and one Float64Array
// (numbers, and each text's length), the two arrays' memory handed over rather than copied. A text
// equal to the same field's in the previous row is sent once. The writing thread rebuilds each row
// as one object literal (all rows one shape), reading the three in step (BENCHMARKS.md).
import type { OrderInput, RefundInput } from '../domain/inputs.js';
import type { Produced } from './produce.js';

export const REFUND_FIELDS = [
  'refundId', 'orderId', 'platform', 'status', 'statusText', 'amountCents', 'paidCents', 'appliedAt', 'exportDeadline',
  'refundType', 'returnRequired', 'goodsStatus', 'shipped', 'phase', 'disputeState', 'disputeText', 'evidenceDeadline',
  'buyerNick', 'itemTitle', 'sku', 'reason', 'buyerNote', 'returnWaybill', 'returnCarrier', 'returnedAt', 'finishedAt',
  'sellerNote', 'extraLayout', 'extraValues', 'extraCells',
] as const satisfies readonly (keyof RefundInput)[];

export const ORDER_FIELDS = [
  'orderId', 'platform', 'buyerNick', 'statusText', 'status', 'paidCents', 'postageCents', 'totalCents', 'createdAt',
  'paidAt', 'shipped', 'waybill', 'carrier', 'receiverName', 'address', 'phone', 'buyerMessage', 'itemTitle', 'quantity',
  'shopName', 'closeReason', 'extraLayout', 'extraValues', 'extraCells',
] as const satisfies readonly (keyof OrderInput)[];

/** One batch on the wire: refund and order rows packed (`text`, `tags`, `nums`); anything else as is. */
export interface PackedBatch {
  /**
   * Every text value of the packed rows that is not a repeat, in order, end to end, in pieces of at
   * most TEXT_PIECE characters (a text never straddles two; a longer one has a piece of its own).
   */
  texts: string[];
  /** Per value (a refund: line, unknownStatus, REFUND_FIELDS; an order: line, ORDER_FIELDS): a Tag. */
  tags: Uint8Array;
  /** Per number value its value, per text value its length, in order. */
  nums: Float64Array;
  other: Produced[];
  /** Where each item goes back in the batch's order: 0 refunds, 1 orders, 2 other. */
  order: number[];
}

const enum Tag {
  Null = 0,
  Text = 1,
  Number = 2,
  True = 3,
  False = 4,
  Undefined = 5,
  /** The same text as this field's in the previous row of the same kind. */
  Repeat = 6,
}

/**
 * Characters per text piece: small enough for V8's young generation (a string over 128 KB is
 * allocated among the large objects, which only a full collection frees: the writer's RSS grew).
 */
const TEXT_PIECE = 32 * 1024;

/** Values per packed row: the line, (for refunds) unknownStatus, then the fields. */
const REFUND_WIDTH = 2 + REFUND_FIELDS.length;
const ORDER_WIDTH = 1 + ORDER_FIELDS.length;

/** The buffers of a packed batch, for postMessage's transfer list. */
export function transferables(p: PackedBatch): ArrayBuffer[] {
  return [p.tags.buffer as ArrayBuffer, p.nums.buffer as ArrayBuffer];
}

/** Writes a batch's values in order (see Reader); `prev` per kind, for repeats. */
class Writer {
  t = 0;
  n = 0;
  readonly tags: Uint8Array;
  readonly nums: Float64Array;
  readonly pieces: string[] = [];
  private parts: string[] = [];
  private partsLength = 0;
  readonly prevRefund: unknown[] = new Array(REFUND_WIDTH).fill(undefined);
  readonly prevOrder: unknown[] = new Array(ORDER_WIDTH).fill(undefined);
  constructor(rows: number) {
    this.tags = new Uint8Array(rows * Math.max(REFUND_WIDTH, ORDER_WIDTH));
    this.nums = new Float64Array(this.tags.length);
  }

  /** `prev` null: a field that rarely repeats (IDs, times, buyers' words), not compared. */
  put(v: unknown, prev: unknown[] | null, slot: number): void {
    if (v === null) this.tags[this.t++] = Tag.Null;
    else if (typeof v === 'string') {
      if (prev !== null && prev[slot] === v) this.tags[this.t++] = Tag.Repeat;
      else {
        this.tags[this.t++] = Tag.Text;
        this.nums[this.n++] = v.length;
        if (this.partsLength + v.length > TEXT_PIECE && this.partsLength > 0) this.endPiece();
        this.parts.push(v);
        this.partsLength += v.length;
        if (prev !== null) prev[slot] = v;
      }
    } else if (typeof v === 'number') {
      this.tags[this.t++] = Tag.Number;
      this.nums[this.n++] = v;
    } else if (v === true) this.tags[this.t++] = Tag.True;
    else if (v === false) this.tags[this.t++] = Tag.False;
    else if (v === undefined) this.tags[this.t++] = Tag.Undefined;
    else throw new TypeError(`transport: a row value of type ${typeof v}`); // the fixed lists carry scalars only
  }

  endPiece(): void {
    if (this.parts.length) this.pieces.push(this.parts.join(''));
    this.parts = [];
    this.partsLength = 0;
  }
}

// Each field read by name, in the lists' order (Reader reads them back in the same order); only
// fields that often hold the previous row's text (states, the layout key) are compared with it.
function putRefund(w: Writer, line: number, unknownStatus: boolean, r: RefundInput): void {
  const p = w.prevRefund;
  w.put(line, p, 0); w.put(unknownStatus, p, 1);
  w.put(r.refundId, null, 2); w.put(r.orderId, null, 3); w.put(r.platform, p, 4); w.put(r.status, p, 5); w.put(r.statusText, p, 6);
  w.put(r.amountCents, null, 7); w.put(r.paidCents, null, 8); w.put(r.appliedAt, null, 9); w.put(r.exportDeadline, null, 10);
  w.put(r.refundType, p, 11); w.put(r.returnRequired, null, 12); w.put(r.goodsStatus, p, 13); w.put(r.shipped, null, 14);
  w.put(r.phase, p, 15); w.put(r.disputeState, p, 16); w.put(r.disputeText, p, 17); w.put(r.evidenceDeadline, null, 18);
  w.put(r.buyerNick, null, 19); w.put(r.itemTitle, null, 20); w.put(r.sku, null, 21); w.put(r.reason, p, 22); w.put(r.buyerNote, null, 23);
  w.put(r.returnWaybill, null, 24); w.put(r.returnCarrier, p, 25); w.put(r.returnedAt, null, 26); w.put(r.finishedAt, null, 27);
  w.put(r.sellerNote, null, 28); w.put(r.extraLayout, p, 29); w.put(r.extraValues, null, 30); w.put(r.extraCells, null, 31);
}

function putOrder(w: Writer, line: number, r: OrderInput): void {
  const p = w.prevOrder;
  w.put(line, p, 0);
  w.put(r.orderId, null, 1); w.put(r.platform, p, 2); w.put(r.buyerNick, null, 3); w.put(r.statusText, p, 4); w.put(r.status, p, 5);
  w.put(r.paidCents, null, 6); w.put(r.postageCents, null, 7); w.put(r.totalCents, null, 8); w.put(r.createdAt, null, 9); w.put(r.paidAt, null, 10);
  w.put(r.shipped, null, 11); w.put(r.waybill, null, 12); w.put(r.carrier, p, 13); w.put(r.receiverName, null, 14); w.put(r.address, null, 15);
  w.put(r.phone, null, 16); w.put(r.buyerMessage, null, 17); w.put(r.itemTitle, null, 18); w.put(r.quantity, null, 19); w.put(r.shopName, p, 20);
  w.put(r.closeReason, p, 21); w.put(r.extraLayout, p, 22); w.put(r.extraValues, null, 23); w.put(r.extraCells, null, 24);
}

export function packBatch(items: Produced[]): PackedBatch {
  const order: number[] = [];
  const other: Produced[] = [];
  const w = new Writer(items.length);
  for (const item of items) {
    const r = item.result;
    // Rows with warnings are few: they travel as they are.
    if ('warnings' in r && r.warnings) {
      other.push(item);
      order.push(2);
    } else if ('target' in r && r.target === 'refunds') {
      putRefund(w, item.line, r.unknownStatus, r.row);
      order.push(0);
    } else if ('target' in r && r.target === 'orders') {
      putOrder(w, item.line, r.row);
      order.push(1);
    } else {
      other.push(item);
      order.push(2);
    }
  }
  // Copies of the used parts: the transfer hands over whole buffers.
  w.endPiece();
  return { texts: w.pieces, tags: w.tags.slice(0, w.t), nums: w.nums.slice(0, w.n), other, order };
}

/** Reads a packed batch's values in order; `prev` per kind, for repeats. */
class Reader {
  private t = 0;
  private n = 0;
  private pos = 0;
  private piece = 0;
  readonly prevRefund: unknown[] = new Array(REFUND_WIDTH).fill(undefined);
  readonly prevOrder: unknown[] = new Array(ORDER_WIDTH).fill(undefined);
  constructor(private readonly p: PackedBatch) {}

  next(prev: unknown[], slot: number): any {
    switch (this.p.tags[this.t++]) {
      case Tag.Null:
        return null;
      case Tag.Text: {
        const len = this.p.nums[this.n++]!;
        // Where the writer began a new piece: this text did not fit in the last one.
        if (this.pos + len > this.p.texts[this.piece]!.length) {
          this.piece++;
          this.pos = 0;
        }
        const s = this.p.texts[this.piece]!.slice(this.pos, this.pos + len);
        this.pos += len;
        prev[slot] = s;
        return s;
      }
      case Tag.Number:
        return this.p.nums[this.n++];
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      case Tag.Repeat:
        return prev[slot];
      default:
        return undefined;
    }
  }
}

// One object literal per kind, keys in the lists' order (transport.test.ts checks the two agree):
// every row gets one hidden class, and no key is set by name at run time.
function refundOf(r: Reader): Produced {
  const p = r.prevRefund;
  const line = r.next(p, 0) as number;
  const unknownStatus = r.next(p, 1) as boolean;
  const row: RefundInput = {
    refundId: r.next(p, 2), orderId: r.next(p, 3), platform: r.next(p, 4), status: r.next(p, 5), statusText: r.next(p, 6),
    amountCents: r.next(p, 7), paidCents: r.next(p, 8), appliedAt: r.next(p, 9), exportDeadline: r.next(p, 10),
    refundType: r.next(p, 11), returnRequired: r.next(p, 12), goodsStatus: r.next(p, 13), shipped: r.next(p, 14),
    phase: r.next(p, 15), disputeState: r.next(p, 16), disputeText: r.next(p, 17), evidenceDeadline: r.next(p, 18),
    buyerNick: r.next(p, 19), itemTitle: r.next(p, 20), sku: r.next(p, 21), reason: r.next(p, 22), buyerNote: r.next(p, 23),
    returnWaybill: r.next(p, 24), returnCarrier: r.next(p, 25), returnedAt: r.next(p, 26), finishedAt: r.next(p, 27),
    sellerNote: r.next(p, 28), extraLayout: r.next(p, 29), extraValues: r.next(p, 30), extraCells: r.next(p, 31),
  };
  return { line, result: { target: 'refunds', row, unknownStatus } };
}

function orderOf(r: Reader): Produced {
  const p = r.prevOrder;
  const line = r.next(p, 0) as number;
  const row: OrderInput = {
    orderId: r.next(p, 1), platform: r.next(p, 2), buyerNick: r.next(p, 3), statusText: r.next(p, 4), status: r.next(p, 5),
    paidCents: r.next(p, 6), postageCents: r.next(p, 7), totalCents: r.next(p, 8), createdAt: r.next(p, 9), paidAt: r.next(p, 10),
    shipped: r.next(p, 11), waybill: r.next(p, 12), carrier: r.next(p, 13), receiverName: r.next(p, 14), address: r.next(p, 15),
    phone: r.next(p, 16), buyerMessage: r.next(p, 17), itemTitle: r.next(p, 18), quantity: r.next(p, 19), shopName: r.next(p, 20),
    closeReason: r.next(p, 21), extraLayout: r.next(p, 22), extraValues: r.next(p, 23), extraCells: r.next(p, 24),
  };
  return { line, result: { target: 'orders', row } };
}

export function unpackBatch(p: PackedBatch): Produced[] {
  const out: Produced[] = new Array(p.order.length);
  const r = new Reader(p);
  let xi = 0;
  for (let i = 0; i < p.order.length; i++) {
    const kind = p.order[i];
    out[i] = kind === 0 ? refundOf(r) : kind === 1 ? orderOf(r) : p.other[xi++]!;
  }
  return out;
}
