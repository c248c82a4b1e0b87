// The triage session driven through the REAL inquirer prompts with @inquirer/testing's render():
// the whole session runs as one "prompt" on render's streams, and every question is answered by
// keypress, exactly as an agent would (arrow keys, Enter, typing). Nothing is mocked.
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Chalk } from 'chalk';
import Database from 'better-sqlite3';
import { render } from '@inquirer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import type { Config } from '../../src/config.js';
import { runTriageSession } from '../../src/ui/triageDialogue.js';
import { createPrompter, PromptExit } from '../../src/ui/prompts.js';
import { setLang, type Lang } from '../../src/ui/i18n.js';
import { triageSessionMessages } from '../../src/ui/messages/triageSession.js';
import { TREE } from '../../src/domain/decisionTree.js';
import { VIOLATION_CODES } from '../../src/domain/decisionRules.js';
import { renderBuyerMessage } from '../../src/domain/buyerMessages.js';
import { caseTranslator } from '../../src/ui/caseWording.js';
import { renderViolations } from '../../src/ui/triageView.js';
import { caseHeader } from '../../src/ui/triageDialogue.js';
// The Store twin until these tests move to the ports (issue 15).
import { caseFileFromStore as caseFile } from '../../src/app/storeTwins.js';
import { widthOf } from '../../src/ui/width.js';
import { fixture, tmpDir } from '../helpers/cli.js';
import { deskOn } from '../helpers/desk.js';
import { randomUUID } from 'node:crypto';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const env = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000 };

const R01 = '1587001122334455001'; // unshipped, ¥59.90
const R02 = '158700112233445502'; // return + refund, 质量问题 (our side), ¥1,299.00
const R04 = '15870011223344550404'; // orange, warehouse: received, fine
const R05 = '158700112233445505'; // orange, no receipt yet
const R06 = '158700112233445506'; // orange, warehouse: empty parcel
const D7 = '7360123456789012307'; // douyin, shipped refund only

let store: Store;

beforeEach(async () => {
  setLang('en');
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(store, DEMO.map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW });
});
afterEach(() => {
  setLang('en');
  store.close();
});

/** Snoozes every open refund except `ids`, so the queue holds only them (in urgency order). */
function only(ids: string[], agent = 'alice'): void {
  for (const r of store.openRefunds()) if (!ids.includes(r.refundId)) store.snooze(r.refundId, agent, '2099-01-01T00:00:00+08:00');
}

const decisions = () =>
  store.sql<Record<string, unknown>>(
    'SELECT refund_id, action, amount_cents, note, evidence_json, agent, decided_at, status_at_decision, expected_status_json, buyer_message, source, checklist_json FROM decisions ORDER BY id',
  );

interface Run {
  answer: Promise<number>;
  screen(): string;
  full(): string;
  /** Waits until the active prompt's message contains `text`. */
  ask(text: string): Promise<void>;
  /** Waits until anything printed so far contains `text`. */
  printed(text: string): Promise<void>;
  /** Moves the cursor of the active select to the choice starting with `label` and presses Enter. */
  choose(label: string): void;
  /** Presses one key (a letter or a number). */
  key(name: string): void;
  type(text: string): void;
  backspace(n: number): void;
  enter(): void;
  ctrlC(): void;
}

async function start(
  o: { config?: Config; agent?: string; lang?: Lang; platform?: 'taobao' | 'douyin'; session?: string; full?: boolean; columns?: number } = {},
): Promise<Run> {
  if (o.lang) setLang(o.lang);
  const sessionPrompt = ((_props: unknown, context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }) => {
    // A wide terminal, like the agents' (prompts wrap at 80 columns otherwise).
    Object.assign(context.output, { columns: o.columns ?? 160 });
    const { desk, appeal } = deskOn(store, env, {
      agent: o.agent ?? 'alice',
      session: o.session ?? randomUUID(),
      claimTtlMs: 15 * 60_000,
      platform: o.platform,
    });
    return runTriageSession({
      desk,
      appeal,
      env,
      config: o.config ?? {},
      full: o.full,
      handleSignals: false,
      prompter: createPrompter({ input: context.input, output: context.output, help: { navigate: 'navigate', select: 'select' } }),
      io: {
        chalk: new Chalk({ level: 0 }),
        out: (s: string) => void context.output.write(`${s}\n`),
        err: (s: string) => void context.output.write(`${s}\n`),
      },
    });
  }) as unknown as Parameters<typeof render>[0];
  const r = await render(sessionPrompt, {} as never);
  const wait = async (ok: () => boolean, what: string) => {
    const until = Date.now() + 10_000;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${r.getScreen()}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const run: Run = {
    answer: r.answer as unknown as Promise<number>,
    screen: () => r.getScreen(),
    full: () => stripVTControlCharacters(r.getFullOutput()),
    ask: (text) =>
      wait(() => {
        const screen = r.getScreen();
        return /^\? /m.test(screen) && screen.replace(/\s*\n\s*/g, ' ').includes(text);
      }, `prompt "${text}"`),
    printed: (text) => wait(() => run.full().includes(text), `output "${text}"`),
    choose(label) {
      // Answers are drawn "❯ 1 label" / "  2 label".
      const lines = r.getScreen().split('\n').filter((l) => /^(❯ | {2})\d+ /.test(l));
      const active = lines.findIndex((l) => l.startsWith('❯ '));
      const target = lines.findIndex((l) => l.slice(2).replace(/^\d+ /, '').startsWith(label));
      if (active < 0 || target < 0) throw new Error(`no choice "${label}" in:\n${r.getScreen()}`);
      for (let i = active; i < target; i++) r.events.keypress('down');
      for (let i = active; i > target; i--) r.events.keypress('up');
      r.events.keypress('enter');
    },
    key: (name) => r.events.keypress(name),
    type: (text) => r.events.type(text),
    backspace: (n) => {
      for (let i = 0; i < n; i++) r.events.keypress('backspace');
    },
    enter: () => r.events.keypress('enter'),
    ctrlC: () => r.events.keypress({ name: 'c', ctrl: true }),
  };
  return run;
}

