// `refunds today` and `refunds show` on the demo fixtures at 2025-04-21 09:00 +08:00.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { openSqlitePorts } from '../../src/store/sqlite/index.js';

const expected = JSON.parse(fs.readFileSync(fixture('expected.json'), 'utf8'));
const demo = expected.scenarios.find((s: any) => s.name.startsWith('demo'));
let db: string;

beforeAll(() => {
  db = path.join(tmpDir(), 'demo.sqlite');
  const r = runCli(['--db', db, '--now', NOW, 'import', ...demo.files.map((f: string) => fixture(f))]);
  expect(r.code).toBe(0);
});

const today = (...args: string[]) => runCli(['--db', db, '--now', NOW, 'today', ...args]);

describe('refunds today --json', () => {
  it('has the contract shape, counts and every open refund with exact values', () => {
    const r = today('--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.asOf).toBe('2025-04-21T09:00:00+08:00');
    expect(j.counts).toMatchObject({ open: 16, overdue: 2, dueSoon: 6, orange: 4 });
    expect(j.refunds).toHaveLength(16);
    for (const want of demo.refunds) {
      const got = j.refunds.find((x: any) => x.refundId === want.refundId);
      expect(got, want.refundId).toBeDefined();
      expect(got).toMatchObject({
        platform: want.platform,
        status: want.status,
        deadline: want.deadline,
        deadlineSource: want.deadlineSource,
        secondsLeft: want.secondsLeft,
        overdue: want.overdue,
        orange: want.orange,
        sellerMustAct: want.sellerMustAct,
      });
      expect(typeof got.orderId).toBe('string');
      expect(Number.isInteger(got.amountCents)).toBe(true);
    }
    // counts re-derive from the rows
    expect(j.refunds.filter((x: any) => x.overdue).length).toBe(j.counts.overdue);
    expect(j.refunds.filter((x: any) => x.orange).length).toBe(j.counts.orange);
  });

  it('orders most urgent first: overdue, due soon, orange, seller, buyer', () => {
    const ids = JSON.parse(today('--json').stdout).refunds.map((x: any) => x.refundId);
    expect(ids).toEqual([
      // overdue, most overdue first
      '7360123456789012307', '158700112233445506',
      // due within 24 h with the seller to act, least time left first
      '7360123456789012303', '158700112233445502', '15870011223344550404', '1587001122334455001', '7360123456789012301',
      // orange with time to spare
      '158700112233445505',
      // other cases waiting on the seller
      '158700112233445507', '158700112233445513', '7360123456789012306', '158700112233445510', '158700112233445511',
      // waiting on the buyer (quiet, even when due soon)
      '158700112233445514', '1587001122334455', '7360123456789012302',
    ]);
  });

  it('rule-based deadlines say so', () => {
    const j = JSON.parse(today('--json').stdout);
    const r13 = j.refunds.find((x: any) => x.refundId === '158700112233445513');
    expect(r13).toMatchObject({ deadline: '2025-04-22T15:40:00+08:00', deadlineSource: 'rule', deadlineRule: 'taobao.wait-seller-agree.unshipped', atTimeout: 'auto_refund', secondsLeft: 110400 });
  });

  it('filters: --state orange, --platform, --due-within, --at', () => {
    const orange = JSON.parse(today('--json', '--state', 'orange').stdout);
    expect(orange.refunds.map((x: any) => x.refundId).sort()).toEqual([...demo.orange].sort());
    const dy = JSON.parse(today('--json', '--platform', 'douyin').stdout);
    expect(dy.refunds.every((x: any) => x.platform === 'douyin')).toBe(true);
    expect(dy.counts.open).toBe(5);
    const six = JSON.parse(today('--json', '--due-within', '6h').stdout);
    expect(six.refunds.map((x: any) => x.refundId)).toEqual(['7360123456789012307', '158700112233445506', '7360123456789012303']);
    const atSix = JSON.parse(today('--json', '--at', '18:00').stdout);
    expect(atSix.asOf).toBe('2025-04-21T18:00:00+08:00');
    expect(atSix.refunds.filter((x: any) => x.overdue).map((x: any) => x.refundId)).toEqual([
      '7360123456789012307', '158700112233445506', '7360123456789012303', '158700112233445502',
    ]);
  });

  it('bad filters are usage errors', () => {
    expect(today('--state', 'happy').code).toBe(2);
    expect(today('--platform', 'amazon').code).toBe(2);
    expect(today('--due-within', 'soon').code).toBe(2);
    expect(today('--at', '25:99').code).toBe(2);
  });
});

describe('refunds today on screen', () => {
  it('piped: no colour, aligned sections, exact time left', () => {
    const r = today();
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('16 open · 2 overdue · 6 due within 24h · 4 orange · 3 waiting on buyer');
    expect(r.stdout).toMatch(/7360123456789012307 +6928123456789012361 +抖音用户1001 +¥1,580\.00 +to agree +overdue 2h 30m +act now, check backend/);
    expect(r.stdout).toMatch(/158700112233445505 .* 11d 1h +not received: check waybill/);
    expect(r.stdout.indexOf('OVERDUE')).toBeLessThan(r.stdout.indexOf('Due within 24h'));
  });

  it('in Chinese', () => {
    const r = today('--lang', 'zh');
    expect(r.stdout).toContain('进行中 16 · 已超时 2 · 24小时内到期 6 · 橙色 4 · 等待买家 3');
    expect(r.stdout).toContain('买家已经退货，等待卖家确认收货');
    expect(r.stdout).toMatch(/158700112233445506 .* 已超时 1小时0分/);
  });

  it('colour only when forced on a pipe, never with NO_COLOR', () => {
    expect(runCli(['--db', db, '--now', NOW, 'today'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(runCli(['--db', db, '--now', NOW, 'today'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).not.toContain('\u001b');
    expect(runCli(['--db', db, '--now', NOW, '--no-color', 'today'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b');
  });

  it('cuts long sections with "and N more" unless --all', () => {
    const cfg = path.join(tmpDir(), 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ todayRowsPerSection: 2 }));
    const r = runCli(['--db', db, '--now', NOW, 'today'], { env: { REFUNDS_CONFIG: cfg } });
    expect(r.stdout).toContain('… and 3 more (refunds today --all)');
    const all = runCli(['--db', db, '--now', NOW, 'today', '--all'], { env: { REFUNDS_CONFIG: cfg } });
    expect(all.stdout).not.toContain('more (refunds today --all)');
  });

  it('a machine in another time zone sees the same thing', () => {
    const a = runCli(['--db', db, '--now', NOW, 'today', '--json'], { env: { TZ: 'America/New_York' } });
    const b = runCli(['--db', db, '--now', NOW, 'today', '--json'], { env: { TZ: 'Asia/Shanghai' } });
    expect(a.stdout).toBe(b.stdout);
    const c = runCli(['--db', db, '--now', '2025-04-21 09:00', 'today', '--json'], { env: { TZ: 'America/New_York' } });
    expect(c.stdout).toBe(b.stdout);
  });

  it('an empty database says what to do', async () => {
    const empty = path.join(tmpDir(), 'empty.sqlite');
    await (await openSqlitePorts(empty)).close(); // a missing database is refused instead (no-silent-damage.test.ts › 5)
    const r = runCli(['--db', empty, 'today']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No open refunds. Import today's exports first");
  });
});

describe('refunds show', () => {
  it('--json has refund, order, history, decisions, warehouse', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', '158700112233445505', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.refund).toMatchObject({
      refundId: '158700112233445505',
      orderId: '4155667788990011223',
      status: 'WAIT_SELLER_CONFIRM_GOODS',
      amountCents: 5990,
      deadline: '2025-05-02T10:00:00+08:00',
      deadlineSource: 'rule',
      secondsLeft: 954000,
      orange: true,
    });
    expect(j.refund.deadlineExplained).toMatchObject({
      rule: { id: 'taobao.wait-seller-confirm-goods.post', window: { days: 30 } },
      anchorField: 'returnedAt',
      anchorAt: '2025-04-02T10:00:00+08:00',
      atTimeout: 'auto_refund',
      waitingOn: 'seller',
    });
    expect(j.order).toMatchObject({ orderId: '4155667788990011223', shipped: true });
    expect(j.history).toEqual([{ status: 'WAIT_SELLER_CONFIRM_GOODS', statusText: '买家已经退货,等待卖家确认收货', seenAt: '2025-04-21T09:00:00+08:00' }]);
    expect(j.decisions).toEqual([]);
    expect(j.warehouse).toBeNull();
  });

  it('explains the deadline on screen, masks the phone', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', '158700112233445505']);
    expect(r.stdout).toContain('11d 1h (deadline 2025-05-02 10:00 − now 2025-04-21 09:00)');
    expect(r.stdout).toContain('computed: returned 2025-04-02 10:00 + 30d (rule taobao.wait-seller-confirm-goods.post, commonly-cited)');
    expect(r.stdout).toContain('platform refunds automatically');
    expect(r.stdout).toContain('135****5555');
    expect(r.stdout).not.toContain('13512345555');
  });

  it('finds a refund by its order ID', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', '4155667788990011223', '--json']);
    expect(JSON.parse(r.stdout).refund.refundId).toBe('158700112233445505');
  });

  it('an unknown ID exits 1 and suggests close matches', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', '15870011223344559']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no refund with ID 15870011223344559');
    expect(r.stderr).toContain('Did you mean: 1587001122334455, 158700112233445509, 158700112233445502?');
  });

  it('never lets buyer text act on the terminal', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', '158700112233445511'], { env: { FORCE_COLOR: '0' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('RED');
  });
});

