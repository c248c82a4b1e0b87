// `refunds decide`, `refunds decisions`, `refunds triage` without a terminal, and the
// follow-through ("decided, not carried out"), through the built CLI on the demo fixtures.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { openSqlitePorts } from '../../src/store/sqlite/index.js';

const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const R01 = '1587001122334455001'; // unshipped, WAIT_SELLER_AGREE, ¥59.90
const R02 = '158700112233445502'; // shipped, return + refund, WAIT_SELLER_AGREE, ¥1,299.00
const R06 = '158700112233445506'; // orange, empty parcel
const R11 = '158700112233445511'; // shipped, refund only, ¥45.50
const R13 = '158700112233445513'; // unshipped, ¥1,050.00

let dir: string;
let db: string;

beforeEach(() => {
  dir = tmpDir();
  db = path.join(dir, 'demo.sqlite');
  const r = runCli(['--db', db, '--now', NOW, 'import', ...DEMO.map(fixture)]);
  expect(r.code).toBe(0);
});

const cli = (args: string[], env?: Record<string, string | undefined>, now = NOW) => runCli(['--db', db, '--now', now, ...args], { env });
const decide = (...args: string[]) => cli(['decide', ...args]);

function rows(): Record<string, unknown>[] {
  const d = new Database(db, { readonly: true });
  try {
    return d
      .prepare(
        'SELECT refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision, expected_status_json, buyer_message, source FROM decisions ORDER BY id',
      )
      .all() as Record<string, unknown>[];
  } finally {
    d.close();
  }
}

describe('refunds decide', () => {
  it('records approve with the exact database contents and prints the checklist', () => {
    const r = decide(R01, '--action', 'approve', '--agent', 'alice');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Do this in the seller backend:');
    expect(r.stdout).toContain('1. In 退款管理, open the refund and click 同意退款 (¥59.90).');
    expect(r.stderr).toContain('Recorded approve the refund for 1587001122334455001 by alice at 2025-04-21 09:00 · ¥59.90.');
    expect(rows()).toEqual([
      {
        refund_id: R01,
        action: 'approve',
        amount_cents: 5990,
        note: null,
        evidence_json: '[]',
        agent: 'alice',
        decided_at: '2025-04-21T09:00:00+08:00',
        status_at_decision: 'WAIT_SELLER_AGREE',
        expected_status_json: '["SUCCESS"]',
        buyer_message: null,
        source: 'decide',
      },
    ]);
  });

  it('refuses a refusal on an unshipped order: reason given, exit 1, nothing written', () => {
    const r = decide(R01, '--action', 'refuse', '--note', '买家恶意退款', '--evidence', 'chat.png', '--agent', 'alice');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('refund 1587001122334455001: nothing recorded.');
    expect(r.stderr).toContain('The order is not shipped, and the platform has no refuse button before shipping.');
    expect(rows()).toEqual([]);
  });

  it('in Chinese too', () => {
    const r = cli(['--lang', 'zh', 'decide', R01, '--action', 'refuse', '--note', '买家恶意退款', '--evidence', 'chat.png']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('订单未发货，发货前平台没有“拒绝退款”按钮');
    expect(rows()).toEqual([]);
  });

  it('a refusal with note and evidence; --json prints the recorded decision', () => {
    const r = decide(R06, '--action', 'refuse', '--note', '退回的是空包裹', '--evidence', 'parcel.jpg', '--evidence', 'weight.png', '--agent', 'bob', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      refundId: R06,
      action: 'refuse',
      amountCents: null,
      note: '退回的是空包裹',
      evidence: ['parcel.jpg', 'weight.png'],
      agent: 'bob',
      decidedAt: '2025-04-21T09:00:00+08:00',
      expectedStatus: ['SELLER_REFUSE_BUYER'],
      source: 'decide',
      statusAtDecision: 'WAIT_SELLER_CONFIRM_GOODS',
      outcome: 'orange.refuseEmpty',
    });
    expect(j.checklist[0]).toBe('Photograph the empty parcel and its label; keep the weight record if any.');
    expect(j.buyerMessage).toContain('原因：退回的是空包裹');
    expect(rows()[0]).toMatchObject({ action: 'refuse', evidence_json: '["parcel.jpg","weight.png"]', expected_status_json: '["SELLER_REFUSE_BUYER"]' });
  });

  it('amounts "59.90", "59.9" and "¥59.90" are exactly 5990 cents', () => {
    for (const amount of ['59.90', '59.9', '¥59.90']) {
      expect(decide(R01, '--action', 'approve', '--amount', amount, '--agent', 'alice').code).toBe(0);
    }
    expect(rows().map((r) => r.amount_cents)).toEqual([5990, 5990, 5990]);
    expect(decide(R11, '--action', 'partial', '--amount', '20.5', '--note', 'agreed in chat').code).toBe(0);
    expect(rows().at(-1)).toMatchObject({ action: 'partial', amount_cents: 2050, expected_status_json: '["SUCCESS"]' });
  });

  it('bad amounts exit 1 and write nothing', () => {
    for (const amount of ['20.505', '-5', 'abc', '1e3']) {
      const r = decide(R11, '--action', 'partial', '--amount', amount);
      expect(r.code, amount).toBe(1);
      expect(r.stderr).toContain(`cannot read the amount "${amount}"`);
    }
    const tooMuch = decide(R11, '--action', 'partial', '--amount', '45.50');
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain('must be less than the requested ¥45.50');
    expect(rows()).toEqual([]);
  });

  it('an unknown ID exits 1 with suggestions', () => {
    const r = decide('15870011223344559', '--action', 'approve');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no refund with ID 15870011223344559');
    expect(r.stderr).toContain('Did you mean: 1587001122334455, 158700112233445509, 158700112233445502?');
    expect(rows()).toEqual([]);
  });

  it('a bad or missing action exits 2 listing the actions', () => {
    for (const args of [['--action', 'accept'], []]) {
      const r = decide(R01, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('approve, approve-return, partial, refuse, contact-buyer, mark-shipped, refund-postage, escalate, wait');
    }
    expect(rows()).toEqual([]);
  });

  it('the shop threshold: non-supervisors escalate, supervisors decide', () => {
    const cfg = path.join(dir, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ amountThresholdYuan: 500, supervisors: ['boss'] }));
    const env = { REFUNDS_CONFIG: cfg };
    const no = cli(['decide', R13, '--action', 'approve', '--agent', 'alice'], env);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('¥1,050.00 is above the shop threshold ¥500.00: a supervisor must decide.');
    expect(cli(['decide', R13, '--action', 'escalate', '--agent', 'alice', '--note', '买家很急'], env).code).toBe(0);
    expect(cli(['decide', R13, '--action', 'approve', '--agent', 'boss'], env).code).toBe(0);
    expect(rows().map((r) => [r.action, r.agent, r.amount_cents, r.expected_status_json])).toEqual([
      ['escalate', 'alice', null, null],
      ['approve', 'boss', 105000, '["SUCCESS"]'],
    ]);
  });
});

