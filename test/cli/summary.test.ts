// `refunds summary` on the demo fixtures at 2025-04-21 09:00 +08:00, with a few decisions recorded
// by direct SQL, a hostile product title and one finished refund that timed out.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { readmeQuery } from '../helpers/readmeSql.js';

/** The exports were imported half an hour before the summary, as a cron job would. */
const IMPORT_AT = '2025-04-21T08:30:00+08:00';
const FILES = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const HOSTILE_TITLE = '<script>alert(1)</script>\u001b[31mRED\u001b]0;pwned\u0007 | *骨瓷* [x](http://evil)';
const EVIL_AGENT = '\u001b[31mevil\u001b[0m';

let dir: string;
let db: string;

function insertDecision(d: Database.Database, refundId: string, action: string, agent: string, decidedAt: string, expected: string[] | null): void {
  d.prepare(
    `INSERT INTO decisions (refund_id, action, agent, decided_at, expected_status_json, source) VALUES (?, ?, ?, ?, ?, 'decide')`,
  ).run(refundId, action, agent, decidedAt, expected ? JSON.stringify(expected) : null);
}

beforeAll(() => {
  dir = tmpDir();
  db = path.join(dir, 'demo.sqlite');
  const r = runCli(['--db', db, '--now', IMPORT_AT, 'import', ...FILES.map(fixture)]);
  expect(r.code).toBe(0);
  const d = new Database(db);
  // Yesterday = 2025-04-20 in shop time: [2025-04-20T00:00+08:00, 2025-04-21T00:00+08:00).
  insertDecision(d, '158700112233445502', 'approve-return', '小王', '2025-04-20T10:15:00+08:00', ['WAIT_BUYER_RETURN_GOODS', 'SUCCESS']);
  insertDecision(d, '1587001122334455001', 'approve', 'alice', '2025-04-20T00:00:00+08:00', ['SUCCESS']);
  insertDecision(d, '158700112233445511', 'contact-buyer', '小王', '2025-04-20T23:59:59+08:00', null);
  insertDecision(d, '7360123456789012306', 'approve', 'alice', '2025-04-19T16:30:00Z', null); // 00:30 on the 20th in Shanghai
  insertDecision(d, '158700112233445510', 'escalate', EVIL_AGENT, '2025-04-20T12:00:00+08:00', null);
  insertDecision(d, '158700112233445513', 'refuse', 'bob', '2025-04-19T23:59:59+08:00', null); // the day before
  insertDecision(d, '158700112233445505', 'wait', 'bob', '2025-04-21T00:00:00+08:00', null); // today
  d.prepare('UPDATE refunds SET item_title = ? WHERE refund_id = ?').run(HOSTILE_TITLE, '158700112233445502');
  // R09 finished after its deadline: a timeout, finished by the platform.
  d.prepare('UPDATE refunds SET export_deadline = ? WHERE refund_id = ?').run('2025-04-19T12:00:00+08:00', '158700112233445509');
  d.close();
});

