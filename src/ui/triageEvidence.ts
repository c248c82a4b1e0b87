// The appeal pack from the triage card: a flagged buyer's case offers "write the appeal pack",
// which asks for a folder (default ./appeal-ID) and writes it as `refunds evidence` does.
import type { CaseFile } from '../app/caseFile.js';
import type { SweepEnv } from '../app/sweep.js';
import type { Store } from '../store/store.js';
import { t } from './i18n.js';
import type { Output } from './output.js';
import type { Prompter } from './prompts.js';

export async function evidenceFromTriage(store: Store, env: SweepEnv, cf: CaseFile, prompter: Prompter, io: Pick<Output, 'chalk' | 'out' | 'err'>): Promise<void> {
  const [{ evidencePack, writePack, PackError }, { evidenceFiles }] = await Promise.all([import('../app/evidence.js'), import('./evidenceView.js')]);
  const dir = (await prompter.input({ message: t('session.evidenceDir'), default: `appeal-${cf.refund.refundId}`, validate: (v) => (v.trim() ? true : t('evidence.needOut')) })).trim();
  const pack = evidencePack(store, env, cf.refund.refundId);
  if (!pack) return;
  const files = evidenceFiles(pack, { mask: true });
  try {
    writePack(dir, files);
    io.out(io.chalk.green(t('evidence.written', { dir, files: files.map((f) => f.name).join(', ') })));
  } catch (e) {
    if (!(e instanceof PackError)) throw e;
    const key = e.code === 'symlink' ? 'evidence.outSymlink' : e.code === 'exists' ? 'evidence.outExists' : 'evidence.outFailed';
    io.err(t(key, { path: e.where, dir: e.where, reason: e.message }));
  }
}
