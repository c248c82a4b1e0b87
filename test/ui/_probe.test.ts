import path from 'node:path';
import { Chalk } from 'chalk';
import { render } from '@inquirer/testing';
import { expect, it } from 'vitest';
import { importFiles } from '../../src/import/pipeline.js';
import { openStore } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/domain/calendar.js';
import { runTriageSession } from '../../src/cli/triage.js';
import { createPrompter } from '../../src/ui/prompts.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');

it('probe', async () => {
  const store = openStore(path.join(tmpDir(), 'p.sqlite'));
  await importFiles(store, ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'].map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW });
  const env = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 86_400_000 };
  const session = ((_p: unknown, context: any) =>
    runTriageSession({
      store, env, config: {}, agent: 'alice', claimTtlMs: 900_000, handleSignals: false,
      prompter: createPrompter({ input: context.input, output: context.output }),
      io: { chalk: new Chalk({ level: 0 }), out: (s: string) => context.output.write(s + '\n'), err: (s: string) => context.output.write(s + '\n') },
    })) as any;
  const r = await render(session, {});
  const until = async (f: () => boolean) => { for (let i = 0; i < 200; i++) { if (f()) return; await new Promise((res) => setTimeout(res, 10)); } throw new Error('timeout: ' + r.getScreen()); };
  await until(() => r.getScreen().includes('Where is the parcel'));
  console.log(r.getScreen());
  r.events.keypress('down'); r.events.keypress('down'); r.events.keypress('enter');
  await until(() => r.getScreen().includes('Record this decision?'));
  r.events.keypress('enter');
  await until(() => r.getScreen().includes('The data decides'));
  r.events.keypress('enter');
  await until(() => r.getScreen().includes('Note'));
  r.events.type('空包裹');
  r.events.keypress('enter');
  await until(() => r.getScreen().includes('Evidence 1'));
  r.events.type('a.jpg'); r.events.keypress('enter');
  await until(() => r.getScreen().includes('Evidence 2'));
  r.events.keypress('enter');
  await until(() => r.getScreen().includes('Record this decision?'));
  console.log(r.getFullOutput().slice(-3000));
  r.events.keypress({ name: 'c', ctrl: true });
  const code = await r.answer;
  expect(code).toBe(130);
  console.log(store.sql('select refund_id, action, note, evidence_json from decisions'));
});
