// `refunds show ID`: the case card.
import type { Command } from 'commander';
import type { Context } from './context.js';

interface ShowFlags {
  json?: boolean;
  mask?: boolean;
}

export function registerShow(program: Command, ctx: () => Context): void {
  program
    .command('show')
    .description('one refund explained: deadline and where it comes from, order, history, decisions, warehouse')
    .argument('<id>', 'refund ID, order ID with a single refund, row number of the last today, or return waybill')
    .option('--json', 'one JSON document on stdout (docs/interface.md)')
    .option('--no-mask', 'show the receiver\'s phone and address unmasked')
    .addHelpText(
      'after',
      `
Examples:
  refunds show 158700112233445506
  refunds show 4123456789012345678      # an order ID finds its refund
  refunds show 3                        # row 3 of the last "refunds today"
  refunds show YT2345678901234          # the return waybill on a parcel
  refunds show 158700112233445506 --json`,
    )
    .action(async (id: string, flags: ShowFlags) => {
      process.exitCode = await runShow(ctx(), id, flags);
    });
}

async function runShow(c: Context, typed: string, flags: ShowFlags): Promise<number> {
  const [{ caseFile, caseJson }, { sweepEnv }, { refundIdOrFail }] = await Promise.all([
    import('../app/caseFile.js'),
    import('./sweepEnv.js'),
    import('./lookup.js'),
  ]);
  const ports = (await c.ports({ readonly: true }));
  const id = await refundIdOrFail(ports, typed, c.dbPath, { zone: c.zone, nowMs: c.nowMs, waybill: true });
  const env = sweepEnv(c);
  // One snapshot: the card's parts (decisions, receipts, buyer history) agree with each other.
  const cf = (await ports.unitOfWork((tx) => caseFile(tx, env, id), { mode: 'read' }))!;
  if (flags.json) {
    c.io.out(JSON.stringify(caseJson(cf, env), null, 2));
    return 0;
  }
  const { renderCase } = await import('../ui/caseView.js');
  c.io.out(renderCase(cf, c.io, { zone: env.zone, nowMs: env.nowMs, mask: flags.mask !== false }));
  return 0;
}
