// The last step of `npm run build`: V8's code cache for dist/bin (bin/codeCache.js says why).
// The demo exports are imported into a temporary database, then the read commands agents start
// most (today, show, summary, stats, help) run in a process that records what V8 compiled, so that
// the bytecode of every function they call is in the cache; it is written to dist/bin/code-cache/.
// A failure fails the build: a cache silently missing would only show as a slower `refunds today`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin/refunds.js');
const NOW = '2025-04-21T09:00:00+08:00';
const FIXTURES = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'].map((f) => path.join(ROOT, 'fixtures', f));
// The commands whose start-up counts (BENCHMARKS.md), in two training runs, each at most 10
// commands (each adds process listeners). The second, `today` alone, runs last and so writes the
// cache of the chunks `today` loads: V8 reads a chunk's whole cache at every start, so bytecode of
// functions only other commands run would slow `today` down (~3 ms); those commands still find
// their own chunks' cache from the first run, and compile the few functions they add.
const TRAINING = [
  [
    ['today', '--json'],
    ['--lang', 'zh', 'today', '--all'],
    ['show', '1'],
    ['summary'],
    ['summary', '--json'],
    ['stats', '--since', '28d'],
    ['--help'],
    ['today', '--help'],
  ],
  [['today']],
];

// The child: runs one training run's commands with the cache recording, then writes it.
async function train(db, run) {
  const { installCodeCache, writeCodeCache } = require('../bin/codeCache.js');
  const compiled = installCodeCache({ record: true });
  const { main } = require('../dist/bin/refunds.cjs');
  for (const args of TRAINING[run]) {
    process.exitCode = undefined;
    const code = await main(['node', 'refunds', '--db', db, '--now', NOW, '--no-color', ...args]);
    if (code !== 0) throw new Error(`refunds ${args.join(' ')} exited with ${code}`);
  }
  process.exitCode = 0;
  process.stderr.write(`code cache: ${writeCodeCache(compiled)} chunks (${TRAINING[run].map((a) => a.join(' ')).join('; ')})\n`);
}

function build() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-code-cache-'));
  try {
    const db = path.join(tmp, 'train.sqlite');
    // The user's own config and REFUNDS_* settings stay out: no config file, English, the fixed "now".
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REFUNDS_')));
    Object.assign(env, { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', XDG_CONFIG_HOME: tmp });
    const imported = spawnSync(process.execPath, [CLI, '--db', db, '--now', NOW, 'import', ...FIXTURES], { env, encoding: 'utf8' });
    if (imported.status !== 0) throw new Error(`importing the fixtures failed:\n${imported.stderr}`);
    for (let run = 0; run < TRAINING.length; run++) {
      const trained = spawnSync(process.execPath, [__filename, '--train', db, String(run)], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
      if (trained.status !== 0) throw new Error(`the training commands failed:\n${trained.stderr}`);
      process.stdout.write(trained.stderr);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--train') {
  train(process.argv[3], Number(process.argv[4])).catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
} else {
  try {
    build();
  } catch (e) {
    process.stderr.write(`code cache: ${e.message}\n`);
    process.exitCode = 1;
  }
}
