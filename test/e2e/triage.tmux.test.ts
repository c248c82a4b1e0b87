// The BUILT CLI in a real pseudo-terminal: tmux runs `refunds triage`, the test answers by
// keystroke (arrow keys, Enter, typing, Ctrl-C) and then reads the database.
// Private tmux server per test process (tmux -L), unique session names, server killed in afterAll.
// Every wait polls capture-pane with a generous timeout (slow 2-core CI machines).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, NOW, ROOT, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { widthOf } from '../../src/ui/width.js';
import { toolAvailable } from '../helpers/tools.js';

const SOCKET = `refunds-test-${process.pid}`;
const HAVE_TMUX = toolAvailable(spawnSync('tmux', ['-V']).status === 0, 'tmux');
const WAIT_MS = 45_000;
const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];

const D7 = '7360123456789012307';
const D3 = '7360123456789012303';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

let seq = 0;
let home: string;
let socketPath = '';

interface Pane {
  name: string;
  /** Everything the pane printed (history included), wrapped lines joined. */
  history(): string;
  visible(): string;
  waitFor(pred: () => boolean, what: string): Promise<void>;
  /** Waits for the active prompt "? text", sends the keys, waits until it is answered ("✔ text"). */
  answer(text: string, send: () => void, ready?: () => boolean): Promise<void>;
  /** Moves the active select to the choice starting with `label` (arrow keys) and presses Enter. */
  choose(text: string, label: string): Promise<void>;
  typeLine(text: string, line: string): Promise<void>;
  keys(...k: string[]): void;
  exitCode(): Promise<number>;
  pid(): number;
}

function startTriage(db: string, args: string[], lang = 'en_US.UTF-8', size: { x: number; y: number } = { x: 160, y: 50 }): Pane {
  const name = `triage-${process.pid}-${++seq}`;
  const exitFile = path.join(home, `${name}.exit`);
  const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${home}`, 'TERM=xterm-256color', `LANG=${lang}`, 'TZ=UTC', 'NO_COLOR=1'];
  const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(db)} --now ${q(NOW)} triage ${args.map(q).join(' ')}; echo EXIT=$? > ${q(exitFile)}; sleep 600`;
  tmux('new-session', '-d', '-x', String(size.x), '-y', String(size.y), '-s', name, cmd);
  const capture = (all: boolean) => tmux('capture-pane', '-p', '-J', '-t', name, ...(all ? ['-S', '-'] : []));
  const doneCount = (text: string) => capture(true).split('\n').filter((l) => l.startsWith('✔') && l.includes(text)).length;
  const active = (text: string) => capture(false).split('\n').some((l) => l.startsWith('?') && l.includes(text));
  const pane: Pane = {
    name,
    history: () => capture(true),
    visible: () => capture(false),
    async waitFor(pred, what) {
      const until = Date.now() + WAIT_MS;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`tmux ${name}: timed out waiting for ${what}\n${capture(false)}`);
        await sleep(100);
      }
    },
    async answer(text, send, ready = () => true) {
      const before = doneCount(text);
      await pane.waitFor(() => active(text) && ready(), `prompt "${text}"`);
      send();
      await pane.waitFor(() => doneCount(text) > before, `answer to "${text}"`);
    },
    async choose(text, label) {
      await pane.answer(text, () => {
        const lines = capture(false).split('\n');
        const start = lines.findIndex((l) => l.startsWith('?') && l.includes(text));
        // Answers are drawn "❯ 1 label" / "  2 label".
        const choices = lines.slice(start + 1).filter((l) => /^(❯ | {2})\d+ /.test(l));
        const from = choices.findIndex((l) => l.startsWith('❯ '));
        const to = choices.findIndex((l) => l.slice(2).replace(/^\d+ /, '').startsWith(label));
        if (from < 0 || to < 0) throw new Error(`no choice "${label}" under "${text}":\n${lines.join('\n')}`);
        for (let i = from; i < to; i++) tmux('send-keys', '-t', name, 'Down');
        for (let i = from; i > to; i--) tmux('send-keys', '-t', name, 'Up');
        tmux('send-keys', '-t', name, 'Enter');
      }, () => capture(false).includes('⏎')); // the select is drawn completely (key help is its last line)
    },
    async typeLine(text, line) {
      await pane.answer(text, () => {
        if (line) tmux('send-keys', '-t', name, '-l', line);
        tmux('send-keys', '-t', name, 'Enter');
      });
    },
    keys: (...k) => void tmux('send-keys', '-t', name, ...k),
    async exitCode() {
      await pane.waitFor(() => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').includes('EXIT='), 'the command to exit');
      return Number(/EXIT=(\d+)/.exec(fs.readFileSync(exitFile, 'utf8'))![1]);
    },
    pid() {
      const shell = tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim();
      const child = spawnSync('pgrep', ['-P', shell, '-f', 'refunds.js'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      return Number(child);
    },
  };
  return pane;
}

function demoDb(): string {
  const db = path.join(tmpDir('refunds-tmux-'), 'demo.sqlite');
  const r = runCli(['--db', db, '--now', NOW, 'import', ...DEMO.map(fixture)]);
  expect(r.code).toBe(0);
  return db;
}

function query<T = Record<string, unknown>>(db: string, sql: string): T[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all() as T[];
  } finally {
    d.close();
  }
}

