// `refunds returns [--unmatched]`: the warehouse receipts with the refunds they match, computed
// now (nothing stored can go stale: a later refund import re-runs matching by itself), and the
// orange refunds that have no parcel yet.
import type { Command } from 'commander';
import type { ReturnsJson } from '../ui/returnsView.js';
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

async function runReturns(ctx: Context, flags: ReturnsFlags): Promise<number> {
  const [{ returnsReport }, build] = await Promise.all([import('../app/returns.js'), caseBuilder(ctx)]);
  const o = { zone: ctx.zone, nowMs: ctx.nowMs, unmatchedOnly: Boolean(flags.unmatched) };
  // One snapshot: receipts and refunds of the same moment.
  const data: ReturnsJson = await (await ctx.ports({ readonly: true })).unitOfWork((tx) => returnsReport(tx.cases, o, build), { mode: 'read' });
  if (flags.json) {
    ctx.io.out(JSON.stringify(data, null, 2));
    return 0;
  }
  const { renderReturns } = await import('../ui/returnsView.js');
  ctx.io.out(renderReturns(data, ctx.io, { unmatchedOnly: Boolean(flags.unmatched) }));
  return 0;
}
