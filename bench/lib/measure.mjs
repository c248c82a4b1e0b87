// Timing one whole process: wall-clock (Node's monotonic clock around spawn -> exit) and peak RSS.
//
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the kernel's ru_maxrss of the child, KiB).
// Without GNU time, a tiny python3 wrapper reads the same number through getrusage(RUSAGE_CHILDREN).
// Neither present: RSS is reported as unknown. The wall-clock is always Node's, not time's %e,
// which has only 10 ms resolution (too coarse for `node -e 0`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PY_WRAPPER = [
  'import os, resource, subprocess, sys',
  'out = sys.argv[1]',
  'rc = subprocess.call(sys.argv[2:])',
  'open(out, "w").write("%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)',
  'sys.exit(rc if rc >= 0 else 128 - rc)',
].join('\n');

export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Picks how to read peak RSS. */
export function rssMethod() {
  if (fs.existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' });
    if (r.status === 0 && /^\d+\s*$/m.test(r.stderr)) return { kind: 'gnu-time', describe: 'GNU time (/usr/bin/time -f %M, ru_maxrss)' };
  }
  const py = which('python3');
  if (py) return { kind: 'python', py, describe: 'python3 getrusage(RUSAGE_CHILDREN).ru_maxrss' };
  return { kind: 'none', describe: 'not measured (neither GNU time nor python3 found)' };
}

let seq = 0;

/**
 * Runs argv to completion. Returns { ms, rssKiB, code, stdout, stderr }.
 * stdout/stderr are kept (capped at 1 MB each) so callers can check results.
 */
export function measure(method, argv, { cwd, env } = {}) {
  const rssFile = path.join(os.tmpdir(), `refunds-bench-rss-${process.pid}-${++seq}`);
  let cmd;
  let args;
  if (method.kind === 'gnu-time') {
    cmd = '/usr/bin/time';
    args = ['-f', '%M', '-o', rssFile, ...argv];
  } else if (method.kind === 'python') {
    cmd = method.py;
    args = ['-c', PY_WRAPPER, rssFile, ...argv];
  } else {
    cmd = argv[0];
    args = argv.slice(1);
  }
  return new Promise((resolve, reject) => {
    const cap = 1 << 20;
    let stdout = '';
    let stderr = '';
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      if (stdout.length < cap) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < cap) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let rssKiB = null;
      try {
        const text = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
        const n = Number(text[text.length - 1]);
        if (Number.isFinite(n) && n > 0) rssKiB = n;
        fs.rmSync(rssFile, { force: true });
      } catch {
        /* no RSS */
      }
      resolve({ ms, rssKiB, code, stdout, stderr });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
