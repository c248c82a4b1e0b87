// `refunds returns [--unmatched]`: the warehouse receipts with the refunds they match, computed
// now (nothing stored can go stale: a later refund import re-runs matching by itself), and the
// orange refunds that have no parcel yet.
import type { Command } from 'commander';
import type { Refund, WarehouseReceipt } from '../domain/types.js';
import type { CaseJson, ReceiptRowJson, ReturnsJson } from '../ui/returnsView.js';
import type { Context } from './context.js';
import { caseBuilder } from './receive.js';

interface ReturnsFlags {
  unmatched?: boolean;
  json?: boolean;
}

export function registerReturns(program: Command, ctx: () => Context): void {
  program
    .command('returns')
    .description('list returned parcels with the refunds they match; parcels without a refund (无主件) flagged')
    .option('--unmatched', 'only parcels that match no refund (无主件)')
    .option('--json', 'one JSON document on stdout')
    .addHelpText(
      'after',
      `
Examples:
  refunds returns
  refunds returns --unmatched
  refunds returns --json | jq '.receipts[] | select(.match == "unmatched") | .waybill'

Lists every warehouse receipt (scanned with "refunds receive" or imported from the warehouse
returns log), newest first, with the refund(s) whose return waybill matches and what to do now.
A parcel matching no refund is a 无主件: it stays listed until a refund export carrying its
waybill is imported, then it matches by itself. One waybill on several refunds is shown as such
(same order: one parcel returning several items; different orders: check the waybill).
Also listed: orange refunds (returned, seller to confirm) whose buyer gave no return waybill,
and orange refunds whose parcel has not arrived yet.

JSON: { "asOf", "counts": { "receipts", "unmatched", "ambiguous", "noWaybill", "notReceived" },
"receipts": [ { "id", "waybill", "waybillKey", "receivedAt", "condition", "source", "latest",
"match", "sameOrder", "refunds": [...], "superseded": [...] } ], "noWaybill": [...],
"notReceived": [...] }. With --unmatched, "receipts" holds only the 无主件 and the two refund lists
are empty; "counts" always covers everything.`,
    )
    .action(async (flags: ReturnsFlags) => {
      process.exitCode = await runReturns(ctx(), flags);
    });
}

function byUrgency(a: CaseJson, b: CaseJson): number {
  if (a.secondsLeft !== b.secondsLeft) {
    if (a.secondsLeft === null) return 1;
    if (b.secondsLeft === null) return -1;
    return a.secondsLeft - b.secondsLeft;
  }
  if (a.refundId.length !== b.refundId.length) return a.refundId.length - b.refundId.length;
  return a.refundId < b.refundId ? -1 : a.refundId > b.refundId ? 1 : 0;
}

async function runReturns(ctx: Context, flags: ReturnsFlags): Promise<number> {
  const { latestReceipt, matchReceipt, receiptStatusFor, refundWaybillKey } = await import('../domain/returns.js');
  const store = ctx.store({ readonly: true });
  const build = await caseBuilder(ctx);

  const receipts = store.allReceipts();
  const byKey = new Map<string, WarehouseReceipt[]>();
  for (const r of receipts) {
    const list = byKey.get(r.waybillKey);
    if (list) list.push(r);
    else byKey.set(r.waybillKey, [r]);
  }
  const refundsOf = new Map<string, Refund[]>();
  const refundsFor = (key: string): Refund[] => {
    let list = refundsOf.get(key);
    if (!list) {
      list = key === '' ? [] : store.refundsByWaybill(key);
      refundsOf.set(key, list);
    }
    return list;
  };

  // Newest first: the desk looks at today's parcels.
  const ordered = [...receipts].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt) || b.id - a.id);
  const rows: ReceiptRowJson[] = [];
  let unmatched = 0;
  let ambiguous = 0;
  for (const r of ordered) {
    const group = byKey.get(r.waybillKey)!;
    const refunds = refundsFor(r.waybillKey);
    const m = matchReceipt(r, refunds);
    if (m.kind === 'unmatched') unmatched++;
    if (m.kind === 'ambiguous') ambiguous++;
    if (flags.unmatched && m.kind !== 'unmatched') continue;
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

  const orange = store.openRefunds({ statuses: ['WAIT_SELLER_CONFIRM_GOODS'] });
  const noWaybill: CaseJson[] = [];
  const notReceived: CaseJson[] = [];
  for (const refund of orange) {
    const key = refundWaybillKey(refund);
    const status = receiptStatusFor(refund, key === null ? [] : (byKey.get(key) ?? []), key === null ? [] : refundsFor(key));
    if (status.state === 'no-waybill') noWaybill.push(build(refund, status));
    else if (status.state === 'not-received') notReceived.push(build(refund, status));
  }
  noWaybill.sort(byUrgency);
  notReceived.sort(byUrgency);

  const data: ReturnsJson = {
    asOf: ctx.zone.iso(ctx.nowMs),
    counts: { receipts: receipts.length, unmatched, ambiguous, noWaybill: noWaybill.length, notReceived: notReceived.length },
    receipts: rows,
    noWaybill: flags.unmatched ? [] : noWaybill,
    notReceived: flags.unmatched ? [] : notReceived,
  };
  if (flags.json) {
    ctx.io.out(JSON.stringify(data, null, 2));
    return 0;
  }
  const { renderReturns } = await import('../ui/returnsView.js');
  ctx.io.out(renderReturns(data, ctx.io, { unmatchedOnly: Boolean(flags.unmatched) }));
  return 0;
}
