#!/usr/bin/env node
// Can the import reach 2.0 × `sqlite3 .import` at all? Times, in one run, each half of the import
// on its own, with nothing else to wait for, against SQLite's own loader (BENCHMARKS.md, "Floors"):
//
// - the parsing half: the worker's code (decode, parse, normalize: produceRows) on the
//   refund report, with the rows thrown away: no SQLite, no thread hand-off;
// - the writing half: SQLite alone writing the 200,000 rows an import writes, already parsed and
//   normalized (read back from a populated database), in random order, with no JavaScript per row
//   but the INSERT call: as refunds writes them, and in cheaper variants, down to one that drops
//   what the database contract requires (the unmapped columns and the history), to show where the floor is.
//
// Each measurement is the best of BENCH_REPS (default 5: this machine's minutes differ by ±30 %),
// taken after waiting for a quiet machine.
//
//   npm run build && node bench/import-floor.mjs [--write]
//
// --write puts the table into BENCHMARKS.md between <!-- floor:start --> and <!-- floor:end -->.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { MIGRATIONS } from '../dist/store/sqlite/schema.js';
import { produceRows } from '../dist/import/produce.js';
import { generateAll, sizesFromEnv, NOW_ISO } from './generate.mjs';
import { waitQuiet } from './lib/measure.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const write = process.argv.includes('--write');
const log = (s) => process.stderr.write(s + '\n');