const summary = (...args: string[]) => runCli(['--db', db, '--now', NOW, 'summary', ...args]);
const json = (...args: string[]) => {
  const r = summary('--format', 'json', ...args);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const ids = (rows: { refundId: string }[]) => rows.map((r) => r.refundId);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('refunds summary --format json', () => {
  it('has exact counts, lists and amounts for the fixtures', () => {
    const j = json();
    expect(j.asOf).toBe('2025-04-21T09:00:00+08:00');
    expect(j.endOfToday).toBe('2025-04-22T00:00:00+08:00');
    expect(j.shop).toBe('小满家居旗舰店');
    expect(j.counts).toMatchObject({ open: 16, overdue: 2, overdueShop: 2, dueToday: 4, dueSoon: 6, orange: 4, notCarriedOut: 2 });
    expect(j.byState).toEqual([
      { status: 'WAIT_SELLER_AGREE', refunds: 7, amountCents: 414030 },
      { status: 'WAIT_SELLER_CONFIRM_GOODS', refunds: 4, amountCents: 64290 },
      { status: 'WAIT_BUYER_RETURN_GOODS', refunds: 3, amountCents: 51600 },
      { status: 'SELLER_REFUSE_BUYER', refunds: 1, amountCents: 3500 },
      { status: 'UNKNOWN', refunds: 1, amountCents: 4500 },
    ]);
    expect(ids(j.overdue)).toEqual(['7360123456789012307', '158700112233445506']);
    expect(j.overdue.map((r: any) => r.amountCents)).toEqual([158000, 19900]);
    expect(ids(j.dueToday)).toEqual(['7360123456789012303', '158700112233445502', '15870011223344550404', '1587001122334455001']);
    expect(j.orange.map((r: any) => [r.refundId, r.receipt.state])).toEqual([
      ['158700112233445506', 'empty'],
      ['7360123456789012303', 'wrong-item'],
      ['15870011223344550404', 'received-ok'],
      ['158700112233445505', 'not-received'],
    ]);
    expect(j.orange[2].receipt).toEqual({ state: 'received-ok', receivedAt: '2025-04-20T16:05:00+08:00', condition: 'ok' });
    expect(ids(j.notCarriedOut)).toEqual(['158700112233445502', '1587001122334455001']);
    expect(j.notCarriedOut[0].lastDecision).toMatchObject({ action: 'approve-return', agent: '小王' });
  });

  it('counts yesterday\'s decisions per agent over the shop-local day before --now', () => {
    const y = json().yesterday;
    expect(y).toMatchObject({ date: '2025-04-20', since: '2025-04-20T00:00:00+08:00', until: '2025-04-21T00:00:00+08:00', total: 5 });
    expect(y.agents).toEqual([
      { agent: 'alice', total: 2, actions: [{ action: 'approve', decisions: 2 }] },
      { agent: '小王', total: 2, actions: [{ action: 'approve-return', decisions: 1 }, { action: 'contact-buyer', decisions: 1 }] },
      { agent: EVIL_AGENT, total: 1, actions: [{ action: 'escalate', decisions: 1 }] },
    ]);
  });

  it('lists what to do first in sweep order, with the next step', () => {
    expect(json().firstActions.map((a: any) => [a.rank, a.refundId, a.nextStep])).toEqual([
      [1, '7360123456789012307', 'check-backend'],
      [2, '158700112233445506', 'check-backend'],
      [3, '7360123456789012303', 'refuse-and-return'],
      [4, '158700112233445502', 'decided-not-carried-out'],
      [5, '15870011223344550404', 'confirm-now'],
    ]);
  });

  it('includes the 28-day metrics, identical to refunds stats', () => {
    const j = json();
    const s = runCli(['--db', db, '--now', NOW, 'stats', '--json']);
    expect(s.code).toBe(0);
    expect(j.metrics).toEqual(JSON.parse(s.stdout));
    expect(j.metrics.since).toBe('2025-03-24T09:00:00+08:00');
  });

  it('masks phones and addresses unless --no-mask', () => {
    const masked = json().dueToday.find((r: any) => r.refundId === '1587001122334455001');
    expect(masked.receiver).toEqual({ name: '王小明', phone: '138****5678', address: '浙江省 杭州****' });
    const open = json('--no-mask').dueToday.find((r: any) => r.refundId === '1587001122334455001');
    expect(open.receiver.phone).toBe('13812345678');
    expect(open.receiver.address).toBe('浙江省 杭州市 西湖区 文三路100号 3幢502室(310012)');
  });
});

describe('README SQL re-derives the summary', () => {
  const query = (name: string, params: Record<string, string>) => readmeQuery(db, name, params);

  it('every figure of the JSON, query by query', () => {
    const j = json();
    const p = {
      now: j.asOf,
      end_of_today: j.endOfToday,
      today_start: j.yesterday.until,
      yesterday_start: j.yesterday.since,
    };
    const byState = query('summary-by-state', p);
    expect(byState.map((r) => ({ status: r.status, refunds: r.refunds, amountCents: r.amount_cents })).sort((a, b) => (a.status < b.status ? -1 : 1))).toEqual(
      [...j.byState].sort((a: any, b: any) => (a.status < b.status ? -1 : 1)),
    );
    expect(byState.reduce((n, r) => n + r.refunds, 0)).toBe(j.counts.open);

    // Every deadline on these lists comes from the export here, so the queries give the whole lists.
    for (const [name, list] of [['summary-overdue', j.overdue], ['summary-due-today', j.dueToday]] as const) {
      expect(list.every((r: any) => r.deadlineSource === 'export')).toBe(true);
      const rows = query(name, p);
      expect(rows.map((r) => r.refund_id)).toEqual(ids(list));
      expect(rows.map((r) => r.amount_cents)).toEqual(list.map((r: any) => r.amountCents));
      expect(rows.map((r) => r.deadline)).toEqual(list.map((r: any) => r.deadline));
    }

    const orange = query('summary-orange', p);
    expect(orange.map((r) => [r.refund_id, r.receipt, r.received_at]).sort()).toEqual(
      j.orange.map((r: any) => [r.refundId, r.receipt.state, r.receipt.receivedAt]).sort(),
    );

    const nco = query('summary-not-carried-out', p);
    expect(nco.map((r) => r.refund_id).sort()).toEqual(ids(j.notCarriedOut).sort());

    const y = query('summary-yesterday', p);
    const fromJson = j.yesterday.agents.flatMap((a: any) => a.actions.map((x: any) => [a.agent, x.action, x.decisions]));
    expect(y.map((r) => [r.agent, r.action, r.decisions]).sort()).toEqual(fromJson.sort());
  });
});

describe('refunds summary as text, for paper', () => {
  for (const lang of ['en', 'zh']) {
    it(`fits 80 columns on every line, has no control characters, fits a page (${lang})`, () => {
      for (const mask of [[], ['--no-mask']]) {
        const r = runCli(['--db', db, '--now', NOW, '--lang', lang, 'summary', ...mask]);
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('');
        const lines = r.stdout.replace(/\n$/, '').split('\n');
        for (const line of lines) {
          expect(stringWidth(line), line).toBeLessThanOrEqual(80);
          expect(CONTROL.test(line), JSON.stringify(line)).toBe(false);
          expect(line).toBe(line.trimEnd());
        }
        // One A4 page at 8 lines per inch holds about 85 lines.
        expect(lines.length).toBeLessThanOrEqual(85);
        expect(r.stdout).not.toContain('\u001b');
      }
    });
  }

  it('has every section, the --now time and no wall clock', () => {
    const r = summary();
    const text = r.stdout;
    expect(text).toContain('REFUND SUMMARY — 小满家居旗舰店');
    expect(text).toContain('As of 2025-04-21 09:00 (Asia/Shanghai)');
    expect(text).toContain('16 open · 2 overdue · 4 due today · 4 orange · 2 decided, not carried out');
    for (const title of ['WHAT TO DO FIRST', 'OPEN REFUNDS BY STATE', 'OVERDUE', 'DUE TODAY', 'ORANGE', 'DECIDED BUT NOT CARRIED OUT', "YESTERDAY'S DECISIONS (2025-04-20)", 'LAST 28 DAYS']) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/7360123456789012307 +¥1,580\.00 +04-21 06:30 +overdue 2h 30m/);
    expect(text).toContain('EMPTY PARCEL 04-21 07:45');
    expect(text).toContain('WRONG ITEM 04-21 08:10');
    expect(text).toContain('received OK 04-20 16:05');
    expect(text).toMatch(/158700112233445505 +¥59\.90 +05-02 10:00\* +not received/);
    expect(text).toContain('Finished without the platform (自主完结率)  2 of 4 — 50.0%');
    expect(text).toContain('¥10.00 of ¥3,903.10 — 0.3%');
    // the hostile title and agent reach paper without their escape sequences
    expect(text).toMatch(/\n  evil +1  /);
    expect(text).not.toMatch(/\u001b|\u0007/);
    const wallDate = new Date().toISOString().slice(0, 10);
    if (!wallDate.startsWith('2025-0')) expect(text).not.toContain(wallDate);
  });

  it('reads in Chinese', () => {
    const r = runCli(['--db', db, '--now', NOW, '--lang', 'zh', 'summary']);
    expect(r.stdout).toContain('退款日报 — 小满家居旗舰店');
    expect(r.stdout).toContain('截至 2025-04-21 09:00（Asia/Shanghai）');
    expect(r.stdout).toContain('进行中 16 · 已超时 2 · 今天到期 4 · 橙色 4 · 已决定未执行 2');
    expect(r.stdout).toContain('退款自主完结率');
    expect(r.stdout).toContain('已收货 正常 04-20 16:05');
  });

  it('is deterministic: byte-identical runs, whatever the machine zone', () => {
    for (const format of ['text', 'markdown', 'json', 'html']) {
      const a = summary('--format', format);
      const b = runCli(['--db', db, '--now', NOW, 'summary', '--format', format], { env: { TZ: 'America/New_York' } });
      expect(a.code).toBe(0);
      expect(b.stdout).toBe(a.stdout);
    }
  });

  it('masks phone numbers by default and shows them with --no-mask', () => {
    const masked = summary().stdout;
    expect(masked).toContain('王小明 138****5678');
    expect(masked).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(masked).toContain('masked');
    const open = summary('--no-mask').stdout;
    expect(open).toContain('王小明 13812345678');
    expect(open).toContain('UNMASKED');
  });
});

