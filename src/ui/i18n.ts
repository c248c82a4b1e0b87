// The message catalog. Every user-facing string has an English and a Simplified Chinese text.
// Catalogs are split per area (src/ui/messages/*.ts) so each command owns its strings; `t()` looks
// a key up in the active language and falls back to English, then to the key itself.
import { common } from './messages/common.js';
import { importMessages } from './messages/import.js';
import { todayMessages } from './messages/today.js';
import { triageMessages } from './messages/triage.js';
import { summaryMessages } from './messages/summary.js';
import { returnsMessages } from './messages/returns.js';
import { triageSessionMessages } from './messages/triageSession.js';
import { morningMessages } from './messages/morning.js';
import { helpMessages } from './messages/help.js';
import { buyerMessages } from './messages/buyer.js';
import { triageScreenMessages } from './messages/triageScreen.js';
import { platformWordingMessages } from './messages/platformWording.js';
import { returnsDeskMessages } from './messages/returnsDesk.js';
import { reliabilityMessages } from './messages/reliability.js';
import { importFormatsMessages } from './messages/importFormats.js';
import { platformBuyerMessages } from './messages/platformBuyer.js';
import { decidedWaitMessages } from './messages/decidedWait.js';
import { triageNoWaybillMessages } from './messages/triageNoWaybill.js';
import { acceptanceFixesMessages } from './messages/acceptanceFixes.js';
import { catalogGapsMessages } from './messages/catalogGaps.js';
import { copyMessages } from './messages/copy.js';
import { pgReasonMessages } from './messages/pgReasons.js';
import { storeBackendMessages } from './messages/storeBackends.js';

import type { Catalog, KeyedSet, Lang, MessageSet } from './messageSet.js';
export type { Catalog, Lang, MessageSet } from './messageSet.js';

const sets = [common, importMessages, todayMessages, triageMessages, summaryMessages, returnsMessages, triageSessionMessages, morningMessages, helpMessages, buyerMessages, triageScreenMessages, platformWordingMessages, returnsDeskMessages, reliabilityMessages, importFormatsMessages, platformBuyerMessages, decidedWaitMessages, triageNoWaybillMessages, acceptanceFixesMessages, catalogGapsMessages, copyMessages, storeBackendMessages, pgReasonMessages] as const satisfies readonly KeyedSet<string>[];

type KeysOf<S> = S extends KeyedSet<infer K> ? K : never;
/** Every key of every catalog (each set declared with messageSet(), so its zh covers its en). */
export type MessageKey = KeysOf<(typeof sets)[number]>;
const catalogs: Record<Lang, Catalog> = { en: {}, zh: {} };
for (const s of sets) {
  Object.assign(catalogs.en, s.en);
  Object.assign(catalogs.zh, s.zh);
}

let current: Lang = 'en';

export function setLang(lang: Lang): void {
  current = lang;
}
export function getLang(): Lang {
  return current;
}

/** Picks the language from --lang, then LC_ALL, LC_MESSAGES, LANG: any zh* locale means Chinese. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  const pick = (v: string | undefined): Lang | undefined => {
    if (!v) return undefined;
    const s = v.toLowerCase();
    if (s.startsWith('zh')) return 'zh';
    if (s.startsWith('en') || s === 'c' || s === 'posix' || s.startsWith('c.')) return 'en';
    return undefined;
  };
  if (flag) {
    const l = pick(flag);
    if (!l) throw new RangeError(flag);
    return l;
  }
  for (const v of [env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (v) return pick(v) ?? 'en';
  }
  return 'en';
}

/**
 * A key written out (a literal, or a union of literals) must be in the catalog, or the call does not
 * compile; a key built at run time (`platform.${p}`, a key from the decision tree's data) is checked
 * by the catalog tests instead (e.g. treeMessageKeys()).
 */
export type KnownKey<K extends string> = K extends unknown ? ({} extends Record<K, 1> ? K : K & MessageKey) : never;

/** Translates a key; `{name}` placeholders are filled from params. */
export function t<K extends string>(key: KnownKey<K>, params?: Record<string, string | number>, lang: Lang = current): string {
  const text = catalogs[lang][key] ?? catalogs.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function hasKey(key: string): boolean {
  return key in catalogs.en;
}

/** Whether the language itself has a text for the key (no fallback to English). */
export function hasText(key: string, lang: Lang = current): boolean {
  return key in catalogs[lang];
}

/**
 * For tests: every key must exist in both languages, except the Chinese-only keys a set declares
 * with englishFromModules.
 */
export function missingTranslations(of: readonly MessageSet[] = sets): { en: string[]; zh: string[] } {
  const en: string[] = [];
  const zh: string[] = [];
  for (const s of of) {
    en.push(...Object.keys(s.zh).filter((k) => !of.some((o) => k in o.en) && !s.englishFromModules?.test(k)));
    zh.push(...Object.keys(s.en).filter((k) => !of.some((o) => k in o.zh)));
  }
  return { en, zh };
}
