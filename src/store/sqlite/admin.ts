// Whole-store operations (Admin): backups, counts, and the dump/load of `refunds copy` (issue 19).
import fs from 'node:fs';
import { TABLE_NAMES, type TableName, type TableRow } from '../../app/ports/admin.js';
import type { Connection } from './connection.js';
import { TABLE_KEYS } from '../common/tableKeys.js';


const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function checkTable(table: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(table)) throw new RangeError(`no table ${table}`);
  return table as TableName;
}

/** The stored columns (hidden 0: generated ones are 2/3 and cannot be inserted). */
function columnsOf(c: Connection, table: TableName): string[] {
  return c.st('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid').pluck().all(table) as string[];
}

/** Runs `read` in one snapshot (a no-op inside a transaction, which is consistent already). */
export function inSnapshot<T>(c: Connection, read: () => T): T {
  if (c.db.inTransaction) return read();
  c.db.exec('BEGIN');
  try {
    return read();
  } finally {
    if (c.db.inTransaction) c.db.exec('COMMIT');
  }
}

export function counts(c: Connection): Record<TableName, number> {
  return inSnapshot(c, () =>
    Object.fromEntries(TABLE_NAMES.map((t) => [t, c.st(`SELECT count(*) FROM ${quoteId(t)}`).pluck().get() as number])),
  ) as Record<TableName, number>;
}

/** One batch of `table` in primary-key order, from `offset`; the caller holds the snapshot. */
export function dumpBatch(c: Connection, table: TableName, batch: number, offset: number): TableRow[] {
  const cols = columnsOf(c, table).map(quoteId).join(', ');
  return c.st(`SELECT ${cols} FROM ${quoteId(table)} ORDER BY ${TABLE_KEYS[table].join(', ')} LIMIT ? OFFSET ?`).all(batch, offset) as TableRow[];
}

/** Inserts rows as dump gave them, after checking their columns against the table. */
export function loadRows(c: Connection, table: TableName, rows: TableRow[]): void {
  if (rows.length === 0) return;
  const known = new Set(columnsOf(c, table));
  const cols = Object.keys(rows[0]!);
  for (const col of cols) if (!known.has(col)) throw new RangeError(`load: ${table} has no column ${col}`);
  const insert = c.st(`INSERT INTO ${quoteId(table)} (${cols.map(quoteId).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  c.db.transaction(() => {
    for (const r of rows) insert.run(cols.map((col) => r[col] ?? null));
  })();
}

/** A consistent copy of the whole file (SQLite's online backup), owner-only: it holds buyers' data. */
export async function backupTo(c: Connection, file: string): Promise<void> {
  await c.db.backup(file);
  fs.chmodSync(file, 0o600);
}
