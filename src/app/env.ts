// The computation environment of a command: zone, now, rules, calendar, alert window.
import { chinaCalendar } from './calendarData.js';
import { DEFAULT_DUE_SOON_MS } from '../domain/urgency.js';
import { parseDuration } from '../domain/time.js';
import { UserError } from '../errors.js';
import { t } from '../ui/i18n.js';
import { caseTranslator } from '../ui/caseWording.js';
import type { Context } from '../cli/context.js';
import { ruleSetFor } from './rules.js';
import { buyerSettings } from './buyerHistory.js';
import type { SweepEnv } from './sweep.js';

export function sweepEnv(ctx: Context, overrides: { nowMs?: number; dueSoonMs?: number } = {}): SweepEnv {
  let dueSoonMs = DEFAULT_DUE_SOON_MS;
  if (ctx.config.alertWindow) {
    const ms = parseDuration(ctx.config.alertWindow);
    if (ms === null) throw new UserError(t('error.config', { path: ctx.configFile, reason: `alertWindow "${ctx.config.alertWindow}"` }));
    dueSoonMs = ms;
  }
  return {
    zone: ctx.zone,
    nowMs: overrides.nowMs ?? ctx.nowMs,
    rules: ruleSetFor(ctx.config, ctx.configFile),
    calendar: chinaCalendar(),
    dueSoonMs: overrides.dueSoonMs ?? dueSoonMs,
    buyer: buyerSettings(ctx.config, (k, p) => t(k, p), (platform) => caseTranslator({ platform, overdue: false })),
  };
}
