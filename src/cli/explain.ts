// `refunds import --explain FILE...`: how each file would be read; nothing is imported.
import { UserError } from '../errors.js';
import type { Encoding } from '../import/decode.js';
import type { Profile } from '../import/profiles.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

/** How import says a refused file (cli/import.ts failureMessage), handed in: explain and import must not import each other. */
type FailureMessage = (e: { file: string; line: number | null; code: string; params: Record<string, string | number> }) => string;

export async function runExplain(
  ctx: Context,
  files: string[],
  opts: { encoding?: Encoding; kind?: string; sheet?: string; profiles: Profile[]; json?: boolean; failureMessage: FailureMessage },
): Promise<number> {
  const [{ explainFile, ImportFailure }, { explanationJson, renderExplanation }] = await Promise.all([
    import('../import/pipeline.js'),
    import('../ui/profilesView.js'),
  ]);
  const docs: unknown[] = [];
  const texts: string[] = [];
  let failed = 0;
  for (const name of files) {
    try {
      const x = await explainFile({ name }, { ...opts, zone: ctx.zone });
      docs.push(explanationJson(x));
      texts.push(renderExplanation(x));
    } catch (e) {
      if (!(e instanceof ImportFailure)) throw e;
      failed++;
      const error = opts.failureMessage(e);
      docs.push({ file: e.file, refused: true, error });
      if (!opts.json) ctx.io.err(`refunds: ${error}`);
    }
  }
  if (opts.json) ctx.io.out(JSON.stringify({ files: docs }, null, 2));
  else if (texts.length) ctx.io.out(texts.join('\n\n'));
  if (failed && files.length === 1 && !opts.json) throw new UserError(t('import.refusedAll'));
  return failed ? 1 : 0;
}
