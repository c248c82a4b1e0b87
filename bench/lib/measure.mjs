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
  'ru = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'open(out, "w").write("%d %.2f %.2f\\n" % (ru.ru_maxrss, ru.ru_utime, ru.ru_stime))',
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
/** Process groups of the commands being measured, so that a stopped benchmark stops them too. */
const running = new Set();

/** Kills every command still being measured (its whole process group: GNU time and the command under it). */
export function killRunning(signal = 'SIGTERM') {
  for (const pid of running) {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  }
  running.clear();
}

/** Busy CPU time of the whole machine so far, in ms (from /proc/stat; null where unavailable). */
function machineBusyMs() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8');
    const v = f.slice(0, f.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] || 0);
    return busy * 10; // USER_HZ = 100 on Linux
  } catch {
    return null;
  }
}

/**
 * Runs argv to completion. Returns { ms, rssKiB, cpuMs, otherCpuMs, code, stdout, stderr }:
 * cpuMs is the child's user+system time; otherCpuMs is the CPU the rest of the machine used
 * meanwhile (other processes: a sign the timing is disturbed), when it can be known.
 * stdout/stderr are kept (capped at 1 MB each) so callers can check results.
 */
export function measure(method, argv, { cwd, env } = {}) {
  const rssFile = path.join(os.tmpdir(), `refunds-bench-rss-${process.pid}-${++seq}`);
  let cmd;
  let args;
  if (method.kind === 'gnu-time') {
    cmd = '/usr/bin/time';
    args = ['-f', '%M %U %S', '-o', rssFile, ...argv];
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
    const busy0 = machineBusyMs();
    const t0 = process.hrtime.bigint();
    // Its own process group: killRunning() reaches the command under GNU time as well.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child.pid);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      if (stdout.length < cap) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < cap) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child.pid);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const busy1 = machineBusyMs();
      let rssKiB = null;
      let cpuMs = null;
      try {
        const text = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
        // GNU time prefixes "Command exited with non-zero status N" when the command fails.
        const [m, u, s] = text[text.length - 1].trim().split(/\s+/).map(Number);
        if (Number.isFinite(m) && m > 0) rssKiB = m;
        if (Number.isFinite(u) && Number.isFinite(s)) cpuMs = (u + s) * 1000;
        fs.rmSync(rssFile, { force: true });
      } catch {
        /* no RSS */
      }
      const otherCpuMs = busy0 != null && busy1 != null && cpuMs != null ? Math.max(0, busy1 - busy0 - cpuMs) : null;
      resolve({ ms, rssKiB, cpuMs, otherCpuMs, code, stdout, stderr });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Waits (up to maxMs) until the rest of the machine uses less than `cores` CPU over a 1 s window,
 * so a measurement does not start while another job is running. Returns the busy level last seen
 * (in cores) and whether it was quiet.
 */
export async function waitQuiet({ cores = 0.25, maxMs = 120_000, onWait } = {}) {
  const t0 = Date.now();
  let told = false;
  for (;;) {
    const b0 = machineBusyMs();
    if (b0 == null) return { quiet: true, cores: null };
    await new Promise((r) => setTimeout(r, 1000));
    const level = (machineBusyMs() - b0) / 1000;
    if (level < cores) return { quiet: true, cores: level };
    if (Date.now() - t0 > maxMs) return { quiet: false, cores: level };
    if (!told && onWait) onWait(level);
    told = true;
  }
}
