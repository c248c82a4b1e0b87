#!/usr/bin/env node
// Shop scale (issue 18) alone: `npm run bench` measures it too, in the same run as issue 7's
// targets (bench/run.mjs, section 8). This runs that script without the order import and
// sqlite-utils, which issue 18 does not target:
//
//   npm run build && node bench/history.mjs [--sizes 10000,100000,200000,1000000] [--reps 3] [--write]
//
// --sizes sets BENCH_HISTORY_SIZES, --reps BENCH_REPS; --write writes BENCHMARKS.md's bench section
// (BENCH_WRITE=1) even from this partial run. Other BENCH_* variables pass through.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const env = { ...process.env, BENCH_SKIP: process.env.BENCH_SKIP ?? 'orders,sqlite-utils' };
if (opt('--sizes')) env.BENCH_HISTORY_SIZES = opt('--sizes');
if (opt('--reps')) env.BENCH_REPS = opt('--reps');
if (args.includes('--write')) env.BENCH_WRITE = '1';
const r = spawnSync(process.execPath, [path.join(here, 'run.mjs')], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
