// The returns desk on an 80×24 terminal (tmux): every line the desk prints is wrapped at word
// boundaries to the terminal, so no amount, date or waybill is cut in two by the terminal.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, tmpDir } from '../helpers/cli.js';
import { toolAvailable } from '../helpers/tools.js';

const SOCKET = `refunds-desk-${process.pid}`;
const HAVE_TMUX = toolAvailable(spawnSync('tmux', ['-V']).status === 0, 'tmux');
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NOW = '2025-06-10T10:00:00+08:00';
const REFUNDS = `退款编号,订单编号,退款状态,售后类型,买家退款原因,买家退款金额,买家实际支付金额,宝贝标题,买家会员名称,退款的申请时间,超时时间,是否需要退货,货物状态,退货物流单号,退货物流公司,买家退货时间,客服介入状态
3100000000000000005,4200000000000000010,买家已经退货，等待卖家确认收货,退货退款,七天无理由退货,88.00,88.00,亚麻床单,tb_一次,2025-06-05 12:00:00,2025-06-15 12:00:00,是,买家已退货,YT9876543210123,圆通速递,2025-06-06 09:00:00,不需客服介入
`;
let dir = '';
let seq = 0;

async function desk(lang: string, scans: string[]): Promise<string> {
  const db = path.join(dir, `desk-${++seq}.sqlite`);
  expect(runCli(['--db', db, '--now', NOW, 'import', path.join(dir, 'refunds.csv')]).code).toBe(0);
  const name = `desk-${process.pid}-${seq}`;
  const done = path.join(tmpDir(), 'done');
  const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${tmpDir()}`, 'TERM=xterm-256color', `LANG=${lang}`];
  const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(db)} --now ${q(NOW)} receive --quick; echo EXIT=$? > ${q(done)}; sleep 600`;
  tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, cmd);
  const screen = () => tmux('capture-pane', '-p', '-t', name, '-S', '-');
  const waitFor = async (pred: (s: string) => boolean) => {
    const until = Date.now() + 30_000;
    while (!pred(screen())) {
      if (Date.now() > until) throw new Error(`desk stuck:\n${screen()}`);
      await sleep(100);
    }
  };
  const prompt = lang.startsWith('zh') ? '扫描>' : 'scan>';
  let prompts = 1;
  await waitFor((s) => s.split(prompt).length - 1 >= prompts);
  for (const scan of scans) {
    tmux('send-keys', '-t', name, '-l', scan);
    tmux('send-keys', '-t', name, 'Enter');
    prompts++;
    await waitFor((s) => s.split(prompt).length - 1 >= prompts);
  }
  tmux('send-keys', '-t', name, 'q', 'Enter');
  const until = Date.now() + 30_000;
  while (!fs.existsSync(done) || !fs.readFileSync(done, 'utf8').includes('EXIT=')) {
    if (Date.now() > until) throw new Error('receive did not finish');
    await sleep(100);
  }
  expect(fs.readFileSync(done, 'utf8').trim()).toBe('EXIT=0');
  // Without -J, a line the terminal wrapped comes back as two: what the desk saw.
  const out = screen();
  tmux('kill-session', '-t', name);
  return out;
}

describe.skipIf(!HAVE_TMUX)('refunds receive on an 80×24 terminal', () => {
  beforeAll(() => {
    dir = tmpDir('refunds-desk-');
    fs.writeFileSync(path.join(dir, 'refunds.csv'), REFUNDS);
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
    ['en_US.UTF-8', ['  Refund 3100000000000000005 · order 4200000000000000010 · buyer tb_一次 ·', '    ¥88.00', '    2025-06-15 12:00; then the platform refunds automatically)', '  ! No matching refund: parcel kept as 无主件. It is matched as soon as a refund', '"ab" is not a waybill number (5 to 40 letters and digits; spaces and dashes are']],
    ['zh_CN.UTF-8', ['  退款 3100000000000000005 · 订单 4200000000000000010 · 买家 tb_一次 · ¥88.00', '    12:00；到期平台自动退款）', '"ab" 不是运单号（5 到 40 位字母和数字']],
  ])('%s: lines wrapped at word boundaries, continuations indented, nothing cut mid-word', async (lang, expected) => {
    const screen = await desk(lang, ['YT9876543210123', 'SF2222333344445', 'ab']);
    const lines = screen.split('\n');
    for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(80);
    for (const e of expected) expect(lines.some((l) => l.startsWith(e)), `${e}\n${screen}`).toBe(true);
    // No line starts with the tail of a cut word, number or time.
    for (const l of lines) expect(l, screen).not.toMatch(/^(nds\.|0$|-06-15|efunds)/);
  });
});
