// The appeal pack from the triage card: a flagged buyer's case offers "write the appeal pack",
// which asks for a folder (default ./appeal-ID) and writes it as `refunds evidence` does.
import type { CaseFile } from '../app/caseFile.js';
import type { SweepEnv } from '../app/sweep.js';
import type { Store } from '../store/store.js';
import { t } from './i18n.js';
import type { Output } from './output.js';
import type { Prompter } from './prompts.js';
import { forTerminal } from './sanitize.js';

/** `o.header`: the case line drawn above the prompt, as on every triage prompt; `o.cancel`: the
 * Esc hint (Esc goes back to the question, writing nothing). */
export async function evidenceFromTriage(
  store: Store,
  env: SweepEnv,
  cf: CaseFile,
  prompter: Prompter,
  io: Pick<Output, 'chalk' | 'out' | 'err'>,
  o: { header?: readonly string[]; cancel?: string } = {},
): Promise<void> {
  const [{ evidencePackFromStore: evidencePack, writePack, PackError }, { evidenceFiles }] = await Promise.all([import('../app/storeTwins.js'), import('./evidenceView.js')]);
  const typed = await prompter.ask({
    ...(o.header ? { header: o.header } : {}),
    cancel: o.cancel ?? t('session.key.esc'),
    message: t('session.evidenceDir'),
    default: `appeal-${cf.refund.refundId}`,
    validate: (v) => (v.trim() ? true : t('evidence.needOut')),
  });
  if (typed === null) return;
  const dir = typed.trim();
  const pack = evidencePack(store, env, cf.refund.refundId);
  if (!pack) return;
  const files = evidenceFiles(pack, { mask: true });
  // The folder is typed text: cleaned for the terminal like any argument.
  const shown = forTerminal(dir);
  try {
    writePack(dir, files);
    io.out(io.chalk.green(t('evidence.written', { dir: shown, files: files.map((f) => f.name).join(', ') })));
  } catch (e) {
    if (!(e instanceof PackError)) throw e;
    const key = e.code === 'symlink' ? 'evidence.outSymlink' : e.code === 'exists' ? 'evidence.outExists' : 'evidence.outFailed';
    const where = forTerminal(e.where);
    io.err(t(key, { path: where, dir: where, reason: forTerminal(e.message) }));
  }
}
