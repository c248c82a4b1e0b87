// The shipped CLI: tsc's ES modules (dist/) bundled into CommonJS chunks in dist/bin/. Node's
// CommonJS loader is synchronous and much cheaper per file than its ES-module loader: `refunds
// today` starts ~25 ms sooner (BENCHMARKS.md). Dynamic imports stay separate chunks, so a command
// still loads only what it uses. better-sqlite3's JavaScript is bundled (in the sweep chunk, below);
// its native addon is loaded from node_modules by path (store/sqlite/driver.ts), and `bindings`, its
// search for the addon, stays outside. pg (and its optional native binding pg-native, which is not
// installed) stay outside too: required at run time from node_modules, only by the PostgreSQL
// backend, so a SQLite command never loads them.
//
// The sweep's modules (what `today`, `show`, `summary` and `stats` all run: the use case, the
// deadline and section rules, the SQLite store and better-sqlite3, the today screen) go in ONE chunk: left to itself
// rolldown splits them into some twenty small shared chunks, and each file Node loads costs a
// resolve, a stat and a read (about 7 ms of `today`'s start-up in all). The modules the import
// worker also loads (domain/time, import/*) stay out of it (includeDependenciesRecursively: false),
// so a worker does not load the store. A module missing from the list only lands in a chunk of
// its own again: slower to start, never wrong.
const SWEEP = new RegExp(
  `dist[\\\\/](${[
    'app/(sweep|env|deadlines|calendarData|rules|buyerHistory|rowNumbers|ports/admin)',
    'domain/(nextStep|deadlines|calendar|rules|urgency|sections|decisionState|buyerHistory|tree/facts|buyerFlags)',
    'rules/(taobao|douyin|pdd)',
    'cli/sweepEnv',
    'store/sqlite/',
    'store/common/(sql|similarIds|rows|extrasLayout|rowMerge)',
    'ui/(todayView|output|duration|caseWording)',
  ]
    .map((p) => p.replaceAll('/', '[\\\\/]'))
    .join('|')})|node_modules[\\\\/]better-sqlite3[\\\\/]`,
);

export default {
  input: { refunds: 'dist/cli/main.js', worker: 'dist/import/worker.js' },
  platform: 'node',
  external: ['bindings', 'pg', 'pg-copy-streams', 'pg-native', 'pg-connection-string'],
  logLevel: 'warn',
  output: {
    dir: 'dist/bin',
    cleanDir: true, // no chunks of earlier builds left beside the new ones (nor their code cache)
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
    codeSplitting: { groups: [{ name: 'sweep', test: SWEEP, includeDependenciesRecursively: false }] },
  },
};
