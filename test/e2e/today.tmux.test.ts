// `refunds today` on a real terminal (tmux): colours appear because stdout is a TTY, the orange
// state is orange, Chinese columns line up, and NO_COLOR still turns colours off.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, NOW, ROOT, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { toolAvailable } from '../helpers/tools.js';

const SOCKET = `refunds-today-${process.pid}`;
const HAVE_TMUX = toolAvailable(spawnSync('tmux', ['-V']).status === 0, 'tmux');
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let db: string;
let seq = 0;

async function onTerminal(
  lang: string,
  extraEnv: string[] = [],
  size: { x: number; y: number } = { x: 200, y: 60 },
): Promise<{ plain: string; escaped: string; unjoined: string }> {
  const name = `today-${process.pid}-${++seq}`;
  const done = path.join(tmpDir(), 'done');
  const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${tmpDir()}`, 'TERM=xterm-256color', `LANG=${lang}`, 'TZ=America/New_York', ...extraEnv];
  const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(db)} --now ${q(NOW)} today; echo EXIT=$? > ${q(done)}; sleep 600`;
  tmux('new-session', '-d', '-x', String(size.x), '-y', String(size.y), '-s', name, cmd);
  const until = Date.now() + 45_000;
  while (!fs.existsSync(done) || !fs.readFileSync(done, 'utf8').includes('EXIT=')) {
    if (Date.now() > until) throw new Error('today did not finish');
    await sleep(100);
  }
  expect(fs.readFileSync(done, 'utf8').trim()).toBe('EXIT=0');
  const plain = tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-');
  const escaped = tmux('capture-pane', '-p', '-e', '-J', '-t', name, '-S', '-');
  // Without -J a line the terminal wrapped comes back as two.
  const unjoined = tmux('capture-pane', '-p', '-t', name, '-S', '-');
  tmux('kill-session', '-t', name);
  return { plain, escaped, unjoined };
}

describe.skipIf(!HAVE_TMUX)('refunds today on a real terminal', () => {
  beforeAll(() => {
    db = path.join(tmpDir(), 'demo.sqlite');
    expect(runCli(['--db', db, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
    tmux('new-session', '-d', '-s', `keeper-${process.pid}`, 'sleep 3600');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      /* gone */
    }
  });

  it.each([
    ['en_US.UTF-8', '16 open · 2 overdue · 6 due within 24h · 4 orange · 3 waiting on buyer'],
    ['zh_CN.UTF-8', '进行中 16 · 已超时 2 · 24小时内到期 6 · 橙色 4 · 等待买家 3'],
  ])('%s: colours on a TTY, orange in orange, columns aligned', async (lang, counts) => {
    const { plain, escaped } = await onTerminal(lang);
    expect(plain).toContain(counts);
    // Orange rows are drawn in orange (truecolor 255,140,0 or its 256-colour approximation).
    const orangeRow = escaped.split('\n').find((l) => l.includes('158700112233445505'))!;
    expect(orangeRow).toMatch(/\u001b\[38;(2;255;140;0|5;208)m/);
    // Overdue rows in red.
    expect(escaped.split('\n').find((l) => l.includes('158700112233445506'))).toMatch(/\u001b\[31m/);
    // In every table the "time left" column ends at the same display column, Chinese or not.
    const rows = plain.split('\n').filter((l) => /^ +\d+ {2}\d{16,28} /.test(l));
    expect(rows.length).toBe(16);
    const leftEnds = new Set<number>();
    for (const section of plain.split('\n\n')) {
      const sectionRows = section.split('\n').filter((l) => /^ +\d+ {2}\d{16,28} /.test(l));
      if (sectionRows.length < 2) continue;
      const ends = sectionRows.map((l) => {
        const m = /(overdue \d+h \d+m|\d+d \d+h|\d+h \d+m|剩 \S+|已超时 \S+)/.exec(l)!;
        return stringWidth(l.slice(0, m.index + m[0].length));
      });
      expect(new Set(ends).size, section).toBe(1);
      leftEnds.add(ends[0]!);
    }
    expect(leftEnds.size).toBeGreaterThan(0);
  });

  it('NO_COLOR turns colours off even on a TTY', async () => {
    const { escaped } = await onTerminal('en_US.UTF-8', ['NO_COLOR=1']);
    expect(escaped).not.toMatch(/\u001b\[(3\d|38;)/);
  });

  it.each([
    ['en_US.UTF-8', 'Order ID', 'Buyer', 'act now, check backend'],
    ['zh_CN.UTF-8', '订单编号', '买家', '立即处理：查看后台'],
  ])('%s at 80×24: no row wraps; order ID and buyer make way, the next step is shortened', async (lang, order, buyer, next) => {
    const { plain, unjoined } = await onTerminal(lang, [], { x: 80, y: 24 });
    const lines = plain.replace(/\n+$/, '').split('\n');
    // Nothing wrapped: the joined and the raw capture have the same lines, none wider than 80.
    expect(unjoined.replace(/\n+$/, '').split('\n')).toEqual(lines);
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    const rows = lines.filter((l) => /^ +\d+ {2}\d{16,28} /.test(l));
    expect(rows.map((l) => Number(/^ +(\d+)/.exec(l)![1]))).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(plain).not.toContain(order);
    expect(plain).not.toMatch(new RegExp(`  ${buyer}  `));
    expect(plain).not.toContain('6928123456789012361');
    expect(plain).not.toContain(next);
    // Row 1 still says who it is, how much, and how long is left.
    expect(rows[0]).toMatch(lang.startsWith('zh') ? /^ {2}1 {2}7360123456789012307 +¥1,580\.00 +待同意 +已超时 2小时30分 +立即处理/ : /^ {2}1 {2}7360123456789012307 +¥1,580\.00 +to agree +overdue 2h 30m +act now…$/);
  });

  it('wide (200 columns): every column in full', async () => {
    const { plain, unjoined } = await onTerminal('en_US.UTF-8');
    expect(unjoined.replace(/\n+$/, '').split('\n')).toEqual(plain.replace(/\n+$/, '').split('\n'));
    expect(plain).toMatch(/^ {2}1 {2}7360123456789012307 +6928123456789012361 +抖音用户1001 +¥1,580\.00 +to agree +overdue 2h 30m +act now, check backend$/m);
    expect(plain).toContain('Details: refunds show N · Decide: refunds triage --from N (N = the row number)');
  });

  it('triage --from 3 starts with row 3 of the today just printed', async () => {
    const local = path.join(tmpDir(), 'from.sqlite');
    expect(runCli(['--db', local, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv'), fixture('douyin-aftersales.csv')]).code).toBe(0);
    const list = runCli(['--db', local, '--now', NOW, 'today']).stdout;
    const row3 = /^ {2}3 {2}(\d+) /m.exec(list)![1]!;
    expect(row3).toBe('7360123456789012303');
    const name = `from-${process.pid}`;
    const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${tmpDir()}`, 'TERM=xterm-256color', 'LANG=en_US.UTF-8'];
    const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(local)} --now ${q(NOW)} triage --agent li.na --from 3; sleep 600`;
    tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, cmd);
    const until = Date.now() + 30_000;
    let screen = '';
    while (!screen.includes(row3)) {
      if (Date.now() > until) throw new Error(`no card for ${row3}:\n${screen}`);
      await sleep(100);
      screen = tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-');
    }
    // The first card is row 3's, not the queue's head (7360123456789012307, overdue).
    expect(screen).not.toContain('7360123456789012307');
    tmux('kill-session', '-t', name);
  });
});
