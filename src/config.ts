// The user's config file (JSON): $REFUNDS_CONFIG, else $XDG_CONFIG_HOME/refunds/config.json, else
// ~/.config/refunds/config.json. Everything in it is optional.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configProblem } from './configSchema.js';
import { ProfileError, parseUserProfiles } from './import/profileSchema.js';

export interface Config {
  /** IANA zone of the shop; Asia/Shanghai when absent. */
  timeZone?: string;
  shopName?: string;
  /** "due soon" window, e.g. "24h". */
  alertWindow?: string;
  /** Decisions giving away more than this (yuan) need a supervisor. */
  amountThresholdYuan?: number;
  supervisors?: string[];
  /** Default agent name for triage/decide (else the OS user). */
  agent?: string;
  /** How long a triage claim on a case lasts without activity, minutes. */
  claimMinutes?: number;
  /** Extra or replacement deadline rules, per platform (same shape as src/rules/*.json rules). */
  rules?: { taobao?: unknown[]; douyin?: unknown[]; pdd?: unknown[] };
  /** Rows per section in `today` before "and N more". */
  todayRowsPerSection?: number;
  /** Whether the shop sells on Tmall (proof image mandatory on refusal, bigger batch limits). */
  tmall?: boolean;
  /** Days of the buyer's history shown on each case (default 90). */
  buyerHistoryDays?: number;
  /** Thresholds of the buyer flags (README "Buyer history and flags"); each optional. */
  buyerFlags?: {
    refundOnlyAfterDelivery?: number;
    refundShare?: number;
    refundShareMinOrders?: number;
    lateAfterReceiptDays?: number;
    noReasonDays?: number;
    disputes?: number;
  };
  /** Import profiles the user writes (docs/interface.md; validated by src/import/profileSchema.ts). */
  profiles?: unknown;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export function configPath(env: NodeJS.ProcessEnv): string {
  if (env.REFUNDS_CONFIG) return env.REFUNDS_CONFIG;
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'refunds', 'config.json');
}

export function loadConfig(env: NodeJS.ProcessEnv): { config: Config; file: string; found: boolean } {
  const file = configPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !env.REFUNDS_CONFIG) return { config: {}, file, found: false };
    throw new ConfigError(file, (e as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, (e as Error).message);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(file, 'the file must hold one JSON object');
  const problem = configProblem(data);
  if (problem) throw new ConfigError(file, problem);
  const c = data as Config;
  try {
    parseUserProfiles(c.profiles);
  } catch (e) {
    if (e instanceof ProfileError) throw new ConfigError(file, e.message);
    throw e;
  }
  return { config: c, file, found: true };
}
