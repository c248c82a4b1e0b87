#!/usr/bin/env node
// The benchmark of issue 7, as one run: `npm run bench` (builds first).
//
// Generates (or reuses) the seeded inputs, then times each command as a whole process, REPS times,
// median wall-clock + max peak RSS:
//   import 200k refunds into a new DB   | the same import again (all unchanged)
//   sqlite3 .import of the same file (in memory: the floor; into a WAL file: reference) | sqlite-utils insert --csv
//   import of the 1M-row order report   | refunds today / today --json vs node -e 0
//   next case card in triage (hook: dist/bench/triageNextCard.js, see BENCHMARKS.md)
// and prints the table + pass/fail per target, and writes it into BENCHMARKS.md between
// <!-- bench:start --> and <!-- bench:end --> (only for the full-size run; see BENCH_WRITE).
//
// Environment:
//   BENCH_ROWS=20000      refund rows (default 200000); orders default to 5x that (BENCH_ORDER_ROWS)
//   BENCH_REPS=3          repetitions of each long measurement (median); short ones use max(REPS, 10)
//   BENCH_SEED=…          generator seed (default 20250421)
//   BENCH_WRITE=1|0       write BENCHMARKS.md even for a non-default size / never
//   BENCH_SKIP=orders,sqlite-utils   skip measurements by id (import, reimport, sqlite3, sqlite-utils,
//                         orders, today, triage)
//   BENCH_NO_INSTALL=1    never apt-get install missing tools (sqlite-utils, time)
//   BENCH_QUIET_WAIT=300  seconds to wait, before each run, for other processes to stop using CPU
//   BENCH_RETRIES=3       per measurement, how many runs disturbed by other processes are redone
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { generateAll, sizesFromEnv, NOW_ISO } from './generate.mjs';
import { measure, median, rssMethod, waitQuiet, which } from './lib/measure.mjs';

