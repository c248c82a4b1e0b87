// Whole-store operations: backups, the privacy purge, and (issue 19) `refunds copy` between
// backends. Not part of a unit of work unless said.

/** The stored tables, in an order that `load` can follow (a table's references come before it). */
export const TABLE_NAMES = [
  'meta',
  'imports',
  'import_columns',
  'orders',
  'refunds',
  'refund_history',
  'decisions',
  'warehouse_receipts',
  'claims',
  'snoozes',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** One stored row by column name, values as the backend stores them (text, integers, null). */
export type TableRow = Record<string, string | number | null>;

export interface Admin {
  /**
   * Writes a consistent copy of the whole store to `file` (a SQLite file, whatever the backend),
   * taken while others may keep writing. The caller makes the file appear atomically.
   */
  backupTo(file: string): Promise<void>;
  /**
   * Erases buyers' personal data from cases finished before `beforeIso`, marking them purged at
   * `nowIso`, in one write transaction; returns how many rows (would be) changed. `dryRun`: counts only.
   */
  purgePersonalData(beforeIso: string, dryRun: boolean, nowIso: string): Promise<{ refunds: number; orders: number }>;
  /** Rows per table, read in one snapshot. */
  counts(): Promise<Record<TableName, number>>;
  /**
   * Every row of `table` in primary-key order, `batch` rows at a time, from one snapshot (issue 19:
   * `refunds copy`). Columns are the layout of the current schema, the same names on every backend.
   */
  dump(table: TableName, batch: number): AsyncIterable<TableRow[]>;
  /** Inserts rows as `dump` gave them (issue 19), inside the target's unit of work; ids are kept. */
  load(table: TableName, rows: TableRow[]): Promise<void>;
  /**
   * Whether the store holds nothing and this is its only user, so that a file the command itself
   * created may be removed (SQLite: checked under an exclusive lock taken without waiting). A
   * server backend answers false: it never removes a database.
   */
  emptyAndAlone(): Promise<boolean>;
}
