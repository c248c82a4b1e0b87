// `refunds evidence ID --out DIR`: the appeal pack (申诉材料) of one refund, owner-only.
import type { Command } from 'commander';
import { UserError, UsageError } from '../errors.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

interface EvidenceFlags {
  out?: string;
  mask?: boolean;
  json?: boolean;
}

export function registerEvidence(program: Command, ctx: () => Context): void {
  program
    .command('evidence')
    .description('write the appeal pack (申诉) of one refund: a printable page (HTML, A4) and a Markdown copy, owner-only')
    .argument('<id>', 'refund ID, order ID with a single refund, row number of the last today, or return waybill')
    .option('--out <dir>', 'folder to write (created owner-only; must not exist or be empty)')
    .option('--no-mask', "show the receiver's phone and address unmasked")
    .option('--json', 'print the files written as one JSON document')
    .addHelpText(
      'after',
      `
Examples:
  refunds evidence 158700112233445506 --out ~/appeals/506
  refunds evidence 4123456789012345678 --out a506   # by its order ID
  refunds evidence 3 --out a3                       # row 3 of the last today
  refunds evidence YT2345678901234 --out yt         # by the return waybill

Writes DIR/appeal-ID.html (one printable A4 page, no external assets: open it and print) and
DIR/appeal-ID.md (the same as Markdown): the case timeline, the buyer's history and flags, the
platform's own words, the checklist of what to attach to the appeal (申诉), charts of the shop's
last 28 days. DIR is created owner-only (0700, files 0600); an existing DIR must be an empty
folder, and a symbolic link is refused.`,
    )
    .action(async (id: string, flags: EvidenceFlags) => {
      process.exitCode = await runEvidence(ctx(), id, flags);
    });
}

async function runEvidence(c: Context, typed: string, flags: EvidenceFlags): Promise<number> {
  if (!flags.out || flags.out.trim() === '') throw new UsageError(t('evidence.needOut'));
  const [{ evidencePack, writePack, PackError }, { sweepEnv }, { refundIdOrFail }, { evidenceFiles }] = await Promise.all([
    import('../app/evidence.js'),
    import('./sweepEnv.js'),
    import('./lookup.js'),
    import('../ui/evidenceView.js'),
  ]);
  const ports = (await c.ports({ readonly: true }));
  const id = await refundIdOrFail(ports, typed, c.dbPath, { zone: c.zone, nowMs: c.nowMs, waybill: true });
  const env = sweepEnv(c);
  // One snapshot: the timeline, the buyer's history and the shop's figures of one moment.
  const pack = (await ports.unitOfWork((tx) => evidencePack(tx, env, id), { mode: 'read' }))!;
  const files = evidenceFiles(pack, { mask: flags.mask !== false });
  let written: string[];
  try {
    written = writePack(flags.out, files);
  } catch (e) {
    if (e instanceof PackError) {
      // The folder is the user's argument: no control characters reach the terminal.
      const where = forTerminal(e.where);
      if (e.code === 'symlink') throw new UserError(t('evidence.outSymlink', { path: where }));
      if (e.code === 'exists') throw new UserError(t('evidence.outExists', { dir: where }));
      throw new UserError(t('evidence.outFailed', { dir: where, reason: forTerminal(e.message) }));
    }
    throw e;
  }
  if (flags.json) c.io.out(JSON.stringify({ refundId: id, dir: written.length ? written[0]!.slice(0, written[0]!.lastIndexOf('/')) : flags.out, files: written }, null, 2));
  else c.io.err(t('evidence.written', { dir: forTerminal(flags.out), files: files.map((f) => f.name).join(', ') }));
  return 0;
}