const killSession = (p: Pane) => {
  try {
    tmux('kill-session', '-t', p.name);
  } catch {
    /* already gone */
  }
};

describe.skipIf(!HAVE_TMUX)('refunds triage in a real terminal (tmux)', () => {
  beforeAll(() => {
    expect(fs.existsSync(path.join(ROOT, 'dist/cli/triage.js')), 'run npm run build first').toBe(true);
    home = tmpDir('refunds-tmux-home-');
    // A session that lives as long as the file: killing a test's last session must not stop the
    // server while the next test starts one (tmux: "server exited unexpectedly").
    tmux('new-session', '-d', '-s', `keeper-${process.pid}`, 'sleep 3600');
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      /* no server left */
    }
    if (socketPath) fs.rmSync(socketPath, { force: true });
  });

  it('answers prompts by keystroke, then every decision is in the database', { timeout: 240_000 }, async () => {
    const db = demoDb();
    const p = startTriage(db, ['--agent', 'alice', '--platform', 'douyin']);
    try {
      // D7: shipped, refund only; the parcel is lost → approve
      await p.waitFor(() => p.history().includes(`Refund ${D7} · Douyin`), 'the first card');
      // The card and the facts are separate writes: wait for both.
      await p.waitFor(() => p.history().includes('✓ Order shipped (from the refund report)'), 'the facts');
      await p.choose('Where is the parcel?', 'Lost or stuck with the carrier');
      await p.waitFor(() => p.history().includes(`Decision for ${D7}: Approve the refund (parcel lost) and claim from the carrier`), 'the outcome');
      await p.waitFor(() => p.history().includes('亲，非常抱歉，您的包裹在运输中出了问题'), 'the buyer message');
      await p.choose('Record this decision for', 'Record this decision');
      // D3: orange, the warehouse found the wrong item → refuse, with note and evidence
      await p.waitFor(() => p.history().includes(`Refund ${D3} · Douyin`), 'the second card');
      await p.waitFor(() => p.history().includes('✓ Warehouse check: not the item we shipped (from the warehouse returns log)'), 'the facts');
      await p.choose('The data decides this case. Go on?', 'Enter the details');
      await p.typeLine('Reason for the refusal', '退回的商品不是本店发出的');
      await p.typeLine('Evidence 1', 'returned-item.jpg');
      await p.typeLine('Evidence 2', '');
      await p.choose('Record this decision for', 'Record this decision');
      // D1: quit here
      await p.waitFor(() => p.history().includes('Refund 7360123456789012301 · Douyin'), 'the third card');
      await p.answer('Where is the parcel?', () => p.keys('q'));
      expect(await p.exitCode()).toBe(0);
      expect(p.history()).toContain('Decided 2 · skipped 0 · snoozed 0');
      expect(
        query(db, 'SELECT refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision, expected_status_json, source FROM decisions ORDER BY id'),
      ).toEqual([
        {
          refund_id: D7,
          action: 'approve',
          amount_cents: 158000,
          note: null,
          evidence_json: '[]',
          agent: 'alice',
          decided_at: '2025-04-21T09:00:00+08:00',
          status_at_decision: 'WAIT_SELLER_AGREE',
          expected_status_json: '["SUCCESS"]',
          source: 'triage',
        },
        {
          refund_id: D3,
          action: 'refuse',
          amount_cents: null,
          note: '退回的商品不是本店发出的',
          evidence_json: '["returned-item.jpg"]',
          agent: 'alice',
          decided_at: '2025-04-21T09:00:00+08:00',
          status_at_decision: 'WAIT_SELLER_CONFIRM_GOODS',
          expected_status_json: '["SELLER_REFUSE_BUYER"]',
          source: 'triage',
        },
      ]);
      const [d3] = query<{ checklist_json: string; buyer_message: string }>(db, `SELECT checklist_json, buyer_message FROM decisions WHERE refund_id = '${D3}'`);
      expect(JSON.parse(d3!.checklist_json)[0]).toBe('Photograph the parcel, its label and the item received.');
      expect(d3!.buyer_message).toContain('里面不是我们店铺发出的商品');
      expect(query(db, 'SELECT * FROM claims')).toEqual([]);
    } finally {
      killSession(p);
    }
  });

  it('Ctrl-C after one confirmed decision exits 130 and the decision is in the database', { timeout: 180_000 }, async () => {
    const db = demoDb();
    const p = startTriage(db, ['--agent', 'alice', '--platform', 'douyin']);
    try {
      await p.choose('Where is the parcel?', 'Lost or stuck with the carrier');
      await p.choose('Record this decision for', 'Record this decision');
      await p.waitFor(() => p.visible().split('\n').some((l) => l.startsWith('? The data decides this case')), 'the next case');
      expect(query(db, 'SELECT refund_id, session FROM claims').map((r: any) => r.refund_id)).toEqual([D3]);
      p.keys('C-c');
      expect(await p.exitCode()).toBe(130);
      expect(p.history()).toContain('Interrupted. Everything confirmed so far is saved.');
      expect(query(db, 'SELECT refund_id, action, agent, source FROM decisions')).toEqual([{ refund_id: D7, action: 'approve', agent: 'alice', source: 'triage' }]);
      expect(query(db, 'SELECT * FROM claims')).toEqual([]);
    } finally {
      killSession(p);
    }
    // The next session resumes where this one stopped.
    const again = startTriage(db, ['--agent', 'alice', '--platform', 'douyin']);
    try {
      await again.waitFor(() => again.history().includes(`Refund ${D3} · Douyin`), 'the resumed card');
      expect(again.history()).not.toContain(`Refund ${D7}`);
      await again.answer('The data decides this case. Go on?', () => again.keys('q'));
      expect(await again.exitCode()).toBe(0);
    } finally {
      killSession(again);
    }
  });

  it('a triage session killed after a confirmed decision keeps it', { timeout: 180_000 }, async () => {
    const db = demoDb();
    const p = startTriage(db, ['--agent', 'alice', '--platform', 'douyin']);
    try {
      await p.choose('Where is the parcel?', 'Lost or stuck with the carrier');
      await p.choose('Record this decision for', 'Record this decision');
      await p.waitFor(() => p.visible().split('\n').some((l) => l.startsWith('? The data decides this case')), 'the next case');
      const pid = p.pid();
      expect(pid).toBeGreaterThan(0);
      process.kill(pid, 'SIGKILL');
      expect(await p.exitCode()).toBe(137);
    } finally {
      killSession(p);
    }
    expect(query(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(query(db, 'SELECT refund_id, action, agent FROM decisions')).toEqual([{ refund_id: D7, action: 'approve', agent: 'alice' }]);
    // Its claim was not released, but it expires; another agent's session does not get D3 until then…
    const bob = startTriage(db, ['--agent', 'bob', '--platform', 'douyin']);
    try {
      await bob.waitFor(() => /Refund \d+ · Douyin/.test(bob.history()), 'bob\'s first card');
      expect(bob.history()).not.toContain(`Refund ${D3}`);
      expect(bob.history()).not.toContain(`Refund ${D7}`); // …and D7 is decided
    } finally {
      killSession(bob);
    }
  });

  it('two triage sessions on one database never decide the same case', { timeout: 240_000 }, async () => {
    const db = demoDb();
    // Started together: both race for the most urgent case; the claim is atomic.
    const a = startTriage(db, ['--agent', 'alice']);
    const b = startTriage(db, ['--agent', 'bob']);
    const R06 = '158700112233445506';
    try {
      const first = async (p: Pane) => {
        await p.waitFor(() => /Refund (\d+) · /.test(p.history()), `${p.name}'s first card`);
        return /Refund (\d+) · /.exec(p.history())![1]!;
      };
      const [ca, cb] = await Promise.all([first(a), first(b)]);
      expect(ca).not.toBe(cb);
      expect([ca, cb].sort()).toEqual([D7, R06].sort());
      expect(query<{ refund_id: string; agent: string }>(db, 'SELECT refund_id, agent FROM claims ORDER BY agent')).toEqual([
        { refund_id: ca, agent: 'alice' },
        { refund_id: cb, agent: 'bob' },
      ]);
      // Each decides the case it was given.
      const decideShown = async (p: Pane, id: string) => {
        if (id === D7) {
          await p.choose('Where is the parcel?', 'Lost or stuck with the carrier');
        } else {
          await p.choose('The data decides this case. Go on?', 'Enter the details');
          await p.typeLine('Reason for the refusal', '退回的是空包裹');
          await p.typeLine('Evidence 1', 'parcel.jpg');
          await p.typeLine('Evidence 2', '');
        }
        await p.choose('Record this decision for', 'Record this decision');
      };
      await Promise.all([decideShown(a, ca), decideShown(b, cb)]);
      // Both move on, again to different cases.
      await Promise.all(
        [a, b].map((p) => p.waitFor(() => (p.history().match(/Refund \d+ · /g) ?? []).length >= 2, `${p.name}'s second card`)),
      );
      const held = query<{ refund_id: string }>(db, 'SELECT refund_id FROM claims').map((r) => r.refund_id);
      expect(held).toHaveLength(2);
      expect(new Set(held).size).toBe(2);
      expect(held).not.toContain(ca);
      expect(held).not.toContain(cb);
      for (const p of [a, b]) p.keys('C-c');
      expect(await a.exitCode()).toBe(130);
      expect(await b.exitCode()).toBe(130);
      expect(query(db, 'SELECT refund_id, agent FROM decisions ORDER BY refund_id')).toEqual(
        [
          { refund_id: ca, agent: 'alice' },
          { refund_id: cb, agent: 'bob' },
        ].sort((x, y) => x.refund_id.localeCompare(y.refund_id)),
      );
      expect(query(db, 'SELECT * FROM claims')).toEqual([]);
    } finally {
      killSession(a);
      killSession(b);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The agent's normal terminal: 80×24. At every question the case's refund ID and amount must be
// on the VISIBLE screen (not just somewhere in the scrollback), and the keystroke goals hold.

/** Snoozes every open refund except `ids` for `agent`, so the queue holds only them. */
function only(db: string, ids: string[], agent = 'alice'): void {
  const d = new Database(db);
  try {
    const open = d.prepare("SELECT refund_id FROM refunds WHERE status NOT IN ('CLOSED', 'SUCCESS')").all() as { refund_id: string }[];
    const put = d.prepare('INSERT OR REPLACE INTO snoozes (refund_id, agent, until) VALUES (?, ?, ?)');
    const free = d.prepare('DELETE FROM snoozes WHERE refund_id = ? AND agent = ?');
    for (const r of open) {
      if (ids.includes(r.refund_id)) free.run(r.refund_id, agent);
      else put.run(r.refund_id, agent, '2099-01-01T00:00:00+08:00');
    }
  } finally {
    d.close();
  }
}

interface Desk {
  pane: Pane;
  /** Keys pressed so far (typed text not counted). */
  keys: number;
  /** Waits for the active prompt containing `text`, checks the case is in sight, presses keys. */
  press(text: string, refundId: string, amount: string, ...keys: string[]): Promise<void>;
  /** Types text (not counted as keys) and Enter (counted). */
  typeEnter(text: string, refundId: string, amount: string, typed: string): Promise<void>;
}

function desk(pane: Pane): Desk {
  const inSight = (refundId: string, amount: string) => {
    const screen = pane.visible();
    // The header line above the question: refund ID · amount · …
    expect(screen.split('\n').some((l) => l.includes(refundId) && l.includes(amount)), `${refundId} and ${amount} on the visible screen:\n${screen}`).toBe(true);
    // Nothing is wider than the terminal (capture-pane -J joins what the terminal itself wrapped).
    for (const l of screen.split('\n')) expect(widthOf(l), l).toBeLessThanOrEqual(80);
  };
  const d: Desk = {
    pane,
    keys: 0,
    async press(text, refundId, amount, ...keys) {
      await pane.answer(text, () => {
        inSight(refundId, amount);
        for (const k of keys) {
          pane.keys(k);
          d.keys++;
        }
      }, () => pane.visible().includes('⏎'));
    },
    async typeEnter(text, refundId, amount, typed) {
      await pane.answer(text, () => {
        inSight(refundId, amount);
        if (typed) pane.keys('-l', typed);
        pane.keys('Enter');
        d.keys++;
      });
    },
  };
  return d;
}

const R01 = '1587001122334455001'; // unshipped, ¥59.90
const R02 = '158700112233445502'; // return + refund, 质量问题 (our side), ¥1,299.00
const R04 = '15870011223344550404'; // orange, warehouse: fine, ¥128.00
const R05 = '158700112233445505'; // orange, not received yet, ¥59.90
const R07 = '158700112233445507'; // dispute (客服已经介入), ¥35.00
const R10 = '158700112233445510'; // a state text refunds does not know, ¥45.00

const WORDS = {
  en: {
    lang: 'en_US.UTF-8',
    where: 'Where is the parcel?',
    offer: 'What do you offer?',
    amount: 'Amount agreed with the buyer',
    note: 'Note (optional)',
    confirm: 'Record this decision for',
    unshipped: 'Did you actually send the parcel',
    received: 'The buyer has sent the goods back',
    summary: 'Decided 3 · skipped 3 · snoozed 0',
    dispute: 'Evidence deadline',
    unknown: 'The refund state could not be read',
    skipKeys: 's skip · z snooze · d details · q quit',
    cardTitle: (id: string) => `Refund ${id} · `,
  },
  zh: {
    lang: 'zh_CN.UTF-8',
    where: '包裹现在在哪里？',
    offer: '您提供什么方案？',
    amount: '与买家协商的金额',
    note: '备注（可不填）',
    confirm: '的这个决定吗？',
    unshipped: '订单显示未发货',
    received: '买家已寄回商品',
    summary: '已决定 3 · 跳过 3 · 暂缓 0',
    dispute: '举证截止',
    unknown: '无法识别退款状态',
    skipKeys: 's 跳过 · z 暂缓 · d 详情 · q 退出',
    cardTitle: (id: string) => `退款 ${id} · `,
  },
} as const;

describe.skipIf(!HAVE_TMUX)('refunds triage at 80×24 (tmux)', () => {
  beforeAll(() => {
    expect(fs.existsSync(path.join(ROOT, 'dist/cli/triage.js')), 'run npm run build first').toBe(true);
    home ??= tmpDir('refunds-tmux-home-');
    tmux('new-session', '-d', '-s', `keeper80-${process.pid}`, 'sleep 3600');
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      /* no server left */
    }
    if (socketPath) fs.rmSync(socketPath, { force: true });
  });

  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: for every case of the demo queue, the compact card and the first question fit on 80×24`, { timeout: 240_000 }, async () => {
      const db = demoDb();
      const ids = (query<{ refund_id: string }>(db, "SELECT refund_id FROM refunds WHERE status NOT IN ('CLOSED', 'SUCCESS') ORDER BY refund_id")).map((r) => r.refund_id);
      const unfit: string[] = [];
      let shown = 0;
      for (const id of ids) {
        only(db, [id]);
        // --all: the cases waiting on the buyer too.
        const p = startTriage(db, ['--agent', 'alice', '--all'], WORDS[lang].lang, { x: 80, y: 24 });
        try {
          await p.waitFor(() => /^\? /m.test(p.visible()) || /EXIT=/.test(fs.existsSync(path.join(home, `${p.name}.exit`)) ? fs.readFileSync(path.join(home, `${p.name}.exit`), 'utf8') : ''), `${id}: a prompt or the end`);
          if (!/^\? /m.test(p.visible())) continue; // not in the seller's queue
          shown++;
          const screen = p.visible();
          if (!screen.includes(WORDS[lang].cardTitle(id))) unfit.push(`${id}:\n${screen}`);
          p.keys('q');
          expect(await p.exitCode()).toBe(0);
        } finally {
          killSession(p);
        }
      }
      expect(shown).toBe(ids.length);
      expect(unfit).toEqual([]);
    });
  }

  it('zh: the amount is refused at once above the maximum; a snooze past the deadline warns and needs a second key', { timeout: 180_000 }, async () => {
    const db = demoDb();
    only(db, [R02, R01]);
    const p = startTriage(db, ['--agent', 'alice'], 'zh_CN.UTF-8', { x: 80, y: 24 });
    const k = desk(p);
    try {
      await k.press('您提供什么方案？', R02, '¥1,299.00', '2');
      await p.waitFor(() => p.visible().includes('? 与买家协商的金额'), 'the amount prompt');
      p.keys('-l', '2000');
      p.keys('Enter');
      await p.waitFor(() => p.visible().includes('¥2,000.00 不少于申请的 ¥1,299.00'), 'the amount refused at once');
      expect(p.visible()).not.toContain('备注');
      p.keys('BSpace', 'BSpace', 'BSpace', 'BSpace');
      await k.typeEnter('与买家协商的金额', R02, '¥1,299.00', '60');
      await k.typeEnter('备注（可不填）', R02, '¥1,299.00', '');
      await k.press('的这个决定吗？', R02, '¥1,299.00', 'Enter');
      // R01 is due 20:15; 21:00 is past it.
      await k.press('订单显示未发货', R01, '¥59.90', 'z');
      await k.typeEnter('暂缓到', R01, '¥59.90', '21:00');
      await p.waitFor(() => p.visible().includes('仍然暂缓到 2025-04-21 21:00 吗？'), 'the snooze warning');
      expect(p.visible()).toContain('⚠ 这件退款 2025-04-21 20:15 到期：之后平台会自行处理（平台自动退款）。');
      expect(query(db, "SELECT * FROM snoozes WHERE until < '2099'")).toEqual([]);
      await k.press('仍然暂缓到', R01, '¥59.90', 'y');
      expect(await p.exitCode()).toBe(0);
      expect(p.history()).toContain('已暂缓到 2025-04-21 21:00。');
    } finally {
      killSession(p);
    }
    expect(query(db, "SELECT refund_id, until FROM snoozes WHERE until < '2099'")).toEqual([{ refund_id: R01, until: '2025-04-21T21:00:00+08:00' }]);
    expect(query(db, 'SELECT refund_id, action, amount_cents FROM decisions')).toEqual([{ refund_id: R02, action: 'partial', amount_cents: 6000 }]);
  });

  for (const lang of ['en', 'zh'] as const) {
    const w = WORDS[lang];
    it(`${lang}: seven case types, the case in sight at every question, and the keystroke goals`, { timeout: 240_000 }, async () => {
      const db = demoDb();
      only(db, [D7, R02, R04, R01, R07, R10, R05]);
      const p = startTriage(db, ['--agent', 'alice'], w.lang, { x: 80, y: 24 });
      const k = desk(p);
      try {
        // 1. Shipped, refund only (Douyin, overdue): the compact card fits with the question.
        await p.waitFor(() => p.visible().split('\n').some((l) => l.startsWith('?') && l.includes(w.where)), 'the first question');
        expect(p.visible()).toContain(w.cardTitle(D7));
        expect(p.visible()).toContain(w.skipKeys);
        // Skip: one key.
        let before = k.keys;
        await k.press(w.where, D7, '¥1,580.00', 's');
        expect(k.keys - before).toBe(1);

        // 2. Return + refund on our side: a partial refund = the amount typed + at most 3 keys.
        await p.waitFor(() => p.visible().split('\n').some((l) => l.startsWith('?') && l.includes(w.offer)), 'the second question');
        expect(p.visible()).toContain(w.cardTitle(R02));
        before = k.keys;
        await k.press(w.offer, R02, '¥1,299.00', '2');
        const rule = lang === 'en' ? 'A partial refund is less than the ¥1,299.00 asked.' : '部分退款必须少于申请的 ¥1,299.00。';
        await p.waitFor(() => p.visible().includes(rule), 'the amount rule under the prompt');
        await k.typeEnter(w.amount, R02, '¥1,299.00', '50');
        const afterAmount = k.keys;
        await k.typeEnter(w.note, R02, '¥1,299.00', '');
        await k.press(w.confirm, R02, '¥1,299.00', 'Enter');
        expect(k.keys - before - 1).toBeLessThanOrEqual(3); // the amount's own Enter aside
        expect(k.keys - afterAmount + 1).toBe(3); // partial (2), note (Enter), record (Enter)

        // 3. Orange, the warehouse registered the parcel as fine: one key.
        before = k.keys;
        await k.press(w.confirm, R04, '¥128.00', 'Enter');
        expect(k.keys - before).toBe(1);

        // 4. Unshipped → agree: two keys (the cursor starts on "agree").
        before = k.keys;
        await k.press(w.unshipped, R01, '¥59.90', 'Enter');
        await k.press(w.confirm, R01, '¥59.90', 'Enter');
        expect(k.keys - before).toBe(2);

        // 5. Orange, not received yet (the orange section comes before the other seller cases).
        await k.press(w.received, R05, '¥59.90', 's');
        // 6. In dispute: in sight, skipped with one key.
        await k.press(w.dispute, R07, '¥35.00', 's');
        // 7. A state refunds cannot read: in sight; quit with one key.
        before = k.keys;
        await k.press(w.unknown, R10, '¥45.00', 'q');
        expect(k.keys - before).toBe(1);
        expect(await p.exitCode()).toBe(0);
        expect(p.history()).toContain(w.summary);
        // The whole session, scrollback included: every line fits (cut or wrapped by the tool at
        // word boundaries, never wrapped mid-word by the terminal).
        const wide = p.history().split('\n').filter((l) => widthOf(l) > 80);
        expect(wide).toEqual([]);
      } finally {
        killSession(p);
      }
      expect(query(db, 'SELECT refund_id, action, amount_cents, agent FROM decisions ORDER BY id')).toEqual([
        { refund_id: R02, action: 'partial', amount_cents: 5000, agent: 'alice' },
        { refund_id: R04, action: 'approve', amount_cents: 12800, agent: 'alice' },
        { refund_id: R01, action: 'approve', amount_cents: 5990, agent: 'alice' },
      ]);
      expect(query(db, 'SELECT * FROM claims')).toEqual([]);
    });
  }
});

