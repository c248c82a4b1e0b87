// The returns desk, spawned: `refunds receive` and `refunds returns` as the warehouse desk and an
// agent use them (a scanner typing waybills, a pipe of scans, JSON for scripts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { openSqlitePorts } from '../../src/store/sqlite/index.js';
import { toolAvailable } from '../helpers/tools.js';

const HEADER = '订单编号,退款编号,买家会员名称,买家退款金额,退款的申请时间,超时时间,退款状态,货物状态,是否需要退货,退货物流单号,退货物流公司,买家退货时间,客服介入状态';

/** A small Taobao refund report (UTF-8), written in the test's own temp dir. */
function refundsCsv(dir: string, rows: string[], name = 'refunds.csv'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  return file;
}

const ROWS = [
  // A: orange, export deadline, waybill written with spaces and lower case by the buyer.
  '="4123456789012345678",="2025041800000000001",小红,59.90,2025-04-15 10:00:00,2025-04-24 13:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,sf 1234-5678 90123,顺丰速运,2025-04-14 13:00:00,不需客服介入',
  // B: orange, no export deadline: the 10-day express rule from 买家退货时间.
  '="4123456789012345679",="2025041800000000002",小蓝,120.00,2025-04-16 10:00:00,,买家已经退货，等待卖家确认收货,买家已退货,是,YT8800112233,圆通速递,2025-04-17 09:30:00,不需客服介入',
  // C: orange, the buyer never gave a waybill.
  '="4123456789012345680",="2025041800000000003",小绿,30.00,2025-04-16 11:00:00,,买家已经退货，等待卖家确认收货,买家已退货,是,,,2025-04-18 09:30:00,不需客服介入',
  // D1, D2: two lines of one order returned in one parcel.
  '="4123456789012345690",="2025041800000000011",小紫,10.00,2025-04-16 11:00:00,2025-04-25 10:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,ZTO7700000001,中通快递,2025-04-18 10:00:00,不需客服介入',
  '="4123456789012345690",="2025041800000000012",小紫,20.00,2025-04-16 11:00:00,2025-04-25 10:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,ZTO7700000001,中通快递,2025-04-18 10:00:00,不需客服介入',
  // E1, E2: two different orders quoting the same waybill.
  '="4123456789012345700",="2025041800000000021",甲,15.00,2025-04-16 11:00:00,2025-04-25 10:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,YD5500000001,韵达快递,2025-04-18 10:00:00,不需客服介入',
  '="4123456789012345701",="2025041800000000022",乙,16.00,2025-04-16 11:00:00,2025-04-25 10:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,YD5500000001,韵达快递,2025-04-18 10:00:00,不需客服介入',
];

function setup(): { dir: string; db: string; cli: (args: string[], input?: string, now?: string) => ReturnType<typeof runCli> } {
  const dir = tmpDir('refunds-receive-');
  const db = path.join(dir, 'x.sqlite');
  const cli = (args: string[], input?: string, now = NOW) => runCli(['--db', db, '--now', now, ...args], { input: input ?? '' });
  const imp = cli(['import', refundsCsv(dir, ROWS)]);
  expect(imp.code).toBe(0);
  return { dir, db, cli };
}

function receiptRows(db: string): Record<string, unknown>[] {
  const sql = new Database(db, { readonly: true });
  try {
    return sql
      .prepare('SELECT waybill, waybill_key, received_at, condition, inspector, note, carrier, source FROM warehouse_receipts ORDER BY id')
      .all() as Record<string, unknown>[];
  } finally {
    sql.close();
  }
}

