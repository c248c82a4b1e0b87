// `refunds import FILE... | -`
import type { Command } from 'commander';
import { DatabaseBusyError, UserError, UsageError } from '../errors.js';
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

const KINDS = ['taobao-refunds', 'taobao-orders', 'douyin-aftersales', 'pdd-aftersales', 'warehouse-returns'];

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
  const [{ importFiles, ImportFailure, retryWhileBusy }, { encodingFromFlag }, { profilesFor }] = await Promise.all([
    import('../import/pipeline.js'),
    import('../import/decode.js'),
    import('../import/profileSchema.js'),
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
  // As two imports serialize at BEGIN (pipeline.ts): one that finds the database held by another's
  // first load past the busy timeout waits for it instead of failing.
  const { beforeCreating, removeIfCreatedEmpty } = await import('../store/unusedDatabase.js');
  const birth = beforeCreating(ctx.dbPath);
  const store = await retryWhileBusy(
    () => ctx.store({ create: true }),
    (e) => e instanceof DatabaseBusyError,
    () => ctx.io.err(t('import.waiting')),
  );
  const io = ctx.io;
  const [{ ensureDeadlines, toStored }, { sweepEnv }, { deadlineFor }] = await Promise.all([
    import('../app/deadlines.js'),
    import('./sweepEnv.js'),
    import('../domain/deadlines.js'),
  ]);
  const env = sweepEnv(ctx);
  try {
    const reports = await importFiles(
      store,
      files.map((name) => ({ name })),
      {
        zone: ctx.zone,
        nowMs: ctx.nowMs,
        encoding: encoding ?? undefined,
        kind: flags.kind,
        sheet: flags.sheet,
        profiles,
        dryRun: flags.dryRun,
        onProgress: (p) =>
          io.progress(
            t('import.progress', {
              file: p.file,
              rows: p.rows.toLocaleString('en-US'),
              pct: p.totalBytes ? Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100)) : '?',
            }),
          ),
        onWaitForLock: () => io.err(t('import.waiting')),
        // Each open refund's deadline is computed as it is written (no second pass over the rows),
        // after stored deadlines made under other rules or another calendar are brought up to date.
        afterBegin: () => ensureDeadlines(store, env),
        deadlineOf: (r) => toStored(r.refundId, deadlineFor(r, env.rules, env.zone, env.calendar)),
        // Changed refunds need their deadline again; an order export may move any of them (it says
        // what shipped), so then all open refunds are recomputed.
        beforeCommit: (reports) =>
          ensureDeadlines(store, env, {
            all: reports.some((r) => !r.refused && r.inserted + r.updated > 0 && profiles.find((p) => p.kind === r.kind)?.target === 'orders'),
          }),
      },
    );
    io.endProgress();
    const refused = reports.filter((r) => r.refused);
    if (flags.dryRun || refused.length === reports.length) removeIfCreatedEmpty(birth, store, () => ctx.close());
    // With --json, each warning also goes to stderr, one line each, so a cron log sees it (the
    // human report lists them already).
    if (flags.json) {
      for (const r of reports) {
        for (const w of r.warnings) io.err(t('import.warningLine', { where: `${forTerminal(r.file)}:${w.line}`, message: warningMessage(w.code, w.params) }));
      }
    }
    const json = {
      files: reports.map((r) =>
        r.refused
          ? {
              file: r.file,
              refused: true,
              error: failureMessage(r.refused),
              kind: null,
              encoding: null,
              inserted: 0,
              updated: 0,
              unchanged: 0,
              rejected: 0,
              errors: [],
              warnings: [],
            }
          : {
              file: r.file,
              kind: r.kind,
              encoding: r.encoding,
              format: r.format,
              ...(r.sheet !== undefined ? { sheet: r.sheet } : {}),
              inserted: r.inserted,
              updated: r.updated,
              unchanged: r.unchanged,
              rejected: r.rejected,
              errors: r.errors.map((e) => ({ line: e.line, message: rowMessage(e.code, e.params) })),
              warnings: r.warnings.map((w) => ({ line: w.line, column: w.column, message: warningMessage(w.code, w.params) })),
              unknownStatuses: r.unknownStatuses,
            },
      ),
      dryRun: Boolean(flags.dryRun),
    };
    if (flags.json) {
      io.out(JSON.stringify(json, null, 2));
    } else {
      const { renderImportReport } = await import('../ui/importReport.js');
      io.out(renderImportReport(reports, { dryRun: Boolean(flags.dryRun), io, rowMessage, warningMessage, failureMessage }));
    }
    if (refused.length) {
      for (const r of refused) io.err(`refunds: ${failureMessage(r.refused!)}`);
      io.err(refused.length === reports.length ? t('import.nothingWritten') : t('import.refusedSome', { n: refused.length, total: reports.length }));
      return 1;
    }
    return 0;
  } catch (e) {
    io.endProgress();
    removeIfCreatedEmpty(birth, store, () => ctx.close());
    if (e instanceof ImportFailure) {
      // File names, headers and reasons come from the user's files: cleaned like buyer text.
      const where = forTerminal(e.line ? `${e.file}:${e.line}` : e.file);
      const params: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(e.params)) params[k] = typeof v === 'string' ? forTerminal(v).slice(0, 200) : v;
      throw new UserError(t(`import.fail.${e.code}`, { where, ...params }), { hint: t('import.nothingWritten') });
    }
    throw e;
  }
}

/** A refused file's reason, one line, file names and cells cleaned for the terminal. */
export function failureMessage(e: { file: string; line: number | null; code: string; params: Record<string, string | number> }): string {
  const where = forTerminal(e.line ? `${e.file}:${e.line}` : e.file);
  const safe: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e.params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 300) : v;
  return t(`import.fail.${e.code}`, { ...safe, where });
}

export function warningMessage(code: string, params: Record<string, string | number>): string {
  const safe: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 80) : v;
  return t(`import.warn.${code}`, safe);
}

export function rowMessage(code: string, params: Record<string, string | number>): string {
  const safe: Record<string, string | number> = { column: params.field ?? '' };
  for (const [k, v] of Object.entries(params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 80) : v;
  return t(`import.row.${code}`, safe);
}

