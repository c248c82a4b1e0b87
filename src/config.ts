// The user's config file (JSON): $REFUNDS_CONFIG, else $XDG_CONFIG_HOME/refunds/config.json, else
// ~/.config/refunds/config.json. Everything in it is optional.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
  /** Import profiles the user writes (CONTRACT.md; validated by src/import/profileSchema.ts). */
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
  const c = data as Config;
  const checks: [boolean, string][] = [
    [c.timeZone === undefined || typeof c.timeZone === 'string', 'timeZone must be a string'],
    [c.alertWindow === undefined || typeof c.alertWindow === 'string', 'alertWindow must be a string like "24h"'],
    [c.amountThresholdYuan === undefined || (typeof c.amountThresholdYuan === 'number' && c.amountThresholdYuan >= 0), 'amountThresholdYuan must be a number ≥ 0'],
    [c.supervisors === undefined || (Array.isArray(c.supervisors) && c.supervisors.every((s) => typeof s === 'string')), 'supervisors must be a list of names'],
    [c.agent === undefined || typeof c.agent === 'string', 'agent must be a string'],
    [c.claimMinutes === undefined || (typeof c.claimMinutes === 'number' && c.claimMinutes > 0), 'claimMinutes must be a positive number'],
    [c.todayRowsPerSection === undefined || (Number.isInteger(c.todayRowsPerSection) && c.todayRowsPerSection > 0), 'todayRowsPerSection must be a positive integer'],
  ];
  for (const [ok, msg] of checks) if (!ok) throw new ConfigError(file, msg);
  try {
    parseUserProfiles(c.profiles);
  } catch (e) {
    if (e instanceof ProfileError) throw new ConfigError(file, e.message);
    throw e;
  }
  return { config: c, file, found: true };
}