const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('refunds receive WAYBILL', () => {
  it('records the scan and prints the matched case as JSON, deadline from the export', () => {
    const { db, cli } = setup();
    const r = cli(['receive', 'SF1234567890123', '--carrier', '顺丰', '--inspector', '王芳', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      asOf: '2025-04-21T09:00:00+08:00',
      scans: [
        {
          line: null,
          waybill: 'SF1234567890123',
          waybillKey: 'SF1234567890123',
          carrier: '顺丰',
          receivedAt: '2025-04-21T09:00:00+08:00',
          condition: 'ok',
          inspector: '王芳',
          note: null,
          recorded: 'inserted',
          registeredAt: '2025-04-21T09:00:00+08:00',
          match: 'matched',
          sameOrder: true,
          refunds: [
            {
              refundId: '2025041800000000001',
              orderId: '4123456789012345678',
              platform: 'taobao',
              status: 'WAIT_SELLER_CONFIRM_GOODS',
              statusText: '买家已经退货，等待卖家确认收货',
              buyerNick: '小红',
              itemTitle: null,
              amountCents: 5990,
              returnWaybill: 'sf 1234-5678 90123',
              orange: true,
              deadline: '2025-04-24T13:00:00+08:00',
              deadlineSource: 'export',
              deadlineColumn: 'exportDeadline',
              deadlineRule: 'taobao.wait-seller-confirm-goods.express',
              atTimeout: 'auto_refund',
              secondsLeft: 273600,
              overdue: false,
              receiptState: 'received-ok',
              nextStep: 'confirm-now',
              actionable: true,
              sharedWaybill: false,
            },
          ],
          superseded: [],
        },
      ],
      rejected: [],
    });
    expect(receiptRows(db)).toEqual([
      {
        waybill: 'SF1234567890123',
        waybill_key: 'SF1234567890123',
        received_at: '2025-04-21T09:00:00+08:00',
        condition: 'ok',
        inspector: '王芳',
        note: null,
        carrier: '顺丰',
        source: 'scan',
      },
    ]);
  });

  it('prints the case for people: orange, time left with its source, and what to do now', () => {
    const { cli } = setup();
    const ok = cli(['receive', 'yt 8800-1122-33', '--inspector', '王芳']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(
      [
        'yt 8800-1122-33 · received 2025-04-21 09:00 · OK · recorded',
        '  Refund 2025041800000000002 · order 4123456789012345679 · buyer 小蓝 · ¥120.00',
        '  State: returned, seller to confirm (orange) · 6d 0h left (rule taobao.wait-seller-confirm-goods.express: 2025-04-27 09:30; then the platform refunds automatically)',
        '  Received OK → confirm receipt and refund now.',
        '',
      ].join('\n'),
    );
    const wrong = cli(['--lang', 'zh', 'receive', 'SF1234567890123', '--condition', '错货']);
    expect(wrong.stdout).toContain('SF1234567890123 · 2025-04-21 09:00 签收 · 错货 · 已登记');
    expect(wrong.stdout).toContain('状态：买家已退货，待确认收货 (橙色) · 剩 3天4小时（导出的超时时间 2025-04-24 13:00；到期平台自动退款）');
    expect(wrong.stdout).toContain('错货 → 拒绝退款（以验货结果为凭证）并把包裹退回。');
  });

  it('re-scanning on the same day with the same condition records nothing; a new condition or a new day does', () => {
    const { db, cli } = setup();
    expect(cli(['receive', 'SF1234567890123']).code).toBe(0);
    const again = cli(['receive', 'sf-1234-5678-90123', '--json'], '', '2025-04-21T17:30:00+08:00');
    const scan = JSON.parse(again.stdout).scans[0];
    expect(scan).toMatchObject({ recorded: 'duplicate', registeredAt: '2025-04-21T09:00:00+08:00', receivedAt: '2025-04-21T17:30:00+08:00' });
    expect(scan.refunds[0]).toMatchObject({ receiptState: 'received-ok', nextStep: 'confirm-now' });
    expect(receiptRows(db)).toHaveLength(1);
    expect(cli(['receive', 'SF1234567890123']).stdout).toContain('already registered today (2025-04-21 09:00); not recorded again');

    // A re-inspection: a new receipt, and the latest decides.
    const damaged = JSON.parse(cli(['receive', 'SF1234567890123', '--condition', 'damaged', '--json'], '', '2025-04-21T10:00:00+08:00').stdout).scans[0];
    expect(damaged).toMatchObject({ recorded: 'inserted', condition: 'damaged' });
    expect(damaged.refunds[0]).toMatchObject({ receiptState: 'damaged', nextStep: 'negotiate-partial' });
    // Back to OK the same day: not a duplicate of the 09:00 scan, because the latest says damaged.
    const ok = JSON.parse(cli(['receive', 'SF1234567890123', '--json'], '', '2025-04-21T11:00:00+08:00').stdout).scans[0];
    expect(ok).toMatchObject({ recorded: 'inserted' });
    expect(ok.refunds[0].receiptState).toBe('received-ok');
    // Next day: a new receipt.
    expect(JSON.parse(cli(['receive', 'SF1234567890123', '--json'], '', '2025-04-22T08:00:00+08:00').stdout).scans[0].recorded).toBe('inserted');
    expect(receiptRows(db).map((r) => [r.received_at, r.condition])).toEqual([
      ['2025-04-21T09:00:00+08:00', 'ok'],
      ['2025-04-21T10:00:00+08:00', 'damaged'],
      ['2025-04-21T11:00:00+08:00', 'ok'],
      ['2025-04-22T08:00:00+08:00', 'ok'],
    ]);
  });

  it('keeps a parcel matching nothing (无主件); a later refund import matches it', () => {
    const { dir, db, cli } = setup();
    const r = cli(['receive', 'JT0001112223', '--note', '面单模糊']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('JT0001112223 · received 2025-04-21 09:00 · OK · recorded');
    expect(r.stdout).toContain('No matching refund: parcel kept as 无主件.');
    expect(receiptRows(db)).toHaveLength(1);

    const un = JSON.parse(cli(['returns', '--unmatched', '--json']).stdout);
    expect(un.counts).toEqual({ receipts: 1, unmatched: 1, ambiguous: 0, noWaybill: 1, notReceived: 6 });
    expect(un.receipts.map((x: any) => [x.waybillKey, x.match, x.note, x.source, x.refunds])).toEqual([['JT0001112223', 'unmatched', '面单模糊', 'scan', []]]);

    // The buyer fills in the waybill; the next export brings it.
    const later = refundsCsv(dir, [
      '="4123456789012345800",="2025041900000000031",小黑,88.00,2025-04-19 10:00:00,2025-04-29 10:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,JT0001112223,极兔速递,2025-04-20 10:00:00,不需客服介入',
    ], 'later.csv');
    expect(cli(['import', later]).code).toBe(0);
    expect(JSON.parse(cli(['returns', '--unmatched', '--json']).stdout).receipts).toEqual([]);
    const all = JSON.parse(cli(['returns', '--json']).stdout);
    expect(all.receipts).toHaveLength(1);
    expect(all.receipts[0]).toMatchObject({ waybillKey: 'JT0001112223', match: 'matched' });
    expect(all.receipts[0].refunds.map((c: any) => [c.refundId, c.receiptState, c.nextStep, c.deadline])).toEqual([
      ['2025041900000000031', 'received-ok', 'confirm-now', '2025-04-29T10:00:00+08:00'],
    ]);
  });

  it('shows one parcel for several refunds: same order, or different orders (check the waybill)', () => {
    const { cli } = setup();
    const same = JSON.parse(cli(['receive', 'ZTO7700000001', '--json']).stdout).scans[0];
    expect([same.match, same.sameOrder]).toEqual(['ambiguous', true]);
    expect(same.refunds.map((c: any) => [c.refundId, c.nextStep])).toEqual([
      ['2025041800000000011', 'confirm-now'],
      ['2025041800000000012', 'confirm-now'],
    ]);
    const diff = JSON.parse(cli(['receive', 'YD5500000001', '--json']).stdout).scans[0];
    expect([diff.match, diff.sameOrder]).toEqual(['ambiguous', false]);
    expect(diff.refunds.map((c: any) => [c.refundId, c.orderId, c.receiptState, c.nextStep, c.sharedWaybill])).toEqual([
      ['2025041800000000021', '4123456789012345700', 'received-ok', 'check-waybill', true],
      ['2025041800000000022', '4123456789012345701', 'received-ok', 'check-waybill', true],
    ]);
    const human = cli(['receive', 'YD5500000001']).stdout;
    expect(human).toContain('! 2 refunds of different orders quote this waybill; check which one it is:');
    expect(human).toContain('Refunds of different orders quote this waybill → check the waybill before confirming anything.');
  });

  it('neutralizes terminal escapes in warehouse and buyer text', () => {
    const dir = tmpDir('refunds-receive-');
    const db = path.join(dir, 'x.sqlite');
    const evil = '="4123456789012345999",="2025041800000000099",\u001b]0;pwned\u0007坏\u001b[31m人,9.90,2025-04-15 10:00:00,2025-04-24 13:00:00,买家已经退货，等待卖家确认收货,买家已退货,是,SF9999999999,顺丰,2025-04-14 13:00:00,不需客服介入';
    expect(runCli(['--db', db, '--now', NOW, 'import', refundsCsv(dir, [evil])]).code).toBe(0);
    const r = runCli(['--db', db, '--now', NOW, 'receive', 'SF9999999999', '--note', 'x\u001b[2Jy', '--inspector', 'a\u001b[31mb']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toContain('buyer 坏人 · ¥9.90');
    const list = runCli(['--db', db, '--now', NOW, 'returns']);
    expect(list.stdout).not.toContain('\u001b');
  });

  it('user errors exit 1 and usage errors exit 2, without a stack trace and without creating the database', () => {
    const dir = tmpDir('refunds-receive-');
    const db = path.join(dir, 'x.sqlite');
    const bad = runCli(['--db', db, '--now', NOW, 'receive', '运单?!']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('refunds: "运单?!" is not a waybill number (5 to 40 letters and digits; spaces and dashes are ignored)\n');
    const cond = runCli(['--db', db, '--now', NOW, 'receive', 'SF1234567890123', '--condition', 'broken']);
    expect(cond.code).toBe(2);
    expect(cond.stderr).toContain('unknown condition "broken": use ok, damaged, wrong-item or empty (正常/破损/错货/空包)');
    noStackTrace(bad.stderr);
    noStackTrace(cond.stderr);
    expect(fs.existsSync(db)).toBe(false);
    const extra = runCli(['--db', db, 'receive', 'A12345', 'B12345']);
    expect(extra.code).toBe(2);
  });

  it('has help with examples', () => {
    const r = runCli(['receive', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('cat scans.txt | refunds receive');
    const l = runCli(['returns', '--help']);
    expect(l.code).toBe(0);
    expect(l.stdout).toContain('refunds returns --unmatched');
  });
});

describe('refunds receive (waybills on standard input)', () => {
  it('records one receipt per line, skips blank lines, takes a trailing condition word, rejects bad lines', () => {
    const { db, cli } = setup();
    const input = ['SF1234567890123', '', 'YT8800112233 破损', 'no!', 'sf1234567890123', 'JT0001112223', ''].join('\r\n');
    const r = cli(['receive', '--inspector', '李梅', '--json'], input);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.scans.map((s: any) => [s.line, s.waybillKey, s.condition, s.recorded, s.match, s.refunds.map((c: any) => c.nextStep)])).toEqual([
      [1, 'SF1234567890123', 'ok', 'inserted', 'matched', ['confirm-now']],
      [3, 'YT8800112233', 'damaged', 'inserted', 'matched', ['negotiate-partial']],
      [5, 'SF1234567890123', 'ok', 'duplicate', 'matched', ['confirm-now']],
      [6, 'JT0001112223', 'ok', 'inserted', 'unmatched', []],
    ]);
    expect(out.rejected).toEqual([
      { line: 4, input: 'no!', message: '"no!" is not a waybill number (5 to 40 letters and digits; spaces and dashes are ignored)' },
    ]);
    expect(r.stderr).toBe(
      'line 4: "no!" is not a waybill number (5 to 40 letters and digits; spaces and dashes are ignored); not recorded\n' +
        'Scanned 4: 3 recorded, 1 already registered today, 1 without a refund (无主件); 1 lines rejected.\n',
    );
    expect(receiptRows(db).map((x) => [x.waybill_key, x.condition, x.inspector])).toEqual([
      ['SF1234567890123', 'ok', '李梅'],
      ['YT8800112233', 'damaged', '李梅'],
      ['JT0001112223', 'ok', '李梅'],
    ]);
  });

  it('q stops reading; an empty input records nothing', () => {
    const { db, cli } = setup();
    const r = cli(['receive'], 'SF1234567890123\nq\nYT8800112233\n');
    expect(r.code).toBe(0);
    expect(receiptRows(db).map((x) => x.waybill_key)).toEqual(['SF1234567890123']);
    const empty = cli(['receive'], '');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toBe('No waybill read from standard input; nothing recorded.\n');
  });

  const hasScript = toolAvailable(spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0, 'util-linux script');
  /** Runs `refunds receive ARGS` on a pseudo-terminal (`script`), typing `input` like a scanner and a desk. */
  const onTerminal = (dir: string, db: string, args: string[], input: string, lang = 'en_US.UTF-8') => {
    const cmd = [process.execPath, BIN, '--db', db, '--now', NOW, 'receive', ...args].map((a) => JSON.stringify(a)).join(' ');
    return spawnSync('script', ['-qfec', cmd, '/dev/null'], {
      encoding: 'utf8',
      input,
      env: { PATH: process.env.PATH ?? '', HOME: dir, LANG: lang, TERM: 'dumb' },
      timeout: 30_000,
    });
  };

  it.skipIf(!hasScript)('on a terminal: each scan asks the condition (Enter = OK); an empty line at the scan prompt ends', () => {
    const { dir, db } = setup();
    const r2 = onTerminal(dir, db, ['--inspector', '王芳'], 'YT8800112233\n\n\nSHOULD000NOT\n');
    expect(r2.status).toBe(0);
    expect(r2.stdout).toContain('Scan return waybills one by one; after each, give its condition: Enter = 正常 OK, 1 破损 damaged, 2 错货 wrong item, 3 空包 empty.');
    expect(r2.stdout).toContain('YT8800112233 condition: Enter 正常 OK · 1 破损 · 2 错货 · 3 空包>');
    expect(r2.stdout).toContain('Received OK → confirm receipt and refund now.');
    expect(receiptRows(db).map((x) => [x.waybill_key, x.condition, x.inspector])).toEqual([['YT8800112233', 'ok', '王芳']]);
  });

  it.skipIf(!hasScript)('on a terminal: 1, 2, 3 answer damaged, wrong item, empty; another answer is refused and asked again', () => {
    const { dir, db } = setup();
    const r = onTerminal(dir, db, [], 'YT8800112233\nx\n1\nSF1234567890123\n3\nJT0001112223\n2\n\n', 'zh_CN.UTF-8');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('YT8800112233 验货结果：回车 正常 · 1 破损 · 2 错货 · 3 空包>');
    expect(r.stdout).toContain('请按回车（正常）、1（破损）、2（错货）或 3（空包）；YT8800112233 尚未登记');
    expect(receiptRows(db).map((x) => [x.waybill_key, x.condition])).toEqual([
      ['YT8800112233', 'damaged'],
      ['SF1234567890123', 'empty'],
      ['JT0001112223', 'wrong-item'],
    ]);
  });

  it.skipIf(!hasScript)('on a terminal: --quick keeps scan-and-go (no question, recorded as OK at once)', () => {
    const { dir, db } = setup();
    const r = onTerminal(dir, db, ['--quick'], 'YT8800112233\n\nSHOULD000NOT\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Scan return waybills one by one (Enter after each).');
    expect(r.stdout).not.toContain('condition:');
    expect(receiptRows(db).map((x) => [x.waybill_key, x.condition])).toEqual([['YT8800112233', 'ok']]);
  });

  it.skipIf(!hasScript)('on a terminal: a waybill left without its condition is not recorded, and says so', () => {
    const { dir, db } = setup();
    const r = onTerminal(dir, db, [], 'YT8800112233\nq\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('YT8800112233: no condition given; not recorded');
    expect(receiptRows(db)).toEqual([]);
  });
});

describe('text that cannot be a waybill', () => {
  it('is refused with the reason, on the command line and on standard input, and nothing is recorded', () => {
    const { db, cli } = setup();
    const one = cli(['receive', 'foo bar baz']);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe('refunds: "foo bar baz" cannot be a waybill number: it has 0 digit(s), and a waybill number is mostly digits (e.g. SF1234567890123)\n');
    const letters = cli(['receive', 'HELLOWORLD123456']);
    expect(letters.code).toBe(1);
    expect(letters.stderr).toBe('refunds: "HELLOWORLD123456" cannot be a waybill number: 10 letters, and a waybill has at most a short carrier prefix (e.g. JDVA12345678901)\n');
    const piped = cli(['receive', '--json'], 'foo bar baz\nSF 1234-5678-90123\nAB12\n');
    expect(piped.code).toBe(0);
    const out = JSON.parse(piped.stdout);
    expect(out.scans.map((s: any) => s.waybillKey)).toEqual(['SF1234567890123']);
    expect(out.rejected.map((x: any) => [x.line, x.input])).toEqual([
      [1, 'foo bar baz'],
      [3, 'AB12'],
    ]);
    expect(out.rejected[1].message).toBe('"AB12" is not a waybill number (5 to 40 letters and digits; spaces and dashes are ignored)');
    expect(receiptRows(db).map((x) => x.waybill_key)).toEqual(['SF1234567890123']);
  });
});

describe('refunds returns', () => {
  it('on an empty database says so; a missing one is refused and not created', async () => {
    const dir = tmpDir('refunds-receive-');
    const db = path.join(dir, 'empty.sqlite');
    await (await openSqlitePorts(db)).close();
    const r = runCli(['--db', db, '--now', NOW, 'returns']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No returned parcels registered yet. Scan them with "refunds receive" or import the warehouse log.\n');
    const missing = path.join(dir, 'none.sqlite');
    expect(runCli(['--db', missing, '--now', NOW, 'returns']).code).toBe(1);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('lists orange refunds with no waybill and those whose parcel has not arrived, most urgent first', () => {
    const { cli } = setup();
    cli(['receive', 'SF1234567890123']);
    const out = JSON.parse(cli(['returns', '--json']).stdout);
    expect(out.asOf).toBe('2025-04-21T09:00:00+08:00');
    expect(out.noWaybill.map((c: any) => [c.refundId, c.receiptState, c.nextStep, c.deadline, c.deadlineSource])).toEqual([
      ['2025041800000000003', 'no-waybill', 'ask-waybill', '2025-04-28T09:30:00+08:00', 'rule'],
    ]);
    expect(out.notReceived.map((c: any) => [c.refundId, c.nextStep, c.deadline])).toEqual([
      ['2025041800000000011', 'check-waybill', '2025-04-25T10:00:00+08:00'],
      ['2025041800000000012', 'check-waybill', '2025-04-25T10:00:00+08:00'],
      ['2025041800000000021', 'check-waybill', '2025-04-25T10:00:00+08:00'],
      ['2025041800000000022', 'check-waybill', '2025-04-25T10:00:00+08:00'],
      ['2025041800000000002', 'check-waybill', '2025-04-27T09:30:00+08:00'],
    ]);
    const human = cli(['returns']).stdout;
    expect(human).toContain('Orange refunds without a return waybill (1): ask the buyer for it');
    expect(human).toContain('2025041800000000003  小绿  ¥30.00  —  7d 0h left (rule taobao.wait-seller-confirm-goods.express: 2025-04-28 09:30; then the platform refunds automatically)');
  });
});

// The fixtures are tracked in the repository: a missing one fails these tests, it does not skip them.
describe('returns desk on the fixtures (fixtures/README.md §6)', () => {
  it('matches the warehouse log to the refunds exactly as documented; the 2024 export matches the 京东 parcel', () => {
    const dir = tmpDir('refunds-receive-');
    const db = path.join(dir, 'f.sqlite');
    const cli = (args: string[]) => runCli(['--db', db, '--now', NOW, ...args]);
    const imp = cli(['import', '--json', fixture('taobao-refunds-2017-gbk.csv'), fixture('douyin-aftersales.csv'), fixture('warehouse-returns.csv')]);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout).files[2]).toMatchObject({ kind: 'warehouse-returns', inserted: 5, rejected: 0 });

    const view = (out: any) =>
      Object.fromEntries(
        out.receipts.map((r: any) => [
          r.waybillKey,
          [r.receivedAt, r.condition, r.match, ...r.refunds.map((c: any) => `${c.refundId} ${c.status} ${c.receiptState} ${c.nextStep}`)],
        ]),
      );
    const first = JSON.parse(cli(['returns', '--json']).stdout);
    expect(view(first)).toEqual({
      SF1234567890123: ['2025-04-20T16:05:00+08:00', 'ok', 'matched', '15870011223344550404 WAIT_SELLER_CONFIRM_GOODS received-ok confirm-now'],
      YT2345678901234: ['2025-04-21T08:10:00+08:00', 'wrong-item', 'matched', '7360123456789012303 WAIT_SELLER_CONFIRM_GOODS wrong-item refuse-and-return'],
      JDVA12345678901: ['2025-04-20T11:30:00+08:00', 'damaged', 'unmatched'],
      '75312345678901': ['2025-04-21T07:45:00+08:00', 'empty', 'matched', '158700112233445506 WAIT_SELLER_CONFIRM_GOODS empty refuse-and-return'],
      YD4300999900001: ['2025-04-19T15:20:00+08:00', 'ok', 'unmatched'],
    });
    // Newest first.
    expect(first.receipts.map((r: any) => r.waybillKey)).toEqual(['YT2345678901234', '75312345678901', 'SF1234567890123', 'JDVA12345678901', 'YD4300999900001']);
    expect(first.counts).toEqual({ receipts: 5, unmatched: 2, ambiguous: 0, noWaybill: 0, notReceived: 1 });
    // R06 is overdue (export deadline 08:00), D3 has 3 h left.
    const r06 = first.receipts.find((r: any) => r.waybillKey === '75312345678901').refunds[0];
    expect([r06.deadline, r06.secondsLeft, r06.overdue, r06.orange]).toEqual(['2025-04-21T08:00:00+08:00', -3600, true, true]);
    // R05 (平邮, no export deadline) has not arrived: 30-day rule from 买家退货时间.
    expect(first.notReceived.map((c: any) => [c.refundId, c.returnWaybill, c.deadline, c.deadlineSource, c.deadlineRule])).toEqual([
      ['158700112233445505', '9712345678901', '2025-05-02T10:00:00+08:00', 'rule', 'taobao.wait-seller-confirm-goods.post'],
    ]);
    expect(JSON.parse(cli(['returns', '--unmatched', '--json']).stdout).receipts.map((r: any) => r.waybill)).toEqual([
      'jdva 1234 5678 901',
      'yd 4300 9999 0000 1',
    ]);

    // Re-importing the log changes nothing; the 2024 export brings N2's waybill (and finishes R04).
    expect(JSON.parse(cli(['import', '--json', fixture('warehouse-returns.csv')]).stdout).files[0]).toMatchObject({ inserted: 0, unchanged: 5 });
    expect(cli(['import', fixture('taobao-refunds-2024-utf8bom.csv')]).code).toBe(0);
    const second = view(JSON.parse(cli(['returns', '--json']).stdout));
    expect(second.JDVA12345678901).toEqual(['2025-04-20T11:30:00+08:00', 'damaged', 'matched', '158700112233445602 WAIT_SELLER_CONFIRM_GOODS damaged negotiate-partial']);
    expect(second.SF1234567890123).toEqual(['2025-04-20T16:05:00+08:00', 'ok', 'matched', '15870011223344550404 SUCCESS received-ok confirm-now']);
    expect(second.YD4300999900001).toEqual(['2025-04-19T15:20:00+08:00', 'ok', 'unmatched']);
  });

  it('scanning the fixtures\' orange waybills at the desk says what to do now', () => {
    const dir = tmpDir('refunds-receive-');
    const db = path.join(dir, 'f.sqlite');
    const cli = (args: string[], input = '') => runCli(['--db', db, '--now', NOW, ...args], { input });
    expect(cli(['import', fixture('taobao-refunds-2017-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
    const out = JSON.parse(cli(['receive', '--json'], 'sf 1234 5678 90123\n9712345678901\nyt2345678901234 错货\n').stdout);
    expect(out.scans.map((s: any) => s.refunds.map((c: any) => [c.refundId, c.orange, c.deadline, c.secondsLeft, c.nextStep]))).toEqual([
      [['15870011223344550404', true, '2025-04-21T18:30:00+08:00', 34200, 'confirm-now']],
      [['158700112233445505', true, '2025-05-02T10:00:00+08:00', 954000, 'confirm-now']],
      [['7360123456789012303', true, '2025-04-21T12:00:00+08:00', 10800, 'refuse-and-return']],
    ]);
  });
});
