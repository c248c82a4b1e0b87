// Each stored table's primary key, in key order: the order Admin.dump reads a table in, on every
// backend (text keys sort by code point on both: COLLATE "C" on PostgreSQL), so that two dumps of
// equal stores are equal row by row.
import type { TableName } from '../../app/ports/admin.js';

export const TABLE_KEYS: Record<TableName, readonly string[]> = {
  meta: ['key'],
  imports: ['id'],
  import_columns: ['id'],
  orders: ['order_id'],
  refunds: ['refund_id'],
  refund_history: ['id'],
  decisions: ['id'],
  warehouse_receipts: ['id'],
  claims: ['refund_id'],
  snoozes: ['refund_id', 'agent'],
};