describe('--fail-if', () => {
  it('exits 3 when a refund waiting on the shop is overdue, and still prints', () => {
    const r = summary('--fail-if', 'overdue');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('REFUND SUMMARY');
    expect(r.stderr).toContain('2 refund(s) overdue');
  });

  it('due-within=6h exits 3 when one is overdue or due within 6 hours', () => {
    expect(summary('--fail-if', 'due-within=6h').code).toBe(3);
  });

  it('exits 0 when nothing meets the condition', () => {
    const early = (...a: string[]) => runCli(['--db', db, '--now', '2025-04-21T05:00:00+08:00', 'summary', ...a]);
    expect(early('--fail-if', 'overdue').code).toBe(0);
    expect(early('--fail-if', 'due-within=1h').code).toBe(0); // the first deadline is 06:30
    expect(early('--fail-if', 'due-within=2h').code).toBe(3);
  });

  it('refuses what it cannot read with exit 2', () => {
    expect(summary('--fail-if', 'soon').code).toBe(2);
    expect(summary('--fail-if', 'due-within=soon').code).toBe(2);
    expect(summary('--format', 'pdf').code).toBe(2);
  });

  it('documents the exit code in --help', () => {
    const r = runCli(['summary', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 +--fail-if condition holds/);
  });
});

describe('--format html and markdown', () => {
  it('html is one self-contained printable A4 document with everything escaped', () => {
    const r = summary('--format', 'html');
    expect(r.code).toBe(0);
    const h = r.stdout;
    expect(h.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(h.match(/<html/g)).toHaveLength(1);
    expect(h.match(/<\/html>/g)).toHaveLength(1);
    expect(h.trimEnd().endsWith('</html>')).toBe(true);
    expect(h).toContain('<meta charset="utf-8">');
    expect(h).toMatch(/@page \{ size: A4;/);
    expect(h).toContain('@media print');
    // no external assets, no scripts
    expect(h).not.toMatch(/<script|<link|<img|@import|url\(|\bsrc=|\bhref=/i);
    expect(h).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(h).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(h).toContain('138****5678');
  });

  it('markdown escapes buyer text', () => {
    const r = summary('--format', 'markdown');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Refund summary — 小满家居旗舰店\n')).toBe(true);
    expect(r.stdout).toContain('\\<script\\>');
    expect(r.stdout).toContain('\\| \\*骨瓷\\* \\[x\\](http://evil)');
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe('--out', () => {
  it('writes the file owner-only (0600) and prints nothing', () => {
    const out = path.join(dir, 'summary-2025-04-21.txt');
    const r = summary('--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toBe(summary().stdout);
  });

  it('makes an existing file owner-only too, and writes with --fail-if', () => {
    const out = path.join(dir, 'existing.html');
    fs.writeFileSync(out, 'old');
    fs.chmodSync(out, 0o644);
    const r = summary('--format', 'html', '--out', out, '--fail-if', 'overdue');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toContain('</html>');
  });

  it('fails with exit 1 when the file cannot be written', () => {
    const r = summary('--out', path.join(dir, 'no', 'such', 'dir', 'summary.txt'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write');
  });
});
