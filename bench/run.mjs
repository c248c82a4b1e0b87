#!/usr/bin/env node
// The benchmark of issues 7 and 18, as one run: `npm run bench` (builds first).
//
// Generates (or reuses) the seeded inputs, then times each command as a whole process, REPS times,
// median wall-clock + max peak RSS:
//   import 200k refunds into a new DB, in turn with sqlite3 .import of the same file (in memory:
//     the floor; the ratio is taken pair by pair) | the same import again (all unchanged)
//   sqlite3 .import into a WAL file (reference) | sqlite-utils insert --csv
//   import of the 1M-row order report   | refunds today / today --json vs node -e 0
//   next case card in triage (hook: dist/bench/triageNextCard.js, see BENCHMARKS.md)
//   shop scale (issue 18): two-year histories of 10k, 100k, 200k and 1M refunds (import, today,
//     today --json, show, summary, stats --since 28d, next card; at 1M today/summary/stats in turn
//     with node -e 0), the 20-day pile of 1M (import, next card), the database file ÷ its CSV
// and prints the tables + pass/fail per target, and writes them into BENCHMARKS.md between
// <!-- bench:start --> and <!-- bench:end --> (only for a full-size, quiet run; see BENCH_WRITE).
//
// Environment:
//   BENCH_ROWS=20000      refund rows (default 200000); orders default to 5x that (BENCH_ORDER_ROWS);
//                         the histories scale with it (20000: 1k, 10k, 20k, 100k)
//   BENCH_HISTORY_SIZES=10000,1000000   the histories' sizes instead
//   BENCH_REPS=3          repetitions of each long measurement (median); short ones use max(REPS, 10)
//   BENCH_SEED=…          generator seed (default 20250421)
//   BENCH_WRITE=1|0       write BENCHMARKS.md even for a non-default size or a loaded run / never
//   BENCH_SKIP=orders,sqlite-utils   skip measurements by id (import, reimport, sqlite3, sqlite-utils,
//                         orders, today, triage, history)
//   BENCH_NO_INSTALL=1    never apt-get install missing tools (sqlite-utils, time)
//   BENCH_QUIET_WAIT=300  seconds to wait, before each run, for other processes to stop using CPU
//   BENCH_RETRIES=3       per measurement, how many runs disturbed by other processes are redone
//   BENCH_LOAD_LIMIT=1.5  1-minute load average (default 0.75 × cores) above which, at the start,
//                         the run counts as loaded: flagged, and BENCHMARKS.md left alone
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generateAll, generateRefunds, sizesFromEnv, utf8Copy, NOW_ISO, OUT_DIR } from './generate.mjs';
import { killRunning, measure, median, rssMethod, waitQuiet, which } from './lib/measure.mjs';

const START = Date.now();
// Taken before anything of this run loads the machine (npm run bench's build ran just before).
const LOAD_AT_START = os.loadavg();
const CORES = os.availableParallelism?.() ?? os.cpus().length;
// A 1-minute load average above this at the start marks the run as loaded (and BENCHMARKS.md is left alone).
const LOAD_LIMIT = Number(process.env.BENCH_LOAD_LIMIT ?? 0.75 * CORES);
const LOADED_AT_START = LOAD_AT_START[0] > LOAD_LIMIT;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const env = process.env;
const sizes = sizesFromEnv(env);
const DEFAULT_SIZE = sizes.rows === 200_000 && sizes.orderRows === 1_000_000;
const REPS = Math.max(1, Number(env.BENCH_REPS || 3));
const SHORT_REPS = Math.max(REPS, 10);
const SKIP = new Set((env.BENCH_SKIP || '').split(',').map((s) => s.trim()).filter(Boolean));
const NODE = process.execPath;
const TRIAGE_HOOK = 'dist/bench/triageNextCard.js';
const QUIET_WAIT_MS = Number(env.BENCH_QUIET_WAIT ?? 300) * 1000;
const RETRIES = Number(env.BENCH_RETRIES ?? REPS); // per measurement: runs disturbed by other processes are redone
const DISTURBED = 0.25; // cores used by other processes during a run that make it suspect
const LIMITS = { importVsSqlite: 2.0, reimportVsImport: 1.5, rssMiB: 200, todayVsNode: 2.0, triageMs: 50 };

const log = (s = '') => process.stderr.write(s + '\n');
const fmtS = (ms) => (ms == null ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMiB = (kib) => (kib == null ? '—' : `${(kib / 1024).toFixed(0)} MB`);
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`);
const num = (n) => n.toLocaleString('en-US');

// ---- tools ----------------------------------------------------------------------------------------

const notes = [];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let aptUpdated = false;
function aptInstall(pkg) {
  if (!isRoot || env.BENCH_NO_INSTALL) return false;
  log(`installing ${pkg} (apt-get; running as root)…`);
  if (!aptUpdated) {
    spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status === 0) notes.push(`\`${pkg}\` was not installed; the script installed it with \`apt-get install -y ${pkg}\`.`);
  return r.status === 0;
}

if (!fs.existsSync('/usr/bin/time')) aptInstall('time');
const rss = rssMethod();
const sqlite3 = which('sqlite3');
let sqliteUtils = which('sqlite-utils');
if (!sqliteUtils && !SKIP.has('sqlite-utils') && aptInstall('sqlite-utils')) sqliteUtils = which('sqlite-utils');
const versionOf = (cmd, args = ['--version']) => {
  if (!cmd) return null;
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : null;
};

if (!fs.existsSync(path.join(ROOT, 'dist/cli/main.js'))) {
  log('dist/ is missing: run `npm run bench` (which builds first) or `npm run build`.');
  process.exit(2);
}

// ---- inputs ---------------------------------------------------------------------------------------

