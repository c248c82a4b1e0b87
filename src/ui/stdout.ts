// Every byte meant for stdout is written and checked: a full disk behind `> file` (ENOSPC) or a
// reader that went away (EPIPE) ends the command with one line and exit 1, never a truncated
// document that passes as success. (process.stdout drops short writes to a file silently.)
import { UserError } from '../errors.js';
import { writeAllSync } from '../lib/atomicFile.js';
import { t } from './i18n.js';

export function writeStdout(text: string | Buffer): void {
  try {
    writeAllSync(1, typeof text === 'string' ? Buffer.from(text) : text);
  } catch (e) {
    throw outputLost(e);
  }
}

export function outputLost(e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const key = code === 'ENOSPC' || code === 'EDQUOT' ? 'output.full' : code === 'EPIPE' ? 'output.closed' : 'output.failed';
  return new UserError(t(key, { reason: code || (e as Error).message }));
}
