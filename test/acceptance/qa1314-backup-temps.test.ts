// Acceptance run of issue 14 (class 3): a killed backup left its temporary copy (every buyer's
// data) beside the target for good, one more with each kill. The next write to that target removes
// the temporary files of processes that are gone, and leaves those of a live process alone.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, NOW, runCli, tmpDir } from '../helpers/cli.js';
import { bigRefundExport } from '../helpers/bigfile.js';

const TEMP = /^\.backup\.sqlite\.\d+\.\w+\.tmp(-journal)?$/;

/** The pid of a process that has exited (so no live process owns it, barring reuse within ms). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('temporary files of killed writes are cleaned up by the next write to the same target', () => {
  it('a backup removes a dead process\'s temporary copy and its journal, keeps a live one\'s', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'a.sqlite');
    const csv = path.join(dir, 'r.csv');
    fs.writeFileSync(csv, '退款编号,订单编号,退款状态,买家退款金额,退款的申请时间\n1000000000000001,4123456789012345678,退款成功,59.90,2025-04-20 10:00:00\n');
    expect(runCli(['--db', db, '--now', NOW, 'import', csv]).code).toBe(0);
    const out = tmpDir();
    const dead = deadPid();
    const stale = [`.backup.sqlite.${dead}.ab12cd.tmp`, `.backup.sqlite.${dead}.ab12cd.tmp-journal`];
    const live = `.backup.sqlite.${process.pid}.ef34gh.tmp`; // this test's own process: alive
    const other = '.backup.sqlite.notes.txt'; // not a temporary file of ours
    for (const f of [...stale, live, other]) fs.writeFileSync(path.join(out, f), 'x');
    const r = runCli(['--db', db, 'backup', path.join(out, 'backup.sqlite')]);
    expect([r.code, r.stderr]).toEqual([0, `Backed up to ${path.join(out, 'backup.sqlite')} (owner-only).\n`]);
    expect(fs.readdirSync(out).sort()).toEqual([live, other, 'backup.sqlite'].sort());
  });

  it('real SIGKILL mid-backup, then a retry: the copy is whole and no temporary file is left', async () => {
    const db = path.join(tmpDir(), 'big.sqlite');
    expect(runCli(['--db', db, '--now', NOW, 'import', bigRefundExport(tmpDir(), 30_000)]).code).toBe(0);
    const out = tmpDir();
    const target = path.join(out, 'backup.sqlite');
    let killedMidCopy = false;
    for (let attempt = 0; attempt < 5 && !killedMidCopy; attempt++) {
      fs.rmSync(target, { force: true });
      const child = spawn(process.execPath, [BIN, '--db', db, 'backup', target], { stdio: 'ignore' });
      const started = Date.now();
      while (!fs.readdirSync(out).some((f) => TEMP.test(f)) && child.exitCode === null && Date.now() - started < 20_000) await new Promise((r) => setImmediate(r));
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
      killedMidCopy = !fs.existsSync(target) && fs.readdirSync(out).some((f) => TEMP.test(f));
    }
    expect(killedMidCopy).toBe(true);
    const retry = runCli(['--db', db, 'backup', target]);
    expect([retry.code, retry.stderr]).toEqual([0, `Backed up to ${target} (owner-only).\n`]);
    expect(fs.readdirSync(out)).toEqual(['backup.sqlite']);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual({ n: 30_000 });
    copy.close();
  }, 180_000);
});
