// Every row of every stored table of a SQLite file, in primary-key order: what `refunds copy` must
// carry over unchanged (generated columns included, as SELECT * reads them).
import Database from 'better-sqlite3';
import { TABLE_NAMES, type TableName } from '../../src/app/ports/index.js';

export const KEY_OF: Record<TableName, string> = {
  meta: 'key',
  imports: 'id',
  import_columns: 'id',
  orders: 'order_id',
  refunds: 'refund_id',
  refund_history: 'id',
  decisions: 'id',
  warehouse_receipts: 'id',
  claims: 'refund_id',
  snoozes: 'refund_id, agent',
};

export function sqliteTables(file: string): Record<TableName, Record<string, unknown>[]> {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(TABLE_NAMES.map((t) => [t, d.prepare(`SELECT * FROM ${t} ORDER BY ${KEY_OF[t]}`).all()])) as Record<
      TableName,
      Record<string, unknown>[]
    >;
  } finally {
    d.close();
  }
}

export function sqliteCounts(file: string): Record<TableName, number> {
  const all = sqliteTables(file);
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, all[t].length])) as Record<TableName, number>;
}
