// Issue 14: a cut row, a full disk, a killed backup, a wrong path or a hostile config never passes
// as success. One describe per item of the issue; each test failed before its fix.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles, ImportFailure } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { CONFIG_KEYS } from '../../src/configSchema.js';
import { BIN, NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { bigRefundExport } from '../helpers/bigfile.js';
import { toolAvailable } from '../helpers/tools.js';

const zone = new ShopZone();
const nowMs = Date.parse(NOW);
const HEADER = '退款编号,订单编号,退款状态,买家退款金额,退款的申请时间,超时时间,货物状态,买家退款说明';
const row = (id: string, amount = '59.90', deadline = '2025-04-22 10:00:00', note = '') =>
  `${id},4123456789012345678,买家已经申请退款，等待卖家同意,${amount},2025-04-20 10:00:00,${deadline},买家未收到货,${note}`;
const RECEIPTS_HEADER = '退货物流单号,物流公司,签收时间,商家编码,数量,验货结果,验货人,备注';

const write = (dir: string, name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const cli = (db: string, args: string[], opts: Parameters<typeof runCli>[1] = {}) => runCli(['--db', db, '--now', NOW, ...args], opts);
const isRoot = process.getuid?.() === 0;

/** A tmpfs of `kb` KB, mounted for the test (root only; the caller skips otherwise, with a reason). */
function mountTmpfs(kb: number): { dir: string; umount: () => void } {
  const dir = tmpDir('refunds-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
  return { dir, umount: () => void spawnSync('umount', [dir]) };
}
/** Fills the file system at `dir` to the last byte. */
function fill(dir: string): void {
  const fd = fs.openSync(path.join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch {
    /* ENOSPC: full */
  }
  try {
    for (;;) fs.writeSync(fd, block, 0, 1);
  } catch {
    /* full to the byte */
  }
  fs.closeSync(fd);
}
const canMount = toolAvailable(
  (() => {
    if (!isRoot) return false;
    try {
      mountTmpfs(16).umount();
      return true;
    } catch {
      return false;
    }
  })(),
  'a tmpfs mount (root) for the issue-14 full-disk and read-only tests',
);

function demoDb(): string {
  const db = path.join(tmpDir(), 'demo.sqlite');
  const r = cli(db, ['import', fixture('taobao-refunds-2017-gbk.csv'), fixture('taobao-orders-gbk.csv'), fixture('douyin-aftersales.csv'), fixture('warehouse-returns.csv')]);
  expect(r.code).toBe(0);
  return db;
}

describe('1. a row with fewer cells than the header is never imported as if whole', () => {
  it('a dropped cell rejects the row with its line and what is missing; the other rows go in', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    // Line 3 lost its 超时时间 cell: read as whole, 买家未收到货 would land in 超时时间's place.
    const lines = [HEADER, row('1000000000000001'), row('1000000000000002').replace(',2025-04-22 10:00:00', ''), row('1000000000000003'), ''];
    const r = cli(db, ['import', '--json', write(dir, 'short.csv', lines.join('\n'))]);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect([f.inserted, f.rejected]).toEqual([2, 1]);
    expect(f.errors).toEqual([
      { line: 3, message: 'the row has 7 cells but the header has 8; missing: 买家退款说明 (a cut or misaligned row; it was left out)' },
    ]);
    const sql = new Database(db, { readonly: true });
    expect(sql.prepare('SELECT refund_id, export_deadline FROM refunds ORDER BY refund_id').all()).toEqual([
      { refund_id: '1000000000000001', export_deadline: '2025-04-22T10:00:00+08:00' },
      { refund_id: '1000000000000003', export_deadline: '2025-04-22T10:00:00+08:00' },
    ]);
    sql.close();
  });

  it('a warehouse log cut before 验货结果 refuses the file: "wrong item" never becomes "received OK"', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    const whole = fs.readFileSync(fixture('warehouse-returns.csv'), 'utf8');
    const cut = whole.slice(0, whole.indexOf(',错货,'));
    const file = write(dir, 'cut.csv', cut);
    const r = cli(db, ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `refunds: ${file}:3: the last line has 5 of the header's 8 cells and no line end: the file is cut off (an interrupted download or copy); export or copy it again\n` +
        'Nothing was imported. Fix the file (or leave it out) and run the import again.\n',
    );
    // Nothing written: not even an empty database (a first import that is refused leaves none).
    expect(fs.existsSync(db)).toBe(false);
  });

  it('a last line cut inside its last cell (all cells there, no line end) is left out, not imported shortened', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    const r = cli(db, ['import', '--json', write(dir, 'cut.csv', `${HEADER}\n${row('1000000000000001', '59.90', undefined, 'whole')}\n${row('1000000000000002', '59.90', undefined, 'cu')}`)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].errors).toEqual([
      { line: 3, message: 'the last line has no line end, so it may be cut off; the row was left out (export the file again, or end the file with a line break if the row is whole)' },
    ]);
    // A quoted last cell closed by its quote is provably whole.
    const q = cli(db, ['import', '--json', write(dir, 'quoted.csv', `${HEADER}\n${row('1000000000000003', '59.90', undefined, '"whole"')}`)]);
    expect(JSON.parse(q.stdout).files[0]).toMatchObject({ inserted: 1, rejected: 0 });
  });

  describe('fuzz: truncation at every byte of a small file never imports a row whose stored values differ from the whole file\'s', () => {
    let dir: string;
    let store: Store;
    beforeAll(() => {
      dir = tmpDir();
      store = openStore(path.join(dir, 'fuzz.sqlite'));
    });
    afterAll(() => store.close());

    /** Every stored row of `table` after importing `file` (inside the import's transaction; a dry run writes nothing). */
    async function storedRows(file: string, table: string, key: string): Promise<Map<string, Record<string, unknown>> | ImportFailure> {
      let rows: Record<string, unknown>[] = [];
      try {
        await importFiles(store, [{ name: file }], {
          zone,
          nowMs,
          dryRun: true,
          beforeCommit: () => {
            rows = store.sql(`SELECT * FROM ${table}`);
          },
        });
      } catch (e) {
        if (e instanceof ImportFailure) return e;
        throw e;
      }
      const volatile = new Set(['id', 'recorded_at', 'first_seen_at', 'updated_at', 'source_file', 'status_since', 'row_hash']);
      return new Map(rows.map((r) => [String(r[key]), Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.has(k)))]));
    }

    it.each([
      ['warehouse-returns.csv', 'warehouse_receipts', 'waybill_key', null],
      ['douyin-aftersales.csv', 'refunds', 'refund_id', null],
      // GBK, CRLF, ="…" IDs: the header and the first three rows of the Taobao report.
      ['taobao-refunds-2017-gbk.csv', 'refunds', 'refund_id', 4],
    ] as const)('%s', async (name, table, key, keepLines) => {
      let bytes = fs.readFileSync(fixture(name));
      if (keepLines) {
        let at = 0;
        for (let i = 0; i < keepLines; i++) at = bytes.indexOf(0x0a, at) + 1;
        bytes = bytes.subarray(0, at);
      }
      const whole = await storedRows(write(dir, `whole-${name}`, bytes), table, key);
      if (whole instanceof ImportFailure) throw whole;
      expect(whole.size).toBeGreaterThanOrEqual(3);
      let imported = 0;
      for (let cut = 0; cut < bytes.length; cut++) {
        const got = await storedRows(write(dir, `cut-${name}`, bytes.subarray(0, cut)), table, key);
        if (got instanceof ImportFailure) continue;
        for (const [k, values] of got) {
          // A row from a cut file is one of the whole file's rows, value for value.
          expect({ cut, row: values }).toEqual({ cut, row: whole.get(k) });
          imported++;
        }
      }
      expect(imported).toBeGreaterThan(0);
    }, 120_000);
  });
});