describe('the prompt adapter (real inquirer prompts)', () => {
  const adapter = <T>(f: (p: ReturnType<typeof createPrompter>) => Promise<T>) =>
    ((_: unknown, ctx: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }) =>
      f(createPrompter({ input: ctx.input, output: ctx.output, help: { navigate: '移动', select: '选择' } }))) as unknown as Parameters<typeof render>[0];

  it('select: translated labels, made terminal-safe, all visible, translated key help', async () => {
    const r = await render(
      adapter((p) =>
        p.select({
          message: '包裹在哪里？\u001b]0;pwned\u0007',
          choices: [
            { value: 1, label: '还在运输途中' },
            { value: 2, label: '已签收\u001b[31mRED' },
            { separator: true },
            ...[3, 4, 5, 6, 7, 8].map((v) => ({ value: v, label: `选项 ${v}` })),
          ],
        }),
      ),
      {} as never,
    );
    const screen = r.getScreen();
    expect(screen).toContain('? 包裹在哪里？');
    expect(screen).toContain('选项 8'); // no paging: every choice on screen
    expect(screen).toContain('↑↓ 移动 • ⏎ 选择');
    expect(r.getFullOutput()).not.toContain('pwned');
    expect(r.getFullOutput()).not.toContain('\u001b[31mRED');
    r.events.keypress('down');
    r.events.keypress('enter');
    await expect(r.answer).resolves.toBe(2);
  });

  it('input validates with the caller\'s (translated) message', async () => {
    const r = await render(adapter((p) => p.input({ message: '金额（元）：', validate: (v) => (/^\d+(\.\d\d?)?$/.test(v) ? true : '请输入金额') })), {} as never);
    r.events.type('abc');
    r.events.keypress('enter');
    await new Promise((res) => setTimeout(res, 20));
    expect(r.getScreen()).toContain('请输入金额');
    for (let i = 0; i < 3; i++) r.events.keypress('backspace');
    r.events.type('59.90');
    r.events.keypress('enter');
    await expect(r.answer).resolves.toBe('59.90');
  });

  it('confirm and number', async () => {
    const c = await render(adapter((p) => p.confirm({ message: 'Record?', default: true })), {} as never);
    c.events.keypress('enter');
    await expect(c.answer).resolves.toBe(true);
    const n = await render(adapter((p) => p.number({ message: 'How many?', min: 1, max: 9 })), {} as never);
    n.events.type('3');
    n.events.keypress('enter');
    await expect(n.answer).resolves.toBe(3);
  });

  it('Ctrl-C in a prompt becomes PromptExit (exit code 130)', async () => {
    const r = await render(adapter((p) => p.select({ message: 'x', choices: [{ value: 1, label: 'one' }] })), {} as never);
    r.events.keypress({ name: 'c', ctrl: true });
    const e = await (r.answer as Promise<unknown>).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PromptExit);
    expect((e as PromptExit).exitCode).toBe(130);
  });
});

