// Stored deadlines: the domain computes them (domain/deadlines.ts), the store keeps one beside each
// open refund so that the sweep can rank in SQL.
import type { DeadlineRow } from '../../domain/inputs.js';
import type { Refund } from '../../domain/types.js';

export interface Deadlines {
  /** The IDs of every open refund, in refund ID order. */
  openRefundIds(): Promise<string[]>;
  /** Open refunds whose deadline was never computed (or whose data changed since), at most `limit`. */
  needing(limit?: number): Promise<Refund[]>;
  /** Stores these deadlines (replacing any), marking each refund's data as current. Inside the caller's unit of work. */
  save(rows: DeadlineRow[]): Promise<void>;
}
