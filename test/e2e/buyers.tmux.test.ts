// A flagged buyer in `refunds triage`, the BUILT CLI in a real 80×24 terminal (tmux): the compact
// card shows the buyer's figures and flags with its question, d the flags' reasons, p writes the
// appeal pack, and the decision taken records the flags. Private tmux server (tmux -L), killed in afterAll; waits poll capture-pane.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { BIN, ROOT, runCli, tmpDir } from '../helpers/cli.js';
import { toolAvailable } from '../helpers/tools.js';

const SOCKET = `refunds-buyers-${process.pid}`;
const HAVE_TMUX = toolAvailable(spawnSync('tmux', ['-V']).status === 0, 'tmux');
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

  it('shows the figures and flags, d the reasons, p writes the appeal pack, the decision records the flags', { timeout: 120_000 }, async () => {
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
    const screen = () => capture(false).split('\n');
    /** Waits for a key-driven question (the letter keys' line under it), then presses `key`. */
    const press = async (question: string, key: string) => {
      await waitFor(() => {
        const lines = screen();
        const at = lines.findIndex((l) => l.startsWith('?') && l.includes(question));
        return at >= 0 && lines.slice(at + 1).some((l) => l.includes('⏎ or number'));
      }, `question "${question}"`);
      tmux('send-keys', '-t', name, key);
    };
    try {
      await waitFor(() => capture(true).includes(`Refund ${A4}`), 'the card');
      await waitFor(() => capture(false).includes('What do you offer?') && capture(false).includes('⏎ or number'), 'the question');
      // The compact card and its question share the 80×24 screen: the buyer's figures, every
      // flag by name, what the flags mean, numbered answers and the letter keys with p.
      const first = screen();
      expect(first).toContain(`Refund ${A4} · Taobao/Tmall · order 3900000000000000104`);
      expect(first).toContain('  Buyer    90d: 3 refunds, ¥188.80 · 3 refund-only after delivery');
      expect(first).toContain('           ⚑ repeated refund-only after delivery · ⚑ high refund share');
      expect(first).toContain('           ⚑ history of disputes');
      expect(first).toContain('  ! The flags refuse nothing; keep the evidence (p writes the appeal pack).');
      expect(first).toContain('  4 Flagged buyer: collect the evidence for an appeal first');
      expect(first).toContain('  s skip · z snooze · d details · p appeal pack · q quit · ↑↓ ⏎ or number');
      for (const line of first) expect(stringWidth(line), line).toBeLessThanOrEqual(80);

      // d: the full card, with each flag's reason term by term, then the same question again.
      await press('What do you offer?', 'd');
      await waitFor(() => capture(true).includes('── Full case ──') && capture(false).includes('⏎ or number'), 'the details');
      const details = capture(true).split('\n');
      const from = details.findIndex((l) => l.startsWith('  Buyer 90d'));
      const block = details.slice(from, details.indexOf('', from));
      expect(block[0]).toBe('  Buyer 90d      3 refunds, ¥188.80 · 3 refund-only after delivery');
      expect(block).toContain('                 ⚑ repeated refund-only after delivery (repeat-refund-only)');
      expect(block).toContain('                 ⚑ history of disputes (dispute-history)');
      // two lines of figures, the reasons, then each flag: its name and its reason (wrapped)
      expect(block.length).toBe(13);
      expect(block.at(-1)).toContain('(2900000000000000103)');
      // capture -J joins the lines the terminal had to wrap: none is wider than 80.
      for (const line of details) expect(stringWidth(line), line).toBeLessThanOrEqual(80);

      // p: the appeal pack, written where the agent says (Backspace drops the suggested folder).
      const packDir = path.join(home, 'pack-104');
      await press('What do you offer?', 'p');
      await waitFor(() => screen().some((l) => l.startsWith('?') && l.includes('Folder for the appeal pack')), 'the folder prompt');
      expect(screen()).toContain(`▌${A4} · ¥89.00 · 3d 11h · 回头客阿明 · Taobao/Tmall`);
      tmux('send-keys', '-t', name, 'BSpace');
      tmux('send-keys', '-t', name, '-l', packDir);
      tmux('send-keys', '-t', name, 'Enter');
      await waitFor(() => capture(true).includes(`Appeal pack written to ${packDir}`), 'the pack');
      expect(fs.readdirSync(packDir).sort()).toEqual([`appeal-${A4}.html`, `appeal-${A4}.md`]);
      expect(fs.statSync(packDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(packDir, `appeal-${A4}.md`)).mode & 0o777).toBe(0o600);

      // 4 answers at once; Enter records the decision.
      await press('What do you offer?', '4');
      // The title is wrapped to the 80 columns by refunds itself, "(申诉)" kept whole on the next line.
      await waitFor(() => capture(true).includes(`Decision for ${A4}: Collect the evidence and prepare the appeal\n(申诉)`), 'the outcome');
      // The checklist names the screen's key first, then the command for later.
      expect(capture(true).replace(/\s+/g, ' ')).toContain(`Write the appeal pack (key p on a triage question, or refunds evidence ${A4} --out DIR)`);
      await press(`Record this decision for ${A4}?`, 'Enter');
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
