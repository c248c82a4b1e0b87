// The build's V8 code cache (bin/codeCache.js, scripts/code-cache.cjs): written for the chunks
// `today` loads, accepted by this Node, and without effect on what the CLI prints (the same bytes
// as the bundle compiled by Node's own loader).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, ROOT, fixture, runCli, tmpDir } from '../helpers/cli.js';

const BUNDLE = path.join(ROOT, 'dist/bin');
const CACHE = path.join(BUNDLE, 'code-cache');
const FILES = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
let db: string;

beforeAll(() => {
  db = path.join(tmpDir(), 'demo.sqlite');
  expect(runCli(['--db', db, '--now', NOW, 'import', ...FILES.map(fixture)]).code).toBe(0);
});

/** The same CLI with every chunk compiled by Node's loader: bin/refunds.js without its first line of work. */
function runWithoutCache(args: string[]) {
  const script = `require(${JSON.stringify(path.join(BUNDLE, 'refunds.cjs'))}).main(process.argv).then((c) => { process.exitCode = c; })`;
  const r = spawnSync(process.execPath, ['-e', script, 'refunds', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'en_US.UTF-8', TZ: 'UTC', XDG_CONFIG_HOME: tmpDir() },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the code cache', () => {
  it('covers the chunks today loads, each cache named by its chunk and accepted by V8', () => {
    const caches = fs.readdirSync(CACHE);
    const chunkOf = (file: string) => file.slice(0, file.indexOf('.cjs.') + 4);
    const covered = new Set(caches.map(chunkOf));
    expect(covered.has('refunds.cjs')).toBe(true);
    expect([...covered].some((c) => c.startsWith('sweep-'))).toBe(true);
    for (const file of caches) {
      const chunk = path.join(BUNDLE, chunkOf(file));
      const { size, mtimeMs } = fs.statSync(chunk);
      expect(file).toBe(`${chunkOf(file)}.${size}.${Math.floor(mtimeMs / 1000)}.v8`);
      const script = new vm.Script(Module.wrap(fs.readFileSync(chunk, 'utf8')), { filename: chunk, cachedData: fs.readFileSync(path.join(CACHE, file)) });
      expect(script.cachedDataRejected, file).toBe(false);
    }
  });

  it.each([
    [['today']],
    [['--lang', 'zh', 'today', '--all']],
    [['today', '--json']],
    [['show', '3']],
    [['summary']],
    [['today', '--help']],
  ])('changes nothing refunds %j prints', (args) => {
    const argv = ['--db', db, '--now', NOW, ...args];
    const cached = runCli(argv, { env: { XDG_CONFIG_HOME: tmpDir() } });
    const plain = runWithoutCache(argv);
    expect(cached.code).toBe(0);
    expect(plain.code).toBe(0);
    expect(cached.stdout.length).toBeGreaterThan(200);
    expect(cached.stdout).toBe(plain.stdout);
    expect(cached.stderr).toBe(plain.stderr);
  });
});