describe('stored deadlines', () => {
  it('a rule change in the config is picked up by the next today, and text and JSON agree', () => {
    const local = path.join(tmpDir(), 'rules.sqlite');
    runCli(['--db', local, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv')]);
    const before = JSON.parse(runCli(['--db', local, '--now', NOW, 'today', '--json']).stdout);
    expect(before.refunds.find((x: any) => x.refundId === '158700112233445513').deadline).toBe('2025-04-22T15:40:00+08:00');
    const cfg = path.join(tmpDir(), 'config.json');
    fs.writeFileSync(
      cfg,
      JSON.stringify({
        rules: {
          taobao: [
            {
              // Without the order export R13's shipping is unknown: the fallback rule applies.
              id: 'taobao.wait-seller-agree.fallback',
              when: { status: 'WAIT_SELLER_AGREE' },
              anchor: 'appliedAt',
              window: { hours: 24 },
              actor: 'seller',
              atTimeout: 'auto_refund',
              source: 'shop test: 24h',
              confidence: 'unconfirmed',
            },
          ],
        },
      }),
    );
    const after = JSON.parse(runCli(['--db', local, '--now', NOW, 'today', '--json'], { env: { REFUNDS_CONFIG: cfg } }).stdout);
    const r13 = after.refunds.find((x: any) => x.refundId === '158700112233445513');
    expect(r13).toMatchObject({ deadline: '2025-04-21T15:40:00+08:00', deadlineSource: 'rule', secondsLeft: 24000, dueSoon: true });
    const text = runCli(['--db', local, '--now', NOW, 'today', '--all'], { env: { REFUNDS_CONFIG: cfg } }).stdout;
    expect(text).toContain(`${after.counts.open} open · ${after.counts.overdue} overdue · ${after.counts.dueSoon} due within 24h`);
    expect(text).toMatch(/158700112233445513 .* 6h 40m/);
  });
});

describe('the returns desk feeds the sweep', () => {
  it('scanning the orange cases\' waybills turns them into "confirm now" / "refuse" in today', () => {
    const local = path.join(tmpDir(), 'desk.sqlite');
    runCli(['--db', local, '--now', NOW, 'import', ...demo.files.map((f: string) => fixture(f))]);
    const next = () => {
      const j = JSON.parse(runCli(['--db', local, '--now', '2025-04-21T09:30:00+08:00', 'today', '--json']).stdout);
      return Object.fromEntries(j.refunds.filter((x: any) => x.orange).map((x: any) => [x.refundId, [x.nextStep, x.warehouse]]));
    };
    expect(next()).toMatchObject({
      '15870011223344550404': ['check-waybill', null],
      '158700112233445505': ['check-waybill', null],
    });
    // R04's parcel (SF) arrives fine; R05's (平邮 9712345678901) arrives with the wrong item.
    expect(runCli(['--db', local, '--now', '2025-04-21T09:10:00+08:00', 'receive', 'sf 1234 5678 90123']).code).toBe(0);
    expect(runCli(['--db', local, '--now', '2025-04-21T09:20:00+08:00', 'receive', '9712345678901', '--condition', 'wrong-item']).code).toBe(0);
    expect(next()).toMatchObject({
      '15870011223344550404': ['confirm-now', { receivedAt: '2025-04-21T09:10:00+08:00', condition: 'ok' }],
      '158700112233445505': ['refuse-and-return', { receivedAt: '2025-04-21T09:20:00+08:00', condition: 'wrong-item' }],
    });
    const text = runCli(['--db', local, '--now', '2025-04-21T09:30:00+08:00', 'today']).stdout;
    expect(text).toMatch(/15870011223344550404 .* received OK: confirm now/);
    expect(text).toMatch(/158700112233445505 .* wrong item: refuse, send back/);
  });
});

describe('screen and JSON rank alike', () => {
  it('today --all lists the refunds in exactly the JSON order, and the cut list keeps each section\'s head', () => {
    const ids = JSON.parse(today('--json').stdout).refunds.map((x: any) => x.refundId);
    const onScreen = (text: string) => text.split('\n').map((l) => /^ +\d+ {2}(\d{16,28}) /.exec(l)?.[1]).filter(Boolean);
    expect(onScreen(today('--all').stdout)).toEqual(ids);
    const cfg = path.join(tmpDir(), 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ todayRowsPerSection: 1 }));
    const cut = onScreen(runCli(['--db', db, '--now', NOW, 'today'], { env: { REFUNDS_CONFIG: cfg } }).stdout);
    const sections = JSON.parse(today('--json').stdout).refunds.reduce((m: Map<string, string>, x: any) => (m.has(x.section) ? m : m.set(x.section, x.refundId)), new Map());
    expect(cut).toEqual([...sections.values()]);
  });
});

