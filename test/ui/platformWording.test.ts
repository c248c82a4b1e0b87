// The platform wording catalog: every variant is a variant of a real key, in both languages,
// with the same placeholders as the text it replaces; and a Douyin or Pinduoduo case never reads
// Taobao/Tmall's words in any text the tree can show.
import { afterEach, describe, expect, it } from 'vitest';
import { platformWordingMessages } from '../../src/ui/messages/platformWording.js';
import { triageMessages } from '../../src/ui/messages/triage.js';
import { triageSessionMessages } from '../../src/ui/messages/triageSession.js';
import { setLang } from '../../src/ui/i18n.js';
import { caseTranslator, wordingKey } from '../../src/ui/caseWording.js';
import { treeMessageKeys } from '../../src/domain/decisionTree.js';

afterEach(() => setLang('en'));

const base = (k: string) => k.replace(/:overdue$/, '').replace(/@[a-z]+$/, '');
const placeholders = (x: string) => [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const plain = { en: { ...triageMessages.en, ...triageSessionMessages.en }, zh: { ...triageMessages.zh, ...triageSessionMessages.zh } };

describe('platform wording', () => {
  it('every variant replaces a real key, in English and Chinese, with no placeholder the original lacks', () => {
    expect(Object.keys(platformWordingMessages.zh).sort()).toEqual(Object.keys(platformWordingMessages.en).sort());
    for (const lang of ['en', 'zh'] as const) {
      for (const [k, text] of Object.entries(platformWordingMessages[lang])) {
        const original = plain[lang][base(k)];
        expect(original, `${lang} ${k}`).toBeDefined();
        // An overdue text may drop {deadline} (it says "now"); it never needs a value the original lacks.
        for (const name of placeholders(text)) expect(placeholders(original!), `${lang} ${k}: {${name}}`).toContain(name);
        if (!k.endsWith(':overdue')) expect({ k, p: placeholders(text) }).toEqual({ k, p: placeholders(original!) });
        expect(placeholders(platformWordingMessages[lang === 'en' ? 'zh' : 'en'][k]!), k).toEqual(placeholders(text));
      }
    }
  });

  it('picks platform, then overdue variants, else the plain key', () => {
    expect(wordingKey('triage.check.approve', { platform: 'douyin', overdue: false })).toBe('triage.check.approve@douyin');
    expect(wordingKey('triage.check.approve', { platform: 'taobao', overdue: true })).toBe('triage.check.approve');
    expect(wordingKey('triage.check.refuse.beforeDeadline', { platform: 'taobao', overdue: true })).toBe('triage.check.refuse.beforeDeadline:overdue');
    expect(wordingKey('triage.check.refuse.beforeDeadline', { platform: 'douyin', overdue: true })).toBe('triage.check.refuse.beforeDeadline@douyin:overdue');
    expect(wordingKey('triage.check.refuse.beforeDeadline', { platform: 'pdd', overdue: false })).toBe('triage.check.refuse.beforeDeadline@pdd');
  });

  for (const platform of ['douyin', 'pdd'] as const) {
    it(`a ${platform} case never reads Taobao/Tmall's words in English (退款管理, 拒绝退款申请, 客服介入, Wangwang, Tmall)`, () => {
      setLang('en');
      for (const overdue of [false, true]) {
        const tr = caseTranslator({ platform, overdue });
        for (const k of treeMessageKeys()) {
          if (k.startsWith('triage.violation.')) continue;
          expect(tr(k, {}), `${platform} ${k}`).not.toMatch(/退款管理|拒绝退款申请|客服介入|Wangwang|Tmall|已卖出的宝贝/);
        }
      }
    });
    it(`a ${platform} case never reads Taobao/Tmall's words in Chinese (退款管理, 拒绝退款申请, 客服介入, 旺旺, 天猫)`, () => {
      setLang('zh');
      for (const overdue of [false, true]) {
        const tr = caseTranslator({ platform, overdue });
        for (const k of treeMessageKeys()) {
          if (k.startsWith('triage.violation.')) continue; // decide's texts (the screen has its own)
          const text = tr(k, {});
          expect(text, `${platform} ${k}`).not.toMatch(/退款管理|拒绝退款申请|客服介入|客服已介入|旺旺|天猫|已卖出的宝贝/);
        }
        expect(tr('session.fact.dispute', { source: '' })).not.toMatch(/客服/);
      }
    });
  }
});
