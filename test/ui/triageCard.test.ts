// The compact triage card: a list of sections (callers may add their own), every line cut to the
// terminal's width at a word boundary, the essentials present.
import path from 'node:path';
import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
// The Store twin until these tests move to the ports (issue 15).
import { caseFileFromStore as caseFile } from '../../src/app/storeTwins.js';
import { caseContext } from '../../src/app/decide.js';
import { cardSections, renderCard } from '../../src/ui/triageView.js';
import { setLang } from '../../src/ui/i18n.js';
import { widthOf } from '../../src/ui/width.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const env = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000 };
const io = { chalk: new Chalk({ level: 0 }) } as never;
let store: Store;

beforeEach(async () => {
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(
    store,
    ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'].map((f) => ({ name: fixture(f) })),
    { zone, nowMs: NOW },
  );
});
afterEach(() => {
  setLang('en');
  store.close();
});

const card = (id: string, width: number) => {
  const cf = caseFile(store, env, id)!;
  const ctx = caseContext(cf, { nowMs: NOW, agent: 'alice', config: {} });
  return { cf, ctx, o: { zone, nowMs: NOW, dueSoonMs: env.dueSoonMs, n: 1, left: 0, width } };
};

describe('the compact triage card', () => {
  it('holds the essentials of an orange case in sections, in order', () => {
    const { cf, ctx, o } = card('158700112233445506', 80);
    const sections = cardSections(cf, ctx, io, o);
    expect(sections.map((s) => s[0]!.trim().split(/\s+/)[0])).toEqual(['──', 'State', 'Amount', 'Due', 'Reason', 'Buyer', 'Order', 'Return', 'Case']);
    const text = sections.flat().join('\n');
    expect(text).toContain('Refund 158700112233445506 · Taobao/Tmall · order 4166778899001122334');
    expect(text).toContain('Due      2025-04-21 08:00 · overdue 1h 0m → platform refunds automatically');
    expect(text).toContain('Reason   质量问题 · “保温效果差，两小时就凉了”\n  Buyer    90d: this refund only, ¥199.00\n');
    expect(text).toContain('Return   75312345678901 中通快递 · received 2025-04-21 07:45: empty parcel');
    expect(text).not.toContain('State history'); // the details are one key away
  });

  it('a deadline computed by rule is marked * (its source is in the details)', () => {
    const { cf, ctx, o } = card('158700112233445505', 80);
    expect(renderCard(cf, ctx, io, o)).toContain('Due      2025-05-02 10:00* · 11d 1h → platform refunds automatically');
    setLang('zh');
    expect(renderCard(cf, ctx, io, o)).toContain('截止     2025-05-02 10:00* · 剩 11天1小时 · 到期：平台自动退款');
  });

  it('a caller can add a section of its own and render the list', () => {
    const { cf, ctx, o } = card('1587001122334455001', 80);
    const sections = cardSections(cf, ctx, io, o);
    sections.splice(6, 0, ['  Chat     asked for the waybill at 08:40']);
    expect(sections.flat().join('\n')).toContain(
      'Reason   多拍/拍错/不想要 · “拍重复了，麻烦退一单”\n  Buyer    90d: this refund only, ¥59.90\n  Chat     asked for the waybill at 08:40\n  Order',
    );
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: every open case's card fits 60 and 80 columns, in at most 13 lines`, () => {
      setLang(lang);
      for (const r of store.openRefunds()) {
        for (const width of [60, 80]) {
          const { cf, ctx, o } = card(r.refundId, width);
          const lines = renderCard(cf, ctx, io, o).split('\n');
          for (const l of lines) expect(widthOf(l), `${r.refundId} @${width}: ${l}`).toBeLessThanOrEqual(width);
          expect(lines.length, r.refundId).toBeLessThanOrEqual(13);
          expect(lines.join('\n')).toContain(r.refundId);
        }
      }
    });
  }
});
