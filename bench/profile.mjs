#!/usr/bin/env node
// Where does the import's time go? Runs one import under V8's sampling profiler and summarizes the
// .cpuprofile: top functions by self time, by inclusive time, and self time by module/package.
//
//   npm run build && node bench/profile.mjs [refunds|orders|reimport] [--top 15] [--write]
//   node bench/profile.mjs --summarize path/to/file.cpuprofile
//
// Uses the same seeded inputs as run.mjs (BENCH_ROWS etc.). --write puts the summary into
// BENCHMARKS.md between <!-- profile:start --> and <!-- profile:end -->.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAll, sizesFromEnv, NOW_ISO } from './generate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const top = Number(flag('--top') ?? 15);
const given = flag('--summarize');
const writeMd = args.includes('--write');
const what = args.find((a) => !a.startsWith('--')) ?? 'refunds';

/** Which bucket a frame belongs to, for the per-module view. */
function moduleOf(cf) {
  const u = cf.url || '';
  if (!u) {
    if (cf.functionName.startsWith('(')) return cf.functionName; // (garbage collector), (program), (idle)
    return '(native: V8 builtins / C++ bindings)';
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u);
  if (nm) return nm[1];
  if (u.startsWith('node:')) return 'node: ' + u.slice(5).split('/')[0];
  const d = /\/(dist|src|bin)\/(.+)$/.exec(u);
  if (d) return `${d[1]}/${d[2]}`;
  return u;
}
const frameName = (cf) => {
  const fn = cf.functionName || '(anonymous)';
  if (!cf.url) return fn;
  const file = cf.url.replace(/^file:\/\//, '').replace(ROOT + '/', '').replace(/^.*node_modules\//, '');
  return `${fn}  ${file}:${cf.lineNumber + 1}`;
};

export function summarize(profile, n = 15) {
  const nodes = new Map();
  const parent = new Map();
  for (const nd of profile.nodes) {
    nodes.set(nd.id, nd);
    for (const c of nd.children ?? []) parent.set(c, nd.id);
  }
  const self = new Map();
  const lines = new Map(); // frame -> Map(line -> ticks), from V8's positionTicks
  const urls = new Map();
  for (const nd of profile.nodes) {
    if (!nd.positionTicks) continue;
    const k = frameName(nd.callFrame);
    if (nd.callFrame.url.startsWith('file://')) urls.set(k, fileURLToPath(nd.callFrame.url));
    let m = lines.get(k);
    if (!m) lines.set(k, (m = new Map()));
    for (const { line, ticks } of nd.positionTicks) m.set(line, (m.get(line) ?? 0) + ticks);
  }
  const incl = new Map();
  const byModule = new Map();
  let total = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample; charge it to the sample that ends it.
    const dt = timeDeltas[i + 1] ?? 0;
    if (dt <= 0) continue;
    const nd = nodes.get(samples[i]);
    if (nd.callFrame.functionName === '(idle)') continue;
    total += dt;
    const key = frameName(nd.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const mod = moduleOf(nd.callFrame);
    byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
    const seen = new Set();
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const k = frameName(nodes.get(id).callFrame);
      if (k === '(root)' || seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const rows = (m, k) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us], i) => `| ${i + 1} | ${(us / 1000).toFixed(0)} ms | ${((100 * us) / total).toFixed(1)} % | \`${name}\` |`);
  const out = [];
  out.push(`Sampled CPU time (idle excluded): ${(total / 1e6).toFixed(2)} s on this thread.`);
  out.push('');
  out.push('Top functions by **self** time:');
  out.push('');
  out.push('| # | self | share | function  file:line |', '|--:|--:|--:|---|', ...rows(self, n));
  // Where inside the heaviest functions: native calls (better-sqlite3's run/get, crypto) count as
  // self time of the JavaScript line that makes them.
  const heavy = [...self.entries()].sort((a, b) => b[1] - a[1]).filter(([k]) => lines.has(k)).slice(0, 3);
  for (const [k, us] of heavy) {
    const m = lines.get(k);
    const ticks = [...m.values()].reduce((a, b) => a + b, 0);
    if (!ticks || us / total < 0.03) continue;
    const file = urls.get(k);
    // Read now: if the file was rebuilt since the profile, the lines may not match.
    const src = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : null;
    out.push('');
    out.push(`Lines of \`${k}\` by self time:`);
    out.push('');
    out.push('| line | share of function | source |', '|--:|--:|---|');
    for (const [line, t] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
      const text = src ? (src[line - 1] ?? '').trim().slice(0, 110).replace(/\|/g, '\\|').replace(/`/g, "'") : '';
      out.push(`| ${line} | ${((100 * t) / ticks).toFixed(1)} % | \`${text}\` |`);
    }
  }
  out.push('');
  out.push('Self time by module:');
  out.push('');
  out.push('| # | self | share | module |', '|--:|--:|--:|---|', ...rows(byModule, n));
  out.push('');
  out.push('Top functions by **inclusive** time (self + callees):');
  out.push('');
  out.push('| # | total | share | function  file:line |', '|--:|--:|--:|---|', ...rows(incl, n + 5));
  return out.join('\n');
}

