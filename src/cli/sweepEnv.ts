// The sweep's environment of a command (app/env.ts sweepEnvOf) from its Context: the flag
// wording in the user's language, a config problem said as a user error.
import { UserError } from '../errors.js';
import { ConfigProblem, sweepEnvOf } from '../app/env.js';
import type { SweepEnv } from '../app/sweep.js';
import { t } from '../ui/i18n.js';
import { caseTranslator } from '../ui/caseWording.js';
import type { Context } from './context.js';

/** The message of a ConfigProblem, in the user's language. */
export function configProblemMessage(e: ConfigProblem): string {
  return t('error.config', { path: e.file, reason: e.reason });
}

export function sweepEnv(ctx: Context, overrides: { nowMs?: number; dueSoonMs?: number } = {}): SweepEnv {
  try {
    return sweepEnvOf({
      config: ctx.config,
      configFile: ctx.configFile,
      zone: ctx.zone,
      nowMs: overrides.nowMs ?? ctx.nowMs,
      dueSoonMs: overrides.dueSoonMs,
      tr: (k, p) => t(k, p),
      trFor: (platform) => caseTranslator({ platform, overdue: false }),
    });
  } catch (e) {
    if (e instanceof ConfigProblem) throw new UserError(configProblemMessage(e));
    throw e;
  }
}
