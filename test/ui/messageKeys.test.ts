// The catalog's keys are typed (issue 15): a missing translation and a key written out that is not
// in the catalog are compile errors. The @ts-expect-error lines below are the proof: `npx tsc -p
// tsconfig.json --noEmit` fails if any of them compiles. The `it`s check the same values at run time.
import { describe, expect, it } from 'vitest';
import { t, type MessageKey } from '../../src/ui/i18n.js';
import { messageSet, messageSetWithEnglishFromModules, type KeyedSet, type MessageSet } from '../../src/ui/messageSet.js';

describe('typed catalog keys', () => {
  it('a set whose Chinese lacks a key, or has one its English lacks, does not compile', () => {
    const both = messageSet({ en: { 'x.one': 'one', 'x.two': 'two' }, zh: { 'x.one': '一', 'x.two': '二' } });
    // @ts-expect-error zh lacks 'x.two'
    const missing = messageSet({ en: { 'x.one': 'one', 'x.two': 'two' }, zh: { 'x.one': '一' } });
    // @ts-expect-error zh has 'x.three', which en lacks
    const extra = messageSet({ en: { 'x.one': 'one' }, zh: { 'x.one': '一', 'x.three': '三' } });
    // The help catalog's form: Chinese-only command texts are allowed, a missing Chinese text is not.
    const help = messageSetWithEnglishFromModules({ englishFromModules: /\.description$/, en: { 'h.t': 'T' }, zh: { 'h.t': '标', 'h.cmd.description': '说明' } });
    // @ts-expect-error zh lacks 'h.t'
    const helpMissing = messageSetWithEnglishFromModules({ englishFromModules: /\.description$/, en: { 'h.t': 'T' }, zh: { 'h.cmd.description': '说明' } });
    // i18n.ts's list takes only sets declared so (a plain MessageSet would widen MessageKey to string).
    const plain: MessageSet = { en: { 'x.one': 'one' }, zh: {} };
    // @ts-expect-error a plain MessageSet carries no keys' type
    const listed: KeyedSet<string> = plain;
    expect(listed).toBe(plain);
    expect(Object.keys(both.zh)).toEqual(['x.one', 'x.two']);
    expect([missing, extra, help, helpMissing].map((s) => Object.keys(s.zh).length)).toEqual([1, 2, 2, 1]);
  });

  it('t() refuses a written-out key that is not in the catalog, and accepts keys built at run time', () => {
    const key: MessageKey = 'today.header';
    // @ts-expect-error not a key
    const typo: MessageKey = 'today.haeder';
    const platform: string = 'douyin';
    expect(t(key, { asOf: 'x', zone: 'y' }, 'en')).toBe('Refunds as of x (y)');
    // @ts-expect-error not a key
    expect(t('today.haeder', undefined, 'en')).toBe('today.haeder');
    const anchor = 'returnedAt' as 'returnedAt' | 'nowhere';
    // @ts-expect-error one member of the union is not a key
    expect(t(`show.anchor.${anchor}`, undefined, 'en')).toBe('returned');
    expect(t(`platform.${platform}`, undefined, 'en')).not.toBe(`platform.${platform}`);
    expect(typo).toBe('today.haeder');
  });

  it('the gaps the typing found have texts in both languages', () => {
    expect(t('source.decide-forced', undefined, 'en')).toBe('decide (forced)');
    expect(t('source.decide-forced', undefined, 'zh')).toBe('命令处理（强制）');
    expect(t('show.anchor.export', undefined, 'en')).toBe('the export’s deadline');
    expect(t('show.anchor.export', undefined, 'zh')).toBe('导出表中的截止时间');
  });
});
