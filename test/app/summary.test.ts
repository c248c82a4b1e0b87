// The summary's assembly (app/summary.ts, app/stats.ts) and page rendering (ui/summaryView.ts),
// without spawning the CLI for each case.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSummary, failIfCount, summaryJson, type SummaryData } from '../../src/app/summary.js';
import { computeStats } from '../../src/app/stats.js';
import { ruleSetFor } from '../../src/app/rules.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { reasonBucket } from '../../src/domain/decisionTree.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { MIGRATIONS } from '../../src/store/sqlite/schema.js';
import { openStore, type Store } from '../helpers/syncStore.js';
import { storePorts as portsOf } from '../helpers/syncStore.js';
import type { Ports } from '../../src/app/ports/index.js';
import { setLang } from '../../src/ui/i18n.js';
import { sparkline } from '../../src/ui/statsView.js';
import { clip, html, md, renderHtml, renderMarkdown, renderText, summaryPage, wrap, type Page } from '../../src/ui/summaryView.js';
import { NOW, ROOT, fixture, runCli, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const nowMs = Date.parse(NOW);

function env(at = nowMs, z = zone): SweepEnv {
  return { zone: z, nowMs: at, rules: ruleSetFor({}, ''), calendar: chinaCalendar(), dueSoonMs: DEFAULT_DUE_SOON_MS };
}

let store: Store;
let ports: Ports;
let data: SummaryData;
const portsOn = (s: Store): Ports => portsOf(s, { now: () => nowMs });

beforeAll(async () => {
  const db = path.join(tmpDir(), 'demo.sqlite');
  const files = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
  expect(runCli(['--db', db, '--now', '2025-04-21T08:30:00+08:00', 'import', ...files.map(fixture)]).code).toBe(0);
  store = openStore(db, { readonly: true });
  ports = portsOn(store);
  data = await buildSummary(ports, env());
});

afterAll(() => {
  store.close();
  setLang('en');
});

describe('buildSummary', () => {
  it('reuses the sweep: lists are cut from it, in its order', async () => {
    const items = await data.items;
    expect(items).toHaveLength(16);
    expect(data.overdue.map((r) => r.item.refund.refundId)).toEqual(['7360123456789012307', '158700112233445506']);
    expect(data.firstActions.map((r) => r.item)).toEqual(items.filter((i) => i.urgency.section !== 'buyer').slice(0, 5));
  });

  it('"due today" is before the shop\'s midnight and only what waits on the shop', () => {
    expect(zone.iso(data.endOfTodayMs)).toBe('2025-04-22T00:00:00+08:00');
    const due = data.dueToday.map((r) => r.item.refund.refundId);
    expect(due).toEqual(['7360123456789012303', '158700112233445502', '15870011223344550404', '1587001122334455001']);
    // R14 is due at 22:00 today but waits on the buyer (7 days to send the goods back)
    expect(due).not.toContain('158700112233445514');
    // D1 is due tomorrow 08:00: due soon, but not today
    expect(due).not.toContain('7360123456789012301');
  });

  it('--fail-if: overdue counts the overdue list, due-within counts overdue plus due', async () => {
    expect(failIfCount(data, { kind: 'overdue' })).toBe(2);
    expect(failIfCount(data, { kind: 'due-within', ms: 6 * 3_600_000 })).toBe(3);
    expect(failIfCount(data, { kind: 'due-within', ms: 0 })).toBe(2);
    const early = await buildSummary(ports, env(Date.parse('2025-04-21T05:00:00+08:00')));
    expect(failIfCount(early, { kind: 'overdue' })).toBe(0);
    expect(failIfCount(early, { kind: 'due-within', ms: 90 * 60_000 })).toBe(1);
  });

  it('is deterministic and masks the JSON unless asked', async () => {
    const again = await buildSummary(ports, env());
    expect(JSON.stringify(summaryJson(again, { mask: true }))).toBe(JSON.stringify(summaryJson(data, { mask: true })));
    const j = summaryJson(data, { mask: true });
    const rows = [...j.overdue, ...j.dueToday, ...j.orange];
    expect(rows.every((r) => r.receiver.phone === null || /^\d{3}\*{4}\d{4}$/.test(r.receiver.phone))).toBe(true);
    expect(rows.every((r) => r.receiver.address === null || r.receiver.address.endsWith('****'))).toBe(true);
    const open = summaryJson(data, { mask: false });
    expect(open.overdue[1]!.receiver.phone).toBe('13400006666');
  });

  it('the metrics are the stats of the 28 days before now', async () => {
    expect(data.metrics).toEqual(await computeStats(ports.reports, zone, nowMs - 28 * 86_400_000, nowMs));
  });

  it('without the previous window the metrics are the same but for previousPerDay (null), and the text page too', async () => {
    const lean = await buildSummary(ports, env(), { previousWindow: false });
    expect(lean.metrics.previousPerDay).toBeNull();
    expect(data.metrics.previousPerDay).toHaveLength(29);
    expect({ ...lean.metrics, previousPerDay: data.metrics.previousPerDay }).toEqual(data.metrics);
    expect(await computeStats(ports.reports, zone, nowMs - 28 * 86_400_000, nowMs, { previousWindow: false })).toEqual({ ...data.metrics, previousPerDay: null });
    expect(renderText(summaryPage(lean, { mask: true }))).toBe(renderText(summaryPage(data, { mask: true })));
    expect(renderMarkdown(summaryPage(lean, { mask: true }))).toBe(renderMarkdown(summaryPage(data, { mask: true })));
  });

  it('days follow the shop zone across a daylight-saving change', async () => {
    const berlin = new ShopZone('Europe/Berlin');
    const empty = openStore(path.join(tmpDir(), 'missing.sqlite'), { readonly: true });
    try {
      const d = await buildSummary(portsOn(empty), env(Date.parse('2025-03-30T09:00:00+02:00'), berlin));
      expect(berlin.iso(d.endOfTodayMs)).toBe('2025-03-31T00:00:00+02:00');
      expect(d.yesterday).toMatchObject({ date: '2025-03-29', since: '2025-03-29T00:00:00+01:00', until: '2025-03-30T00:00:00+01:00' });
      expect(d.metrics.perDay).toHaveLength(29);
      expect(d.counts.open).toBe(0);
    } finally {
      empty.close();
    }
  });
});

describe('the page', () => {
  it('text never exceeds 80 columns, never cuts a refund ID, whatever the content', () => {
    const long = '超长的商品标题'.repeat(20);
    const id = '1234567890123456789012345678';
    const page: Page = {
      title: `退款日报 — ${long}`,
      subtitle: [long, 'word '.repeat(40)],
      sections: [
        {
          title: long,
          blocks: [
            { kind: 'para', text: `${long} ${long}` },
            { kind: 'pairs', rows: [[long, long]] },
            {
              kind: 'table',
              head: ['退款编号', '金额', '仓库'],
              align: ['l', 'r', 'l'],
              rows: [{ cells: [id, '¥1,234,567.00', long], details: [long] }],
              more: 3,
            },
            { kind: 'list', items: [long] },
            { kind: 'chart', lines: ['█'.repeat(200)] },
            { kind: 'notes', lines: [long] },
          ],
        },
      ],
      footer: [long],
    };
    const text = renderText(page);
    for (const line of text.replace(/\n$/, '').split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    expect(text).toContain(id);
  });

  it('wrap breaks at spaces, and anywhere between Chinese characters', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('一二三四五六', 6)).toEqual(['一二三', '四五六']);
    expect(wrap('ab 一二三四', 8)).toEqual(['ab', '一二三四']);
    expect(wrap('  lead  and   gaps ', 80, '  ')).toEqual(['  lead  and   gaps']);
    expect(clip('一二三四五六', 7)).toBe('一二三…');
  });

  it('escapes for Markdown and HTML and strips terminal sequences', () => {
    expect(md('*a* [b](c) <d> |e| _f_ `g`')).toBe('\\*a\\* \\[b\\](c) \\<d\\> \\|e\\| \\_f\\_ \\`g\\`');
    expect(md('1. not a list')).toBe('1\\. not a list');
    expect(md('82.4 h')).toBe('82.4 h');
    expect(html('<b a="1">\u001b[2J&\'')).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
  });

  it('renders the summary in every format from the same page, in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      setLang(lang);
      const page = summaryPage(data, { mask: true });
      const text = renderText(page);
      for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
      expect(renderMarkdown(page)).toContain(lang === 'zh' ? '## 优先处理' : '## What to do first');
      expect(renderHtml(page, lang)).toContain(lang === 'zh' ? '<html lang="zh-CN">' : '<html lang="en">');
    }
    setLang('en');
  });

  it('sparkline: ▁ for none, █ for the busiest day', () => {
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});

