// `refunds import --explain FILE...`: how each file would be read; nothing is imported.
import { UserError } from '../errors.js';
import type { Encoding } from '../import/decode.js';
import type { Profile } from '../import/profiles.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

export async function runExplain(
  ctx: Context,
  files: string[],
  opts: { encoding?: Encoding; kind?: string; sheet?: string; profiles: Profile[]; json?: boolean },
): Promise<number> {
  const [{ explainFile, ImportFailure }, { explanationJson, renderExplanation }, { failureMessage }] = await Promise.all([
    import('../import/read.js'),
    import('../ui/profilesView.js'),
    import('../ui/importReport.js'),
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
      const error = failureMessage(e);
      docs.push({ file: e.file, refused: true, error });
      if (!opts.json) ctx.io.err(`refunds: ${error}`);
    }
  }
  if (opts.json) ctx.io.out(JSON.stringify({ files: docs }, null, 2));
  else if (texts.length) ctx.io.out(texts.join('\n\n'));
  if (failed && files.length === 1 && !opts.json) throw new UserError(t('import.refusedAll'));
  return failed ? 1 : 0;
}