log(`refunds benchmark — ${num(sizes.rows)} refund rows, ${num(sizes.orderRows)} order rows, seed ${sizes.seed}, ${REPS} reps`);
const files = await generateAll(sizes, (s) => log('  ' + s));
let INPUTS_CACHED = files.refundsMeta.cached && files.ordersMeta.cached;
const rel = (p) => path.relative(ROOT, p);
const REFUNDS = rel(files.refunds);
const ORDERS = rel(files.orders);
const REFUNDS_UTF8 = rel(files.refundsUtf8);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killRunning();
    process.exit(130);
  });
}
let dbSeq = 0;
const freshDb = (ext = 'sqlite') => path.join(work, `db-${++dbSeq}.${ext}`);
const rmDb = (f) => {
  for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(f + s, { force: true });
};
/** Pre-reads a file so the first repetition does not pay for the disk. */
const warmCache = (f) => {
  const fd = fs.openSync(f, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  fs.closeSync(fd);
};
[REFUNDS, ORDERS, REFUNDS_UTF8].forEach(warmCache);

// The CLI under test is a snapshot of bin/ + dist/ taken now: in a shared working tree someone may
// rebuild dist/ mid-run, and a database created by one build must not be read by another.
// BENCH_SNAPSHOT=0 runs the live tree instead. Times are kept: the code cache (bin/codeCache.js) is
// found by each chunk's size and modification time.
const SNAP = env.BENCH_SNAPSHOT === '0' ? ROOT : path.join(work, 'snap');
if (SNAP !== ROOT) {
  fs.mkdirSync(SNAP);
  fs.cpSync(path.join(ROOT, 'dist'), path.join(SNAP, 'dist'), { recursive: true, preserveTimestamps: true });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(SNAP, 'bin'), { recursive: true, preserveTimestamps: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAP, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(SNAP, 'node_modules'), 'dir');
}
const CLI = path.join(SNAP, 'bin/refunds.js');
const GIT_AT_START = spawnSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

// ---- measuring ------------------------------------------------------------------------------------

const results = {}; // id -> { label, command, runs: [{ms, rssKiB}], ms, rssKiB, note }

function shellQuote(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
function show(argv) {
  return argv
    .map((a) => (a === NODE ? 'node' : a.startsWith(SNAP + '/') ? path.relative(SNAP, a) : a.startsWith(work) ? a.replace(work, '$TMP') : shellQuote(a)))
    .join(' ');
}

function fail(what, r) {
  throw new Error(`${what} failed (exit ${r.code}):\n${(r.stderr || r.stdout).slice(0, 2000)}`);
}

/** A measurement being taken: its spec and the runs kept so far. */
function accumulator(id, label, reps, makeArgv, opts = {}) {
  return { id, label, reps, makeArgv, opts, runs: [], shown: null, retries: RETRIES, discarded: 0 };
}

/** One repetition of `acc`; false when it was disturbed by other processes and must be redone. */
async function runOnce(acc) {
  const { check, before, after } = acc.opts;
  const i = acc.runs.length;
  const ctx = before ? before(i) : {};
  const argv = acc.makeArgv(ctx);
  acc.shown ??= show(argv);
  // Earlier runs' database writes still in the page cache would be flushed during this one.
  spawnSync('sync');
  const q = await waitQuiet({ maxMs: QUIET_WAIT_MS, onWait: (c) => log(`  (another job is using ${c.toFixed(1)} cores; waiting up to ${QUIET_WAIT_MS / 1000} s for quiet)`) });
  if (!q.quiet) log(`  (still busy: ${q.cores.toFixed(1)} cores used by others; measuring anyway)`);
  const r = await measure(rss, argv, { cwd: ROOT, env });
  if (r.code !== 0) fail(`${acc.label} (${show(argv)})`, r);
  if (check) check(r, ctx, i);
  if (after) after(ctx, i);
  const disturbed = r.otherCpuMs != null && r.otherCpuMs >= 100 && r.otherCpuMs / r.ms > DISTURBED;
  const other = disturbed ? `, disturbed: others used ${(r.otherCpuMs / r.ms).toFixed(2)} cores` : '';
  log(`  ${acc.label} #${i + 1}: ${fmtS(r.ms)}, ${fmtMiB(r.rssKiB)}${r.cpuMs != null ? `, ${(r.cpuMs / r.ms).toFixed(2)} cores` : ''}${other}`);
  if (disturbed && acc.retries > 0) {
    acc.retries--;
    acc.discarded++;
    log('    (discarded; measuring again)');
    return false;
  }
  acc.runs.push({ ms: r.ms, rssKiB: r.rssKiB, cpuMs: r.cpuMs, otherCpuMs: r.otherCpuMs, stdout: acc.opts.keepStdout ? r.stdout : undefined });
  return true;
}

/** The result of a finished measurement, filed under its id. */
function settle(acc) {
  const { id, label, runs, shown, discarded } = acc;
  const cpu = runs.filter((x) => x.cpuMs != null);
  const others = runs.filter((x) => x.otherCpuMs != null);
  const rssAll = runs.map((x) => x.rssKiB).filter((x) => x != null);
  results[id] = {
    label,
    command: shown.replace(/\$TMP\/db-\d+\.(sqlite|db)/, (m, ext) => (id === 'import' || id === 'orders' || id === 'sqliteUtils' || id === 'sqlite3disk' ? `$TMP/new.${ext}` : '$TMP/refunds-populated.sqlite')),
    runs,
    ms: median(runs.map((x) => x.ms)),
    rssKiB: rssAll.length ? Math.max(...rssAll) : null,
    cores: cpu.length ? median(cpu.map((x) => x.cpuMs / x.ms)) : null,
    discarded,
    // Jiffies (10 ms) make this meaningless for short runs: only judged when others used >= 100 ms.
    disturbed: others.length && others.reduce((a, x) => a + x.otherCpuMs, 0) >= 100 * others.length
      ? others.reduce((a, x) => a + x.otherCpuMs, 0) / others.reduce((a, x) => a + x.ms, 0)
      : null,
  };
  return results[id];
}

async function series(id, label, reps, makeArgv, opts = {}) {
  const acc = accumulator(id, label, reps, makeArgv, opts);
  while (acc.runs.length < reps) await runOnce(acc);
  return settle(acc);
}

/**
 * Two measurements in turn, A B A B …: the ratio A ÷ B is taken pair by pair (median of the
 * pairs), so a machine whose speed drifts during the run still gives a fair ratio. Filed as
 * results[a.id].pairedWith = { id: b.id, ratio, ratios }. A disturbed run is redone alone.
 */
async function pairedSeries(a, b, reps) {
  const A = accumulator(a.id, a.label, reps, a.makeArgv, a.opts);
  const B = accumulator(b.id, b.label, reps, b.makeArgv, b.opts);
  while (A.runs.length < reps || B.runs.length < reps) {
    if (A.runs.length < reps) while (!(await runOnce(A)));
    if (B.runs.length < reps) while (!(await runOnce(B)));
  }
  const ra = settle(A);
  settle(B);
  const ratios = A.runs.map((x, i) => x.ms / B.runs[i].ms);
  ra.pairedWith = { id: b.id, ratio: median(ratios), ratios };
  return ra;
}
function skipped(id, label, command, note) {
  results[id] = { label, command, runs: [], ms: null, rssKiB: null, note };
  log(`  ${label}: ${note}`);
}

function lastImport(db) {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT kind, inserted, updated, unchanged, rejected FROM imports ORDER BY id DESC LIMIT 1').get();
  } finally {
    d.close();
  }
}
function expectImport(db, kind, rows, field) {
  const li = lastImport(db);
  if (!li || li.kind !== kind || li[field] !== rows || li.rejected !== 0) {
    throw new Error(`import of ${kind} did not do what the benchmark expects (${field} = ${num(rows)}): ${JSON.stringify(li)}`);
  }
}

const importArgv = (db, file) => [NODE, CLI, '--db', db, '--now', NOW_ISO, 'import', file];
let bigDb = null; // the populated 200k database, kept for re-import and today

if (LOADED_AT_START) log(`\n⚠ load average ${LOAD_AT_START[0].toFixed(2)} at the start (limit ${LOAD_LIMIT} on ${CORES} cores): this run will be marked as loaded and BENCHMARKS.md left alone (BENCH_WRITE=1 writes it anyway)`);
const START_BUSY = (await waitQuiet({ maxMs: QUIET_WAIT_MS, onWait: (c) => log(`  (another job is using ${c.toFixed(1)} cores; waiting up to ${QUIET_WAIT_MS / 1000} s for quiet)`) })).cores;
log('\nmeasuring…');
// 1. import into a new database, in turn with 3. the floor: SQLite's own CSV loader, no
// normalization, in memory (paired: the target is their ratio)
const importSpec = {
  id: 'import',
  label: `import ${REFUNDS} (new DB)`,
  makeArgv: (c) => importArgv(c.db, REFUNDS),
  opts: {
    before: () => ({ db: freshDb() }),
    check: (r, c) => expectImport(c.db, 'taobao-refunds', sizes.rows, 'inserted'),
    after: (c) => {
      if (bigDb) rmDb(bigDb);
      bigDb = c.db;
    },
  },
};
const sqlite3Spec = {
  id: 'sqlite3',
  label: 'sqlite3 .import (floor)',
  makeArgv: () => ['sqlite3', ':memory:', '-cmd', '.mode csv', `.import ${REFUNDS_UTF8} t`],
  opts: {
    check: (r) => {
      if (r.stderr.trim()) throw new Error(`sqlite3 .import complained:\n${r.stderr.slice(0, 1000)}`);
    },
  },
};
const needImport = !SKIP.has('import') || !SKIP.has('reimport') || !SKIP.has('today') || !SKIP.has('triage') || !SKIP.has('history');
const wantSqlite3 = !SKIP.has('sqlite3') && sqlite3;
if (needImport && !SKIP.has('import') && wantSqlite3) await pairedSeries(importSpec, sqlite3Spec, REPS);
else {
  if (needImport) {
    await series('import', importSpec.label, SKIP.has('import') ? 1 : REPS, importSpec.makeArgv, importSpec.opts);
    if (SKIP.has('import')) results.import.note = 'skipped (BENCH_SKIP); one run made only to populate the DB';
  }
  if (wantSqlite3) await series('sqlite3', sqlite3Spec.label, REPS, sqlite3Spec.makeArgv, sqlite3Spec.opts);
}
if (SKIP.has('sqlite3')) skipped('sqlite3', 'sqlite3 .import (floor)', '', 'skipped (BENCH_SKIP)');
else if (!sqlite3) skipped('sqlite3', 'sqlite3 .import (floor)', '', 'sqlite3 not installed (apt-get install sqlite3)');

// 2. the same import again: every row unchanged
if (!SKIP.has('reimport')) {
  await series('reimport', `re-import ${REFUNDS} (all unchanged)`, REPS, () => importArgv(bigDb, REFUNDS), {
    check: () => expectImport(bigDb, 'taobao-refunds', sizes.rows, 'unchanged'),
  });
}

// 3b. the same loader writing to a database file (WAL, as refunds does): how much of the gap is the disk
if (!SKIP.has('sqlite3') && sqlite3) {
  await series('sqlite3disk', 'sqlite3 .import into a WAL file (reference)', REPS, (c) => ['sqlite3', c.db, '-cmd', 'PRAGMA journal_mode=WAL', '-cmd', '.mode csv', `.import ${REFUNDS_UTF8} t`], {
    before: () => ({ db: freshDb('db') }),
    after: (c) => rmDb(c.db),
    check: (r) => {
      if (r.stderr.trim()) throw new Error(`sqlite3 .import complained:\n${r.stderr.slice(0, 1000)}`);
    },
  });
}

// 4. what a user would reach for
if (SKIP.has('sqlite-utils')) skipped('sqliteUtils', 'sqlite-utils insert --csv', '', 'skipped (BENCH_SKIP)');
else if (!sqliteUtils) {
  skipped('sqliteUtils', 'sqlite-utils insert --csv', `sqlite-utils insert $TMP/x.db t ${REFUNDS_UTF8} --csv`,
    env.BENCH_NO_INSTALL
      ? 'not available: sqlite-utils missing (BENCH_NO_INSTALL set; `apt-get install -y sqlite-utils`)'
      : isRoot
        ? 'not available: `apt-get install -y sqlite-utils` failed'
        : 'not available: sqlite-utils missing and not root (install with `sudo apt-get install -y sqlite-utils`)');
} else {
  await series('sqliteUtils', 'sqlite-utils insert --csv', REPS, (c) => ['sqlite-utils', 'insert', c.db, 't', REFUNDS_UTF8, '--csv'], {
    before: () => ({ db: freshDb('db') }),
    after: (c) => rmDb(c.db),
  });
}

// 5. the 1M-row order report
if (SKIP.has('orders')) skipped('orders', `import ${ORDERS} (new DB)`, '', 'skipped (BENCH_SKIP)');
else {
  await series('orders', `import ${ORDERS} (new DB)`, REPS, (c) => importArgv(c.db, ORDERS), {
    before: () => ({ db: freshDb() }),
    check: (r, c) => expectImport(c.db, 'taobao-orders', sizes.orderRows, 'inserted'),
    after: (c) => rmDb(c.db),
  });
}

// 6. the morning command vs the floor of any Node CLI
await series('node', 'node -e 0 (floor)', SHORT_REPS, () => [NODE, '-e', '0'], { before: (i) => ({}) });
for (const [id, extra] of [['today', []], ['todayJson', ['--json']]]) {
  const label = `refunds today${extra.length ? ' ' + extra.join(' ') : ''}`;
  const argv = [NODE, CLI, '--db', bigDb ?? freshDb(), '--now', NOW_ISO, 'today', ...extra];
  if (SKIP.has('today')) {
    skipped(id, label, show(argv), 'skipped (BENCH_SKIP)');
    continue;
  }
  const probe = await measure(rss, argv, { cwd: ROOT, env });
  if (probe.code !== 0 && /unknown command|unknown option/i.test(probe.stderr)) {
    skipped(id, label, show(argv), `not available (${probe.stderr.trim().split('\n')[0]})`);
    continue;
  }
  if (probe.code !== 0) fail(label, probe);
  // `today`'s target is its ratio to `node -e 0`: taken in pairs.
  if (id === 'today') await pairedSeries({ id, label, makeArgv: () => argv, opts: {} }, { id: 'node:today', label: 'node -e 0 (beside today)', makeArgv: () => [NODE, '-e', '0'], opts: {} }, SHORT_REPS);
  else await series(id, label, SHORT_REPS, () => argv);
}
// How many refunds `today --json` printed (every open one), for the reference line.
let todayJsonCount = null;
if (results.todayJson?.ms != null && bigDb) {
  const r = spawnSync(NODE, [CLI, '--db', bigDb, '--now', NOW_ISO, 'today', '--json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  todayJsonCount = JSON.parse(r.stdout).refunds.length;
}

// 7. triage: time from a decision to the next case card, in-process (hook)
if (SKIP.has('triage')) skipped('triage', 'next case card in triage (in-process)', '', 'skipped (BENCH_SKIP)');
else if (!fs.existsSync(path.join(SNAP, TRIAGE_HOOK))) {
  skipped('triage', 'next case card in triage (in-process)', `node ${TRIAGE_HOOK} --db … --now …`, `not available (${TRIAGE_HOOK} does not exist yet)`);
} else {
  // The hook records decisions: each repetition gets its own copy of the 200k database.
  const copyDb = () => {
    const c = freshDb();
    for (const s of ['', '-wal']) if (fs.existsSync(bigDb + s)) fs.copyFileSync(bigDb + s, c + s);
    return c;
  };
  const inner = [];
  await series('triage', 'next case card in triage (in-process)', REPS, (c) => [NODE, path.join(SNAP, TRIAGE_HOOK), '--db', c.db, '--now', NOW_ISO], {
    before: () => ({ db: copyDb() }),
    after: (c) => rmDb(c.db),
    check: (r) => {
      const line = r.stdout.trim().split('\n').pop() ?? '';
      let ms;
      try {
        ms = JSON.parse(line).ms;
      } catch {
        /* below */
      }
      if (typeof ms !== 'number') throw new Error(`${TRIAGE_HOOK} must print {"ms": <number>} as its last stdout line (null: no open case to show?); got: ${line.slice(0, 200)}`);
      inner.push(ms);
    },
  });
  results.triage.processMs = results.triage.ms;
  results.triage.ms = median(inner);
  results.triage.inner = inner;
}
if (bigDb) rmDb(bigDb);

// 8. shop scale (issue 18): a two-year history at growing sizes, and the 20-day pile at the largest.
// Sizes scale with BENCH_ROWS (200,000: 10k, 100k, 200k, 1M); BENCH_HISTORY_SIZES overrides them.
const sizeLabel = (n) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 100 === 0 ? `${n / 1000}k` : String(n));
const HISTORY_SIZES = env.BENCH_HISTORY_SIZES
  ? env.BENCH_HISTORY_SIZES.split(',').map((x) => Number(x.trim().replace(/_/g, '')))
  : [10_000, 100_000, 200_000, 1_000_000].map((n) => Math.max(100, Math.round((n * sizes.rows) / 200_000)));
if (HISTORY_SIZES.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`BENCH_HISTORY_SIZES: whole numbers of at least 100, comma-separated (got ${env.BENCH_HISTORY_SIZES})`);
const TOP = Math.max(...HISTORY_SIZES);
const history = { rows: [], pile: null };
const openCount = (db) => {
  const d = new Database(db, { readonly: true });
  try {
    return {
      open: d.prepare("SELECT count(*) FROM refunds WHERE status NOT IN ('SUCCESS', 'CLOSED')").pluck().get(),
      firstOpen: d.prepare("SELECT refund_id FROM refunds WHERE status NOT IN ('SUCCESS', 'CLOSED') ORDER BY refund_id LIMIT 1").pluck().get(),
    };
  } finally {
    d.close();
  }
};
const cliArgv = (db, ...rest) => [NODE, CLI, '--db', db, '--now', NOW_ISO, ...rest];
/** The next card on a copy of db (the hook records decisions): process figures and the in-process ms. */
async function cardOn(id, label, db, reps) {
  const inner = [];
  const r = await series(id, label, reps, (c) => [NODE, path.join(SNAP, TRIAGE_HOOK), '--db', c.db, '--now', NOW_ISO], {
    before: () => {
      const c = freshDb();
      for (const s of ['', '-wal']) if (fs.existsSync(db + s)) fs.copyFileSync(db + s, c + s);
      return { db: c };
    },
    after: (c) => rmDb(c.db),
    check: (res) => {
      const line = res.stdout.trim().split('\n').pop() ?? '';
      const ms = /^\{/.test(line) ? JSON.parse(line).ms : undefined;
      // null: no second open case to show (a tiny history); anything else is a broken hook.
      if (typeof ms !== 'number' && ms !== null) throw new Error(`${TRIAGE_HOOK} must print {"ms": <number>} as its last stdout line; got: ${line.slice(0, 200)}`);
      if (ms !== null) inner.push(ms);
    },
  });
  r.inProcessMs = inner.length ? median(inner) : null;
  return r;
}
function historyInput(shape, n) {
  const file = path.join(OUT_DIR, `refunds-${shape}-${sizeLabel(n)}.csv`);
  const m = generateRefunds({ rows: n, orderRows: n * 5, seed: sizes.seed, file, shape });
  if (!m.cached) INPUTS_CACHED = false;
  log(`  ${rel(file)}: ${num(n)} rows (${shape}), ${(m.bytes / 1e6).toFixed(1)} MB GBK ${m.cached ? '(cached)' : `(${(m.ms / 1000).toFixed(1)} s)`}`);
  warmCache(file);
  return file;
}
async function historyImport(id, label, file, n) {
  let kept = null;
  await series(id, label, REPS, (c) => cliArgv(c.db, 'import', file), {
    before: () => ({ db: freshDb() }),
    check: (r, c) => expectImport(c.db, 'taobao-refunds', n, 'inserted'),
    after: (c) => {
      if (kept) rmDb(kept);
      kept = c.db;
    },
  });
  return kept;
}
if (SKIP.has('history')) log('\nshop scale (issue 18): skipped (BENCH_SKIP)');
else {
  log(`\nshop scale (issue 18): two-year histories of ${HISTORY_SIZES.map(sizeLabel).join(', ')}; the 20-day pile of ${sizeLabel(TOP)}`);
  for (const n of HISTORY_SIZES) {
    const L = sizeLabel(n);
    const file = historyInput('history', n);
    const db = await historyImport(`h${n}:import`, `history ${L}: import`, file, n);
    const { open, firstOpen } = openCount(db);
    log(`  history ${L}: ${num(open)} open refunds`);
    const cmd = (key, label, argv) => ({ id: `h${n}:${key}`, label: `history ${L}: ${label}`, makeArgv: () => argv, opts: {} });
    const nodeFor = (key) => ({ id: `h${n}:node:${key}`, label: `node -e 0 (beside ${key})`, makeArgv: () => [NODE, '-e', '0'], opts: {} });
    const row = { n, open, dbBytes: null, csvBytes: null };
    const commands = [
      ['today', 'today', cliArgv(db, 'today')],
      ['todayJson', 'today --json', cliArgv(db, 'today', '--json')],
      ['show', 'show', cliArgv(db, 'show', firstOpen ?? '0')],
      ['summary', 'summary', cliArgv(db, 'summary')],
      ['stats', 'stats --since 28d', cliArgv(db, 'stats', '--since', '28d')],
    ];
    for (const [key, label, argv] of commands) {
      if (key === 'show' && !firstOpen) continue;
      // At the largest size the targeted ones are ratios to `node -e 0`: taken in pairs, 10 of them.
      if (n === TOP && ['today', 'summary', 'stats'].includes(key)) row[key] = await pairedSeries(cmd(key, label, argv), nodeFor(key), SHORT_REPS);
      else row[key] = await series(cmd(key, label, argv).id, `history ${L}: ${label}`, REPS, () => argv);
    }
    row.card = firstOpen ? await cardOn(`h${n}:card`, `history ${L}: next card`, db, REPS) : null;
    row.import = results[`h${n}:import`];
    if (n === TOP) {
      row.dbBytes = fs.statSync(db).size;
      const utf8 = file.replace(/\.csv$/, '.utf8.csv');
      await utf8Copy(file, utf8);
      row.csvBytes = fs.statSync(utf8).size;
    }
    rmDb(db);
    history.rows.push(row);
  }
  const L = sizeLabel(TOP);
  const pileFile = historyInput('pile', TOP);
  const pileDb = await historyImport('pile:import', `20-day pile ${L}: import`, pileFile, TOP);
  const { open } = openCount(pileDb);
  history.pile = { n: TOP, open, import: results['pile:import'], card: await cardOn('pile:card', `20-day pile ${L}: next card`, pileDb, REPS) };
  rmDb(pileDb);
}

// ---- report ---------------------------------------------------------------------------------------

const R = results;
const ratio = (a, b) => (R[a]?.ms != null && R[b]?.ms != null ? R[a].ms / R[b].ms : null);
const verdict = (value, limit) => (value == null ? 'n/a' : value <= limit ? '**pass**' : '**FAIL**');

const sizeNote = DEFAULT_SIZE ? '' : ` — **reduced size** (BENCH_ROWS=${sizes.rows}${env.BENCH_ORDER_ROWS ? `, BENCH_ORDER_ROWS=${sizes.orderRows}` : ''}); the targets are defined at 200,000 / 1,000,000 rows`;
const rate = (id, rows) => (R[id]?.ms ? `${num(Math.round(rows / (R[id].ms / 1000)))} rows/s` : '');

const lines = [];
lines.push(`Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — ${num(sizes.rows)} refund rows (${(files.refundsMeta.bytes / 1e6).toFixed(1)} MB GBK), ${num(sizes.orderRows)} order rows (${(files.ordersMeta.bytes / 1e6).toFixed(1)} MB GBK), seed ${sizes.seed}${sizeNote}.`);
lines.push('');
lines.push('| Measurement | Median | Runs | Peak RSS | CPU | Throughput | Command |');
lines.push('|---|--:|--:|--:|--:|--:|---|');
const disturbedRows = [];
const row = (id, throughput = '') => {
  const r = R[id];
  if (!r) return;
  const med = r.ms == null ? r.note : id === 'triage' ? `${r.ms.toFixed(1)} ms (in-process; process ${fmtS(r.processMs)})` : fmtS(r.ms);
  const warn = r.disturbed != null && r.disturbed > DISTURBED ? ' ⚠' : '';
  if (warn) disturbedRows.push(`${r.label} (others used ${r.disturbed.toFixed(2)} cores on average)`);
  const cores = r.cores != null ? `${r.cores.toFixed(2)} cores` : '—';
  lines.push(`| ${r.label} | ${med}${warn} | ${r.runs.length || '—'} | ${fmtMiB(r.rssKiB)} | ${cores} | ${throughput} | \`${r.command || '—'}\` |`);
};
row('import', rate('import', sizes.rows));
row('reimport', rate('reimport', sizes.rows));
row('sqlite3', rate('sqlite3', sizes.rows));
row('sqlite3disk', rate('sqlite3disk', sizes.rows));
row('sqliteUtils', rate('sqliteUtils', sizes.rows));
row('orders', rate('orders', sizes.orderRows));
row('node');
row('today');
row('todayJson');
row('triage');
// The shop-scale table (issue 18): each cell median time / largest peak RSS.
const cellOf = (r) => (r?.ms == null ? '' : `${fmtS(r.ms)} / ${fmtMiB(r.rssKiB)}`);
const cardCell = (r) => (r?.inProcessMs != null ? `${r.inProcessMs.toFixed(1)} ms (${cellOf(r)})` : r ? `no second card (${cellOf(r)})` : '—');
if (history.rows.length) {
  lines.push('');
  lines.push(`Shop scale (issue 18): two-year histories (bench/generate.mjs shape \`history\`: finished refunds applied over 730 days, ~2 % open, applied within their state's window) and the 20-day pile (shape \`pile\`: all applied in the last 20 days, ~10 % open). Each cell: median time / largest peak RSS; the next card is the hook's in-process time (the whole process and its RSS beside it).`);
  lines.push('');
  lines.push('| two-year history | open | import | `today` | `today --json` | `show` | `summary` | `stats --since 28d` | next card |');
  lines.push('|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const h of history.rows) {
    lines.push(`| ${sizeLabel(h.n)} | ${num(h.open)} | ${cellOf(h.import)} | ${cellOf(h.today)} | ${cellOf(h.todayJson)} | ${cellOf(h.show)} | ${cellOf(h.summary)} | ${cellOf(h.stats)} | ${cardCell(h.card)} |`);
  }
  const p = history.pile;
  if (p) lines.push(`| 20-day pile ${sizeLabel(p.n)} | ${num(p.open)} | ${cellOf(p.import)} | | | | | | ${cardCell(p.card)} |`);
}

lines.push('');
lines.push('Every target, in this run. "paired" ratios come from runs taken in turn (A B A B …), the median of the pair-by-pair ratios; the others divide medians.');
lines.push('');
lines.push('| Target | Issue | Measured | Limit | Result | How |');
lines.push('|---|:-:|--:|--:|:-:|---|');
const failed = [];
const tgt = (name, issue, value, shown, limit, limitShown, how = '') => {
  const v = verdict(value, limit);
  if (v !== '**pass**') failed.push(name);
  lines.push(`| ${name} | ${issue} | ${shown} | ${limitShown} | ${v} | ${how} |`);
};
/** A ÷ B: the paired ratio when A was measured in turn with B, else the ratio of medians. */
const pairedOr = (a, b) => (R[a]?.pairedWith ? { x: R[a].pairedWith.ratio, how: `paired, ${R[a].runs.length} pair${R[a].runs.length === 1 ? '' : 's'} (${fmtX(Math.min(...R[a].pairedWith.ratios))}–${fmtX(Math.max(...R[a].pairedWith.ratios))})` } : { x: ratio(a, b), how: 'medians' });
const imp = pairedOr('import', 'sqlite3');
tgt(`import of the ${sizeLabel(sizes.rows)} report ÷ \`sqlite3 .import\``, '7, 18', imp.x, fmtX(imp.x), LIMITS.importVsSqlite, `≤ ${LIMITS.importVsSqlite.toFixed(1)}×`, imp.how);
const x2 = ratio('reimport', 'import');
tgt('re-import (unchanged) ÷ import', '7, 18', x2, fmtX(x2), LIMITS.reimportVsImport, `≤ ${LIMITS.reimportVsImport.toFixed(1)}×`, 'medians');
for (const id of ['import', 'reimport', 'orders']) {
  const r = R[id];
  const v = r?.rssKiB != null ? r.rssKiB / 1024 : null;
  tgt(`peak RSS, ${id === 'orders' ? `order import (${num(sizes.orderRows)} rows)` : id === 'import' ? `import (${num(sizes.rows)} rows)` : 're-import'}`, '7, 18', v, fmtMiB(r?.rssKiB), LIMITS.rssMiB, `≤ ${LIMITS.rssMiB} MB`, 'largest');
}
const t3 = pairedOr('today', 'node');
tgt(`\`today\` on the ${sizeLabel(sizes.rows)} report ÷ \`node -e 0\``, '7', t3.x, R.today?.ms == null ? 'not available' : fmtX(t3.x), LIMITS.todayVsNode, `≤ ${LIMITS.todayVsNode.toFixed(1)}×`, t3.how);
tgt(`next case card, ${sizeLabel(sizes.rows)} report`, '7', R.triage?.ms ?? null, R.triage?.ms == null ? 'not available' : `${R.triage.ms.toFixed(1)} ms`, LIMITS.triageMs, `≤ ${LIMITS.triageMs} ms`, 'in-process, median');
const big = history.rows.find((h) => h.n === TOP);
if (big) {
  const L = sizeLabel(TOP);
  const xi = big.import.ms / R.import.ms;
  tgt(`import of the ${L} history ÷ import of the ${sizeLabel(sizes.rows)} report`, '18', xi, fmtX(xi), 5.5, '≤ 5.5×', 'medians');
  tgt(`peak RSS, import of the ${L} history / the pile`, '18', Math.max(big.import.rssKiB, history.pile?.import.rssKiB ?? 0) / 1024, `${fmtMiB(big.import.rssKiB)} / ${fmtMiB(history.pile?.import.rssKiB)}`, LIMITS.rssMiB, `≤ ${LIMITS.rssMiB} MB`, 'largest');
  for (const [key, name, limit] of [['summary', '`summary`', 20], ['stats', '`stats --since 28d`', 20], ['today', '`today`', 3]]) {
    const r = big[key];
    const q = r.pairedWith ? { x: r.pairedWith.ratio, how: `paired, ${r.runs.length} pair${r.runs.length === 1 ? '' : 's'} (${fmtX(Math.min(...r.pairedWith.ratios))}–${fmtX(Math.max(...r.pairedWith.ratios))})` } : { x: r.ms / R.node.ms, how: 'medians' };
    tgt(`${name} on the ${L} history ÷ \`node -e 0\``, '18', q.x, fmtX(q.x), limit, `≤ ${limit}×`, q.how);
    if (key !== 'today') tgt(`peak RSS, ${name} on the ${L} history`, '18', r.rssKiB / 1024, fmtMiB(r.rssKiB), LIMITS.rssMiB, `≤ ${LIMITS.rssMiB} MB`, 'largest');
  }
  tgt(`next card, ${L} history`, '18', big.card?.inProcessMs ?? null, big.card?.inProcessMs != null ? `${big.card.inProcessMs.toFixed(1)} ms` : 'not measured (too few open refunds)', LIMITS.triageMs, `≤ ${LIMITS.triageMs} ms`, 'in-process, median');
  const pc = history.pile?.card;
  tgt(`next card, 20-day pile (${num(history.pile?.open ?? 0)} open)`, '18', pc?.inProcessMs ?? null, pc?.inProcessMs != null ? `${pc.inProcessMs.toFixed(1)} ms` : 'not measured', LIMITS.triageMs, `≤ ${LIMITS.triageMs} ms`, 'in-process, median');
  const xd = big.dbBytes / big.csvBytes;
  tgt(`database file ÷ its UTF-8 CSV (${L} history)`, '18', xd, `${fmtX(xd)} (${(big.dbBytes / 2 ** 20).toFixed(0)} / ${(big.csvBytes / 2 ** 20).toFixed(0)} MB)`, 1.5, '≤ 1.5×', 'file sizes');
}
lines.push('');
lines.push(failed.length ? `**Not met in this run:** ${failed.join('; ')}.` : '**Every target met in this run.**');
const xu = ratio('import', 'sqliteUtils');
lines.push('');
lines.push('CPU = user + system time of the process ÷ its wall-clock (above 1.00 means more than one core was busy).');
// Every measurement (the shop-scale ones too), not only the rows of the first table.
const disturbedAll = Object.values(R).filter((r) => r.disturbed != null && r.disturbed > DISTURBED);
for (const r of disturbedAll) if (!disturbedRows.some((d) => d.startsWith(r.label + ' ('))) disturbedRows.push(`${r.label} (others used ${r.disturbed.toFixed(2)} cores on average)`);
if (disturbedRows.length) {
  lines.push('');
  lines.push(`⚠ Other processes were using CPU during: ${disturbedRows.join('; ')}. Those times are likely inflated; rerun on an idle machine.`);
}
const QUIET_RUN = disturbedRows.length === 0 && !LOADED_AT_START;
const redone = Object.values(R).filter((r) => r.discarded).map((r) => `${r.label} (${r.discarded})`);
if (redone.length) {
  lines.push('');
  lines.push(`Runs disturbed by other processes (> ${DISTURBED} cores busy elsewhere) were discarded and redone: ${redone.join('; ')}.`);
}
lines.push('');
lines.push(
  `For reference (no target): import ÷ sqlite-utils = ${fmtX(xu)}; sqlite-utils ÷ sqlite3 = ${fmtX(ratio('sqliteUtils', 'sqlite3'))}; ` +
    `import ÷ sqlite3 .import into a WAL file = ${fmtX(ratio('import', 'sqlite3disk'))}; ` +
    `\`today --json\` ÷ \`node -e 0\` = ${fmtX(ratio('todayJson', 'node'))} (the issue sets its 2.0× target for \`refunds today\`; \`--json\` lists every open refund, ${todayJsonCount === null ? '?' : num(todayJsonCount)} here).`,
);

// machine
const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
const cpuModel = (/^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown').trim();
const memTotal = Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
const betterSqlite = (() => {
  const d = new Database(':memory:');
  try {
    return d.prepare('SELECT sqlite_version() AS v').get().v;
  } finally {
    d.close();
  }
})();
const git = GIT_AT_START;
const fsType = spawnSync('stat', ['-f', '-c', '%T', work], { encoding: 'utf8' }).stdout.trim();
lines.push('');
const LOAD_AT_END = os.loadavg();
const RUN_MIN = (Date.now() - START) / 60000;
lines.push(`Load: load average ${LOAD_AT_START.map((x) => x.toFixed(2)).join(' / ')} (1 / 5 / 15 min) when the run started, ${LOAD_AT_END.map((x) => x.toFixed(2)).join(' / ')} at its end; other processes used ${START_BUSY == null ? 'unknown' : START_BUSY.toFixed(2)} cores in the second before the first measurement. ${QUIET_RUN ? 'Quiet run: no measurement was disturbed by other processes.' : `**Not a quiet run**: ${disturbedRows.length} measurement(s) disturbed (⚠ above)${LOADED_AT_START ? `; the load average at the start was above ${LOAD_LIMIT} on ${CORES} cores` : ''}.`}`);
lines.push('');
lines.push(`Length: the whole run took ${RUN_MIN.toFixed(1)} min (inputs ${INPUTS_CACHED ? 'cached' : 'generated in this run'}; waiting for quiet included).`);
lines.push('');
lines.push('Machine and software:');
lines.push('');
lines.push(`- CPU: ${cpuModel}; ${os.availableParallelism?.() ?? os.cpus().length} cores available to the process`);
lines.push(`- memory: ${(memTotal / 1024 / 1024).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} (${os.arch()})`);
lines.push(`- Node ${process.version}; SQLite in better-sqlite3 ${betterSqlite}; ${versionOf(sqlite3) ? `sqlite3 CLI ${versionOf(sqlite3).split(' ')[0]}` : 'no sqlite3 CLI'}; ${versionOf(sqliteUtils) ?? 'no sqlite-utils'}`);
lines.push(`- databases in ${os.tmpdir()} (${fsType || 'unknown fs'}); peak RSS by ${rss.describe}; wall-clock by Node's monotonic clock around each process`);
lines.push(`- repository at ${git || 'unknown commit'} (when the run started${SNAP !== ROOT ? '; the CLI ran from a snapshot of bin/ and dist/ taken then' : ''})`);
lines.push(`- repetitions: ${REPS} per measurement (median time, max RSS), ${SHORT_REPS} for the short commands (\`node -e 0\`, \`today\`)`);
lines.push('');
const envShown = ['BENCH_ROWS', 'BENCH_ORDER_ROWS', 'BENCH_REPS', 'BENCH_SEED', 'BENCH_SKIP', 'BENCH_HISTORY_SIZES'].filter((k) => env[k]).map((k) => `${k}=${env[k]} `).join('');
lines.push(`Reproduce: \`${envShown}npm run bench\` (one command: builds, generates the inputs into bench/out/ if missing, measures issue 7's and issue 18's targets and writes this section; ${RUN_MIN.toFixed(0)} min here). Quick run: \`BENCH_ROWS=20000 npm run bench\` (histories of 1k–100k; leaves BENCHMARKS.md alone).`);
for (const n of notes) lines.push('', n);
const table = lines.join('\n');

process.stdout.write('\n' + table + '\n');

const write = env.BENCH_WRITE === '1' || (env.BENCH_WRITE !== '0' && DEFAULT_SIZE && SKIP.size === 0 && QUIET_RUN && !env.BENCH_HISTORY_SIZES);
const lastRun = path.join(ROOT, 'bench/out/last-run.md');
fs.writeFileSync(lastRun, table + '\n');
if (write) {
  const md = path.join(ROOT, 'BENCHMARKS.md');
  const START_M = '<!-- bench:start -->';
  const END_M = '<!-- bench:end -->';
  let text = fs.existsSync(md) ? fs.readFileSync(md, 'utf8') : `# Benchmarks\n\n${START_M}\n${END_M}\n`;
  const a = text.indexOf(START_M);
  const b = text.indexOf(END_M);
  if (a < 0 || b < a) text = text.trimEnd() + `\n\n${START_M}\n${END_M}\n`;
  const a2 = text.indexOf(START_M);
  const b2 = text.indexOf(END_M);
  text = text.slice(0, a2 + START_M.length) + '\n' + table + '\n' + text.slice(b2);
  fs.writeFileSync(md, text);
  log(`\nwrote BENCHMARKS.md (and ${rel(lastRun)})`);
} else {
  const why = !DEFAULT_SIZE ? 'reduced size' : SKIP.size ? 'BENCH_SKIP set' : env.BENCH_HISTORY_SIZES ? 'BENCH_HISTORY_SIZES set' : env.BENCH_WRITE === '0' ? 'BENCH_WRITE=0' : 'not a quiet run: other processes disturbed it (see ⚠ above); rerun on an idle machine';
  log(`\nBENCHMARKS.md not updated (${why}; BENCH_WRITE=1 forces it). Table saved to ${rel(lastRun)}.`);
}

// The PostgreSQL rows (issue 19): bench/pg.mjs, on REFUNDS_BENCH_PG or a throwaway server it starts
// (it says so and exits 0 when neither is possible). BENCH_SKIP=pg leaves them out.
if (!SKIP.has('pg')) {
  log('\nPostgreSQL (bench/pg.mjs)…');
  const r = spawnSync(NODE, [path.join(ROOT, 'bench/pg.mjs')], { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
}
