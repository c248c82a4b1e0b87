// `refunds summary`: the morning printout, for cron. Text for paper by default (80 columns, no
// colour), or Markdown, JSON, or one printable A4 HTML page; --out writes an owner-only file.
import { Option, type Command } from 'commander';
import { UsageError, UserError } from '../errors.js';
import { writeFileAtomic } from '../lib/atomicFile.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

/** Exit code of --fail-if when the condition holds (the printout is still produced). */
export const EXIT_ALERT = 3;

type Format = 'text' | 'markdown' | 'json' | 'html';

interface SummaryFlags {
  format: Format;
  json?: boolean;
  out?: string;
  mask?: boolean;
  failIf?: string;
}

export function registerSummary(program: Command, ctx: () => Context): void {
  program
    .command('summary')
    .description('the morning printout for the team: urgent lists, orange returns, yesterday\'s decisions, 28-day metrics')
    .addOption(new Option('--format <format>', 'text (for paper, 80 columns), markdown, json or html (one printable A4 page)').choices(['text', 'markdown', 'json', 'html']).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to FILE (owner-only, mode 0600; whole or not at all; a symlink is refused) and print nothing on stdout')
    .option('--no-mask', 'show buyers\' phone numbers and addresses unmasked')
    .option('--fail-if <condition>', `exit ${EXIT_ALERT} (after producing the printout) when "overdue": a refund waiting on the shop is past its deadline; or "due-within=6h": one is overdue or due within that time`)
    .addHelpText(
      'after',
      `
Exit codes:
  0  printed (or written)
  1  failure: unreadable database, --out file not writable, ...
  2  usage error (unknown option or value)
  ${EXIT_ALERT}  --fail-if condition holds; the printout was still produced
  130 interrupted

Examples:
  refunds summary
  refunds summary --format html --out /var/lib/refunds/summary.html
  refunds summary --fail-if overdue --out /var/lib/refunds/summary.txt || echo "overdue refunds"
  refunds summary --fail-if due-within=6h >/dev/null; echo $?

Deterministic for a given --now and database (the page shows the --now time, not the wall clock).
Phone numbers and addresses are masked unless --no-mask. The README shows a crontab line and the
SQL that re-derives every figure ("refunds summary", "refunds stats").`,
    )
    .action(async (flags: SummaryFlags) => {
      process.exitCode = await runSummary(ctx(), flags);
    });
}

function parseFailIf(value: string, c: Context): { kind: 'overdue' } | { kind: 'due-within'; ms: number; text: string } {
  const v = value.trim().toLowerCase();
  if (v === 'overdue') return { kind: 'overdue' };
  const m = /^due-within[=:\s]\s*(.+)$/.exec(v);
  if (m) {
    try {
      return { kind: 'due-within', ms: c.duration(m[1]!), text: m[1]!.trim() };
    } catch {
      /* reported below as a --fail-if error */
    }
  }
  throw new UsageError(t('summary.badFailIf', { value }));
}

/** Writes the printout owner-only, whole or not at all (src/lib/atomicFile.ts); never through a symlink. */
function writeOut(file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'symlink') throw new UserError(t('write.symlink', { file: forTerminal(file) }));
    const reason = code === 'ENOSPC' || code === 'EDQUOT' ? t('write.full') : code || (e as Error).message;
    throw new UserError(t('summary.outFailed', { file: forTerminal(file), reason: forTerminal(reason) }));
  }
}

async function runSummary(c: Context, flags: SummaryFlags): Promise<number> {
  const format: Format = flags.json ? 'json' : flags.format;
  const failIf = flags.failIf !== undefined ? parseFailIf(flags.failIf, c) : null;
  const mask = flags.mask !== false;
  const [{ buildSummary, summaryJson, failIfCount }, { sweepEnv }] = await Promise.all([import('../app/summary.js'), import('./sweepEnv.js')]);
  const env = sweepEnv(c);
  // The previous window's days are drawn on the HTML page's chart and listed in the JSON only.
  const data = await buildSummary((await c.ports({ readonly: true })), env, { shopName: c.config.shopName ?? null, previousWindow: format === 'json' || format === 'html' });
  let text: string;
  if (format === 'json') {
    text = `${JSON.stringify(summaryJson(data, { mask }), null, 2)}\n`;
  } else {
    const view = await import('../ui/summaryView.js');
    const page = view.summaryPage(data, { mask });
    text = format === 'markdown' ? view.renderMarkdown(page) : format === 'html' ? view.renderHtml(page, c.lang) : view.renderText(page);
  }
  if (flags.out) writeOut(flags.out, text);
  else await c.io.write(text);
  if (failIf) {
    const n = failIfCount(data, failIf);
    if (n > 0) {
      c.io.err(failIf.kind === 'overdue' ? t('summary.failOverdue', { n }) : t('summary.failDue', { n, window: failIf.text }));
      return EXIT_ALERT;
    }
  }
  return 0;
}