describe('a triage session answered by keypress', () => {
  it('unshipped order, agent does not want to keep the sale → approve', async () => {
    only([R01]);
    const s = await start();
    await s.ask('Did you actually send the parcel');
    expect(s.full()).toContain('Refund 1587001122334455001 · Taobao/Tmall');
    expect(s.full()).toContain('✓ Order not shipped (from the order report)');
    expect(s.full()).toContain('Before shipping, the platform has no refuse button');
    expect(s.screen()).not.toContain('b back'); // nothing to go back to yet
    s.choose('No, not sent yet: first try to keep the sale');
    await s.ask('keep the sale');
    s.choose('No, refund the buyer');
    await s.ask('Record this decision for');
    expect(s.full()).toContain('Decision for 1587001122334455001: Approve the refund (not shipped)');
    expect(s.full()).toContain('1. In 退款管理, open the refund and click 同意退款 (¥59.90).');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions()).toEqual([
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
        source: 'triage',
        checklist_json: JSON.stringify([
          'In 退款管理, open the refund and click 同意退款 (¥59.90).',
          'Make sure the warehouse does not ship the order.',
          'Check that the refund shows 退款成功.',
        ]),
      },
    ]);
    expect(s.full()).toContain('Saved: approve the refund for 1587001122334455001.');
    expect(s.full()).toContain('Decided 1 · skipped 0 · snoozed 0');
    expect(store.sql('SELECT * FROM claims')).toEqual([]);
  });

  it('orange, the warehouse registered the parcel as fine → approve without a question', async () => {
    only([R04]);
    const s = await start();
    await s.ask('Record this decision for');
    expect(s.full()).toContain('✓ The warehouse has received the parcel (from the warehouse returns log)');
    expect(s.full()).toContain('✓ Warehouse check: our item, in acceptable condition (from the warehouse returns log)');
    expect(s.full()).toContain('Decision for 15870011223344550404: Confirm receipt and refund now');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({ refund_id: R04, action: 'approve', amount_cents: 12800, expected_status_json: '["SUCCESS"]' });
    expect(JSON.parse(decisions()[0]!.checklist_json as string)[0]).toBe('In the refund details click 确认收货 / 同意退款 (¥128.00).');
  });

  it('orange, agent checks with the warehouse: received, our item, fine → approve', async () => {
    only([R05]);
    const s = await start();
    await s.ask('Has the warehouse received the parcel?');
    expect(s.full()).toContain('(waybill 9712345678901');
    s.choose('Yes, the warehouse has it');
    await s.ask('What did the warehouse find');
    s.choose('Our item, in acceptable condition');
    await s.ask('Record this decision for');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({ refund_id: R05, action: 'approve', amount_cents: 5990, status_at_decision: 'WAIT_SELLER_CONFIRM_GOODS' });
  });

  it('refuse an empty parcel: the reason and the evidence are checked as they are typed', async () => {
    only([R06]);
    const s = await start();
    await s.ask('The data decides this case. Go on?');
    expect(s.full()).toContain('✓ Warehouse check: empty parcel');
    expect(s.full()).toContain('Decision: Empty parcel: refuse with evidence');
    s.choose('Enter the details');
    await s.ask('Reason for the refusal, shown to the buyer:');
    expect(s.screen()).toContain('2–200 characters; it goes into the buyer message below.');
    s.type('x');
    s.enter();
    // Refused at once, before anything else is asked.
    await s.printed('The reason has 1 characters: the platform takes 2–200.');
    expect(s.screen()).toContain('Reason for the refusal');
    s.backspace(1);
    s.type('退回的是空包裹');
    s.enter();
    await s.ask('Evidence 1');
    s.enter(); // nothing yet: refused, the rule is not met
    await s.printed('A refusal needs at least one evidence item');
    expect(s.screen()).toContain('Evidence 1');
    s.type('parcel.jpg');
    s.enter();
    await s.ask('Evidence 2');
    s.type('weight-record.png');
    s.enter();
    await s.ask('Evidence 3');
    s.enter();
    await s.ask('Record this decision for 158700112233445506?');
    expect(s.full()).toContain('原因：退回的是空包裹。');
    expect(s.full()).not.toContain('This decision cannot be recorded');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({
      refund_id: R06,
      action: 'refuse',
      note: '退回的是空包裹',
      evidence_json: '["parcel.jpg","weight-record.png"]',
      expected_status_json: '["SELLER_REFUSE_BUYER"]',
    });
    expect(decisions()[0]!.buyer_message).toBe('亲，您好！很抱歉，本次退款申请我们暂时无法同意，原因：退回的是空包裹。相关凭证已上传，如有疑问请随时联系我们，我们会尽力为您解决。');
  });

  it('back: the previous question again (replayed with walk), then another answer', async () => {
    only([R01]);
    const s = await start();
    await s.ask('Did you actually send the parcel');
    s.choose('No, not sent yet: first try to keep the sale');
    await s.ask('keep the sale');
    s.key('b');
    await s.ask('Did you actually send the parcel');
    s.choose('Yes, it was sent');
    await s.ask('Record this decision for');
    expect(s.full()).toContain('Decision for 1587001122334455001: Mark the order as shipped and tell the buyer');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions().map((d) => [d.action, d.expected_status_json])).toEqual([['mark-shipped', '["CLOSED"]']]);
    expect(decisions()[0]!.buyer_message).toContain('您的包裹其实已经寄出');
  });

  it('skip, snooze (a bad time, then 14:30) and quit', async () => {
    only([D7, R06, R01]);
    const s = await start();
    await s.ask('Where is the parcel?');
    expect(s.full()).toContain('Refund 7360123456789012307 · Douyin');
    s.key('s');
    await s.ask('The data decides this case');
    expect(s.full()).toContain('Refund 158700112233445506');
    s.key('z');
    await s.ask('Snooze until');
    s.type('soon');
    s.enter();
    await s.printed('Write a time like 14:30');
    s.backspace(4);
    s.type('14:30');
    s.enter();
    // R06 is overdue: any snooze leaves it to the platform, so a second key confirms.
    await s.ask('Snooze until 2025-04-21 14:30 anyway?');
    expect(s.full()).toContain('⚠ The case is overdue since 2025-04-21 08:00: the platform may act at any moment (platform refunds automatically).');
    s.key('y');
    await s.ask('Did you actually send the parcel');
    expect(s.full()).toContain('Snoozed until 2025-04-21 14:30.');
    s.key('q');
    expect(await s.answer).toBe(0);
    expect(s.full()).toContain('Decided 0 · skipped 1 · snoozed 1');
    expect(store.sql('SELECT refund_id, agent, until FROM snoozes WHERE until < ?', ['2099'])).toEqual([
      { refund_id: R06, agent: 'alice', until: '2025-04-21T14:30:00+08:00' },
    ]);
    expect(decisions()).toEqual([]);
    expect(store.sql('SELECT * FROM claims')).toEqual([]);
  });

  it('a snooze past the deadline warns with what the platform does then and needs a second key', async () => {
    only([R01]); // due 2025-04-21 20:15 (超时时间), automatic refund then
    const s = await start();
    await s.ask('Did you actually send the parcel');
    s.key('z');
    await s.ask('Snooze until');
    s.type('21:00');
    s.enter();
    await s.ask('Snooze until 2025-04-21 21:00 anyway?');
    expect(s.full()).toContain('⚠ The case is due at 2025-04-21 20:15: after that the platform acts on its own (platform refunds automatically). 2025-04-21 21:00 is after the deadline.');
    expect(store.sql('SELECT * FROM snoozes WHERE until < ?', ['2099'])).toEqual([]); // nothing yet
    s.enter(); // the cursor is on "choose another time": Enter alone never snoozes past the deadline
    await s.ask('Snooze until');
    s.type('19:00'); // before the deadline: no warning
    s.enter();
    await s.printed('Snoozed until 2025-04-21 19:00.');
    expect(await s.answer).toBe(0);
    expect(s.full().match(/⚠ The case is due/g)).toHaveLength(1); // warned once: 19:00 is before the deadline
    expect(store.sql('SELECT refund_id, until FROM snoozes WHERE until < ?', ['2099'])).toEqual([{ refund_id: R01, until: '2025-04-21T19:00:00+08:00' }]);
  });

  it('n at the snooze warning goes back to the case without snoozing', async () => {
    only([R01]);
    const s = await start();
    await s.ask('Did you actually send the parcel');
    s.key('z');
    await s.ask('Snooze until');
    s.type('2d');
    s.enter();
    await s.ask('anyway?');
    s.key('n');
    await s.ask('Did you actually send the parcel');
    s.key('q');
    expect(await s.answer).toBe(0);
    expect(store.sql('SELECT * FROM snoozes WHERE until < ?', ['2099'])).toEqual([]);
    expect(s.full()).toContain('Decided 0 · skipped 0 · snoozed 0');
  });

  it('Ctrl-C after one confirmed decision: exit 130, the decision is kept, claims released; the next session resumes', async () => {
    only([R04, R01]);
    const s = await start();
    await s.ask('Record this decision for');
    s.choose('Record this decision');
    await s.ask('Did you actually send the parcel');
    expect(store.sql('SELECT refund_id FROM claims')).toEqual([{ refund_id: R01 }]);
    s.ctrlC();
    expect(await s.answer).toBe(130);
    expect(s.full()).toContain('Interrupted. Everything confirmed so far is saved.');
    expect(decisions().map((d) => [d.refund_id, d.action])).toEqual([[R04, 'approve']]);
    expect(store.sql('SELECT * FROM claims')).toEqual([]);
    // The next session starts where this one stopped: R04 is decided, R01 comes first.
    const next = await start();
    await next.ask('Did you actually send the parcel');
    expect(next.full()).toContain('Refund 1587001122334455001');
    expect(next.full()).not.toContain('Refund 15870011223344550404');
    next.key('q');
    expect(await next.answer).toBe(0);
  });

  it('while another process holds the database, confirming says so and can be repeated', { timeout: 60_000 }, async () => {
    only([R04]);
    const s = await start();
    await s.ask('Record this decision for');
    // Another process (a long import) holds the write lock for longer than busy_timeout (10 s).
    const other = new Database(store.path);
    other.exec('BEGIN IMMEDIATE');
    s.choose('Record this decision');
    await s.printed('The database is busy (an import is running?): nothing was saved.');
    await s.ask('Record this decision for');
    expect(decisions()).toEqual([]);
    other.exec('ROLLBACK');
    other.close();
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions().map((d) => [d.refund_id, d.action])).toEqual([[R04, 'approve']]);
  });

  it('a case claimed by another live session is not shown', async () => {
    only([D7, R06]);
    expect(store.claim(D7, 'bob', 'bobs-session', NOW, 15 * 60_000)).toBe(true);
    const s = await start();
    await s.ask('The data decides this case');
    expect(s.full()).toContain('Refund 158700112233445506');
    expect(s.full()).not.toContain('Refund 7360123456789012307');
    s.key('q');
    expect(await s.answer).toBe(0);
    expect(s.full()).toContain('1 with another agent');
  });

  it('a partial above the threshold: the typed amount decides between partial and escalation', async () => {
    const config = { amountThresholdYuan: 100, supervisors: ['boss'] };
    only([R02]);
    const s = await start({ config });
    await s.ask('What do you offer?');
    expect(s.full()).toContain('✓ Reason “质量问题” is on our side (from the refund report)');
    expect(s.full()).toContain('¥1,299.00 is above the shop threshold ¥100.00');
    s.choose('A partial refund without return');
    await s.ask('Amount agreed with the buyer');
    s.type('50');
    s.enter();
    await s.ask('Note');
    s.type('agreed ¥50 in chat');
    s.enter();
    await s.ask('Record this decision for');
    expect(s.full()).toContain('Decision for 158700112233445502: Partial refund without return');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({ action: 'partial', amount_cents: 5000, note: 'agreed ¥50 in chat', expected_status_json: '["SUCCESS"]' });
    expect(decisions()[0]!.buyer_message).toContain('给您退50.00元作为补偿');
  });

  it('a partial typed above the threshold becomes an escalation that keeps the proposal', async () => {
    only([R02]);
    const s = await start({ config: { amountThresholdYuan: 100 } });
    await s.ask('What do you offer?');
    s.choose('A partial refund without return');
    await s.ask('Amount agreed with the buyer');
    s.type('1,2x');
    s.enter();
    await s.printed('Write an amount in yuan, like 59.90.');
    s.backspace(4);
    s.type('¥300.50');
    s.enter();
    await s.ask('Note');
    s.type('buyer wants 300.50');
    s.enter();
    await s.ask('Record this decision for');
    expect(s.full()).toContain('¥300.50 is above the shop threshold ¥100.00: this becomes an escalation to a supervisor.');
    expect(s.full()).toContain('Decision for 158700112233445502: Escalate to a supervisor (amount above the threshold)');
    s.choose('Record this decision');
    expect(await s.answer).toBe(0);
    const d = decisions()[0]!;
    expect(d).toMatchObject({ action: 'escalate', amount_cents: 30050, expected_status_json: null });
    expect(d.note).toBe('Proposed: partial refund, ¥300.50. Above the shop threshold ¥100.00: a supervisor must decide. buyer wants 300.50');
    expect(d.buyer_message).toContain('正在加急核实');
  });

  it('in Chinese, a whole queue (Douyin) to the end: nothing left that needs the seller', async () => {
    const s = await start({ lang: 'zh', platform: 'douyin' });
    // D7: shipped, refund only
    await s.ask('包裹现在在哪里？');
    expect(s.full()).toContain('退款 7360123456789012307 · 抖音');
    expect(s.full()).toContain('✓ 订单已发货（来自退款报表）');
    s.choose('丢件或长时间停滞');
    await s.ask('的这个决定吗？');
    expect(s.full()).toContain('请在抖店后台完成：'); // the case's platform's words
    expect(s.full()).toContain('1. 在抖店“售后工作台”中打开这笔售后单，点击“同意退款”（¥1,580.00）。');
    s.choose('记录这个决定');
    // D3: orange, the warehouse found the wrong item → refuse and send back
    await s.ask('根据数据已可判断');
    expect(s.full()).toContain('✓ 验货：不是本店发出的商品（来自仓库退货登记）');
    s.choose('填写详情');
    await s.ask('拒绝理由');
    s.type('退回的商品不是本店发出的');
    s.enter();
    await s.ask('凭证 1');
    s.type('wrong-item.jpg');
    s.enter();
    await s.ask('凭证 2');
    s.enter();
    await s.ask('的这个决定吗？');
    s.choose('记录这个决定');
    // D1: shipped, refund only → in transit → intercept
    await s.ask('包裹现在在哪里？');
    s.choose('还在运输途中');
    await s.ask('包裹还在路上');
    s.choose('先联系快递拦截');
    await s.ask('的这个决定吗？');
    s.choose('记录这个决定');
    // D6: not shipped → keep the sale? no → approve
    await s.ask('订单显示未发货');
    expect(s.full()).toContain('✓ 订单未发货（来自退款报表）');
    s.choose('否，还没有寄出：先争取保留交易');
    await s.ask('想争取保留这笔交易吗');
    s.choose('否，给买家退款');
    await s.ask('的这个决定吗？');
    s.choose('记录这个决定');
    expect(await s.answer).toBe(0);
    expect(s.full()).toContain('已决定 4 · 跳过 0 · 暂缓 0');
    expect(s.full()).toContain('没有需要卖家处理的退款了。');
    expect(decisions().map((d) => [d.refund_id, d.action])).toEqual([
      ['7360123456789012307', 'approve'],
      ['7360123456789012303', 'refuse'],
      ['7360123456789012301', 'contact-buyer'],
      ['7360123456789012306', 'approve'],
    ]);
    expect(JSON.parse(decisions()[0]!.checklist_json as string)[0]).toContain('同意退款');
  });
});

