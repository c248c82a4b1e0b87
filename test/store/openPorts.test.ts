// store/open.ts chooses the backend by the target: a path opens SQLite (and never loads pg), a URL
// of another scheme is refused; a command still on the old Store refuses a PostgreSQL URL in both
// languages without printing its password.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openPorts, portsWhenOpen } from '../../src/store/open.js';
import { StoreError } from '../../src/app/ports/errors.js';
import { ShopZone } from '../../src/domain/time.js';
import { BIN, NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');

describe('openPorts', () => {
  it('opens a path as a SQLite store, created owner-only, and reads back what it wrote', async () => {
    const file = path.join(tmpDir(), 'sub', 'r.sqlite');
    const ports = await openPorts(file, { zone });
    expect([ports.backend, ports.where]).toEqual(['sqlite', file]);
    await ports.unitOfWork((tx) => tx.meta.set('k', 'v'));
    expect(await ports.meta.get('k')).toBe('v');
    await ports.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a URL of another scheme as StoreError open (not a file name anyone means)', async () => {
    await expect(openPorts('mysql://u:pw@host/db', { zone })).rejects.toMatchObject({ name: 'StoreError', kind: 'open' });
    expect(fs.existsSync('mysql:')).toBe(false);
  });
});

describe('portsWhenOpen', () => {
  it('each call waits for the opening; a failed opening fails every call with its own error', async () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const ports = portsWhenOpen(file, openPorts(file, { zone }), 'sqlite');
    expect([ports.backend, ports.where]).toEqual(['sqlite', file]);
    await ports.unitOfWork((tx) => tx.meta.set('k', 'v'));
    expect(await ports.meta.get('k')).toBe('v');
    expect(await ports.admin.counts()).toMatchObject({ meta: 1, refunds: 0 });
    await ports.close();

    const refused = new StoreError('unreachable', 'no server', { path: 'postgres://u:***@h/db' });
    const down = portsWhenOpen('postgres://u:pw@h/db', Promise.reject(refused), 'postgres');
    expect(down.where).toBe('postgres://u:***@h/db');
    await expect(down.cases.refund('1')).rejects.toBe(refused);
    await expect(down.unitOfWork(async () => 1)).rejects.toBe(refused);
    await down.close();
  });
});

describe('the CLI on a target', () => {
  it('never loads pg for a file (today on an imported file)', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    expect(runCli(['--db', db, '--now', NOW, 'import', fixture('taobao-refunds-2017-gbk.csv')]).code).toBe(0);
    const trace = path.join(dir, 'trace.cjs');
    fs.writeFileSync(
      trace,
      `const M = require('module'); const load = M._load;
       M._load = function (req, ...rest) { if (/^pg($|\\/)|^pg-/.test(req)) process.stderr.write('LOADED ' + req + '\\n'); return load.call(this, req, ...rest); };`,
    );
    const r = spawnSync(process.execPath, ['--require', trace, BIN, '--db', db, '--now', NOW, 'today', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).counts.open).toBe(11);
    expect(r.stderr).not.toMatch(/LOADED/);
  });

  // Every command is on the ports now: `today` on a URL opens PostgreSQL (no server on port 1).
  it('a command on a PostgreSQL URL it cannot reach says so in one line, in English and Chinese, password masked', () => {
    const url = 'postgres://agent:s3cret@127.0.0.1:1/shop';
    const en = runCli(['--db', url, '--now', NOW, '--lang', 'en', 'today']);
    expect([en.code, en.stdout, en.stderr.trim()]).toEqual([
      1,
      '',
      'refunds: cannot reach the PostgreSQL server of postgres://agent:***@127.0.0.1:1/shop: connection refused (is the server running, on this port?).',
    ]);
    const zh = runCli(['--db', url, '--now', NOW, '--lang', 'zh', 'today']);
    expect(zh.code).toBe(1);
    expect(zh.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(zh.stderr).toContain('refunds：连不上 postgres://agent:***@127.0.0.1:1/shop 的 PostgreSQL 服务器');
    expect(zh.stderr + en.stderr + en.stdout + zh.stdout).not.toContain('s3cret');
  });
});
