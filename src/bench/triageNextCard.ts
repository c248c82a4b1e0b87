// Benchmark hook (issue 7): the time from a confirmed decision to the next case card in
// `refunds triage`, in-process, on the benchmark's big database. Run by bench/run.mjs as
//   node dist/bench/triageNextCard.js --db FILE --now TIME
// and prints {"ms": <median>, "samples": [...]} as its last line. It records decisions (action
// "wait") in that database: run it on a copy.
import { parseArgs } from 'node:util';
import { caseContext } from '../app/decide.js';
import { openTriageDesk } from '../cli/triageDesk.js';
import { storePorts as portsOf } from '../store/store.js';
import { builtinRules } from '../domain/rules.js';
import { chinaCalendar } from '../app/calendarData.js';
import { DEFAULT_DUE_SOON_MS } from '../domain/urgency.js';
import { ShopZone, parseShopTime, systemClock } from '../domain/time.js';
import { openStore } from '../store/store.js';
import { t } from '../ui/i18n.js';
import { makeOutput } from '../ui/io.js';
import { renderCard } from '../ui/triageView.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, now: { type: 'string' }, rounds: { type: 'string' } } });
if (!values.db || !values.now) {
  process.stderr.write('usage: node dist/bench/triageNextCard.js --db FILE --now TIME [--rounds N]\n');
  process.exit(2);
}
const zone = new ShopZone();
const nowMs = parseShopTime(values.now, zone)!;
const store = openStore(values.db);
const env = { zone, nowMs, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: DEFAULT_DUE_SOON_MS };
const io = makeOutput({ color: false });
const { desk } = openTriageDesk(portsOf(store, systemClock), env, { agent: 'bench', session: `bench-${process.pid}`, claimTtlMs: 15 * 60_000 });
const denv = { sweep: env, config: {}, tr: (k: string, p?: Record<string, string | number>) => t(k, p) };
const passed = new Set<string>();
const samples: number[] = [];
let cf = await desk.next(passed);
const rounds = Number(values.rounds ?? 7);
for (let i = 0; i < rounds && cf; i++) {
  const current = cf;
  await desk.commit(current, denv, { refundId: current.refund.refundId, action: 'wait', agent: 'bench', source: 'triage' });
  passed.add(current.refund.refundId);
  // The measured span: from the recorded decision to the next card on screen.
  const start = performance.now();
  cf = await desk.next(passed);
  if (cf) {
    const ctx = caseContext(cf, { nowMs, agent: 'bench', config: {} });
    renderCard(cf, ctx, io, { zone, nowMs, dueSoonMs: env.dueSoonMs, n: i + 2, left: await desk.remaining(new Set([...passed, cf.refund.refundId])) });
  }
  samples.push(performance.now() - start);
}
await desk.release();
store.close();
samples.sort((a, b) => a - b);
const median = samples.length ? samples[Math.floor(samples.length / 2)]! : null;
process.stdout.write(`${JSON.stringify({ ms: median === null ? null : Math.round(median * 10) / 10, samples: samples.map((s) => Math.round(s * 10) / 10) })}\n`);