describe('the README reason buckets agree with reasonBucket', () => {
  it('on every reason DOMAIN.md names, and variants', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const sql = /<!-- sql:stats-reasons -->\s*```sql\n([\s\S]*?)```/.exec(readme)![1]!;
    const reasons = [
      '七天无理由退换货', '7天无理由', '质量问题', '收到商品与描述不符', '收到商品破损', '少件/漏发', '商家发错货', '未按约定时间发货',
      '快递一直未送到', '多拍/拍错/不想要', '不喜欢/效果不好', '退运费', '退邮费', '运费补偿', '不想要了', '买错了', '尺码不合适',
      '个人原因', '七天无理由，但有破损', '其他', '', '空包裹', '商品过期', '有瑕疵', '假货', '延迟发货',
    ];
    const db = new Database(':memory:');
    for (const m of MIGRATIONS) db.exec(m);
    const insert = db.prepare(
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, applied_at, reason, status_since, first_seen_at, updated_at)
       VALUES (?, 'taobao', 'o', 'SUCCESS', '退款成功', 100, '2025-04-20T10:00:00+08:00', ?, ?, ?, ?)`,
    );
    reasons.forEach((r, i) => insert.run(String(i), r === '' ? null : r, NOW, NOW, NOW));
    const rows = db.prepare(sql).all({ since: '2025-04-01T00:00:00+08:00', until: NOW }) as { reason: string; bucket: string }[];
    db.close();
    expect(rows).toHaveLength(reasons.length);
    for (const row of rows) expect([row.reason, row.bucket]).toEqual([row.reason, reasonBucket(row.reason)]);
  });
});
