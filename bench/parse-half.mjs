#!/usr/bin/env node
// The parsing half of an import as the CLI runs it, without SQLite: readFile (src/import/read.ts)
// with its worker, the batches' hand-off and the writing thread's unpacking, into a sink that
// writes nothing. Time it whole-process against another build, in pairs, to see what the parsing
// half costs (both threads); --digest prints a SHA-256 of every row handed over and the file's
// report, to check that two builds read a file identically.
//
//   npm run build && node bench/parse-half.mjs [DIST_DIR] FILE [--digest]
//
// DIST_DIR defaults to this tree's dist/ (tsc's ES modules).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const digest = args.includes('--digest') ? createHash('sha256') : null;
const rest = args.filter((a) => a !== '--digest');
const dist = rest.length > 1 ? path.resolve(rest[0]) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const file = rest[rest.length - 1];
if (!file) {
  process.stderr.write('usage: node bench/parse-half.mjs [DIST_DIR] FILE [--digest]\n');
  process.exit(2);
}
const { readFile } = await import(pathToFileURL(path.join(dist, 'import/read.js')).href);
const { ShopZone } = await import(pathToFileURL(path.join(dist, 'domain/time.js')).href);
const take = (rows) => {
  if (digest) for (const r of rows) digest.update(JSON.stringify(r) + '\n');
  return Promise.resolve(rows.map(() => 'inserted'));
};
const report = await readFile({ name: file }, { zone: new ShopZone('Asia/Shanghai'), worker: true }, { refunds: take, orders: take, receipts: take });
if (report.refused) throw report.refused;
if (digest) {
  digest.update(JSON.stringify(report));
  console.log(`${digest.digest('hex')}  rows ${report.rows}, rejected ${report.rejected}, warnings ${report.warnings.length}`);
} else console.log(`rows ${report.rows}`);