describe('2. a full disk, a closed pipe: no truncated output passes as success', () => {
  it.runIf(canMount)('summary --out on a full disk: exit 1 in one line, the previous printout untouched', () => {
    const db = demoDb();
    const fs16 = mountTmpfs(64);
    try {
      const out = path.join(fs16.dir, 'summary.html');
      expect(cli(db, ['summary', '--format', 'html', '--out', out]).code).toBe(0);
      const before = fs.readFileSync(out);
      fill(fs16.dir);
      const r = cli(db, ['summary', '--format', 'html', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`refunds: cannot write ${out}: the disk is full; the previous file, if any, is unchanged\n`);
      expect(fs.readFileSync(out).equals(before)).toBe(true);
      expect(fs.readdirSync(fs16.dir).sort()).toEqual(['filler', 'summary.html']); // no temporary file left
    } finally {
      fs16.umount();
    }
  });

  it.runIf(canMount)('summary > file, decisions --csv > file, today --json > file on a full disk: exit 1, one line, no stack trace', () => {
    const db = demoDb();
    expect(cli(db, ['decide', '1587001122334455001', '--action', 'approve', '--agent', 'alice']).code).toBe(0);
    const fs16 = mountTmpfs(64);
    try {
      fill(fs16.dir);
      fs.rmSync(path.join(fs16.dir, 'filler'));
      // Room for 1 KB: every document below is longer.
      const keep = fs.openSync(path.join(fs16.dir, 'filler'), 'w');
      fs.closeSync(keep);
      fill(fs16.dir);
      for (const [name, args] of [
        ['summary.txt', ['summary']],
        ['decisions.csv', ['decisions', '--csv']],
        ['today.json', ['today', '--json']],
      ] as const) {
        const target = path.join(fs16.dir, name);
        const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --db "${db}" --now ${NOW} ${args.join(' ')} > "${target}"`], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'en_US.UTF-8' },
        });
        expect({ name, code: r.status, stderr: r.stderr }).toEqual({ name, code: 1, stderr: 'refunds: the output is incomplete: the disk is full (ENOSPC); free space and run again\n' });
      }
    } finally {
      fs16.umount();
    }
  });

  it.runIf(canMount)('backup to a full disk: exit 1, nothing at the target', () => {
    const db = demoDb();
    const fs16 = mountTmpfs(64);
    try {
      fill(fs16.dir);
      const target = path.join(fs16.dir, 'b.sqlite');
      const r = cli(db, ['backup', target]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^refunds: the backup to .*b\.sqlite failed: the disk is full; the previous file, if any, is unchanged\n$/);
      expect(fs.readdirSync(fs16.dir)).toEqual(['filler']);
    } finally {
      fs16.umount();
    }
  });
});

describe('3. a killed backup never leaves a file that looks like a backup', () => {
  it('SIGKILL while the copy is written: the target is absent or whole, and a retry succeeds', async () => {
    const db = path.join(tmpDir(), 'big.sqlite');
    expect(cli(db, ['import', bigRefundExport(tmpDir(), 30_000)]).code).toBe(0);
    const out = tmpDir();
    const target = path.join(out, 'backup.sqlite');
    const child = spawn(process.execPath, [BIN, '--db', db, 'backup', target], { stdio: 'ignore' });
    // Kill it the moment anything appears in the folder (the copy in progress).
    const started = Date.now();
    while (fs.readdirSync(out).length === 0 && Date.now() - started < 20_000) await new Promise((r) => setImmediate(r));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const left = fs.readdirSync(out);
    if (left.includes('backup.sqlite')) {
      const copy = new Database(target, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual({ n: 30_000 });
      copy.close();
    } else {
      // Killed mid-copy: only the temporary file beside the target.
      expect(left.filter((f) => !/^\.backup\.sqlite\.\d+\.\w+\.tmp(-journal)?$/.test(f))).toEqual([]);
      const retry = runCli(['--db', db, 'backup', target]);
      expect([retry.code, retry.stderr]).toEqual([0, `Backed up to ${target} (owner-only).\n`]);
    }
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual({ n: 30_000 });
    copy.close();
  }, 120_000);
});

describe('4. --out and backup never write through a symlink', () => {
  it('summary --out to a symlink is refused; the file it points to keeps its content and mode', () => {
    const db = demoDb();
    const dir = tmpDir();
    const victim = write(dir, 'victim.txt', 'not yours\n');
    fs.chmodSync(victim, 0o644);
    const link = path.join(dir, 'summary.txt');
    fs.symlinkSync(victim, link);
    const r = cli(db, ['summary', '--out', link]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`refunds: ${link} is a symbolic link; refunds never writes through one (it could replace another file); give the real path\n`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('not yours\n');
    expect(fs.statSync(victim).mode & 0o777).toBe(0o644);
    const b = cli(db, ['backup', '--force', link]);
    expect([b.code, fs.readFileSync(victim, 'utf8')]).toEqual([1, 'not yours\n']);
  });

  it('a special file (/dev/stdout on a pipe) is still written, every byte checked', () => {
    const db = demoDb();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --db "${db}" --now ${NOW} summary --json --out /dev/stdout | cat`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'en_US.UTF-8' },
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).asOf).toBe('2025-04-21T09:00:00+08:00');
  });
});

