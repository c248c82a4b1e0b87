// `refunds import FILE... | -`
import type { Command } from 'commander';
import { REFUND_IMPORT_KIND } from '../domain/platforms.js';
import { UserError, UsageError } from '../errors.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

interface ImportFlags {
  dryRun?: boolean;
  json?: boolean;
  encoding?: string;
  kind?: string;
  sheet?: string;
  explain?: boolean;
}

// The built-in kinds, as the help has always listed them (the refund kinds from domain/platforms.ts).
const KINDS = [REFUND_IMPORT_KIND.taobao, 'taobao-orders', REFUND_IMPORT_KIND.douyin, REFUND_IMPORT_KIND.pdd, 'warehouse-returns'];

export function registerImport(program: Command, ctx: () => Context): void {
  program
    .command('import')
    .description('import platform exports (CSV in GBK or UTF-8, or Excel .xlsx) into the local database')
    .argument('<files...>', 'export files; "-" reads standard input')
    .option('--dry-run', 'check and report, write nothing')
    .option('--json', 'one JSON report on stdout')
    .option('--encoding <name>', 'force the encoding of a CSV: gbk, gb18030, utf-8 (default: detected)')
    .option('--kind <kind>', `force the export kind: ${KINDS.join(', ')} or a profile name (default: recognised by headers)`)
    .option('--sheet <name>', 'the workbook sheet to import (default: the first whose header matches an export)')
    .option('--explain', 'show how each file would be read (profile, header → field, missing, extra columns); import nothing')
    .addHelpText(
      'after',
      `
Examples:
  refunds import ~/Downloads/ExportRefundList201704.csv
  refunds import refunds.csv orders.xlsx douyin.xlsx --json
  refunds import --dry-run new-export.csv
  refunds import --explain unknown-export.xlsx
  refunds import pdd.xlsx --sheet 售后列表
  iconv -f gbk -t utf-8 export.csv | refunds import -

Files are recognised by their content (a .xlsx workbook or CSV text, whatever the name) and by
their header names (taobao-refunds, taobao-orders, douyin-aftersales, pdd-aftersales,
warehouse-returns, or a profile of your config file: see "refunds profiles"). Re-importing a file
changes nothing; a newer export updates rows and records each status change. Each file is imported
whole or not at all: a file that cannot be imported is refused (nothing of it is written), the
others still go in, and the exit code is 1.`,
    )
    .action(async (files: string[], flags: ImportFlags) => {
      process.exitCode = await runImport(ctx(), files, flags);
    });
}

async function runImport(ctx: Context, files: string[], flags: ImportFlags): Promise<number> {
  const [{ importFiles, retryWhileBusy, ImportFailure }, { encodingFromFlag }, { profilesFor }, view] = await Promise.all([
    import('../app/importFiles.js'),
    import('../import/decode.js'),
    import('../import/profileSchema.js'),
    import('../ui/importReport.js'),
  ]);
  let encoding;
  if (flags.encoding) {
    encoding = encodingFromFlag(flags.encoding);
    if (!encoding) throw new UsageError(t('import.badEncoding', { value: flags.encoding }));
  }
  // The config was validated when it was loaded (config.ts), so this does not throw.
  const profiles = profilesFor(ctx.config.profiles);
  const kinds = profiles.map((p) => p.kind);
  if (flags.kind && !kinds.includes(flags.kind)) throw new UsageError(t('import.badKind', { value: forTerminal(flags.kind), kinds: kinds.join(', ') }));
  if (files.filter((f) => f === '-').length > 1) throw new UsageError(t('import.stdinTwice'));
  if (flags.explain) {
    const { runExplain } = await import('./explain.js');
    return runExplain(ctx, files, { encoding: encoding ?? undefined, kind: flags.kind, sheet: flags.sheet, profiles, json: flags.json });
  }
  const io = ctx.io;
  const waiting = () => io.err(t('import.waiting'));
  const [{ beforeCreating }, { removeIfCreatedEmpty }, { sweepEnv }] = await Promise.all([
    import('../store/unusedDatabase.js'),
    import('./createdDatabase.js'),
    import('./sweepEnv.js'),
  ]);
  const birth = beforeCreating(ctx.dbPath);
  // One that finds the database held by another's first load past the busy timeout waits for it.
  const ports = await retryWhileBusy(() => ctx.ports({ create: true }), { onWait: waiting });
  const env = sweepEnv(ctx);
  let reports;
  try {
    reports = await importFiles(
      ports,
      { zone: ctx.zone, nowMs: ctx.nowMs, deadlines: env, progressClock: () => performance.now() },
      {
        sources: files.map((name) => ({ name })),
        encoding: encoding ?? undefined,
        kind: flags.kind,
        sheet: flags.sheet,
        profiles,
        dryRun: flags.dryRun,
        onProgress: (p) => io.progress(view.progressLine(p)),
        onWaitForLock: waiting,
      },
    );
  } catch (e) {
    io.endProgress();
    await removeIfCreatedEmpty(birth, ports, () => ctx.close());
    if (e instanceof ImportFailure) throw new UserError(view.failureAsError(e), { hint: t('import.nothingWritten') });
    throw e;
  }
  io.endProgress();
  const refused = reports.filter((r) => r.refused);
  if (flags.dryRun || refused.length === reports.length) await removeIfCreatedEmpty(birth, ports, () => ctx.close());
  if (flags.json) {
    // Each warning also goes to stderr, one line each (the human report lists them already).
    for (const line of view.warningLines(reports)) io.err(line);
    io.out(JSON.stringify(view.importJson(reports, Boolean(flags.dryRun)), null, 2));
  } else {
    io.out(view.renderImportReport(reports, { dryRun: Boolean(flags.dryRun), io }));
  }
  for (const line of view.refusedLines(reports)) io.err(line);
  return refused.length ? 1 : 0;
}
