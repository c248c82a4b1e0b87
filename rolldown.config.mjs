// The shipped CLI: tsc's ES modules (dist/) bundled into CommonJS chunks in dist/bin/. Node's
// CommonJS loader is synchronous and much cheaper per file than its ES-module loader: `refunds
// today` starts ~25 ms sooner (BENCHMARKS.md). Dynamic imports stay separate chunks, so a command
// still loads only what it uses. better-sqlite3 stays outside: it is a native addon. pg (and its
// optional native binding pg-native, which is not installed) stay outside too: required at run time
// from node_modules, only by the PostgreSQL backend, so a SQLite command never loads them.
export default {
  input: { refunds: 'dist/cli/main.js', worker: 'dist/import/worker.js' },
  platform: 'node',
  external: ['better-sqlite3', 'pg', 'pg-copy-streams', 'pg-native', 'pg-connection-string'],
  logLevel: 'warn',
  output: {
    dir: 'dist/bin',
    cleanDir: true, // no chunks of earlier builds left beside the new ones
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: '[name]-[hash].cjs',
    minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } },
  },
};