describe('the triage screen: keys, cursor, details, checks as typed', () => {
  const D3 = '7360123456789012303'; // douyin, orange, the warehouse found the wrong item; due 12:00

  it('the cursor starts on the recommended answer; back returns to the answer given, cursor on it', async () => {
    only([R01]);
    const s = await start();
    await s.ask('Did you actually send the parcel');
    expect(s.screen()).toContain('❯ 1 No, it has not been sent: agree the refund');
    s.key('3'); // a number key answers at once
    await s.ask('keep the sale');
    expect(s.screen()).toContain('❯ 2 No, refund the buyer');
    expect(s.screen()).toContain('b back · s skip · z snooze · d details · q quit');
    s.key('b');
    await s.ask('Did you actually send the parcel');
    expect(s.screen()).toContain('❯ 3 No, not sent yet: first try to keep the sale');
    s.key('q');
    expect(await s.answer).toBe(0);
    expect(decisions()).toEqual([]);
  });

  it('d shows the full case (history, rule source, decisions), then the same question again; --full shows it first', async () => {
    only([R05]);
    const s = await start();
    await s.ask('Has the warehouse received the parcel?');
    expect(s.full()).not.toContain('State history');
    s.key('d');
    await s.printed('── Full case ──');
    await s.ask('Has the warehouse received the parcel?');
    expect(s.full()).toContain('State history');
    expect(s.full()).toContain('Rule source:');
    expect(s.screen()).toContain('158700112233445505 · ¥59.90');
    s.key('q');
    expect(await s.answer).toBe(0);
    const f = await start({ full: true });
    await f.ask('Has the warehouse received the parcel?');
    expect(f.full()).toContain('State history');
    f.key('q');
    expect(await f.answer).toBe(0);
  });

  it('d on the confirm screen shows the full case, then the decision again above the prompt', async () => {
    only([R04]);
    const s = await start();
    await s.ask('Record this decision for 15870011223344550404?');
    s.key('d');
    await s.printed('── Full case ──');
    await s.ask('Record this decision for 15870011223344550404?');
    const after = s.full().slice(s.full().lastIndexOf('── Full case ──'));
    expect(after).toContain('State history');
    expect(after).toContain('Decision for 15870011223344550404: Confirm receipt and refund now');
    expect(after).toContain('1. In the refund details click 确认收货 / 同意退款 (¥128.00).');
    s.enter();
    expect(await s.answer).toBe(0);
    expect(decisions().map((d) => [d.refund_id, d.action])).toEqual([[R04, 'approve']]);
  });

  it('the amount prompt shows the maximum and refuses more at once', async () => {
    only([R02]);
    const s = await start();
    await s.ask('What do you offer?');
    s.key('2'); // a partial refund without return
    await s.ask('Amount agreed with the buyer');
    expect(s.screen()).toContain('A partial refund is less than the ¥1,299.00 asked.');
    s.type('2000');
    s.enter();
    await s.printed('¥2,000.00 is not less than the ¥1,299.00 asked');
    expect(s.screen()).toContain('Amount agreed with the buyer'); // still the amount, before any note
    expect(s.full()).not.toContain('Note (optional)');
    s.backspace(4);
    s.type('1299');
    s.enter();
    await s.printed('¥1,299.00 is not less than the ¥1,299.00 asked');
    s.backspace(4);
    s.type('50');
    s.enter();
    await s.ask('Note (optional)');
    expect(s.screen()).toContain('Enter to leave it empty; at most 200 characters.');
    s.enter();
    await s.ask('Record this decision for 158700112233445502?');
    s.enter();
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({ refund_id: R02, action: 'partial', amount_cents: 5000, note: null });
  });

  it('e on the confirm screen edits what was typed (the previous value offered), then records the new one', async () => {
    only([R02]);
    const s = await start();
    await s.ask('What do you offer?');
    s.key('2');
    await s.ask('Amount agreed with the buyer');
    s.type('50');
    s.enter();
    await s.ask('Note (optional)');
    s.enter();
    await s.ask('Record this decision for 158700112233445502?');
    expect(s.screen()).toContain('e edit · b back · s skip');
    s.key('e');
    await s.ask('Amount agreed with the buyer');
    expect(s.screen()).toContain('(50)');
    s.type('60');
    s.enter();
    await s.ask('Note (optional)');
    s.type('agreed ¥60 in chat');
    s.enter();
    await s.ask('Record this decision for 158700112233445502?');
    s.enter();
    expect(await s.answer).toBe(0);
    expect(decisions()).toHaveLength(1);
    expect(decisions()[0]).toMatchObject({ action: 'partial', amount_cents: 6000, note: 'agreed ¥60 in chat' });
  });

  it('Esc in a text prompt goes back: to stepping out when the data decided, or to the question (cursor on the answer)', async () => {
    only([R02, R06]); // R06 (overdue) comes first
    const s = await start();
    await s.ask('The data decides this case. Go on?');
    s.enter();
    await s.ask('Reason for the refusal');
    expect(s.screen()).toContain('· Esc back');
    s.key('escape');
    await s.ask('The data decides this case. Go on?');
    s.key('s');
    await s.ask('What do you offer?');
    s.key('2');
    await s.ask('Amount agreed with the buyer');
    expect(s.screen()).toContain('A partial refund is less than the ¥1,299.00 asked. · Esc back');
    s.key('escape');
    await s.ask('What do you offer?');
    expect(s.screen()).toContain('❯ 2 A partial refund without return');
    s.key('q');
    expect(await s.answer).toBe(0);
    expect(decisions()).toEqual([]);
    expect(s.full()).toContain('Decided 0 · skipped 1 · snoozed 0');
  });

  it('on Tmall the evidence is asked until a photo is among it; an overdue refusal says refuse now', async () => {
    only([R06]); // overdue since 08:00
    const s = await start({ config: { tmall: true } });
    await s.ask('The data decides this case');
    s.enter();
    await s.ask('Reason for the refusal');
    s.type('退回的是空包裹');
    s.enter();
    await s.ask('Evidence 1');
    expect(s.full()).toContain('Evidence: on Tmall at least one photo (.jpg .jpeg .png .gif .webp), plus anything else.');
    s.type('chat-record.txt');
    s.enter();
    await s.ask('Evidence 2');
    s.enter();
    await s.printed('On Tmall a refusal needs a photo: add an image');
    expect(s.screen()).toContain('Evidence 2');
    s.type('parcel.jpg');
    s.enter();
    await s.ask('Evidence 3');
    s.enter();
    await s.ask('Record this decision for 158700112233445506?');
    expect(s.full()).toContain('Overdue (已超时): refuse now — in the refund details click 拒绝退款申请.');
    expect(s.full()).not.toContain('Refuse before');
    s.enter();
    expect(await s.answer).toBe(0);
    expect(decisions()[0]).toMatchObject({ action: 'refuse', evidence_json: '["chat-record.txt","parcel.jpg"]' });
    expect(JSON.parse(decisions()[0]!.checklist_json as string)).toContain('Overdue (已超时): refuse now — in the refund details click 拒绝退款申请.');
  });

  it('in Chinese an overdue refusal says 已超时：立即拒绝', async () => {
    only([R06]);
    const s = await start({ lang: 'zh' });
    await s.ask('根据数据已可判断');
    s.enter();
    await s.ask('拒绝理由');
    s.type('退回的是空包裹');
    s.enter();
    await s.ask('凭证 1');
    s.type('parcel.jpg');
    s.enter();
    await s.ask('凭证 2');
    s.enter();
    await s.ask('的这个决定吗？');
    expect(s.full()).toContain('已超时：立即拒绝——在退款详情页点击“拒绝退款申请”。');
    expect(s.full()).not.toContain('前拒绝：');
    s.key('q');
    expect(await s.answer).toBe(0);
  });

  it('a Douyin refusal speaks 抖店: 售后工作台, 拒绝售后, 上传凭证, 平台仲裁 (no Tmall, no 客服介入)', async () => {
    only([D3]);
    const s = await start({ lang: 'zh' });
    await s.ask('根据数据已可判断');
    s.enter();
    await s.ask('拒绝理由');
    s.type('退回的商品不是本店发出的');
    s.enter();
    await s.ask('凭证 1');
    s.type('wrong-item.jpg');
    s.enter();
    await s.ask('凭证 2');
    s.enter();
    await s.ask('的这个决定吗？');
    s.enter();
    expect(await s.answer).toBe(0);
    const checklist = JSON.parse(decisions()[0]!.checklist_json as string) as string[];
    expect(checklist).toContain('在 2025-04-21 12:00 前拒绝：在“售后工作台”点击“拒绝售后”。');
    expect(checklist).toContain('点击“上传凭证”，上传图片和聊天截图。');
    expect(checklist).toContain('关注售后单：买家申请平台仲裁时，立即提交凭证。');
    expect(checklist.join('')).not.toMatch(/天猫|客服介入|拒绝退款申请/);
  });

  it('buyer messages and checklists name the platform\'s request and buttons (Pinduoduo ready under "pdd")', () => {
    const cf = caseFile(store, env, D7)!;
    expect(renderBuyerMessage('ask-waybill', { refund: cf.refund, order: null })).toContain('填写在售后申请里');
    const tb = caseFile(store, env, R01)!;
    expect(renderBuyerMessage('ask-waybill', { refund: tb.refund, order: null })).toContain('填写在退款申请里');
    const pdd = { refund: { ...tb.refund, platform: 'pdd' as never }, order: null };
    expect(renderBuyerMessage('refusal', pdd, { reason: '商品已使用' })).toContain('本次售后申请我们暂时无法同意');
    setLang('zh');
    const p = caseTranslator({ platform: 'pdd', overdue: false });
    expect(p('triage.check.approve', { amount: '¥9.90' })).toBe('在商家后台“售后”中打开这笔售后单，点击“同意退款”（¥9.90）。');
    expect(p('triage.check.refuse.beforeDeadline', { deadline: '12:00' })).toBe('在 12:00 前驳回：在商家后台“售后”中点击“驳回”。');
    expect(caseTranslator({ platform: 'pdd', overdue: true })('triage.check.refuse.beforeDeadline', { deadline: '12:00' })).toBe('已超时：立即驳回——在商家后台“售后”中点击“驳回”。');
    expect(p('triage.q.dispute.choice', { evidenceDeadline: '—' })).toContain('平台已介入');
    // Taobao keeps its own words.
    expect(caseTranslator({ platform: 'taobao', overdue: false })('triage.check.approve', { amount: '¥9.90' })).toBe('在“退款管理”中打开这笔退款，点击“同意退款”（¥9.90）。');
  });

  it('violations on the triage screen speak of the screen, never of CLI flags or actions', () => {
    const io = { chalk: new Chalk({ level: 0 }) };
    for (const lang of ['en', 'zh'] as const) {
      setLang(lang);
      for (const code of VIOLATION_CODES) {
        const text = renderViolations([{ code, messageKey: `triage.violation.${code}`, params: { min: 2, max: 200, length: 1, amount: '¥1.00', requested: '¥2.00', threshold: '¥3.00', status: 'CLOSED' } }], io);
        expect(text, `${lang} ${code}`).not.toMatch(/--[a-z]|\b(use|请用) (approve|partial|escalate|mark-shipped)\b|mark-shipped/);
      }
    }
  });

  it('the case header is cut to the terminal width at a word boundary, never wider', () => {
    for (const id of [R01, R02, D7]) {
      const cf = caseFile(store, env, id)!;
      for (const width of [40, 60, 80]) {
        const h = caseHeader(cf, width);
        expect(widthOf(h)).toBeLessThanOrEqual(width);
        expect(h).toContain(id);
      }
    }
    expect(caseHeader(caseFile(store, env, R01)!, 200)).toBe('▌1587001122334455001 · ¥59.90 · 11h 15m · tb_小王同学 · Taobao/Tmall');
  });

  it('at 80 columns the question and the answers wrap at word boundaries', async () => {
    only([R05]);
    const s = await start({ columns: 80 });
    await s.ask('Has the warehouse received the parcel?');
    for (const line of s.screen().split('\n')) expect(widthOf(line)).toBeLessThanOrEqual(80);
    expect(s.screen()).toContain('? The buyer has sent the goods back (waybill 9712345678901, 平邮). Has the\n  warehouse received the parcel?');
    s.key('q');
    expect(await s.answer).toBe(0);
  });
});

describe('the session catalog', () => {
  const placeholders = (x: string) => [...x.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  it('has every key in English and Chinese, with the same placeholders', () => {
    expect(Object.keys(triageSessionMessages.zh).sort()).toEqual(Object.keys(triageSessionMessages.en).sort());
    for (const [k, en] of Object.entries(triageSessionMessages.en)) {
      expect(triageSessionMessages.zh[k]!.trim(), k).not.toBe('');
      expect({ k, p: placeholders(triageSessionMessages.zh[k]!) }).toEqual({ k, p: placeholders(en) });
    }
  });
  it('auto-answer lines name real questions and answers of the tree', () => {
    for (const k of Object.keys(triageSessionMessages.en).filter((x) => x.startsWith('session.auto.'))) {
      const rest = k.slice('session.auto.'.length);
      const answer = rest.slice(rest.lastIndexOf('.') + 1);
      const question = TREE[rest.slice(0, rest.lastIndexOf('.'))];
      expect(question, k).toBeDefined();
      expect(question!.options.map((o) => o.value), k).toContain(answer);
    }
  });
});