describe('follow-through: decided, not carried out', () => {
  it('approve recorded, the next export still waits for the seller → flagged in today and show', () => {
    expect(decide(R02, '--action', 'approve-return', '--agent', 'alice').code).toBe(0);
    expect(decide(R01, '--action', 'approve', '--agent', 'alice').code).toBe(0);
    // Before any newer export nothing is flagged.
    const before = JSON.parse(cli(['today', '--json']).stdout);
    expect(before.refunds.find((x: any) => x.refundId === R01)).toMatchObject({ decidedNotCarriedOut: false });
    // An hour later the same refund export is imported again: no row changes, but the import is
    // logged (imports table), and R01 is still WAIT_SELLER_AGREE although approved.
    const later = '2025-04-21T10:00:00+08:00';
    const imp = cli(['import', fixture('taobao-refunds-2017-gbk.csv'), '--json'], undefined, later);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout).files[0]).toMatchObject({ inserted: 0, updated: 0, unchanged: 13 });
    const d = new Database(db, { readonly: true });
    expect(d.prepare("SELECT max(imported_at) AS at FROM imports WHERE kind = 'taobao-refunds'").get()).toEqual({ at: later });
    d.close();
    const today = JSON.parse(cli(['today', '--json'], undefined, later).stdout);
    const r01 = today.refunds.find((x: any) => x.refundId === R01);
    expect(r01).toMatchObject({ status: 'WAIT_SELLER_AGREE', decidedNotCarriedOut: true, nextStep: 'decided-not-carried-out', lastDecision: { action: 'approve', agent: 'alice', decidedAt: NOW } });
    // approve-return expects WAIT_BUYER_RETURN_GOODS: also not carried out.
    expect(today.refunds.find((x: any) => x.refundId === R02)).toMatchObject({ decidedNotCarriedOut: true });
    expect(today.counts.notCarriedOut).toBe(2);
    // Refunds nobody decided are not flagged.
    expect(today.refunds.filter((x: any) => x.decidedNotCarriedOut).map((x: any) => x.refundId).sort()).toEqual([R01, R02].sort());
    const show = JSON.parse(cli(['show', R01, '--json'], undefined, later).stdout);
    expect(show.refund).toMatchObject({ decidedNotCarriedOut: true, nextStep: 'decided-not-carried-out' });
    expect(cli(['show', R01], undefined, later).stdout).toContain('decided, not carried out');
  });
});

