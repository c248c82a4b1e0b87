// What `refunds import` says: the report per file (text or the --json document), the one-line
// reasons of refused files and rejected rows. File names, headers and cells come from the user's
// files: cleaned like buyer text.
import { t } from './i18n.js';
import type { FileReport } from '../import/read.js';
import type { Output } from './output.js';
import { forTerminal } from './sanitize.js';

type Params = Record<string, string | number>;

/** A refused file's reason, one line, file names and cells cleaned for the terminal. */
export function failureMessage(e: { file: string; line: number | null; code: string; params: Params }): string {
  const where = forTerminal(e.line ? `${e.file}:${e.line}` : e.file);
  const safe: Params = {};
  for (const [k, v] of Object.entries(e.params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 300) : v;
  return t(`import.fail.${e.code}`, { ...safe, where });
}

/** An import failure as a whole command's error (a file that could not even be started). */
export function failureAsError(e: { file: string; line: number | null; code: string; params: Params }): string {
  const where = forTerminal(e.line ? `${e.file}:${e.line}` : e.file);
  const params: Params = {};
  for (const [k, v] of Object.entries(e.params)) params[k] = typeof v === 'string' ? forTerminal(v).slice(0, 200) : v;
  return t(`import.fail.${e.code}`, { where, ...params });
}

export function warningMessage(code: string, params: Params): string {
  const safe: Params = {};
  for (const [k, v] of Object.entries(params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 80) : v;
  return t(`import.warn.${code}`, safe);
}

export function rowMessage(code: string, params: Params): string {
  const safe: Params = { column: params.field ?? '' };
  for (const [k, v] of Object.entries(params)) safe[k] = typeof v === 'string' ? forTerminal(v).slice(0, 80) : v;
  return t(`import.row.${code}`, safe);
}

/** Each warning as one stderr line (with --json, so that a cron log sees it). */
export function warningLines(reports: FileReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    for (const w of r.warnings) lines.push(t('import.warningLine', { where: `${forTerminal(r.file)}:${w.line}`, message: warningMessage(w.code, w.params) }));
  }
  return lines;
}

/** The --json document (CONTRACT.md). */
export function importJson(reports: FileReport[], dryRun: boolean) {
  return {
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
    dryRun,
  };
}

/** The stderr lines after the report when files were refused (none when every file went in). */
export function refusedLines(reports: FileReport[]): string[] {
  const refused = reports.filter((r) => r.refused);
  if (!refused.length) return [];
  return [
    ...refused.map((r) => `refunds: ${failureMessage(r.refused!)}`),
    refused.length === reports.length ? t('import.nothingWritten') : t('import.refusedSome', { n: refused.length, total: reports.length }),
  ];
}

export function progressLine(p: { file: string; bytes: number; totalBytes: number | null; rows: number }): string {
  return t('import.progress', {
    file: p.file,
    rows: p.rows.toLocaleString('en-US'),
    pct: p.totalBytes ? Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100)) : '?',
  });
}

export function renderImportReport(reports: FileReport[], opts: { dryRun: boolean; io: Output }): string {
  const c = opts.io.chalk;
  const lines: string[] = [];
  if (opts.dryRun) lines.push(c.yellow(t('import.dryRunHeader')));
  for (const r of reports) {
    if (r.refused) {
      lines.push(c.red(t('import.refusedLine', { file: forTerminal(r.file), error: failureMessage(r.refused) })));
      continue;
    }
    lines.push(
      t('import.fileLine', {
        file: forTerminal(r.file),
        kind: r.kind,
        encoding: r.format === 'xlsx' ? 'xlsx' : r.encoding,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
      }),
    );
    if (r.sheet) lines.push(t('import.sheetNote', { sheet: forTerminal(r.sheet) }));
    const shown = r.errors.slice(0, 20);
    for (const e of shown) lines.push(c.red(`  ${forTerminal(r.file)}:${e.line}: ${rowMessage(e.code, e.params)}`));
    if (r.rejected > shown.length) lines.push(c.red(`  ${t('import.moreErrors', { n: r.rejected - shown.length })}`));
    const warned = r.warnings.slice(0, 10);
    for (const w of warned) {
      lines.push(c.yellow(`  ${forTerminal(r.file)}:${w.line}: ${forTerminal(w.column)}: ${warningMessage(w.code, w.params)}`));
    }
    if (r.warnings.length > warned.length) lines.push(c.yellow(`  ${t('import.warningsMore', { n: r.warnings.length - warned.length })}`));
    if (r.rejected > 0) lines.push(`  ${t('import.rejectedHint')}`);
  }
  return lines.join('\n');
}
