// One folder per test run for every tmpDir() (helpers/cli.ts), removed when the run ends: some 200
// tests make a folder of their own, and left behind they filled the machine's /tmp (37,000 of them
// after a few days of runs). Forked test processes inherit the variable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-test-run-'));
  process.env.REFUNDS_TEST_TMP = root;
  return () => {
    if (process.env.REFUNDS_TEST_KEEP_TMP) return;
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