describe('refunds decisions', () => {
  beforeEach(() => {
    expect(decide(R01, '--action', 'approve', '--agent', 'alice').code).toBe(0);
    expect(
      decide(R06, '--action', 'refuse', '--note', '=HYPERLINK("http://x","y") 空包', '--evidence', '+86 138 0000 0000', '--evidence', '@photo.jpg', '--agent', '-bob').code,
    ).toBe(0);
    expect(cli(['decide', R11, '--action', 'contact-buyer', '--agent', 'carol'], undefined, '2025-04-21T11:30:00+08:00').code).toBe(0);
  });

  it('--json lists every decision', () => {
    const r = cli(['decisions', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.decisions.map((d: any) => [d.refundId, d.action, d.agent, d.decidedAt])).toEqual([
      [R01, 'approve', 'alice', NOW],
      [R06, 'refuse', '-bob', NOW],
      [R11, 'contact-buyer', 'carol', '2025-04-21T11:30:00+08:00'],
    ]);
    expect(j.decisions[0]).toMatchObject({ orderId: '4123456789012345678', platform: 'taobao', statusAtDecision: 'WAIT_SELLER_AGREE', amountCents: 5990 });
  });

  it('--since a duration or a time, --agent', () => {
    const since = (v: string) => JSON.parse(cli(['decisions', '--json', '--since', v], undefined, '2025-04-21T12:00:00+08:00').stdout).decisions.map((d: any) => d.refundId);
    expect(since('1h')).toEqual([R11]);
    expect(since('2025-04-21 09:00')).toEqual([R01, R06, R11]);
    expect(since('2025-04-21T10:00:00+08:00')).toEqual([R11]);
    expect(since('11:00')).toEqual([R11]); // today, shop time
    expect(JSON.parse(cli(['decisions', '--json', '--agent', 'alice']).stdout).decisions.map((d: any) => d.refundId)).toEqual([R01]);
    const bad = cli(['decisions', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot read --since "yesterday"');
  });

  it('--csv: UTF-8 with BOM, header row, formula-looking cells neutralized', () => {
    const r = cli(['decisions', '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\ufeff')).toBe(true);
    const lines = r.stdout.slice(1).split('\r\n');
    expect(lines[0]).toBe('Decided at,Refund ID,Order ID,Platform,Action,Amount (yuan),Agent,Source,Note,Evidence,Expected state,Checklist,Message to the buyer');
    expect(lines[1]).toMatch(/^2025-04-21T09:00:00\+08:00,1587001122334455001,4123456789012345678,taobao,approve,59\.90,alice,decide,,,SUCCESS,/);
    // Cells starting with = + - @ get a leading apostrophe, quoted when needed.
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://x"",""y"") 空包"`);
    expect(r.stdout).toContain(",'-bob,");
    expect(r.stdout).toContain("'+86 138 0000 0000 | @photo.jpg");
    // No cell of the file starts with a formula character.
    expect(r.stdout).not.toMatch(/(^|,|\r\n)"?[=+\-@]/);
    const zh = cli(['--lang', 'zh', 'decisions', '--csv']);
    expect(zh.stdout.slice(1).split('\r\n')[0]).toContain('决定时间,退款编号,订单编号');
  });

  it('on screen: a table, buyer and agent text made terminal-safe', () => {
    const r = cli(['decisions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 decision(s)');
    expect(r.stdout).toMatch(/2025-04-21 09:00 +1587001122334455001 +approve the refund +¥59\.90 +alice +decide/);
    // Action names come from the catalog, in Chinese too.
    expect(cli(['--lang', 'zh', 'decisions']).stdout).toMatch(/2025-04-21 09:00 +1587001122334455001 +同意退款 +¥59\.90 +alice +命令处理/);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('an empty list says so', async () => {
    const empty = path.join(dir, 'empty.sqlite');
    await (await openSqlitePorts(empty)).close();
    const r = runCli(['--db', empty, 'decisions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No decisions recorded.');
  });

  it('a database that does not exist is refused, and nothing is created', () => {
    const r = runCli(['--db', path.join(dir, 'none.sqlite'), 'decisions']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`refunds: no database at ${path.join(dir, 'none.sqlite')}; import first (refunds import FILE), or check --db / REFUNDS_DB\n`);
    expect(fs.existsSync(path.join(dir, 'none.sqlite'))).toBe(false);
  });
});

describe('refunds triage without a terminal', () => {
  it('prompts nothing: exit 2 and points to refunds decide', () => {
    const r = cli(['triage', '--agent', 'alice'], undefined);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('refunds decide ID --action ACTION');
    expect(rows()).toEqual([]);
    const d = new Database(db, { readonly: true });
    expect(d.prepare('SELECT count(*) AS n FROM claims').get()).toEqual({ n: 0 });
    d.close();
  });
});
