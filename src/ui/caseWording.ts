// What the case's platform calls things. The tree's texts (questions, options, hints, outcomes,
// checklists) are written for Taobao/Tmall; a platform that names a button or a page differently
// has its own text under the same key with "@platform" appended (src/ui/messages/platformWording.ts),
// e.g. `triage.check.approve@douyin` says 售后工作台 where Taobao says 退款管理. An overdue case
// reads the ":overdue" variant where one exists ("已超时：立即拒绝" instead of "refuse before …").
// A new platform (pdd) adds only its "@pdd" keys.
import type { Translate } from '../domain/decisionTree.js';
import { hasKey, t } from './i18n.js';

export interface WordingFor {
  platform: string;
  overdue: boolean;
}

/** The catalog key to use for `key` on this case. */
export function wordingKey(key: string, w: WordingFor): string {
  const at = `${key}@${w.platform}`;
  const candidates = w.overdue ? [`${at}:overdue`, `${key}:overdue`, at, key] : [at, key];
  return candidates.find(hasKey) ?? key;
}

/** A translator that speaks the case's platform's words. */
export function caseTranslator(w: WordingFor): Translate {
  return (key, params) => {
    // A text quoting the order's waybill has a ":noWaybill" variant for when no export names it.
    const noWaybill = params?.waybill === '—' && hasKey(`${key}:noWaybill`);
    return t(noWaybill ? `${key}:noWaybill` : wordingKey(key, w), params);
  };
}