const START = Date.now();
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
const rel = (p) => path.relative(ROOT, p);
const REFUNDS = rel(files.refunds);
const ORDERS = rel(files.orders);
const REFUNDS_UTF8 = rel(files.refundsUtf8);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
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
// BENCH_SNAPSHOT=0 runs the live tree instead.
const SNAP = env.BENCH_SNAPSHOT === '0' ? ROOT : path.join(work, 'snap');
if (SNAP !== ROOT) {
  fs.mkdirSync(SNAP);
  fs.cpSync(path.join(ROOT, 'dist'), path.join(SNAP, 'dist'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(SNAP, 'bin'), { recursive: true });
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

async function series(id, label, reps, makeArgv, { check, before, after } = {}) {
  const runs = [];
  let shown = null;
  let retries = RETRIES;
  let discarded = 0;
  for (let i = 0; i < reps; ) {
    const ctx = before ? before(i) : {};
    const argv = makeArgv(ctx);
    shown ??= show(argv);
    // Earlier runs' database writes still in the page cache would be flushed during this one.
    spawnSync('sync');
    const q = await waitQuiet({ maxMs: QUIET_WAIT_MS, onWait: (c) => log(`  (another job is using ${c.toFixed(1)} cores; waiting up to ${QUIET_WAIT_MS / 1000} s for quiet)`) });
    if (!q.quiet) log(`  (still busy: ${q.cores.toFixed(1)} cores used by others; measuring anyway)`);
    const r = await measure(rss, argv, { cwd: ROOT, env });
    if (r.code !== 0) fail(`${label} (${show(argv)})`, r);
    if (check) check(r, ctx, i);
    if (after) after(ctx, i);
    const disturbed = r.otherCpuMs != null && r.otherCpuMs >= 100 && r.otherCpuMs / r.ms > DISTURBED;
    const other = disturbed ? `, disturbed: others used ${(r.otherCpuMs / r.ms).toFixed(2)} cores` : '';
    log(`  ${label} #${i + 1}: ${fmtS(r.ms)}, ${fmtMiB(r.rssKiB)}${r.cpuMs != null ? `, ${(r.cpuMs / r.ms).toFixed(2)} cores` : ''}${other}`);
    if (disturbed && retries > 0) {
      retries--;
      discarded++;
      log('    (discarded; measuring again)');
      continue;
    }
    runs.push({ ms: r.ms, rssKiB: r.rssKiB, cpuMs: r.cpuMs, otherCpuMs: r.otherCpuMs });
    i++;
  }
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

log('\nmeasuring…');
// 1. import into a new database
if (!SKIP.has('import') || !SKIP.has('reimport') || !SKIP.has('today') || !SKIP.has('triage')) {
  await series('import', `import ${REFUNDS} (new DB)`, SKIP.has('import') ? 1 : REPS, (c) => importArgv(c.db, REFUNDS), {
    before: () => ({ db: freshDb() }),
    check: (r, c) => expectImport(c.db, 'taobao-refunds', sizes.rows, 'inserted'),
    after: (c, i) => {
      if (bigDb) rmDb(bigDb);
      bigDb = c.db;
    },
  });
  if (SKIP.has('import')) results.import.note = 'skipped (BENCH_SKIP); one run made only to populate the DB';
}

// 2. the same import again: every row unchanged
if (!SKIP.has('reimport')) {
  await series('reimport', `re-import ${REFUNDS} (all unchanged)`, REPS, () => importArgv(bigDb, REFUNDS), {
    check: () => expectImport(bigDb, 'taobao-refunds', sizes.rows, 'unchanged'),
  });
}

// 3. the floor: SQLite's own CSV loader, no normalization, in memory
if (SKIP.has('sqlite3')) skipped('sqlite3', 'sqlite3 .import (floor)', '', 'skipped (BENCH_SKIP)');
else if (!sqlite3) skipped('sqlite3', 'sqlite3 .import (floor)', '', 'sqlite3 not installed (apt-get install sqlite3)');
else {
  await series('sqlite3', 'sqlite3 .import (floor)', REPS, () => ['sqlite3', ':memory:', '-cmd', '.mode csv', `.import ${REFUNDS_UTF8} t`], {
    check: (r) => {
      if (r.stderr.trim()) throw new Error(`sqlite3 .import complained:\n${r.stderr.slice(0, 1000)}`);
    },
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
  await series(id, label, SHORT_REPS, () => argv);
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
lines.push('');
lines.push('| Target | Measured | Limit | Result |');
lines.push('|---|--:|--:|:-:|');
const tgt = (name, value, shown, limit, limitShown) => lines.push(`| ${name} | ${shown} | ${limitShown} | ${verdict(value, limit)} |`);
const x1 = ratio('import', 'sqlite3');
tgt('import ÷ sqlite3 .import', x1, fmtX(x1), LIMITS.importVsSqlite, `≤ ${LIMITS.importVsSqlite.toFixed(1)}×`);
const x2 = ratio('reimport', 'import');
tgt('re-import (unchanged) ÷ import', x2, fmtX(x2), LIMITS.reimportVsImport, `≤ ${LIMITS.reimportVsImport.toFixed(1)}×`);
for (const id of ['import', 'reimport', 'orders']) {
  const r = R[id];
  const v = r?.rssKiB != null ? r.rssKiB / 1024 : null;
  tgt(`peak RSS, ${id === 'orders' ? `order import (${num(sizes.orderRows)} rows)` : id === 'import' ? `import (${num(sizes.rows)} rows)` : 're-import'}`, v, fmtMiB(r?.rssKiB), LIMITS.rssMiB, `≤ ${LIMITS.rssMiB} MB`);
}
const x3 = ratio('today', 'node');
tgt('`today` ÷ `node -e 0`', x3, R.today?.ms == null ? 'not available' : fmtX(x3), LIMITS.todayVsNode, `≤ ${LIMITS.todayVsNode.toFixed(1)}×`);
tgt('next case card in triage', R.triage?.ms ?? null, R.triage?.ms == null ? 'not available' : `${R.triage.ms.toFixed(1)} ms`, LIMITS.triageMs, `≤ ${LIMITS.triageMs} ms`);
const xu = ratio('import', 'sqliteUtils');
lines.push('');
lines.push('CPU = user + system time of the process ÷ its wall-clock (above 1.00 means more than one core was busy).');
if (disturbedRows.length) {
  lines.push('');
  lines.push(`⚠ Other processes were using CPU during: ${disturbedRows.join('; ')}. Those times are likely inflated; rerun on an idle machine.`);
}
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
lines.push('Machine and software:');
lines.push('');
lines.push(`- CPU: ${cpuModel}; ${os.availableParallelism?.() ?? os.cpus().length} cores available to the process`);
lines.push(`- memory: ${(memTotal / 1024 / 1024).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} (${os.arch()})`);
lines.push(`- Node ${process.version}; SQLite in better-sqlite3 ${betterSqlite}; ${versionOf(sqlite3) ? `sqlite3 CLI ${versionOf(sqlite3).split(' ')[0]}` : 'no sqlite3 CLI'}; ${versionOf(sqliteUtils) ?? 'no sqlite-utils'}`);
lines.push(`- databases in ${os.tmpdir()} (${fsType || 'unknown fs'}); peak RSS by ${rss.describe}; wall-clock by Node's monotonic clock around each process`);
lines.push(`- repository at ${git || 'unknown commit'} (when the run started${SNAP !== ROOT ? '; the CLI ran from a snapshot of bin/ and dist/ taken then' : ''})`);
lines.push(`- repetitions: ${REPS} per measurement (median time, max RSS), ${SHORT_REPS} for the short commands (\`node -e 0\`, \`today\`)`);
lines.push('');
lines.push(`Reproduce: \`npm run bench\` (builds, generates the inputs into bench/out/ if missing, ~${Math.max(1, Math.round((Date.now() - START) / 60000))} min here). Quick run: \`BENCH_ROWS=20000 npm run bench\`.`);
for (const n of notes) lines.push('', n);
const table = lines.join('\n');

process.stdout.write('\n' + table + '\n');

const write = env.BENCH_WRITE === '1' || (env.BENCH_WRITE !== '0' && DEFAULT_SIZE && SKIP.size === 0);
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
  log(`\nBENCHMARKS.md not updated (${DEFAULT_SIZE ? 'BENCH_SKIP set' : 'reduced size'}; BENCH_WRITE=1 forces it). Table saved to ${rel(lastRun)}.`);
}
