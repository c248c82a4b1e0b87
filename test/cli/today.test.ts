// `refunds today` and `refunds show` on the demo fixtures at 2025-04-21 09:00 +08:00.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { openStore } from '../../src/store/store.js';

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

  it('an empty database says what to do', () => {
    const empty = path.join(tmpDir(), 'empty.sqlite');
    openStore(empty).close(); // a missing database is refused instead (no-silent-damage.test.ts › 5)
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
    const onScreen = (text: string) => text.split('\n').map((l) => /^ {2}(\d{16,28}) /.exec(l)?.[1]).filter(Boolean);
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
