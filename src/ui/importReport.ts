import { t } from './i18n.js';
import type { FileReport } from '../import/pipeline.js';
import type { Output } from './output.js';
import { forTerminal } from './sanitize.js';

export function renderImportReport(
  reports: FileReport[],
  opts: {
    dryRun: boolean;
    io: Output;
    rowMessage: (code: string, params: Record<string, string | number>) => string;
    warningMessage: (code: string, params: Record<string, string | number>) => string;
    failureMessage: (e: NonNullable<FileReport['refused']>) => string;
  },
): string {
  const c = opts.io.chalk;
  const lines: string[] = [];
  if (opts.dryRun) lines.push(c.yellow(t('import.dryRunHeader')));
  for (const r of reports) {
    if (r.refused) {
      lines.push(c.red(t('import.refusedLine', { file: forTerminal(r.file), error: opts.failureMessage(r.refused) })));
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
    for (const e of shown) lines.push(c.red(`  ${forTerminal(r.file)}:${e.line}: ${opts.rowMessage(e.code, e.params)}`));
    if (r.rejected > shown.length) lines.push(c.red(`  ${t('import.moreErrors', { n: r.rejected - shown.length })}`));
    const warned = r.warnings.slice(0, 10);
    for (const w of warned) {
      lines.push(c.yellow(`  ${forTerminal(r.file)}:${w.line}: ${forTerminal(w.column)}: ${opts.warningMessage(w.code, w.params)}`));
    }
    if (r.warnings.length > warned.length) lines.push(c.yellow(`  ${t('import.warningsMore', { n: r.warnings.length - warned.length })}`));
    if (r.rejected > 0) lines.push(`  ${t('import.rejectedHint')}`);
  }
  return lines.join('\n');
}
