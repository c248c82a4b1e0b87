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
}

const KINDS = ['taobao-refunds', 'taobao-orders', 'douyin-aftersales', 'warehouse-returns'];

export function registerImport(program: Command, ctx: () => Context): void {
  program
    .command('import')
    .description('import platform exports (CSV, GBK or UTF-8) into the local database')
    .argument('<files...>', 'export files; "-" reads standard input')
    .option('--dry-run', 'check and report, write nothing')
    .option('--json', 'one JSON report on stdout')
    .option('--encoding <name>', 'force the encoding: gbk, gb18030, utf-8 (default: detected)')
    .option('--kind <kind>', `force the export kind: ${KINDS.join(', ')} (default: recognised by headers)`)
    .addHelpText(
      'after',
      `
Examples:
  refunds import ~/Downloads/ExportRefundList201704.csv
  refunds import refunds.csv orders.csv douyin.csv --json
  refunds import --dry-run new-export.csv
  iconv -f gbk -t utf-8 export.csv | refunds import -

Files are recognised by their header names (taobao-refunds, taobao-orders, douyin-aftersales,
warehouse-returns). Re-importing a file changes nothing; a newer export updates rows and records
each status change. If any file cannot be imported, nothing is written and the exit code is 1.`,
    )
    .action(async (files: string[], flags: ImportFlags) => {
      process.exitCode = await runImport(ctx(), files, flags);
    });
}

async function runImport(ctx: Context, files: string[], flags: ImportFlags): Promise<number> {
  const [{ importFiles, ImportFailure, retryWhileBusy }, { encodingFromFlag }] = await Promise.all([
    import('../import/pipeline.js'),
    import('../import/decode.js'),
  ]);
  let encoding;
  if (flags.encoding) {
    encoding = encodingFromFlag(flags.encoding);
    if (!encoding) throw new UsageError(t('import.badEncoding', { value: flags.encoding }));
  }
  if (flags.kind && !KINDS.includes(flags.kind)) throw new UsageError(t('import.badKind', { value: flags.kind, kinds: KINDS.join(', ') }));
  if (files.filter((f) => f === '-').length > 1) throw new UsageError(t('import.stdinTwice'));
  // As two imports serialize at BEGIN (pipeline.ts): one that finds the database held by another's
  // first load past the busy timeout waits for it instead of failing.
  const store = await retryWhileBusy(
    () => ctx.store({ create: true }),
    (e) => e instanceof DatabaseBusyError,
    () => ctx.io.err(t('import.waiting')),
  );
  const io = ctx.io;
  const [{ ensureDeadlines, toStored }, { sweepEnv }, { deadlineFor }] = await Promise.all([
    import('../app/deadlines.js'),
    import('../app/env.js'),
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
        kind: flags.kind as never,
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
        beforeCommit: (reports) => ensureDeadlines(store, env, { all: reports.some((r) => r.kind === 'taobao-orders' && r.inserted + r.updated > 0) }),
      },
    );
    io.endProgress();
    // Warnings go to stderr in every mode, one line each, so a cron log or a --json caller sees them too.
    for (const r of reports) {
      for (const w of r.warnings) io.err(t('import.warningLine', { where: `${forTerminal(r.file)}:${w.line}`, message: warningMessage(w, r.encoding) }));
    }
    const json = {
      files: reports.map((r) => ({
        file: r.file,
        kind: r.kind,
        encoding: r.encoding,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        errors: r.errors.map((e) => ({ line: e.line, message: rowMessage(e.code, e.params) })),
        unknownStatuses: r.unknownStatuses,
        warnings: r.warnings.map((w) => ({ line: w.line, column: w.column, message: warningMessage(w, r.encoding) })),
      })),
      dryRun: Boolean(flags.dryRun),
    };
    if (flags.json) {
      io.out(JSON.stringify(json, null, 2));
      return 0;
    }
    const { renderImportReport } = await import('../ui/importReport.js');
    io.out(renderImportReport(reports, { dryRun: Boolean(flags.dryRun), io, rowMessage }));
    return 0;
  } catch (e) {
    io.endProgress();
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

function warningMessage(w: { column: string; code: string }, encoding: string): string {
  return t(`import.warn.${w.code}`, { column: forTerminal(w.column).slice(0, 80), encoding });
}

export function rowMessage(code: string, params: Record<string, string | number>): string {
  const safe: Record<string, string | number> = { column: params.field ?? '' };
  for (const [k, v] of Object.entries(params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 80) : v;
  return t(`import.row.${code}`, safe);
}

