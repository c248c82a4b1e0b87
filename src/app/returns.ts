// `refunds returns`: every warehouse receipt with the refunds it matches, computed now (nothing
// stored can go stale: a later refund import re-runs matching by itself), and the orange refunds
// that have no parcel yet. The case rows are built by the caller's `build` (the returns desk's
// shape, with its deadline and urgency), so this use case and `receive` show a refund alike.
import { latestReceipt, matchReceipt, receiptStatusFor, refundWaybillKey, type ReceiptStatus } from '../domain/returns.js';
import { compareInSection } from '../domain/sections.js';
import type { ShopZone } from '../domain/time.js';
import type { Refund, WarehouseReceipt } from '../domain/types.js';
import type { CaseReader } from './ports/index.js';

/** What a case row needs for the order of the lists: its ID and the whole seconds left (null: no deadline). */
export interface RankedCase {
  refundId: string;
  secondsLeft: number | null;
}

export interface ReceiptRow<C> {
  id: number;
  waybill: string;
  waybillKey: string;
  carrier: string | null;
  receivedAt: string;
  sku: string | null;
  quantity: number | null;
  condition: WarehouseReceipt['condition'];
  inspector: string | null;
  note: string | null;
  source: string;
  /** False when a later receipt of the same waybill exists (the latest one decides). */
  latest: boolean;
  match: 'matched' | 'ambiguous' | 'unmatched';
  sameOrder: boolean;
  refunds: C[];
  superseded: string[];
}

export interface ReturnsReport<C> {
  asOf: string;
  counts: { receipts: number; unmatched: number; ambiguous: number; noWaybill: number; notReceived: number };
  receipts: ReceiptRow<C>[];
  noWaybill: C[];
  notReceived: C[];
}

/** In-section order (domain/sections.ts compareInSection): sooner first, no deadline last, then refund ID. */
const byUrgency = (a: RankedCase, b: RankedCase): number =>
  compareInSection({ refundId: a.refundId, due: a.secondsLeft }, { refundId: b.refundId, due: b.secondsLeft });

export async function returnsReport<C extends RankedCase>(
  cases: Pick<CaseReader, 'allReceipts' | 'refundsByWaybills' | 'openRefunds'>,
  o: { zone: ShopZone; nowMs: number; unmatchedOnly: boolean },
  build: (refund: Refund, status: ReceiptStatus) => C,
): Promise<ReturnsReport<C>> {
  const receipts = await cases.allReceipts();
  const byKey = new Map<string, WarehouseReceipt[]>();
  for (const r of receipts) {
    const list = byKey.get(r.waybillKey);
    if (list) list.push(r);
    else byKey.set(r.waybillKey, [r]);
  }
  const orange = await cases.openRefunds({ statuses: ['WAIT_SELLER_CONFIRM_GOODS'] });
  // The refunds of every waybill a receipt or an orange refund has, in one read.
  const keys = new Set([...byKey.keys()].filter((k) => k !== ''));
  for (const refund of orange) {
    const key = refundWaybillKey(refund);
    if (key !== null && key !== '') keys.add(key);
  }
  const refundsOf = await cases.refundsByWaybills([...keys]);
  const refundsFor = (key: string): Refund[] => refundsOf.get(key) ?? [];

  // Newest first: the desk looks at today's parcels.
  const ordered = [...receipts].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || b.id - a.id);
  const rows: ReceiptRow<C>[] = [];
  let unmatched = 0;
  let ambiguous = 0;
  for (const r of ordered) {
    const group = byKey.get(r.waybillKey)!;
    const refunds = refundsFor(r.waybillKey);
    const m = matchReceipt(r, refunds);
    if (m.kind === 'unmatched') unmatched++;
    if (m.kind === 'ambiguous') ambiguous++;
    if (o.unmatchedOnly && m.kind !== 'unmatched') continue;
    rows.push({
      id: r.id,
      waybill: r.waybill,
      waybillKey: r.waybillKey,
      carrier: r.carrier,
      receivedAt: r.receivedAt,
      sku: r.sku,
      quantity: r.quantity,
      condition: r.condition,
      inspector: r.inspector,
      note: r.note,
      source: r.source,
      latest: latestReceipt(group)?.id === r.id,
      match: m.kind,
      sameOrder: m.sameOrder,
      refunds: m.refunds.map((x) => build(x, receiptStatusFor(x, group, refunds))),
      superseded: m.superseded.map((x) => x.refundId),
    });
  }

  const noWaybill: C[] = [];
  const notReceived: C[] = [];
  for (const refund of orange) {
    const key = refundWaybillKey(refund);
    const status = receiptStatusFor(refund, key === null ? [] : (byKey.get(key) ?? []), key === null ? [] : refundsFor(key));
    if (status.state === 'no-waybill') noWaybill.push(build(refund, status));
    else if (status.state === 'not-received') notReceived.push(build(refund, status));
  }
  noWaybill.sort(byUrgency);
  notReceived.sort(byUrgency);

  return {
    asOf: o.zone.iso(o.nowMs),
    counts: { receipts: receipts.length, unmatched, ambiguous, noWaybill: noWaybill.length, notReceived: notReceived.length },
    receipts: rows,
    noWaybill: o.unmatchedOnly ? [] : noWaybill,
    notReceived: o.unmatchedOnly ? [] : notReceived,
  };
}
