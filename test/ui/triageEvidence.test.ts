// The appeal pack from the triage card, through the REAL inquirer prompts (@inquirer/testing's
// render, keypresses as an agent types them): offered for a flagged buyer only.
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import { render } from '@inquirer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { runTriageSession } from '../../src/ui/triageDialogue.js';
import { buyerSettings } from '../../src/app/buyerHistory.js';
import { createPrompter } from '../../src/ui/prompts.js';
import { setLang, t } from '../../src/ui/i18n.js';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { tmpDir } from '../helpers/cli.js';
import { deskOn } from '../helpers/desk.js';
import { randomUUID } from 'node:crypto';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse(BUYERS_NOW);
const env = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000, buyer: buyerSettings({}, (k, p) => t(k, p)) };
const A4 = '2900000000000000104'; // flagged (repeat-refund-only, high-refund-share, dispute-history)
const B1 = '2900000000000000201'; // one refund: no flag

let store: Store;
beforeEach(async () => {
  setLang('en');
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(store, BUYER_FILES.map((name) => ({ name })), { zone, nowMs: NOW });
});
afterEach(() => store.close());

function only(id: string): void {
  for (const r of store.openRefunds()) if (r.refundId !== id) store.snooze(r.refundId, 'alice', '2099-01-01T00:00:00+08:00');
}

async function session() {
  const prompt = ((_p: unknown, context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }) => {
    Object.assign(context.output, { columns: 160 });
    const { desk, appeal } = deskOn(store, env, { agent: 'alice', session: randomUUID(), claimTtlMs: 15 * 60_000 });
    return runTriageSession({
      desk, appeal, env, config: {}, handleSignals: false,
      prompter: createPrompter({ input: context.input, output: context.output, help: { navigate: 'navigate', select: 'select' } }),
      io: { chalk: new Chalk({ level: 0 }), out: (s: string) => void context.output.write(`${s}\n`), err: (s: string) => void context.output.write(`${s}\n`) },
    });
  }) as unknown as Parameters<typeof render>[0];
  const r = await render(prompt, {} as never);
  const wait = async (ok: () => boolean, what: string) => {
    const until = Date.now() + 10_000;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${r.getScreen()}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const full = () => stripVTControlCharacters(r.getFullOutput());
  return {
    r,
    full,
    wait,
    ask: (text: string) => wait(() => /^\? /m.test(r.getScreen()) && r.getScreen().replace(/\s*\n\s*/g, ' ').includes(text), `prompt "${text}"`),
    printed: (text: string) => wait(() => full().includes(text), `output "${text}"`),
    choose(label: string) {
      const lines = r.getScreen().split('\n').filter((l) => /^(❯ | {2}\S)/.test(l));
      const active = lines.findIndex((l) => l.startsWith('❯ '));
      const target = lines.findIndex((l) => l.slice(2).startsWith(label));
      if (active < 0 || target < 0) throw new Error(`no choice "${label}" in:\n${r.getScreen()}`);
      for (let i = active; i < target; i++) r.events.keypress('down');
      for (let i = active; i > target; i--) r.events.keypress('up');
      r.events.keypress('enter');
    },
  };
}

describe('triage: the appeal pack key', () => {
  it('writes the pack for a flagged buyer, then goes on with the same question', async () => {
    only(A4);
    const s = await session();
    await s.ask('What do you offer?');
    expect(s.full()).toContain('⚑ repeated refund-only after delivery');
    expect(s.r.getScreen()).toContain('Flagged buyer: collect the evidence for an appeal first');
    expect(s.r.getScreen()).toContain('p appeal pack');
    s.r.events.keypress('p');
    await s.ask('Folder for the appeal pack');
    // The case line stays above this prompt too, and Esc is offered.
    expect(s.r.getScreen()).toContain(`▌${A4} · ¥89.00`);
    expect(s.r.getScreen()).toContain('Esc back');
    const dir = path.join(tmpDir(), 'pack');
    for (let i = 0; i < `appeal-${A4}`.length; i++) s.r.events.keypress('backspace');
    s.r.events.type(dir);
    s.r.events.keypress('enter');
    await s.printed(`Appeal pack written to ${dir}`);
    expect(fs.readdirSync(dir).sort()).toEqual([`appeal-${A4}.html`, `appeal-${A4}.md`]);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    await s.ask('What do you offer?');
    s.r.events.keypress('q');
    expect(await s.r.answer).toBe(0);
  });

  it('Esc at the folder prompt goes back to the question and writes nothing', async () => {
    only(A4);
    const cwd = process.cwd();
    const here = tmpDir();
    process.chdir(here);
    try {
      const s = await session();
      await s.ask('What do you offer?');
      s.r.events.keypress('p');
      await s.ask('Folder for the appeal pack');
      s.r.events.keypress('escape');
      await s.wait(() => s.r.getScreen().includes('What do you offer?') && !s.r.getScreen().includes('Folder for the appeal pack'), 'the question again');
      s.r.events.keypress('q');
      expect(await s.r.answer).toBe(0);
      expect(fs.readdirSync(here)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('does not offer it for a buyer without flags', async () => {
    only(B1);
    const s = await session();
    await s.ask('What do you offer?');
    expect(s.r.getScreen()).not.toContain('p appeal pack');
    expect(s.r.getScreen()).not.toContain('Flagged buyer');
    s.r.events.keypress('q');
    expect(await s.r.answer).toBe(0);
  });
});
