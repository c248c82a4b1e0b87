// Runs the built CLI as a real process, the way users and cron do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const BIN = path.join(ROOT, 'bin/refunds.js');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const NOW = '2025-04-21T09:00:00+08:00';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A new folder inside the test run's own (test/globalSetup.ts removes it when the run ends; REFUNDS_TEST_KEEP_TMP=1 keeps it). */
export function tmpDir(prefix = 'refunds-test-'): string {
  return fs.mkdtempSync(path.join(process.env.REFUNDS_TEST_TMP ?? os.tmpdir(), prefix));
}

/** Spawns `node bin/refunds.js ARGS` with a clean, deterministic environment. */
export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string | Buffer; cwd?: string } = {}): CliResult {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    REFUNDS_CONFIG: path.join(os.tmpdir(), 'refunds-test-no-config.json'),
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // Absent config file: REFUNDS_CONFIG pointing at a missing file is an error, so default to none.
  if (env.REFUNDS_CONFIG && !fs.existsSync(env.REFUNDS_CONFIG)) delete env.REFUNDS_CONFIG;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    input: opts.input,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}