const inputs = await generateAll(sizesFromEnv(), log);
const csv = inputs.refunds;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-floor-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** Best of REPS wall-clock times of `fn` (ms), each after waiting for a quiet machine. */
async function best(label, fn) {
  let min = Infinity;
  for (let i = 0; i < REPS; i++) {
    await waitQuiet({ maxMs: 60_000 });
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  log(`  ${label}: ${(min / 1000).toFixed(2)} s`);
  return min;
}

// The denominator, as bench/run.mjs measures it: SQLite's own CSV loader into memory.
log('sqlite3 .import');
const sqlite3 = await best('sqlite3 .import', () => {
  const r = spawnSync('sqlite3', [':memory:', '-cmd', '.mode csv', `.import ${inputs.refundsUtf8} t`], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('sqlite3 .import failed (is sqlite3 installed? npm run bench installs it)');
});

// What the house libraries alone take to read the file: GBK through iconv-lite, CSV through papaparse.
log('reading only (iconv-lite + papaparse)');
const reading = await best('read', async () => {
  let n = 0;
  await new Promise((resolve, reject) => {
    const text = fs.createReadStream(csv, { highWaterMark: 256 * 1024 }).pipe(iconv.decodeStream('gb18030'));
    text.on('error', reject);
    Papa.parse(text, { delimiter: ',', chunkSize: 256 * 1024, chunk: (r) => (n += r.data.length), complete: resolve, error: reject });
  });
  if (n < 1) throw new Error('no records read');
});

log('parsing half (produceRows, rows discarded)');
const parsing = await best('parse', async () => {
  let n = 0;
  await produceRows(fs.createReadStream(csv, { highWaterMark: 256 * 1024 }), { file: csv, encoding: 'gb18030', zoneName: 'Asia/Shanghai' }, {
    header() {},
    batch(items) {
      n += items.length;
    },
  });
  if (n < 1) throw new Error('no rows parsed');
});

// The rows an import writes: from a database the real CLI populated.
const populated = path.join(scratch, 'populated.sqlite');
const imp = spawnSync(process.execPath, ['bin/refunds.js', '--db', populated, '--now', NOW_ISO, 'import', csv], { stdio: 'ignore' });
if (imp.status !== 0) throw new Error('refunds import failed');
const COLUMNS = [
  'platform', 'order_id', 'status', 'status_text', 'amount_cents', 'paid_cents', 'applied_at', 'export_deadline', 'refund_type',
  'return_required', 'goods_status', 'shipped', 'phase', 'dispute_state', 'dispute_text', 'evidence_deadline', 'buyer_nick',
  'item_title', 'sku', 'reason', 'buyer_note', 'return_waybill', 'return_waybill_key', 'return_carrier', 'returned_at',
  'finished_at', 'seller_note', 'extra_columns', 'extra_values', 'updated_at', 'source_file', 'refund_id', 'status_since',
  'first_seen_at', 'deadline_at', 'deadline_source', 'deadline_rule', 'waiting_on', 'at_timeout',
];
const source = new Database(populated, { readonly: true });
const rows = source.prepare(`SELECT ${COLUMNS.join(', ')} FROM refunds ORDER BY random()`).raw(true).all();
// The file's layouts (extra_columns references them): filed once per file, before its rows.
const layouts = source.prepare('SELECT id, columns_json, slots_json, constants_json FROM import_columns').raw(true).all();
source.close();

// Every secondary index of refunds in the current schema (read from it, so a new one is not missed).
const SECONDARY = (() => {
  const db = new Database(':memory:');
  for (const m of MIGRATIONS) db.exec(m);
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'refunds' AND sql IS NOT NULL ORDER BY name").pluck().all();
  db.close();
  return names;
})();
const VARIANTS = [
  { id: 'as-written', label: `as refunds writes into a database that holds data: table, key, ${SECONDARY.length} indexes, first history rows, WAL`, journal: 'wal' },
  { id: 'rollback', label: 'the same through a rollback journal, as the first import into an empty database is written', journal: 'delete' },
  { id: 'indexes-after', label: 'rollback journal, secondary indexes built after the rows', journal: 'delete', dropIndexes: true, rebuildIndexes: true },
  { id: 'no-indexes', label: 'rollback journal, no secondary indexes', journal: 'delete', dropIndexes: true },
  {
    id: 'contract-broken',
    label: 'rollback journal, without the unmapped columns (`extra_columns`, `extra_values`) and without history (breaks the database contract)',
    journal: 'delete',
    withoutExtras: true,
    withoutHistory: true,
  },
];

const writing = {};
for (const v of VARIANTS) {
  log(`writing half: ${v.id}`);
  const cols = v.withoutExtras ? COLUMNS.filter((c) => c !== 'extra_columns' && c !== 'extra_values') : COLUMNS;
  const keep = cols.map((c) => COLUMNS.indexOf(c));
  const data = v.withoutExtras ? rows.map((r) => keep.map((i) => r[i])) : rows;
  writing[v.id] = await best(v.id, () => {
    const file = path.join(scratch, `floor-${v.id}.sqlite`);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
    const db = new Database(file);
    db.pragma(`journal_mode = ${v.journal}`);
    db.pragma(v.journal === 'wal' ? 'synchronous = NORMAL' : 'synchronous = FULL');
    db.pragma('cache_size = -16384');
    for (const m of MIGRATIONS) db.exec(m);
    const indexSql = SECONDARY.map((n) => db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(n));
    if (v.dropIndexes) for (const n of SECONDARY) db.exec(`DROP INDEX ${n}`);
    const insert = db.prepare(`INSERT INTO refunds (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    db.exec('BEGIN IMMEDIATE');
    const layout = db.prepare('INSERT INTO import_columns (id, columns_json, slots_json, constants_json) VALUES (?, ?, ?, ?)');
    for (const l of layouts) layout.run(l);
    for (const r of data) insert.run(r);
    if (v.rebuildIndexes) for (const sql of indexSql) db.exec(sql);
    if (!v.withoutHistory) {
      db.exec(`INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
               SELECT refund_id, status, status_text, status_since, source_file FROM refunds ORDER BY rowid`);
    }
    db.exec('COMMIT');
    db.close();
  });
}

const budget = 2 * sqlite3;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const x = (ms) => `${(ms / sqlite3).toFixed(2)}×`;
const table = [
  `Run ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; best of ${REPS}; ${rows.length.toLocaleString('en-US')} refund rows.`,
  '',
  '| Each half alone, on the 200k refund report | Time | ÷ `sqlite3 .import` | Within the 2.0× budget? |',
  '|---|--:|--:|---|',
  `| \`sqlite3 .import\` (the denominator) | ${s(sqlite3)} | 1.00× | budget ${s(budget)} |`,
  `| reading only: decode (iconv-lite) and CSV parse (papaparse), records thrown away | ${s(reading)} | ${x(reading)} | ${reading <= budget ? 'yes' : 'no'} |`,
  `| parsing half: the worker's code: read and normalize (no SQLite, no hand-off) | ${s(parsing)} | ${x(parsing)} | ${parsing <= budget ? 'yes' : 'no'} |`,
  ...VARIANTS.map((v) => `| writing half: ${v.label} | ${s(writing[v.id])} | ${x(writing[v.id])} | ${writing[v.id] <= budget ? 'yes' : 'no'} |`),
].join('\n');
console.log(table);

if (write) {
  const md = fs.readFileSync('BENCHMARKS.md', 'utf8');
  const start = '<!-- floor:start -->';
  const end = '<!-- floor:end -->';
  const a = md.indexOf(start);
  const b = md.indexOf(end);
  if (a < 0 || b < a) throw new Error(`BENCHMARKS.md has no ${start} … ${end} section`);
  fs.writeFileSync('BENCHMARKS.md', md.slice(0, a + start.length) + '\n' + table + '\n' + md.slice(b));
  log('BENCHMARKS.md updated');
}
