// `refunds copy --to TARGET` (issue 19): the whole store into an empty one, SQLite or PostgreSQL on
// either side. The source is read in one snapshot, the target written in one unit of work: the
// target ends up with all of it or, when anything fails, with nothing (its unit of work rolls back).
import { StoreError, TABLE_NAMES, type Ports, type TableName } from './ports/index.js';

/** Rows per dump/load call: one await per batch, never per row. */
export const COPY_BATCH = 5000;

export interface CopyProgress {
  table: TableName;
  /** Rows of `table` copied so far. */
  copied: number;
  /** Rows of `table` in the source. */
  rows: number;
  /** Rows copied so far over all tables, and how many there are. */
  copiedTotal: number;
  total: number;
}

export interface CopyInput {
  batch?: number;
  /** Told after each batch (the cli draws a progress line for big copies). */
  onProgress?: (p: CopyProgress) => void;
}

export interface CopyView {
  /** Where from and where to, as the ports print them (a URL's password masked). */
  source: string;
  target: string;
  /** Rows per table, in load order: equal on both sides (verified before the commit). */
  tables: { table: TableName; rows: number }[];
  total: number;
}

/** A table whose row count differs between source and target after the load: nothing was committed. */
export class CopyMismatch extends Error {
  override readonly name = 'CopyMismatch';
  constructor(
    readonly table: TableName,
    readonly sourceRows: number,
    readonly targetRows: number,
  ) {
    super(`copy: ${table} has ${sourceRows} rows in the source but ${targetRows} in the target`);
  }
}

/**
 * Copies every table of `source` into `target`, which must hold no row (StoreError 'not-empty'
 * otherwise, nothing written). Tables go in TABLE_NAMES order (references first), ids kept;
 * generated columns are the backends' business (dump leaves them out, the target computes them).
 * Before the commit the row counts of every table are compared on both sides; a mismatch throws
 * CopyMismatch and the target is rolled back.
 */
export async function copyStore(source: Ports, target: Ports, input: CopyInput = {}): Promise<CopyView> {
  const batch = input.batch ?? COPY_BATCH;
  return target.unitOfWork(
    async () => {
      const before = await target.admin.counts();
      const held = TABLE_NAMES.filter((t) => before[t] > 0);
      if (held.length > 0) {
        throw new StoreError('not-empty', `copy: the target already holds rows (${held.map((t) => `${t}: ${before[t]}`).join(', ')})`, {
          url: target.where,
          tables: held.map((t) => `${t} (${before[t]})`).join(', '),
        });
      }
      return source.unitOfWork(
        async () => {
          // Counted in the same snapshot the rows are read from.
          const rows = await source.admin.counts();
          const total = TABLE_NAMES.reduce((n, t) => n + rows[t], 0);
          let copiedTotal = 0;
          for (const table of TABLE_NAMES) {
            let copied = 0;
            for await (const chunk of source.admin.dump(table, batch)) {
              await target.admin.load(table, chunk);
              copied += chunk.length;
              copiedTotal += chunk.length;
              input.onProgress?.({ table, copied, rows: rows[table], copiedTotal, total });
            }
            if (copied !== rows[table]) throw new CopyMismatch(table, rows[table], copied);
          }
          const after = await target.admin.counts();
          for (const table of TABLE_NAMES) {
            if (after[table] !== rows[table]) throw new CopyMismatch(table, rows[table], after[table]);
          }
          return {
            source: source.where,
            target: target.where,
            tables: TABLE_NAMES.map((table) => ({ table, rows: rows[table] })),
            total,
          };
        },
        { mode: 'read' },
      );
    },
    { mode: 'load' },
  );
}
