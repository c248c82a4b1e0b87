// The import side: the app hands the rows of each file over in batches, inside a unit of work of
// mode 'load'.
import type { ImportLogEntry, OrderInput, ReceiptInput, RefundInput, StoredDeadline, UpsertOutcome } from '../../domain/inputs.js';
import type { Refund } from '../../domain/types.js';

export interface ImportWriter {
  /**
   * One file: a savepoint inside the unit of work; kept when `fn` resolves, rolled back when it
   * throws (the error is rethrown). Files do not nest.
   */
  file<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Inserts or updates refunds from an export, one outcome per row in the order given. A row equal
   * to the stored one (content, not bookkeeping) is 'unchanged'. `deadlineOf`, when given, computes
   * an open refund's deadline as it is written (the domain's rule, injected); without it the row
   * waits for the app's ensureDeadlines.
   */
  writeRefunds(
    rows: RefundInput[],
    at: { seenAt: string; sourceFile: string; deadlineOf?: (r: Refund) => StoredDeadline },
  ): Promise<UpsertOutcome[]>;
  /** Inserts or updates orders, one outcome per row in the order given. */
  writeOrders(rows: OrderInput[], at: { seenAt: string; sourceFile: string }): Promise<UpsertOutcome[]>;
  /** Adds warehouse receipts; a row whose hash is already stored is 'unchanged'. One outcome per row. */
  writeReceipts(rows: { row: ReceiptInput; hash: string }[], recordedAt: string): Promise<UpsertOutcome[]>;
  /**
   * Ends the current file's rows: adds the first-sighting history of every refund the file
   * inserted (one set-wise insert), then the imports log line when `log` is given. Call once per
   * file, inside `file(fn)`, after its last batch.
   */
  finishFile(log: ImportLogEntry | null): Promise<void>;
}
