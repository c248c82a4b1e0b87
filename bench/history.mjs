#!/usr/bin/env node
// Shop scale (issue 18): the commands on a growing two-year history and on the 20-day pile.
//
//   npm run build && node bench/history.mjs [--sizes 10000,100000,200000,1000000] [--reps 3] [--write]
//
// For each size N it generates (cached in bench/out/) a two-year history of N refunds
// (bench/generate.mjs shape "history": finished ones over 730 days, ~2 % open, applied within
// their state's window), imports it into a new database and measures, each a whole process,
// median of --reps with the largest peak RSS: the import, `today`, `today --json`, `show` of an
// open refund, `summary`, `stats --since 28d` and the next triage card (the bench hook
// dist/bench/triageNextCard.js, on a copy). At the largest size it also imports the 20-day pile
// (shape "pile": everything in the last 20 days, ~10 % open) and times the next card there, and
// compares the database file with the UTF-8 CSV. `node -e 0` and the 200k report (issue 7's
// input: its import, the ratio's denominator, its re-import and `sqlite3 .import` of its UTF-8
// copy) are measured in the same run, so that every target of issue 18 has its figure in one run. --write puts the tables into BENCHMARKS.md
// between <!-- history:start --> and <!-- history:end -->.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateRefunds, utf8Copy, OUT_DIR, NOW_ISO, DEFAULT_SEED } from './generate.mjs';
import { measure, median, rssMethod } from './lib/measure.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const args = process.argv.slice(2);
const opt = (name, d) => {
  const i = args.indexOf(name);
  return i < 0 ? d : args[i + 1];
};
const sizes = opt('--sizes', '10000,100000,200000,1000000').split(',').map(Number);
const reps = Number(opt('--reps', '3'));
const write = args.includes('--write');
const method = rssMethod();
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-history-'));
const BIN = path.join(ROOT, 'bin/refunds.js');
const HOOK = path.join(ROOT, 'dist/bench/triageNextCard.js');
if (!fs.existsSync(HOOK)) throw new Error('dist/ is missing: npm run build first');
const log = (s) => process.stderr.write(s + '\n');
const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1000}k`);

function input(shape, rows) {
  const file = path.join(OUT_DIR, `refunds-${shape}-${label(rows)}.csv`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  generateRefunds({ rows, orderRows: rows * 5, seed: DEFAULT_SEED, file, shape });
  return file;
}

/** Median ms, max peak RSS (MiB) and CPU seconds of `reps` runs of argv; `before` runs untimed before each. */
async function timed(argv, { n = reps, before, check } = {}) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    before?.();
    const r = await measure(method, argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    check?.(r);
    runs.push(r);
  }
  return {
    ms: median(runs.map((r) => r.ms)),
    rss: Math.max(...runs.map((r) => r.rssKiB ?? 0)) / 1024,
    cpu: median(runs.map((r) => r.cpuMs ?? 0)) / 1000,
    hook: runs.map((r) => r.stdout.trim().split('\n').pop()).map((l) => (l?.startsWith('{') ? JSON.parse(l).ms : null)),
  };
}

const cli = (db, ...rest) => ['node', BIN, '--db', db, '--now', NOW_ISO, ...rest];
const fresh = (db) => () => ['', '-wal', '-shm', '-journal'].forEach((x) => fs.rmSync(db + x, { force: true }));
const imported = (n) => (r) => {
  if (!r.stdout.includes(`${n} new`)) throw new Error(`import did not insert ${n} rows: ${r.stdout.slice(0, 300)}`);
};

async function importInto(db, file, rows, n) {
  return timed(cli(db, 'import', file), { n, before: fresh(db), check: imported(rows) });
}

async function card(db) {
  const copy = db + '.card';
  const r = await timed(['node', HOOK, '--db', copy, '--now', NOW_ISO], { before: () => fs.copyFileSync(db, copy) });
  fs.rmSync(copy, { force: true });
  return { ...r, inProcess: median(r.hook.filter((x) => x !== null)) };
}

const started = new Date();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
log(`history bench: sizes ${sizes.join(', ')}, ${reps} reps, in ${TMP}`);
const node = await timed(['node', '-e', '0'], { n: Math.max(reps, 5) });
const report200k = path.join(OUT_DIR, 'refunds-200k.csv');
if (!fs.existsSync(report200k)) throw new Error('bench/out/refunds-200k.csv is missing: node bench/generate.mjs');
log('import of the 200k report, re-import, sqlite3 .import');
const reportDb = path.join(TMP, 'report.sqlite');
const imp200k = await importInto(reportDb, report200k, 200000, reps);
const reimp200k = await timed(cli(reportDb, 'import', report200k), {
  check: (r) => {
    if (!r.stdout.includes('200000 unchanged')) throw new Error(`re-import did not find every row unchanged: ${r.stdout.slice(0, 300)}`);
  },
});
const report200kUtf8 = report200k.replace(/\.csv$/, '.utf8.csv');
await utf8Copy(report200k, report200kUtf8);
const sqlite3 = await timed(['sqlite3', ':memory:', '-cmd', '.mode csv', `.import ${report200kUtf8} t`]);

const rows = [];
for (const n of sizes) {
  const file = input('history', n);
  const db = path.join(TMP, `history-${label(n)}.sqlite`);
  log(`history ${label(n)}: import`);
  const imp = await importInto(db, file, n, n >= 1e6 ? 1 : reps);
  const openId = execFileSync('sqlite3', [db, "SELECT refund_id FROM refunds WHERE status NOT IN ('SUCCESS','CLOSED') ORDER BY refund_id LIMIT 1"], { encoding: 'utf8' }).trim();
  const open = Number(execFileSync('sqlite3', [db, "SELECT count(*) FROM refunds WHERE status NOT IN ('SUCCESS','CLOSED')"], { encoding: 'utf8' }).trim());
  log(`history ${label(n)}: commands (${open} open)`);
  const r = {
    n, open, imp,
    today: await timed(cli(db, 'today')),
    todayJson: await timed(cli(db, 'today', '--json')),
    show: await timed(cli(db, 'show', openId)),
    summary: await timed(cli(db, 'summary')),
    stats: await timed(cli(db, 'stats', '--since', '28d')),
    card: await card(db),
    dbBytes: fs.statSync(db).size,
    csvBytes: null,
  };
  if (n === Math.max(...sizes)) {
    const utf8 = file.replace(/\.csv$/, '.utf8.csv');
    await utf8Copy(file, utf8);
    r.csvBytes = fs.statSync(utf8).size;
  }
  rows.push(r);
  fs.rmSync(db, { force: true });
}
const top = Math.max(...sizes);
log(`pile ${label(top)}: import and next card`);
const pileDb = path.join(TMP, 'pile.sqlite');
const pileImp = await importInto(pileDb, input('pile', top), top, 1);
const pileOpen = Number(execFileSync('sqlite3', [pileDb, "SELECT count(*) FROM refunds WHERE status NOT IN ('SUCCESS','CLOSED')"], { encoding: 'utf8' }).trim());
const pileCard = await card(pileDb);
fs.rmSync(TMP, { recursive: true, force: true });

const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const cell = (m) => `${ms(m.ms)} / ${Math.round(m.rss)} MB`;
const big = rows.find((r) => r.n === top);
const x = (a, b) => `${(a / b).toFixed(2)}×`;
const lines = [];
lines.push(`Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')} at ${commit}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load average at the start ${os.loadavg()[0].toFixed(1)}; ${reps} repetitions (1 for the 1M imports), median time and the largest peak RSS (${method.describe}).`);
lines.push('');
lines.push('| two-year history | open | import | `today` | `today --json` | `show` | `summary` | `stats --since 28d` | next card (in-process; process / RSS) |');
lines.push('|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const r of rows) {
  lines.push(`| ${label(r.n)} | ${r.open.toLocaleString('en-US')} | ${cell(r.imp)} | ${cell(r.today)} | ${cell(r.todayJson)} | ${cell(r.show)} | ${cell(r.summary)} | ${cell(r.stats)} | ${r.card.inProcess} ms (${cell(r.card)}) |`);
}
lines.push(`| 20-day pile ${label(top)} | ${pileOpen.toLocaleString('en-US')} | ${cell(pileImp)} | | | | | | ${pileCard.inProcess} ms (${cell(pileCard)}) |`);
lines.push('');
lines.push(`\`node -e 0\`: ${cell(node)}. The 200k report (bench/out/refunds-200k.csv, issue 7's input): import ${cell(imp200k)}, re-import ${cell(reimp200k)}, \`sqlite3 :memory: .import\` of its UTF-8 copy ${cell(sqlite3)}.`);
lines.push('');
lines.push('| Target (issue 18) | Measured | Limit | Result |');
lines.push('|---|--:|--:|:-:|');
const verdict = (ok) => (ok ? '**pass**' : '**FAIL**');
const t = (name, v, limit, ok) => lines.push(`| ${name} | ${v} | ${limit} | ${verdict(ok)} |`);
t('import of the 200k report ÷ `sqlite3 .import`', x(imp200k.ms, sqlite3.ms), '≤ 2.0×', imp200k.ms / sqlite3.ms <= 2);
t('re-import ÷ import (200k report)', x(reimp200k.ms, imp200k.ms), '≤ 1.5×', reimp200k.ms / imp200k.ms <= 1.5);
t('peak RSS, import / re-import of the 200k report', `${Math.round(imp200k.rss)} / ${Math.round(reimp200k.rss)} MB`, '≤ 200 MB', Math.max(imp200k.rss, reimp200k.rss) <= 200);
t(`import of ${label(top)} ÷ import of the 200k report`, x(big.imp.ms, imp200k.ms), '≤ 5.5×', big.imp.ms / imp200k.ms <= 5.5);
t(`peak RSS, import of ${label(top)}`, `${Math.round(big.imp.rss)} MB`, '≤ 200 MB', big.imp.rss <= 200);
t('`summary` ÷ `node -e 0`', x(big.summary.ms, node.ms), '≤ 20×', big.summary.ms / node.ms <= 20);
t('peak RSS, `summary`', `${Math.round(big.summary.rss)} MB`, '≤ 200 MB', big.summary.rss <= 200);
t('`stats --since 28d` ÷ `node -e 0`', x(big.stats.ms, node.ms), '≤ 20×', big.stats.ms / node.ms <= 20);
t('peak RSS, `stats --since 28d`', `${Math.round(big.stats.rss)} MB`, '≤ 200 MB', big.stats.rss <= 200);
t('`today` ÷ `node -e 0`', x(big.today.ms, node.ms), '≤ 3×', big.today.ms / node.ms <= 3);
t('next card, two-year history', `${big.card.inProcess} ms`, '≤ 50 ms', big.card.inProcess <= 50);
t(`next card, 20-day pile (${pileOpen.toLocaleString('en-US')} open)`, `${pileCard.inProcess} ms`, '≤ 50 ms', pileCard.inProcess <= 50);
if (big.csvBytes) t('database file ÷ UTF-8 CSV', `${x(big.dbBytes, big.csvBytes)} (${(big.dbBytes / 2 ** 20).toFixed(0)} / ${(big.csvBytes / 2 ** 20).toFixed(0)} MB)`, '≤ 1.5×', big.dbBytes / big.csvBytes <= 1.5);
const text = lines.join('\n');
process.stdout.write(text + '\n');
if (write) {
  const md = fs.readFileSync('BENCHMARKS.md', 'utf8');
  const a = md.indexOf('<!-- history:start -->');
  const b = md.indexOf('<!-- history:end -->');
  if (a < 0 || b < 0) throw new Error('BENCHMARKS.md has no <!-- history:start --> … <!-- history:end --> markers');
  fs.writeFileSync('BENCHMARKS.md', md.slice(0, a + '<!-- history:start -->'.length) + '\n' + text + '\n' + md.slice(b));
}
