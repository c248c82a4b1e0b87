#!/usr/bin/env node
// The PostgreSQL rows of the benchmark (issue 19 item 8): `node bench/pg.mjs`, run by `npm run bench`
// after the SQLite rows (bench/run.mjs) when a server is there. On the same generated 200k report:
//   import into a new database  ÷  `psql \copy` of the same UTF-8 CSV into a bare table (the floor)
//   re-import (all unchanged)   |  `today` on PostgreSQL ÷ `today` on SQLite, same data (in pairs)
//   the next triage card (dist/bench/triageNextCard.js --db URL)  |  8 agents deciding at once
// Prints the table with pass/fail and writes it into BENCHMARKS.md between <!-- bench-pg:start -->
// and <!-- bench-pg:end --> (full size only, as run.mjs; BENCH_WRITE=1 forces it).
//
// The server: REFUNDS_BENCH_PG (a URL whose role may CREATE DATABASE; the benchmark creates and drops
// its own databases refunds_bench_*), else a throwaway cluster from scripts/pg-test-server.sh started
// with PG_BENCH=1 (fsync and synchronous_commit on, as a real server) and stopped at the end.
// Environment: BENCH_ROWS, BENCH_SEED, BENCH_REPS (default 3; 10 for `today`), BENCH_WRITE,
// BENCH_PG_AGENTS (8), BENCH_PG_DECISIONS (decisions per agent, 5), BENCH_SNAPSHOT=0.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { OUT_DIR, NOW_ISO, generateRefunds, sizesFromEnv, utf8Copy } from './generate.mjs';
import { killRunning, measure, median, rssMethod } from './lib/measure.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const env = process.env;
const { rows: ROWS, seed: SEED } = sizesFromEnv(env);
const DEFAULT_SIZE = ROWS === 200_000;
const REPS = Math.max(1, Number(env.BENCH_REPS || 3));
const SHORT_REPS = Math.max(REPS, 10);
const AGENTS = Math.max(1, Number(env.BENCH_PG_AGENTS || 8));
const PER_AGENT = Math.max(1, Number(env.BENCH_PG_DECISIONS || 5));
const NODE = process.execPath;
const TRIAGE_HOOK = 'dist/bench/triageNextCard.js';
const LIMITS = { importVsCopy: 3.0, todayVsSqlite: 1.5, triageMs: 50 };
const log = (s = '') => process.stderr.write(s + '\n');
const num = (n) => n.toLocaleString('en-US');
const fmtS = (ms) => (ms == null ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`);
const fmtMiB = (kib) => (kib == null ? '—' : `${(kib / 1024).toFixed(0)} MB`);
const verdict = (v, limit) => (v == null ? 'n/a' : v <= limit ? '**pass**' : '**FAIL**');

// ---- the server ------------------------------------------------------------------------------------

/** The same server URL with another database (libpq URL: postgres[ql]://[auth@][host]/db[?params]). */
export function withDatabase(url, db) {
  const m = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/s.exec(url);
  if (!m) throw new Error('not a postgres:// URL');
  return `${m[1]}/${encodeURIComponent(db)}${m[3]}`;
}
const masked = (url) => url.replace(/^(postgres(?:ql)?:\/\/[^:/?#@]*):[^@]*@/, '$1:***@').replace(/([?&]password=)[^&#]*/i, '$1***');

let server = null; // { url, dir?, bin? }
let stopServer = () => {};
function startServer() {
  if (env.REFUNDS_BENCH_PG) return { url: env.REFUNDS_BENCH_PG, own: false };
  const r = spawnSync('bash', ['scripts/pg-test-server.sh', 'start'], { encoding: 'utf8', env: { ...env, PG_BENCH: '1' } });
  if (r.status !== 0) return { error: (r.stderr || '').trim().split('\n').slice(-2).join(' ') || `exit ${r.status}` };
  const vars = Object.fromEntries([...r.stdout.matchAll(/(\w+)='([^']*)'/g)].map((x) => [x[1], x[2]]));
  const s = { url: vars.REFUNDS_TEST_PG, dir: vars.REFUNDS_TEST_PG_DIR, bin: vars.REFUNDS_TEST_PG_BIN, own: true };
  stopServer = () => {
    stopServer = () => {};
    spawnSync('bash', ['scripts/pg-test-server.sh', 'stop', s.dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  return s;
}
const psqlBin = () => (server.bin && fs.existsSync(path.join(server.bin, 'psql')) ? path.join(server.bin, 'psql') : 'psql');
/** One SQL statement through psql on database `db`; its unaligned output. */
function psql(db, sql) {
  const r = spawnSync(psqlBin(), ['-X', '-qAt', '-v', 'ON_ERROR_STOP=1', '-d', withDatabase(server.url, db), '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed (${sql.slice(0, 80)}): ${masked(r.stderr.trim())}`);
  return r.stdout.trim();
}
const adminDb = () => /^postgres(?:ql)?:\/\/[^/?#]*\/([^?#]+)/.exec(server.url)?.[1] ?? 'postgres';
const made = new Set();
let dbSeq = 0;
function freshDb(template) {
  const name = `refunds_bench_${process.pid}_${++dbSeq}`;
  psql(decodeURIComponent(adminDb()), `CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  made.add(name);
  return name;
}
function dropDb(name) {
  psql(decodeURIComponent(adminDb()), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  made.delete(name);
}
const cleanup = () => {
  killRunning();
  if (server) for (const n of [...made]) try { dropDb(n); } catch { /* server gone */ }
  stopServer();
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { cleanup(); process.exit(130); });

// ---- measuring -------------------------------------------------------------------------------------

const rss = rssMethod();
const results = {};
async function run(argv, opts = {}) {
  const r = await measure(rss, argv, { cwd: opts.cwd ?? ROOT, env: opts.env ?? env });
  if (r.code !== 0 && !opts.mayFail) throw new Error(`${argv.slice(0, 6).join(' ')} … exited ${r.code}:\n${masked((r.stderr || r.stdout).slice(0, 1500))}`);
  return r;
}
/** reps runs of each spec in turn (A B A B …); each spec: { id, label, argv(ctx), before?, check?, after? }. */
async function series(specs, reps) {
  for (const s of specs) results[s.id] = { label: s.label, runs: [], command: s.command };
  for (let i = 0; i < reps; i++) {
    for (const s of specs) {
      const c = s.before ? await s.before(i) : {};
      const r = await run(s.argv(c));
      if (s.check) await s.check(r, c);
      results[s.id].runs.push(r);
      if (s.after) await s.after(c, r);
      log(`  ${s.label}: ${fmtS(r.ms)}`);
    }
  }
  for (const s of specs) {
    const x = results[s.id];
    x.ms = median(x.runs.map((r) => r.ms));
    x.rssKiB = Math.max(...x.runs.map((r) => r.rssKiB ?? 0)) || null;
    x.cpuMs = median(x.runs.map((r) => r.cpuMs ?? 0));
  }
  if (specs.length === 2) {
    const [a, b] = specs.map((s) => results[s.id].runs);
    results[specs[0].id].pairRatio = median(a.map((r, i) => r.ms / b[i].ms));
  }
}
function unavailable(id, label, note) {
  results[id] = { label, runs: [], ms: null, note };
  log(`  ${label}: ${note}`);
}
/** Whether a CLI failure says the command has no PostgreSQL path yet (rather than a bug). */
const notOnPg = (r) => /SQLite file only|not on a PostgreSQL server|unknown command/i.test(r.stderr + r.stdout);
/** The first line of what a command said, without the URL it quotes. */
const firstLine = (r) => masked((r.stderr.trim() || r.stdout.trim()).split('\n')[0].replace(/\s*\(postgres(?:ql)?:\/\/[^)]*\)/g, '')).slice(0, 200);

function lastImportPg(db) {
  const line = psql(db, `SELECT kind || ',' || inserted || ',' || updated || ',' || unchanged || ',' || rejected FROM imports ORDER BY id DESC LIMIT 1`);
  const [kind, inserted, updated, unchanged, rejected] = line.split(',');
  return { kind, inserted: +inserted, updated: +updated, unchanged: +unchanged, rejected: +rejected };
}
function expectImport(li, field) {
  if (!li || li.kind !== 'taobao-refunds' || li[field] !== ROWS || li.rejected !== 0) {
    throw new Error(`the import did not do what the benchmark expects (${field} = ${num(ROWS)}): ${JSON.stringify(li)}`);
  }
}

// ---- main ------------------------------------------------------------------------------------------

const START = Date.now();
server = startServer();
if (server.error) {
  log(`PostgreSQL rows skipped: no REFUNDS_BENCH_PG and scripts/pg-test-server.sh could not start a server (${server.error})`);
  process.exit(env.BENCH_PG_REQUIRED === '1' ? 1 : 0);
}
process.on('exit', cleanup);
log(`PostgreSQL benchmark on ${masked(server.url)}${server.own ? ' (throwaway cluster, fsync on)' : ''}`);

const label = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n)).replace(/000k$/, 'M');
fs.mkdirSync(OUT_DIR, { recursive: true });
const REFUNDS = path.relative(ROOT, path.join(OUT_DIR, `refunds-${label(ROWS)}.csv`));
const REFUNDS_UTF8 = path.relative(ROOT, path.join(OUT_DIR, `refunds-${label(ROWS)}.utf8.csv`));
const meta = generateRefunds({ rows: ROWS, orderRows: Number(env.BENCH_ORDER_ROWS || ROWS * 5), seed: SEED, file: REFUNDS });
await utf8Copy(REFUNDS, REFUNDS_UTF8);

// The CLI under test: a snapshot of bin/ + dist/ (a rebuild meanwhile cannot change it).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-bench-pg-'));
let SNAP = ROOT;
if (env.BENCH_SNAPSHOT !== '0') {
  SNAP = path.join(work, 'snap');
  for (const d of ['dist', 'bin']) fs.cpSync(path.join(ROOT, d), path.join(SNAP, d), { recursive: true, preserveTimestamps: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAP, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(SNAP, 'node_modules'), 'dir');
}
const CLI = path.join(SNAP, 'bin/refunds.js');
const GIT = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
const urlOf = (db) => withDatabase(server.url, db);
const cli = (target, ...args) => [NODE, CLI, '--db', target, '--now', NOW_ISO, ...args];
const serverVersion = psql(decodeURIComponent(adminDb()), 'SHOW server_version');
const settings = psql(decodeURIComponent(adminDb()), `SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size')`);

// 1. import into a new database, in turn with the floor: psql \copy of the UTF-8 copy into a bare table
const header = fs.readFileSync(REFUNDS_UTF8, 'utf8').slice(0, 4096).split(/\r?\n/)[0].replace(/^\ufeff/, '');
const ncols = header.split(',').length;
const floorDb = freshDb();
let bigDb = null;
log('\nmeasuring…');
await series(
  [
    {
      id: 'import',
      label: `import ${REFUNDS} (new database)`,
      command: `node bin/refunds.js --db postgresql://…/<new> --now ${NOW_ISO} import ${REFUNDS}`,
      before: () => ({ db: freshDb() }),
      argv: (c) => cli(urlOf(c.db), 'import', REFUNDS),
      check: (r, c) => expectImport(lastImportPg(c.db), 'inserted'),
      after: (c) => {
        if (bigDb) dropDb(bigDb);
        bigDb = c.db;
      },
    },
    {
      id: 'copy',
      label: 'psql \\copy into a bare table (floor)',
      command: `psql -c "\\copy t FROM '${REFUNDS_UTF8}' WITH (FORMAT csv, HEADER true)"`,
      before: () => psql(floorDb, `DROP TABLE IF EXISTS t; CREATE TABLE t (${Array.from({ length: ncols }, (_, i) => `c${i} text`).join(', ')})`),
      argv: () => [psqlBin(), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', urlOf(floorDb), '-c', `\\copy t FROM '${REFUNDS_UTF8}' WITH (FORMAT csv, HEADER true)`],
      check: () => {
        const n = Number(psql(floorDb, 'SELECT count(*) FROM t'));
        if (n !== ROWS) throw new Error(`\\copy loaded ${n} rows, not ${ROWS}`);
      },
    },
  ],
  REPS,
);
dropDb(floorDb);
psql(bigDb, 'VACUUM ANALYZE');

// 2. the same file again: every row unchanged
await series(
  [
    {
      id: 'reimport',
      label: `re-import ${REFUNDS} (all unchanged)`,
      command: `node bin/refunds.js --db postgresql://…/<populated> --now ${NOW_ISO} import ${REFUNDS}`,
      argv: () => cli(urlOf(bigDb), 'import', REFUNDS),
      check: () => expectImport(lastImportPg(bigDb), 'unchanged'),
    },
  ],
  REPS,
);

// 3. today on PostgreSQL against today on SQLite with the same data, in pairs
const sqliteDb = path.join(work, 'same.sqlite');
{
  const r = await run(cli(sqliteDb, 'import', REFUNDS));
  void r;
}
const probe = await run(cli(urlOf(bigDb), 'today'), { mayFail: true });
if (probe.code !== 0 && notOnPg(probe)) unavailable('today', 'refunds today (PostgreSQL)', `not available: ${firstLine(probe)}`);
else {
  if (probe.code !== 0) throw new Error(`today on PostgreSQL failed: ${masked(probe.stderr.slice(0, 800))}`);
  const same = (await run(cli(sqliteDb, 'today'))).stdout;
  if (same !== probe.stdout) log('  note: `today` prints differently on the two backends (checked by the e2e tests, not here)');
  await series(
    [
      { id: 'today', label: 'refunds today (PostgreSQL)', command: `node bin/refunds.js --db postgresql://…/<200k> --now ${NOW_ISO} today`, argv: () => cli(urlOf(bigDb), 'today') },
      { id: 'todaySqlite', label: 'refunds today (SQLite, same data)', command: `node bin/refunds.js --db $TMP/same.sqlite --now ${NOW_ISO} today`, argv: () => cli(sqliteDb, 'today') },
    ],
    SHORT_REPS,
  );
}

// 4. the next triage card, in-process, on a copy of the 200k database (the hook records decisions)
const hook = path.join(SNAP, TRIAGE_HOOK);
if (!fs.existsSync(hook)) unavailable('triage', 'next case card in triage (in-process)', `not available (${TRIAGE_HOOK} does not exist)`);
else {
  const inner = [];
  let refusal = null;
  results.triage = { label: 'next case card in triage (in-process)', runs: [], command: `node ${TRIAGE_HOOK} --db postgresql://…/<200k copy> --now ${NOW_ISO}` };
  for (let i = 0; i < REPS && !refusal; i++) {
    const copy = freshDb(bigDb);
    // In the scratch folder: a hook that takes the URL for a file path leaves its file there.
    const r = await run([NODE, hook, '--db', urlOf(copy), '--now', NOW_ISO], { mayFail: true, cwd: work });
    dropDb(copy);
    const ms = (() => {
      try {
        return JSON.parse(r.stdout.trim().split('\n').pop() ?? '').ms;
      } catch {
        return undefined;
      }
    })();
    if (r.code !== 0 || typeof ms !== 'number') refusal = r.code !== 0 ? firstLine(r) : `it found no case to show: ${r.stdout.trim().split('\n').pop()}`;
    else {
      inner.push(ms);
      results.triage.runs.push(r);
      log(`  next card: ${ms} ms (process ${fmtS(r.ms)})`);
    }
  }
  if (refusal) unavailable('triage', 'next case card in triage (in-process)', `not available on PostgreSQL yet (${TRIAGE_HOOK} --db URL: ${refusal})`);
  else {
    results.triage.ms = median(inner);
    results.triage.processMs = median(results.triage.runs.map((r) => r.ms));
    results.triage.rssKiB = Math.max(...results.triage.runs.map((r) => r.rssKiB ?? 0)) || null;
  }
}

// 5. AGENTS agents deciding at once: each runs PER_AGENT `refunds decide` one after the other, on cases of its own
{
  const db = freshDb(bigDb);
  const open = psql(db, `SELECT refund_id FROM refunds WHERE status NOT IN ('CLOSED','SUCCESS') ORDER BY deadline_at NULLS LAST, refund_id LIMIT ${AGENTS * PER_AGENT + 1}`).split('\n').filter(Boolean);
  // The probe decides a case of its own (its claim would hold the agents' first case).
  const probeId = open.pop();
  const decide = (id, agent) => cli(urlOf(db), 'decide', id, '--action', 'wait', '--agent', agent);
  const first = await run(decide(probeId, 'probe'), { mayFail: true });
  if (first.code !== 0) {
    if (!notOnPg(first)) throw new Error(`refunds decide on PostgreSQL failed: ${masked(first.stderr.slice(0, 800))}`);
    unavailable('agents', `${AGENTS} agents deciding at once`, `not available: ${firstLine(first)}`);
  } else {
    psql(db, 'DELETE FROM decisions; DELETE FROM claims');
    const t0 = process.hrtime.bigint();
    const failures = [];
    await Promise.all(
      Array.from({ length: AGENTS }, async (_, a) => {
        for (let k = 0; k < PER_AGENT; k++) {
          const id = open[a * PER_AGENT + k];
          const r = await new Promise((resolve) => {
            const argv = decide(id, `agent${a + 1}`);
            const p = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
            let err = '';
            p.stderr.on('data', (d) => (err += d));
            p.on('close', (code) => resolve({ code, err }));
          });
          if (r.code !== 0) failures.push(`${id}: ${r.err.trim().split('\n')[0]}`);
        }
      }),
    );
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const landed = Number(psql(db, 'SELECT count(*) FROM decisions'));
    // A decision that did not land is reported (the row fails), not hidden in a rate.
    const lost = failures.length || landed !== AGENTS * PER_AGENT ? `${AGENTS * PER_AGENT - landed} of ${AGENTS * PER_AGENT} did not land (${failures.slice(0, 2).join('; ')})` : null;
    if (lost) log(`  ${AGENTS} agents: ${lost}`);
    results.agents = { label: `${AGENTS} agents deciding at once (${PER_AGENT} \`decide\` processes each)`, runs: [{ ms }], ms, perSecond: landed / (ms / 1000), landed, lost, command: `${AGENTS} × (${PER_AGENT} × node bin/refunds.js --db postgresql://…/<200k copy> --now ${NOW_ISO} decide ID --action wait --agent agentN)` };
    log(`  ${AGENTS} agents: ${landed} decisions in ${fmtS(ms)} (${(landed / (ms / 1000)).toFixed(1)}/s)`);
  }
  dropDb(db);
}
if (bigDb) dropDb(bigDb);

// ---- report ----------------------------------------------------------------------------------------

const R = results;
const lines = [];
const load = os.loadavg()[0];
lines.push(`Run ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} — ${num(ROWS)} refund rows (${(meta.bytes / 1e6).toFixed(1)} MB GBK), seed ${SEED}${DEFAULT_SIZE ? '' : ` — **reduced size** (BENCH_ROWS=${ROWS})`}; PostgreSQL ${serverVersion} (${settings})${server.own ? ', a throwaway cluster on a Unix socket (scripts/pg-test-server.sh, PG_BENCH=1)' : ''}; load average ${load.toFixed(1)} at the end.`);
lines.push('');
lines.push('| Measurement | Median | Runs | Peak RSS | CPU (client) | Command |');
lines.push('|---|--:|--:|--:|--:|---|');
for (const id of ['import', 'copy', 'reimport', 'today', 'todaySqlite', 'triage', 'agents']) {
  const r = R[id];
  if (!r) continue;
  const med = r.ms == null ? r.note : id === 'triage' ? `${r.ms.toFixed(1)} ms (in-process; process ${fmtS(r.processMs)})` : id === 'agents' ? `${r.perSecond.toFixed(1)} decisions/s (${r.landed} in ${fmtS(r.ms)})` : fmtS(r.ms);
  const cores = r.cpuMs && r.ms ? `${(r.cpuMs / r.ms).toFixed(2)} cores` : '—';
  lines.push(`| ${r.label} | ${med} | ${r.runs.length || '—'} | ${fmtMiB(r.rssKiB)} | ${cores} | \`${r.command ?? '—'}\` |`);
}
lines.push('');
lines.push('| Target (issue 19) | Measured | Limit | Result |');
lines.push('|---|--:|--:|:-:|');
const xImport = R.import?.pairRatio ?? null;
lines.push(`| import ÷ \`psql \\copy\` (in pairs) | ${fmtX(xImport)} | ≤ ${LIMITS.importVsCopy.toFixed(1)}× | ${verdict(xImport, LIMITS.importVsCopy)} |`);
const xToday = R.today?.pairRatio ?? null;
lines.push(`| \`today\` PostgreSQL ÷ SQLite (in pairs) | ${R.today?.ms == null ? 'not available' : fmtX(xToday)} | ≤ ${LIMITS.todayVsSqlite.toFixed(1)}× | ${verdict(xToday, LIMITS.todayVsSqlite)} |`);
lines.push(`| next case card in triage | ${R.triage?.ms == null ? 'not available' : `${R.triage.ms.toFixed(1)} ms`} | ≤ ${LIMITS.triageMs} ms | ${verdict(R.triage?.ms ?? null, LIMITS.triageMs)} |`);
lines.push(`| ${AGENTS} agents deciding at once, every decision landing | ${R.agents?.ms == null ? 'not available' : R.agents.lost ? R.agents.lost : `${R.agents.perSecond.toFixed(1)}/s, all ${R.agents.landed} landed`} | all land | ${R.agents?.ms == null ? 'n/a' : R.agents.lost ? '**FAIL**' : '**pass**'} |`);
lines.push('');
lines.push(`For reference: re-import ÷ import = ${fmtX(R.reimport?.ms && R.import?.ms ? R.reimport.ms / R.import.ms : null)}. Ratios are taken pair by pair (A B A B …, median of the pairs), so a machine whose speed drifts keeps them fair; absolute times on a shared machine are not. The import is a whole \`refunds import\` process (GBK decoding, validation, normalization, the merge, COPY and the indexes); the floor is PostgreSQL's own CSV loader into a table without an index.`);
lines.push(`Repository at ${GIT || '?'} (the CLI ran from a snapshot of bin/ and dist/ taken at the start); ${REPS} repetitions (${SHORT_REPS} for \`today\`); ${Math.max(1, Math.round((Date.now() - START) / 60000))} min. Reproduce: \`node bench/pg.mjs\` (or \`npm run bench\`), \`REFUNDS_BENCH_PG=postgresql://…\` for a server of your own.`);
const table = lines.join('\n');
process.stdout.write('\n' + table + '\n');

fs.writeFileSync(path.join(OUT_DIR, 'last-run-pg.md'), table + '\n');
if (env.BENCH_WRITE === '1' || (env.BENCH_WRITE !== '0' && DEFAULT_SIZE)) {
  const md = path.join(ROOT, 'BENCHMARKS.md');
  const A = '<!-- bench-pg:start -->';
  const B = '<!-- bench-pg:end -->';
  let text = fs.readFileSync(md, 'utf8');
  if (text.indexOf(A) < 0 || text.indexOf(B) < text.indexOf(A)) text = text.trimEnd() + `\n\n## PostgreSQL (issue 19)\n\n${A}\n${B}\n`;
  text = text.slice(0, text.indexOf(A) + A.length) + '\n' + table + '\n' + text.slice(text.indexOf(B));
  fs.writeFileSync(md, text);
  log('\nwrote the PostgreSQL rows into BENCHMARKS.md');
} else log(`\nBENCHMARKS.md not updated (${DEFAULT_SIZE ? 'BENCH_WRITE=0' : 'reduced size; BENCH_WRITE=1 forces it'}). Table saved to bench/out/last-run-pg.md.`);
fs.rmSync(work, { recursive: true, force: true });
