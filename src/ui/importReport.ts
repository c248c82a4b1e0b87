import { t } from './i18n.js';
import type { FileReport } from '../import/pipeline.js';
import type { Output } from './output.js';
import { forTerminal } from './sanitize.js';

export function renderImportReport(
  reports: FileReport[],
  opts: { dryRun: boolean; io: Output; rowMessage: (code: string, params: Record<string, string | number>) => string },
): string {
  const c = opts.io.chalk;
  const lines: string[] = [];
  if (opts.dryRun) lines.push(c.yellow(t('import.dryRunHeader')));
  for (const r of reports) {
    lines.push(
      t('import.fileLine', {
        file: forTerminal(r.file),
        kind: r.kind,
        encoding: r.encoding,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
      }),
    );
    const shown = r.errors.slice(0, 20);
    for (const e of shown) lines.push(c.red(`  ${forTerminal(r.file)}:${e.line}: ${opts.rowMessage(e.code, e.params)}`));
    if (r.rejected > shown.length) lines.push(c.red(`  ${t('import.moreErrors', { n: r.rejected - shown.length })}`));
    for (const u of r.unknownStatuses.slice(0, 10)) {
      lines.push(c.yellow(`  ${forTerminal(r.file)}:${u.line}: ${t('import.unknownStatus', { text: forTerminal(u.text) })}`));
    }
    if (r.rejected > 0) lines.push(`  ${t('import.rejectedHint')}`);
  }
  return lines.join('\n');
}