describe('5. a wrong database path never passes as an empty shop', () => {
  it.each([['today'], ['summary', '--fail-if', 'overdue'], ['show', '1587001122334455001'], ['decisions'], ['stats'], ['returns'], ['decide', '1587001122334455001', '--action', 'approve']])(
    '%s refuses a database that does not exist and creates nothing',
    (...args) => {
      const dir = tmpDir();
      const db = path.join(dir, 'typo', 'x.sqlite');
      const r = cli(db, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`refunds: no database at ${db}; import first (refunds import FILE), or check --db / REFUNDS_DB\n`);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

  it('REFUNDS_DB pointing nowhere makes summary --fail-if overdue fail (exit 1), not pass silently', () => {
    const r = runCli(['summary', '--fail-if', 'overdue'], { env: { REFUNDS_DB: '/nonexistent/refunds.sqlite' } });
    expect(r.code).toBe(1);
    expect(fs.existsSync('/nonexistent')).toBe(false);
  });

  it('import creates the database', () => {
    const db = path.join(tmpDir(), 'new', 'r.sqlite');
    expect(cli(db, ['import', fixture('douyin-aftersales.csv')]).code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });
});

describe('6. huge inputs: a clear refusal, never a crash', () => {
  const noCrash = (r: { code: number; stderr: string }) => {
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/internal error|Worker terminated|FATAL|at .*\.c?js:\d+/);
  };

  it('a 10 MB cell in a file large enough for the worker thread refuses the file at its line', () => {
    const dir = tmpDir();
    const big = fs.readFileSync(bigRefundExport(dir, 2000));
    const file = write(dir, 'huge-cell.csv', Buffer.concat([big, iconv.encode(`${'x,'.repeat(5)}"${'长'.repeat(3_500_000)}"\r\n`, 'gb18030')]));
    const r = cli(path.join(dir, 'r.sqlite'), ['import', file]);
    noCrash(r);
    expect(r.stderr).toContain('huge-cell.csv:2002: a row longer than 2,097,152 characters; no export has rows this long');
  });

  it('a 20 MB header name refuses the file (exit 1, not an abort)', () => {
    const dir = tmpDir();
    const file = write(dir, 'huge-header.csv', `${HEADER},${'h'.repeat(20 * 1024 * 1024)}\n${row('1000000000000001')}\n`);
    const r = cli(path.join(dir, 'r.sqlite'), ['import', file]);
    noCrash(r);
    expect(r.stderr).toContain('huge-header.csv:1: a row longer than 2,097,152 characters');
  });

  it('a header name over 256 characters refuses the file naming its column', () => {
    const dir = tmpDir();
    const file = write(dir, 'long-name.csv', `${HEADER},${'名'.repeat(300)}\n${row('1000000000000001')},x\n`);
    const r = cli(path.join(dir, 'r.sqlite'), ['import', file]);
    noCrash(r);
    expect(r.stderr.split('\n')[0]).toBe(`refunds: ${file}:1: header column 9 is longer than 256 characters; this is not an export header`);
  });
});

describe('7. FIFOs and other non-regular files are read once, as a stream', () => {
  it('a FIFO is imported (read once, the writer is not left hanging)', () => {
    const dir = tmpDir();
    const fifo = path.join(dir, 'export.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const db = path.join(dir, 'r.sqlite');
    const r = spawnSync(
      'sh',
      ['-c', `cat "${fixture('douyin-aftersales.csv')}" > "${fifo}" & "${process.execPath}" "${BIN}" --db "${db}" --now ${NOW} import --json "${fifo}"; wait`],
      { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'en_US.UTF-8' } },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ kind: 'douyin-aftersales', inserted: 7, rejected: 0 });
  });

  it.each([
    ['/dev/urandom', 'refunds: /dev/urandom: not a CSV export (binary data); export the report again as CSV'],
    ['/proc/self/status', 'refunds: /proc/self/status:1: headers match no known export (Name:'],
  ])('%s is read as a stream and refused for what it is, not as "empty"', (file, message) => {
    const r = cli(path.join(tmpDir(), 'r.sqlite'), ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith(message)).toBe(true);
  });
});

describe('8. encodings: decided on the whole file, replacement characters reported', () => {
  const dir = tmpDir();
  const utf8Rows = (n: number) => Array.from({ length: n }, (_, i) => row(String(1000000000000000 + i + 1), '59.90', undefined, '买家留言')).join('\n');

  it('a UTF-8 file whose later rows are GBK is refused at the first such line', () => {
    // 30,000 UTF-8 rows (well past the first 64 KB), then one row in GBK.
    const content = Buffer.concat([Buffer.from(`${HEADER}\n${utf8Rows(3000)}\n`), iconv.encode(`${row('1000000000009999', '59.90', undefined, '货到了')}\n`, 'gbk')]);
    const file = write(dir, 'mixed.csv', content);
    const r = cli(path.join(dir, 'a.sqlite'), ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `refunds: ${file}:3002: this part is not UTF-8 although the file starts as UTF-8 (mixed encodings or a damaged file); export it again, or name the encoding with --encoding`,
    );
  });

  it('with --encoding named, undecodable bytes are kept as U+FFFD and listed as warnings (JSON and stderr) with line and column', () => {
    const content = Buffer.concat([Buffer.from(`${HEADER}\n${utf8Rows(2)}\n`), Buffer.from(`${row('1000000000000009', '59.90', undefined, 'ok')}`), Buffer.from([0xff]), Buffer.from('\n')]);
    const db = path.join(dir, 'b.sqlite');
    const file = write(dir, 'bad-byte.csv', content);
    const r = cli(db, ['import', '--json', '--encoding', 'utf-8', file]);
    expect(r.code).toBe(0);
    const w = 'the 买家退款说明 cell held bytes that are not utf-8; they were replaced by "�": check the value in the seller backend';
    expect(JSON.parse(r.stdout).files[0].warnings).toEqual([{ line: 4, column: '买家退款说明', message: w }]);
    expect(r.stderr).toBe(`${file}:4: warning: ${w}\n`);
    const sql = new Database(db, { readonly: true });
    expect(sql.prepare('SELECT buyer_note FROM refunds WHERE refund_id = ?').get('1000000000000009')).toEqual({ buyer_note: 'ok\uFFFD' });
    sql.close();
  });

  it('a GBK file with undecodable bytes is imported with a warning per affected row', () => {
    const content = Buffer.concat([iconv.encode(`${HEADER}\r\n${row('1000000000000001', '59.90', undefined, '好')}\r\n`, 'gbk'), iconv.encode(row('1000000000000002', '59.90', undefined, 'x'), 'gbk'), Buffer.from([0x81, 0x20, 0x0d, 0x0a])]);
    const r = cli(path.join(dir, 'c.sqlite'), ['import', '--json', write(dir, 'gbk-bad.csv', content)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].warnings.map((x: { line: number; column: string }) => [x.line, x.column])).toEqual([[3, '买家退款说明']]);
  });

  it('NUL bytes after a BOM, or after the first 64 KB, refuse the file', () => {
    const bomFile = write(dir, 'bom-nul.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n`), Buffer.alloc(64)]));
    const bom = cli(path.join(dir, 'd.sqlite'), ['import', bomFile]);
    expect([bom.code, bom.stderr.split('\n')[0]]).toEqual([1, `refunds: ${bomFile}: not a CSV export (binary data); export the report again as CSV`]);
    const lateFile = write(dir, 'late-nul.csv', Buffer.concat([Buffer.from(`${HEADER}\n${utf8Rows(3000)}\n`), Buffer.from([0, 0, 0x0a])]));
    const late = cli(path.join(dir, 'd.sqlite'), ['import', lateFile]);
    expect([late.code, late.stderr.split('\n')[0]]).toEqual([1, `refunds: ${lateFile}:3002: NUL bytes (binary data) in the file; it is damaged or not a CSV export; export it again`]);
  });

  it('a file that is plain ASCII for its first 64 KB and GBK later is read as GB18030 throughout', async () => {
    // Export headers are Chinese, so this is the decoder's own case: ASCII past the 64 KB sample, then GBK bytes.
    const { GuardedDecoder } = await import('../../src/import/guard.js');
    const d = new GuardedDecoder('utf-8', false);
    const parts: string[] = [];
    d.on('data', (c: string) => parts.push(c));
    d.write(Buffer.from('a'.repeat(70_000) + '\n'));
    d.write(iconv.encode('退款成功\n', 'gbk'));
    d.end();
    await new Promise((r) => d.on('end', r));
    expect(parts.join('').slice(70_000)).toBe('\n退款成功\n');
  });
});

describe('9. hostile config values are refused, naming the key', () => {
  it.each([
    ['{"alertWindow": "1000000000000h"}', 'alertWindow must be between 1m and 30d'],
    ['{"shopName": 12345}', 'shopName must be a string'],
    ['{"claimMinutes": 1e400}', 'claimMinutes must be a finite number'],
    ['{"claimMinutes": 0}', 'claimMinutes must be at least 1'],
    ['{"rules": "yes"}', 'rules must be an object such as {"taobao": [ … ], "douyin": [ … ], "pdd": [ … ]}'],
    ['{"todayRowsPerSection": 2.5}', 'todayRowsPerSection must be a whole number'],
    ['{"amountThresholdYuan": -1}', 'amountThresholdYuan must be ≥ 0'],
    ['{"supervisors": ["zhang.wei", 3]}', 'supervisors.1 must be a string'],
    ['{"tmall": "yes"}', 'tmall must be true or false'],
    ['{"claimMinute": 15}', 'unknown key "claimMinute" (known keys: timeZone, shopName, alertWindow, amountThresholdYuan, supervisors, agent, claimMinutes, rules, todayRowsPerSection, tmall, buyerHistoryDays, buyerFlags, profiles)'],
    [
      '{"rules": {"taobao": [{"id": "taobao.x", "when": {"status": "WAIT_SELLER_AGREE"}, "anchor": "appliedAt", "window": {"days": 1000000000}, "actor": "seller", "atTimeout": "auto_refund", "source": "s", "confidence": "official"}]}}',
      '"window.days" must be at most 366, got 1000000000',
    ],
  ])('%s', (json, reason) => {
    const db = demoDb();
    const config = write(tmpDir(), 'config.json', json);
    for (const args of [['today'], ['summary']]) {
      const r = cli(db, args, { env: { REFUNDS_CONFIG: config } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(reason);
      expect(r.stderr).not.toContain('internal error');
      expect(r.stdout).toBe('');
    }
  });

  it('a valid config with every key (and issue 13\'s profiles, passed through) is accepted', () => {
    const db = demoDb();
    const every = {
      shopName: '某某旗舰店', timeZone: 'Asia/Shanghai', alertWindow: '24h', amountThresholdYuan: 500, supervisors: ['zhang.wei'], agent: 'li.na', claimMinutes: 15, tmall: true, todayRowsPerSection: 8, rules: { taobao: [] },
      buyerHistoryDays: 90,
      buyerFlags: { refundOnlyAfterDelivery: 2, refundShare: 0.5, refundShareMinOrders: 2, lateAfterReceiptDays: 30, noReasonDays: 7, disputes: 1 },
      profiles: [],
    };
    // "Every key" stays true when a key is added to the schema.
    expect(Object.keys(every).sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
    const config = write(tmpDir(), 'config.json', JSON.stringify(every));
    expect(cli(db, ['today'], { env: { REFUNDS_CONFIG: config } }).code).toBe(0);
  });
});

describe('10. each failure of the database gets its own line', () => {
  it('a foreign SQLite file at user_version 1–3 is not a refunds database: never backed up, never migrated', () => {
    for (const v of [1, 2, 3]) {
      const dir = tmpDir();
      const db = path.join(dir, 'other.sqlite');
      const other = new Database(db);
      other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
      other.pragma(`user_version = ${v}`);
      other.close();
      const r = cli(db, ['today']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`refunds: ${db} is not a refunds database (or is damaged): schema version ${v} but no refunds tables\n`);
      expect(fs.readdirSync(dir)).toEqual(['other.sqlite']);
    }
  });

  it.runIf(canMount)('a read-only disk: reading and importing say so, not "internal error" or "not a refunds database"', () => {
    const db = demoDb();
    const ro = mountTmpfs(4096);
    try {
      fs.copyFileSync(db, path.join(ro.dir, 'r.sqlite'));
      expect(spawnSync('mount', ['-o', 'remount,ro', ro.dir]).status).toBe(0);
      const message = `refunds: the database ${path.join(ro.dir, 'r.sqlite')} (or its folder) cannot be written: read-only file, folder or disk; refunds needs to write beside it (its -wal and -shm files); fix the permissions or copy it somewhere writable\n`;
      for (const args of [['today'], ['import', fixture('douyin-aftersales.csv')]]) {
        const r = cli(path.join(ro.dir, 'r.sqlite'), args);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 1, stderr: message });
      }
      const fresh = cli(path.join(ro.dir, 'new.sqlite'), ['import', fixture('douyin-aftersales.csv')]);
      expect([fresh.code, fresh.stderr]).toEqual([1, message.replace('r.sqlite', 'new.sqlite')]);
    } finally {
      ro.umount();
    }
  });

  it.runIf(canMount)('a full disk at import: one line, exit 1, nothing written', () => {
    const full = mountTmpfs(256);
    try {
      fill(full.dir);
      const r = cli(path.join(full.dir, 'r.sqlite'), ['import', fixture('douyin-aftersales.csv')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^refunds: (the disk holding .* is full; nothing was written; free space and run again|the database .* could not be read or written \(disk I\/O error\): is the disk full or failing\? nothing was changed)\n$/);
    } finally {
      full.umount();
    }
  });
});

describe('11. no escape sequence reaches the terminal through an error message', () => {
  const ESC = '\u001b]0;owned\u0007\u001b[31m';
  it.each([
    [['show', `158${ESC}`]],
    [['decide', `158${ESC}`, '--action', 'approve']],
    [['--now', `2025${ESC}`, 'today']],
    [['decisions', '--since', `x${ESC}`]],
    [['--lang', `zz${ESC}`, 'today']],
    [[`to${ESC}day`]],
    [['today', `--fl${ESC}ag`]],
  ])('%j', (args) => {
    const db = demoDb();
    const r = cli(db, args);
    expect(r.code).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('an agent name with escapes is cleaned before it is recorded or printed', () => {
    const db = demoDb();
    const r = cli(db, ['decide', '1587001122334455001', '--action', 'approve', '--agent', `alice${ESC}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('by alice at 2025-04-21 09:00');
    expect(r.stderr + r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const sql = new Database(db, { readonly: true });
    expect(sql.prepare('SELECT agent FROM decisions').all()).toEqual([{ agent: 'alice' }]);
    sql.close();
  });

  it('a CSV header and a file name with escapes are cleaned in the refusal', () => {
    const dir = tmpDir();
    const file = write(dir, `bad${'\u001b[2J'}.csv`, `姓名${ESC},年龄\n张三,3\n`);
    const r = cli(path.join(dir, 'r.sqlite'), ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.stderr).toContain('headers match no known export (姓名');
  });
});

describe('12. decide honours claims', () => {
  const R01 = '1587001122334455001';
  const claim = (db: string, agent: string, minutes: number) => {
    const sql = new Database(db);
    sql.prepare('INSERT INTO claims (refund_id, agent, session, expires_at) VALUES (?, ?, ?, ?)').run(R01, agent, 'triage-session-1', Date.now() + minutes * 60_000);
    sql.close();
  };
  const decisions = (db: string) => {
    const sql = new Database(db, { readonly: true });
    const rows = sql.prepare('SELECT agent, action, source FROM decisions ORDER BY id').all();
    sql.close();
    return rows;
  };

  it('a case another agent holds in triage is refused, naming who and until when; --force records it as forced', () => {
    const db = demoDb();
    claim(db, 'bob', 10);
    const r = cli(db, ['decide', R01, '--action', 'approve', '--agent', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^refunds: refund 1587001122334455001 is held by bob until \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(triage, or a decision they just recorded\); nothing was recorded\nAsk them, or add --force to decide it anyway \(recorded as forced\)\.\n$/);
    expect(decisions(db)).toEqual([]);
    const forced = cli(db, ['decide', R01, '--action', 'approve', '--agent', 'alice', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^note: decided over bob's claim \(until .*\); recorded as forced\./);
    expect(decisions(db)).toEqual([{ agent: 'alice', action: 'approve', source: 'decide-forced' }]);
  });

  it('the agent\'s own claim, or an expired one, does not stand in the way', () => {
    const db = demoDb();
    claim(db, 'alice', 10);
    expect(cli(db, ['decide', R01, '--action', 'approve', '--agent', 'alice']).code).toBe(0);
    const db2 = demoDb();
    claim(db2, 'bob', -1);
    expect(cli(db2, ['decide', R01, '--action', 'approve', '--agent', 'alice']).code).toBe(0);
    expect(decisions(db2)).toEqual([{ agent: 'alice', action: 'approve', source: 'decide' }]);
  });

  it('two simultaneous decide calls on one case by two agents: exactly one lands', async () => {
    const db = demoDb();
    const run = (agent: string) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, '--db', db, '--now', NOW, 'decide', R01, '--action', 'approve', '--agent', agent], {
          env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'en_US.UTF-8' },
        });
        let stderr = '';
        child.stderr.on('data', (c) => (stderr += c));
        child.on('exit', (code) => resolve({ code: code ?? -1, stderr }));
      });
    const results = await Promise.all([run('alice'), run('bob')]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    const loser = results.find((r) => r.code === 1)!;
    expect(loser.stderr).toMatch(/is held by (alice|bob) until/);
    expect(decisions(db)).toHaveLength(1);
  });

  it('a refused decision releases its claim: another agent may decide right after', () => {
    const db = demoDb();
    const refused = cli(db, ['decide', R01, '--action', 'refuse', '--agent', 'alice']); // no note: invalid
    expect(refused.code).toBe(1);
    expect(cli(db, ['decide', R01, '--action', 'approve', '--agent', 'bob']).code).toBe(0);
  });
});

describe('13. values that should be refused are refused with a reason', () => {
  it('negative amounts and epoch-second times far outside the shop\'s range reject their rows', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    const content = [HEADER, row('1000000000000001', '-59.90'), row('1000000000000002', '59.90', '4102444800'), row('1000000000000003', '59.90', '0000000001'), row('1000000000000004', '59.90', '1745287200'), ''].join('\n');
    const r = cli(db, ['import', '--json', write(dir, 'values.csv', content)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].errors).toEqual([
      { line: 2, message: 'the amount "-59.90" in 买家退款金额 is below zero; exports never state negative amounts' },
      { line: 3, message: 'the time "4102444800" in 超时时间 is outside 2003–2099; is it the right column?' },
      { line: 4, message: 'the time "0000000001" in 超时时间 is outside 2003–2099; is it the right column?' },
    ]);
    const sql = new Database(db, { readonly: true });
    expect(sql.prepare('SELECT refund_id, export_deadline FROM refunds').all()).toEqual([{ refund_id: '1000000000000004', export_deadline: '2025-04-22T10:00:00+08:00' }]);
    sql.close();
  });

  it('a key column twice in the header refuses the file', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.sqlite');
    const file = write(dir, 'twice.csv', `${HEADER},订单编号\n${row('1000000000000001')},4999999999999999999\n`);
    const r = cli(db, ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`refunds: ${file}:1: the header has the column 订单编号 twice, so which cell holds the value is unclear; export the file again`);
  });
});
