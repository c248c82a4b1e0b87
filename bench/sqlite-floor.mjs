#!/usr/bin/env node
// How fast can SQLite alone write what an import writes? Reads every refund row of a populated
// database (made by `refunds import` of bench/out/refunds-200k.csv), already parsed and
// normalized, then writes them in random order into a new database with the real schema and
// pragmas, timing each part: the INSERTs (the table, its key and its indexes), the first history
// entries, and COMMIT (with WAL's checkpoint). No CSV, no JavaScript per-row work: the floor of
// the import's writing thread, to compare with the 2 × `sqlite3 .import` budget (BENCHMARKS.md).
//
//   node bench/sqlite-floor.mjs <populated.sqlite> [--no-indexes]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../dist/store/schema.js';

const [src, flag] = process.argv.slice(2);
if (!src || !fs.existsSync(src)) {
  console.error('usage: node bench/sqlite-floor.mjs <populated.sqlite> [--no-indexes]');
  process.exit(2);
}
const COLUMNS = [
  'platform', 'order_id', 'status', 'status_text', 'amount_cents', 'paid_cents', 'applied_at', 'export_deadline', 'refund_type',
  'return_required', 'goods_status', 'shipped', 'phase', 'dispute_state', 'dispute_text', 'evidence_deadline', 'buyer_nick',
  'item_title', 'sku', 'reason', 'buyer_note', 'return_waybill', 'return_waybill_key', 'return_carrier', 'returned_at',
  'finished_at', 'seller_note', 'extra_json', 'row_hash', 'updated_at', 'source_file', 'refund_id', 'status_since',
  'first_seen_at', 'deadline_at', 'deadline_source', 'deadline_rule', 'waiting_on', 'at_timeout',
];
const from = new Database(src, { readonly: true });
const rows = from.prepare(`SELECT ${COLUMNS.join(', ')} FROM refunds ORDER BY random()`).raw(true).all();
from.close();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-floor-'));
const file = path.join(dir, 'floor.sqlite');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -16384');
for (const m of MIGRATIONS) db.exec(m);
const secondary = ['refunds_open', 'refunds_order', 'refunds_waybill', 'refunds_open_rank', 'refunds_needing_deadline'];
const recreate = flag === '--no-indexes' ? secondary.map((n) => db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(n)) : [];
if (recreate.length) for (const n of secondary) db.exec(`DROP INDEX ${n}`);
const insert = db.prepare(`INSERT INTO refunds (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);

const t = { start: performance.now() };
db.exec('BEGIN IMMEDIATE');
for (const r of rows) insert.run(r);
t.inserted = performance.now();
for (const sql of recreate) db.exec(sql);
t.indexed = performance.now();
db.exec(`INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file)
         SELECT refund_id, status, status_text, status_since, source_file FROM refunds ORDER BY rowid`);
t.history = performance.now();
db.exec('COMMIT');
t.committed = performance.now();
db.close();
const ms = (a, b) => `${((t[b] - t[a]) / 1000).toFixed(2)} s`;
console.log(`${rows.length.toLocaleString('en-US')} refund rows, ${(fs.statSync(file).size / 1048576).toFixed(0)} MB database`);
console.log(`INSERT ${ms('start', 'inserted')}${recreate.length ? `, indexes built after ${ms('inserted', 'indexed')}` : ''}, history ${ms('indexed', 'history')}, COMMIT ${ms('history', 'committed')}; total ${ms('start', 'committed')}`);
fs.rmSync(dir, { recursive: true, force: true });
