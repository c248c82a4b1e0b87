// A flagged buyer in `refunds triage`, the BUILT CLI in a real 80×24 terminal (tmux): the card
// shows the buyer's history and flags, triage offers the evidence option, and the decision taken
// records the flags. Private tmux server (tmux -L), killed in afterAll; waits poll capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { BIN, ROOT, runCli, tmpDir } from '../helpers/cli.js';

const SOCKET = `refunds-buyers-${process.pid}`;
const HAVE_TMUX = spawnSync('tmux', ['-V']).status === 0;
const WAIT_MS = 45_000;
const A4 = '2900000000000000104';

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe.skipIf(!HAVE_TMUX)('a flagged buyer in triage, 80×24 (tmux)', () => {
  let home: string;
  let socketPath = '';
  beforeAll(() => {
    expect(fs.existsSync(path.join(ROOT, 'dist/cli/triage.js')), 'run npm run build first').toBe(true);
    home = tmpDir('refunds-tmux-home-');
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

  it('shows the history and flags, offers the evidence option, records the flags', { timeout: 120_000 }, async () => {
    const db = path.join(tmpDir('refunds-tmux-'), 'buyers.sqlite');
    expect(runCli(['--db', db, '--now', BUYERS_NOW, 'import', ...BUYER_FILES]).code).toBe(0);
    // The other Taobao cases are decided already: the queue holds A4 only.
    for (const id of ['2900000000000000201', '2900000000000000302']) {
      expect(runCli(['--db', db, '--now', BUYERS_NOW, 'decide', id, '--action', 'contact-buyer', '--agent', 'bob']).code).toBe(0);
    }
    const name = `buyers-${process.pid}`;
    const exitFile = path.join(home, `${name}.exit`);
    const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${home}`, 'TERM=xterm-256color', 'LANG=en_US.UTF-8', 'TZ=UTC', 'NO_COLOR=1'];
    const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(db)} --now ${q(BUYERS_NOW)} triage --agent alice --platform taobao; echo EXIT=$? > ${q(exitFile)}; sleep 600`;
    tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, cmd);
    const capture = (all: boolean) => tmux('capture-pane', '-p', '-J', '-t', name, ...(all ? ['-S', '-'] : []));
    const waitFor = async (pred: () => boolean, what: string) => {
      const until = Date.now() + WAIT_MS;
      while (!pred()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${capture(false)}`);
        await sleep(100);
      }
    };
    const choose = async (text: string, label: string) => {
      await waitFor(() => capture(false).split('\n').some((l) => l.startsWith('?') && l.includes(text)) && capture(false).includes('⏎'), `prompt "${text}"`);
      const lines = capture(false).split('\n');
      const start = lines.findIndex((l) => l.startsWith('?') && l.includes(text));
      const choices = lines.slice(start + 1).filter((l) => /^(❯ | {2}\S)/.test(l));
      const from = choices.findIndex((l) => l.startsWith('❯ '));
      const to = choices.findIndex((l) => l.slice(2).startsWith(label));
      if (from < 0 || to < 0) throw new Error(`no choice "${label}" under "${text}":\n${lines.join('\n')}`);
      for (let i = from; i < to; i++) tmux('send-keys', '-t', name, 'Down');
      tmux('send-keys', '-t', name, 'Enter');
      await waitFor(() => capture(true).split('\n').some((l) => l.startsWith('✔') && l.includes(text)), `answer to "${text}"`);
    };
    try {
      await waitFor(() => capture(true).includes(`Refund ${A4}`), 'the card');
      await waitFor(() => capture(false).includes('What do you offer?'), 'the question');
      const card = capture(true);
      expect(card).toContain('Buyer 90d      3 refunds, ¥188.80 · 3 refund-only after delivery');
      expect(card).toContain('⚑ repeated refund-only after delivery (repeat-refund-only)');
      expect(card).toContain('⚑ history of disputes (dispute-history)');
      expect(card).toContain('Buyer flagged (repeat-refund-only, high-refund-share, dispute-history): nothing is refused for it');
      // The buyer's lines fit the 80 columns: capture -J joins the lines the terminal had to wrap.
      const lines = card.split('\n');
      const from = lines.findIndex((l) => l.startsWith('  Buyer 90d'));
      const block = lines.slice(from, lines.indexOf('', from));
      // two lines of figures, then each flag: its name and its reason (wrapped)
      expect(block.length).toBe(12);
      expect(block.at(-1)).toContain('2900000000000000103)');
      for (const line of block) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
      expect(capture(false)).toContain('Write the appeal pack (申诉材料) for this case');
      await choose('What do you offer?', 'Flagged buyer: collect the evidence for an appeal first');
      await waitFor(() => capture(true).includes('Collect the evidence and prepare the appeal (申诉)'), 'the outcome');
      expect(capture(true)).toContain(`refunds evidence ${A4} --out DIR`);
      await choose('Record this decision?', 'Record this decision');
      await waitFor(() => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').includes('EXIT='), 'the end of the session');
      expect(fs.readFileSync(exitFile, 'utf8')).toContain('EXIT=0');
    } finally {
      try {
        tmux('kill-session', '-t', name);
      } catch {
        /* gone */
      }
    }
    const d = new Database(db, { readonly: true });
    const rows = d.prepare(`SELECT action, agent, source, flags_json FROM decisions WHERE refund_id = ?`).all(A4) as { action: string; agent: string; source: string; flags_json: string }[];
    d.close();
    expect(rows.map((r) => [r.action, r.agent, r.source])).toEqual([['wait', 'alice', 'triage']]);
    expect(JSON.parse(rows[0]!.flags_json).map((f: { id: string }) => f.id)).toEqual(['repeat-refund-only', 'high-refund-share', 'dispute-history']);
  });
});
