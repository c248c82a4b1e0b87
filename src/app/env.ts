// The computation environment of a command: zone, now, rules, calendar, alert window. Built from
// the config alone: no Context, no terminal, no catalog (the cli passes the translators in, and
// says a ConfigProblem in the user's language).
import type { WorkCalendar } from '../domain/calendar.js';
import { chinaCalendar } from './calendarData.js';
import { DEFAULT_DUE_SOON_MS } from '../domain/urgency.js';
import { parseDuration, type ShopZone } from '../domain/time.js';
import type { Translate } from '../domain/decisionTree.js';
import type { Config } from '../config.js';
import { ConfigProblem, ruleSetFor } from './rules.js';
import { buyerSettings } from './buyerHistory.js';
import type { SweepEnv } from './sweep.js';

export { ConfigProblem };

export interface EnvSource {
  config: Config;
  /** Where the config was read from (named in a ConfigProblem). */
  configFile: string;
  zone: ShopZone;
  nowMs: number;
  /** Overrides config.alertWindow. */
  dueSoonMs?: number;
  /** The buyer flags' wording: the agent's language, and per platform (app/buyerHistory.ts BuyerSettings). */
  tr?: Translate;
  trFor?: (platform: string) => Translate;
  /** The working calendar; the built-in China calendar without it. */
  calendar?: WorkCalendar;
}

/** The sweep's environment from the config; throws ConfigProblem for a config value it cannot use. */
export function sweepEnvOf(src: EnvSource): SweepEnv {
  let dueSoonMs = DEFAULT_DUE_SOON_MS;
  if (src.config.alertWindow) {
    const ms = parseDuration(src.config.alertWindow);
    if (ms === null) throw new ConfigProblem(src.configFile, `alertWindow "${src.config.alertWindow}"`);
    dueSoonMs = ms;
  }
  return {
    zone: src.zone,
    nowMs: src.nowMs,
    rules: ruleSetFor(src.config, src.configFile),
    calendar: src.calendar ?? chinaCalendar(),
    dueSoonMs: src.dueSoonMs ?? dueSoonMs,
    buyer: buyerSettings(src.config, src.tr, src.trFor),
  };
}