let files = given ? [given] : [];
let header = '';
if (!given) {
  const sizes = sizesFromEnv();
  const inputs = await generateAll(sizes, (s) => process.stderr.write(s + '\n'));
  const input = path.relative(ROOT, what === 'orders' ? inputs.orders : inputs.refunds);
  const dir = path.join(ROOT, 'bench/out/profile');
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-prof-'));
  const db = path.join(work, 'p.sqlite');
  const run = (extra) =>
    spawnSync(process.execPath, [...extra, 'bench/lib/cli-esm.mjs', '--db', db, '--now', NOW_ISO, 'import', input], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    if (what === 'reimport') run([]); // populate first, unprofiled
    const before = new Set(fs.readdirSync(dir));
    const t0 = Date.now();
    const r = run(['--cpu-prof', '--cpu-prof-dir', dir]);
    const wall = Date.now() - t0;
    if (r.status !== 0) throw new Error(`import failed (exit ${r.status})`);
    const made = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
    if (!made.length) throw new Error('no .cpuprofile written');
    // One file per thread: CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile (main thread = 0).
    files = made.sort().map((f) => path.join(dir, f));
    header = `Profile of \`node --cpu-prof bench/lib/cli-esm.mjs --db <new db> --now ${NOW_ISO} import ${input}\`${what === 'reimport' ? ' (re-import into the populated DB)' : ''}: ${(wall / 1000).toFixed(1)} s wall-clock under the profiler (which slows it somewhat); ${files.length} thread${files.length > 1 ? 's' : ''} profiled.\n`;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
const threadOf = (f) => {
  const m = /\.\d+\.(\d+)\.\d+\.cpuprofile$/.exec(f);
  return m ? (m[1] === '0' ? 'main thread' : `worker thread ${m[1]}`) : path.basename(f);
};
const summary =
  header +
  files.map((f) => `\n### ${threadOf(f)}\n\n(${path.relative(ROOT, f)})\n\n${summarize(JSON.parse(fs.readFileSync(f, 'utf8')), top)}`).join('\n');
process.stdout.write(summary + '\n');

if (writeMd) {
  const md = path.join(ROOT, 'BENCHMARKS.md');
  const S = `<!-- profile:${what}:start -->`;
  const E = `<!-- profile:${what}:end -->`;
  let text = fs.readFileSync(md, 'utf8');
  if (!text.includes(S)) text = text.trimEnd() + `\n\n${S}\n${E}\n`;
  text = text.slice(0, text.indexOf(S) + S.length) + '\n' + summary + '\n' + text.slice(text.indexOf(E));
  fs.writeFileSync(md, text);
  process.stderr.write('wrote the profile into BENCHMARKS.md\n');
}
