// Every screen exists in English and Simplified Chinese: every key in both, same placeholders.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLang, missingTranslations, t, type MessageSet } from '../../src/ui/i18n.js';
import { helpMessages } from '../../src/ui/messages/help.js';
import { common } from '../../src/ui/messages/common.js';
import { importMessages } from '../../src/ui/messages/import.js';
import { todayMessages } from '../../src/ui/messages/today.js';
import { triageMessages } from '../../src/ui/messages/triage.js';
import { summaryMessages } from '../../src/ui/messages/summary.js';
import { returnsMessages } from '../../src/ui/messages/returns.js';
import { triageSessionMessages } from '../../src/ui/messages/triageSession.js';

const sets = { common, importMessages, todayMessages, triageMessages, summaryMessages, returnsMessages, triageSessionMessages };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalog', () => {
  it('has every key in both languages', () => {
    expect(missingTranslations()).toEqual({ en: [], zh: [] });
  });

  it('lets only keys a set declares as English-from-modules be Chinese only (the help catalog\'s command texts)', async () => {
    expect(helpMessages.englishFromModules).toBeInstanceOf(RegExp);
    const declaring: string[] = [];
    for (const file of readdirSync(new URL('../../src/ui/messages/', import.meta.url))) {
      const mod = (await import(`../../src/ui/messages/${file}`)) as Record<string, MessageSet>;
      for (const [name, set] of Object.entries(mod)) if (set?.englishFromModules) declaring.push(name);
    }
    expect(declaring).toEqual(['helpMessages']);
    // The check still catches a missing text on either side, also in the help set outside its command texts.
    const other: MessageSet = { en: { 'a.one': 'one' }, zh: { 'a.two': '二', 'help.today.description': '早间概览' } };
    expect(missingTranslations([other])).toEqual({ en: ['a.two', 'help.today.description'], zh: ['a.one'] });
    const help: MessageSet = { ...helpMessages, zh: { ...helpMessages.zh, 'help.title.extra-title': '额外：' } };
    expect(missingTranslations([help])).toEqual({ en: ['help.title.extra-title'], zh: [] });
    expect(missingTranslations([helpMessages])).toEqual({ en: [], zh: [] });
  });

  it.each(Object.entries(sets))('%s: same keys and same placeholders in en and zh', (_name, set) => {
    expect(Object.keys(set.zh).sort()).toEqual(Object.keys(set.en).sort());
    for (const key of Object.keys(set.en)) expect(placeholders(set.zh[key]!), key).toEqual(placeholders(set.en[key]!));
  });

  it('Chinese texts are Chinese', () => {
    const all = Object.values(sets).flatMap((s) => Object.entries(s.zh));
    const withoutCjk = all.filter(([, v]) => !/[\u4e00-\u9fff]/.test(v) && /[a-z]{4,}/i.test(v.replace(/\{\w+\}|refunds [a-z -]+|--[a-z-]+|[A-Z_]{3,}/g, '')));
    // A few are commands or codes on purpose; anything else is an untranslated string.
    expect(withoutCjk.map(([k]) => k)).toEqual(['error.prefix']); // 'refunds：{message}' is the program name
  });

  it('picks the language from --lang, then LC_ALL, LC_MESSAGES, LANG', () => {
    expect(detectLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(detectLang('zh', { LANG: 'en_US.UTF-8' })).toBe('zh');
    expect(detectLang(undefined, {})).toBe('en');
    expect(() => detectLang('fr', {})).toThrow();
    expect(t('status.WAIT_SELLER_CONFIRM_GOODS', undefined, 'zh')).toBe('买家已退货，待确认收货');
  });
});
