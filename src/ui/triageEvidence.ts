// The appeal pack from the triage card: a flagged buyer's case offers "write the appeal pack",
// which asks for a folder (default ./appeal-ID) and writes it as `refunds evidence` does.
import type { CaseFile } from '../app/caseFile.js';
import type { EvidencePack } from '../app/evidence.js';
import { t } from './i18n.js';
import type { Output } from './output.js';
import type { Prompter } from './prompts.js';
import { forTerminal } from './sanitize.js';
import { evidenceFiles } from './evidenceView.js';

/** Why a pack could not be written (app/evidence.ts PackError), as the dialogue says it. */
export interface PackFailure {
  code: 'symlink' | 'exists' | string;
  where: string;
  message: string;
}

/** What the dialogue needs of app/evidence.ts, handed in by the cli (ui runs no use case itself). */
export interface AppealPack {
  /** The case's appeal pack, or null when the refund is gone. */
  pack(refundId: string): Promise<EvidencePack | null>;
  /** Writes the files into `dir`; a PackFailure instead of throwing when the folder is refused. */
  write(dir: string, files: { name: string; content: string }[]): PackFailure | null;
}

/** `o.header`: the case line drawn above the prompt, as on every triage prompt; `o.cancel`: the
 * Esc hint (Esc goes back to the question, writing nothing). */
export async function evidenceFromTriage(
  appeal: AppealPack,
  cf: CaseFile,
  prompter: Prompter,
  io: Pick<Output, 'chalk' | 'out' | 'err'>,
  o: { header?: readonly string[]; cancel?: string } = {},
): Promise<void> {
  const typed = await prompter.ask({
    ...(o.header ? { header: o.header } : {}),
    cancel: o.cancel ?? t('session.key.esc'),
    message: t('session.evidenceDir'),
    default: `appeal-${cf.refund.refundId}`,
    validate: (v) => (v.trim() ? true : t('evidence.needOut')),
  });
  if (typed === null) return;
  const dir = typed.trim();
  const pack = await appeal.pack(cf.refund.refundId);
  if (!pack) return;
  const files = evidenceFiles(pack, { mask: true });
  // The folder is typed text: cleaned for the terminal like any argument.
  const shown = forTerminal(dir);
  const failed = appeal.write(dir, files);
  if (!failed) {
    io.out(io.chalk.green(t('evidence.written', { dir: shown, files: files.map((f) => f.name).join(', ') })));
    return;
  }
  const key = failed.code === 'symlink' ? 'evidence.outSymlink' : failed.code === 'exists' ? 'evidence.outExists' : 'evidence.outFailed';
  const where = forTerminal(failed.where);
  io.err(t(key, { path: where, dir: where, reason: forTerminal(failed.message) }));
}