describe('refunds today --json to a slow reader', () => {
  it('a reader that pauses gets the whole document, the same as a file gets', async () => {
    const { spawn } = await import('node:child_process');
    const { bigRefundExport } = await import('../helpers/bigfile.js');
    const { BIN } = await import('../helpers/cli.js');
    const big = path.join(tmpDir(), 'big.sqlite');
    // 4,000 open refunds: about 3.5 MB of JSON, far more than a socket buffer holds.
    expect(runCli(['--db', big, '--now', NOW, 'import', bigRefundExport(tmpDir(), 4000)]).code).toBe(0);
    const toFile = runCli(['--db', big, '--now', NOW, 'today', '--json']);
    expect(toFile.code).toBe(0);
    expect(JSON.parse(toFile.stdout).refunds).toHaveLength(4000);
    // stdio 'pipe' is a socket: writes do not block, so without waiting for 'drain' the whole
    // document would queue in the child's memory. Read slowly: pause after every chunk.
    const child = spawn(process.execPath, [BIN, '--db', big, '--now', NOW, 'today', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC', LANG: 'en_US.UTF-8' } });
    const chunks: Buffer[] = [];
    let pauses = 0;
    child.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      child.stdout.pause();
      pauses++;
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(pauses).toBeGreaterThan(10);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(toFile.stdout);
  });
});

describe('row numbers of the last today', () => {
  /** A private copy of the demo database, so decisions and imports here touch no other test. */
  function demoCopy(): string {
    const local = path.join(tmpDir(), 'rows.sqlite');
    expect(runCli(['--db', local, '--now', NOW, 'import', ...demo.files.map((f: string) => fixture(f))]).code).toBe(0);
    return local;
  }
  const rowOf = (text: string, id: string) => new RegExp(`^ +(\\d+)  ${id} `, 'm').exec(text)?.[1];

  it('numbers the rows 1, 2, 3 … down the sections; show N and decide N mean those rows', () => {
    const local = demoCopy();
    const shown = runCli(['--db', local, '--now', NOW, 'today']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}1 {2}7360123456789012307 /m);
    expect(shown.stdout).toMatch(/^ {2}2 {2}158700112233445506 /m);
    expect(shown.stdout).toMatch(/^ {2}8 {2}158700112233445505 /m);
    expect(shown.stdout).toMatch(/^ {2}16 {2}7360123456789012302 /m);
    expect(shown.stdout).toContain('Details: refunds show N · Decide: refunds triage --from N (N = the row number)');
    const card = runCli(['--db', local, '--now', '2025-04-21T09:05:00+08:00', 'show', '8', '--json']);
    expect(card.code).toBe(0);
    expect(JSON.parse(card.stdout).refund.refundId).toBe('158700112233445505');
    const d = runCli(['--db', local, '--now', '2025-04-21T09:06:00+08:00', 'decide', '6', '--action', 'approve', '--agent', 'li.na', '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ refundId: '1587001122334455001', action: 'approve', agent: 'li.na' });
    // A number past the end of the list.
    const past = runCli(['--db', local, '--now', NOW, 'show', '17']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('The last today list (printed at 2025-04-21 09:00) has rows 1–16; there is no row 17.');
  });

  it('a filtered today numbers only what it printed', () => {
    const local = demoCopy();
    const text = runCli(['--db', local, '--now', NOW, 'today', '--state', 'orange']).stdout;
    expect(rowOf(text, '158700112233445505')).toBe('4');
    expect(JSON.parse(runCli(['--db', local, '--now', NOW, 'show', '4', '--json']).stdout).refund.refundId).toBe('158700112233445505');
  });

  it('refuses numbers when no today was printed, after a newer import, and after 12 hours', () => {
    const local = demoCopy();
    const none = runCli(['--db', local, '--now', NOW, 'show', '3']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('"3" looks like a row number, but no `refunds today` list was printed for');
    expect(none.stderr).toContain('Run refunds today and use its row numbers, or type the refund ID.');
    expect(runCli(['--db', local, '--now', NOW, 'today']).code).toBe(0);
    const old = runCli(['--db', local, '--now', '2025-04-21T21:01:00+08:00', 'show', '3']);
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('Row 3 is from the today list printed at 2025-04-21 09:00, more than 12 hours ago.');
    expect(old.stderr).toContain('Run refunds today again and use its numbers, or type the refund ID.');
    expect(runCli(['--db', local, '--now', '2025-04-21T20:59:00+08:00', 'show', '3', '--json']).code).toBe(0);
    expect(runCli(['--db', local, '--now', '2025-04-21T09:30:00+08:00', 'import', fixture('douyin-aftersales.csv')]).code).toBe(0);
    const stale = runCli(['--db', local, '--now', '2025-04-21T09:31:00+08:00', 'decide', '3', '--action', 'approve']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Row 3 is from the today list printed at 2025-04-21 09:00; an import came after it');
    expect(JSON.parse(runCli(['--db', local, '--now', NOW, 'decisions', '--json']).stdout).decisions).toEqual([]);
    // In Chinese too.
    const zh = runCli(['--db', local, '--now', '2025-04-21T09:31:00+08:00', '--lang', 'zh', 'show', '3']);
    expect(zh.stderr).toContain('第 3 行来自 2025-04-21 09:00 打印的 today 列表；之后又导入了数据');
  });

  it('show takes a return waybill, written any way the scanner or the buyer writes it', () => {
    const r = runCli(['--db', db, '--now', NOW, 'show', 'yt-2345 678901234', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).refund.refundId).toBe('7360123456789012303');
    const unknown = runCli(['--db', db, '--now', NOW, 'show', 'YT0000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no refund with ID YT0000000000000');
  });
});

describe('a decided case shows until the next import says otherwise', () => {
  it('today marks it "carry out in the backend", --json has the decision, the summary lists it as carry out', () => {
    const local = path.join(tmpDir(), 'decided.sqlite');
    expect(runCli(['--db', local, '--now', NOW, 'import', ...demo.files.map((f: string) => fixture(f))]).code).toBe(0);
    const before = JSON.parse(runCli(['--db', local, '--now', NOW, 'today', '--json']).stdout);
    expect(before.refunds.every((x: any) => x.decision === null)).toBe(true);
    expect(runCli(['--db', local, '--now', '2025-04-21T09:12:00+08:00', 'decide', '7360123456789012303', '--action', 'approve', '--agent', 'li.na']).code).toBe(0);

    const at = ['--db', local, '--now', '2025-04-21T09:20:00+08:00'];
    const j = JSON.parse(runCli([...at, 'today', '--json']).stdout);
    const r03 = j.refunds.find((x: any) => x.refundId === '7360123456789012303');
    expect(r03.decision).toEqual({ action: 'approve', agent: 'li.na', decidedAt: '2025-04-21T09:12:00+08:00', carriedOut: false });
    expect(r03.nextStep).toBe('carry-out');
    expect(j.refunds.filter((x: any) => x.decision !== null).map((x: any) => x.refundId)).toEqual(['7360123456789012303']);

    const text = runCli([...at, 'today']).stdout;
    expect(text).toMatch(/^ {2}3 {2}7360123456789012303 .* carry out: 同意退款$/m);
    expect(text).toContain('\n       ↳ decided by li.na 09:12 → carry out in the backend: 同意退款\n');
    const zh = runCli([...at, '--lang', 'zh', 'today']).stdout;
    expect(zh).toContain('\n       ↳ li.na 09:12 已决定 → 请到后台执行：同意退款\n');

    // The case card names the action in the agent's language.
    expect(runCli([...at, '--lang', 'zh', 'show', '7360123456789012303']).stdout).toContain('2025-04-21 09:12  同意退款，li.na · ¥256.00');
    expect(runCli([...at, 'show', '7360123456789012303']).stdout).toContain('2025-04-21 09:12  approve the refund by li.na · ¥256.00');

    const summary = runCli([...at, 'summary']).stdout;
    expect(summary).toContain('  3. carry out: 同意退款, li.na 09:12 — 7360123456789012303 · ¥256.00 · 2h 40m');
    expect(summary).not.toMatch(/act now, check backend — 7360123456789012303/);

    // The next export still shows the parcel waiting: the decision was not carried out.
    expect(runCli(['--db', local, '--now', '2025-04-21T10:00:00+08:00', 'import', fixture('douyin-aftersales.csv')]).code).toBe(0);
    const later = JSON.parse(runCli(['--db', local, '--now', '2025-04-21T10:05:00+08:00', 'today', '--json']).stdout);
    const again = later.refunds.find((x: any) => x.refundId === '7360123456789012303');
    expect(again).toMatchObject({ nextStep: 'decided-not-carried-out', decidedNotCarriedOut: true });
    expect(again.decision).toEqual({ action: 'approve', agent: 'li.na', decidedAt: '2025-04-21T09:12:00+08:00', carriedOut: false });
    expect(runCli(['--db', local, '--now', '2025-04-21T10:05:00+08:00', 'today']).stdout).not.toContain('carry out in the backend');
  });

  it('an export that shows the refund done ends the mark', () => {
    const local = path.join(tmpDir(), 'done.sqlite');
    expect(runCli(['--db', local, '--now', NOW, 'import', ...demo.files.map((f: string) => fixture(f))]).code).toBe(0);
    expect(runCli(['--db', local, '--now', '2025-04-21T09:12:00+08:00', 'decide', '7360123456789012301', '--action', 'approve', '--agent', 'li.na']).code).toBe(0);
    const csv = fs.readFileSync(fixture('douyin-aftersales.csv'), 'utf8').replace(/(7360123456789012301,.*?),待商家处理,/, '$1,同意退款，退款成功,');
    expect(csv).toContain('同意退款，退款成功');
    const file = path.join(tmpDir(), 'douyin-later.csv');
    fs.writeFileSync(file, csv);
    expect(runCli(['--db', local, '--now', '2025-04-21T11:00:00+08:00', 'import', file]).code).toBe(0);
    const j = JSON.parse(runCli(['--db', local, '--now', '2025-04-21T11:05:00+08:00', 'today', '--json']).stdout);
    expect(j.refunds.find((x: any) => x.refundId === '7360123456789012301')).toBeUndefined();
    expect(j.refunds.every((x: any) => x.decision === null)).toBe(true);
  });
});
