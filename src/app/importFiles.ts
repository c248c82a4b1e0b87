// `refunds import`'s use case: every file of the command in one unit of work of mode 'load', each
// file whole or not at all (ImportWriter.file): a file that cannot be imported (ImportFailure) is
// rolled back alone and comes back with `refused` set, the others are written. Anything else (a
// store error) rolls back everything and throws. Reading the files is src/import's; the store is
// reached only through the ports.
import { deadlineFor } from '../domain/deadlines.js';
import type { Refund } from '../domain/types.js';
import type { ShopZone } from '../domain/time.js';
import { PROFILES } from '../import/profiles.js';
import { ImportFailure, displayName, readFile, refusedReport, type FileReport, type ImportSource, type ReadOptions, type RowSink } from '../import/read.js';
import { ensureDeadlines, toStored, type DeadlineEnv } from './deadlines.js';
import { isStoreBusy, type Ports, type TxPorts } from './ports/index.js';

export interface ImportEnv {
  zone: ShopZone;
  nowMs: number;
  /**
   * The deadline rules: each open refund's deadline is computed as its row is written, and the
   * stored deadlines are brought up to date in the same transaction (before the first file: made
   * under other rules or another calendar; after the last: rows that changed, or every open
   * refund after an order export, which may say what shipped). Without it, rows wait for the next
   * ensureDeadlines.
   */
  deadlines?: DeadlineEnv;
  /** A monotonic clock in ms for the progress throttle (the cli's). */
  progressClock?: () => number;
  /** Pause between two tries of a busy store (ms, default 200). */
  retryMs?: number;
}

export interface ImportInput extends Omit<ReadOptions, 'zone' | 'progressClock'> {
  sources: ImportSource[];
  /** Read and count everything, write nothing (the unit of work is rolled back). */
  dryRun?: boolean;
  /** Told once when another process holds the store and the import waits for it. */
  onWaitForLock?: () => void;
  /**
   * With `env.deadlines`: false computes deadlines on write only, without the passes before and
   * after (tests prove that the write path alone leaves no refund without one). Default true.
   */
  refreshDeadlines?: boolean;
  /** Runs inside the unit of work after the last file, before it commits (or rolls back for a dry run). */
  beforeCommit?: (reports: FileReport[]) => void | Promise<void>;
}

/** Thrown through the unit of work to roll a dry run back; carries its reports out. */
class DryRunDone extends Error {
  constructor(readonly reports: FileReport[]) {
    super('dry run');
  }
}

/**
 * Imports every source. Two imports at once serialize: the second waits for the first's write
 * lock (StoreBusy before anything was done) instead of failing, and says so once.
 */
export async function importFiles(ports: Ports, env: ImportEnv, input: ImportInput): Promise<FileReport[]> {
  const seenAt = env.zone.iso(env.nowMs);
  const d = env.deadlines;
  const refresh = Boolean(d) && input.refreshDeadlines !== false;
  const deadlineOf = d ? (r: Refund) => toStored(r.refundId, deadlineFor(r, d.rules, d.zone, d.calendar)) : undefined;
  const profiles = input.profiles ?? PROFILES;
  const readOpts: ReadOptions = {
    zone: env.zone,
    encoding: input.encoding,
    kind: input.kind,
    sheet: input.sheet,
    profiles: input.profiles,
    worker: input.worker,
    stdin: input.stdin,
    onProgress: input.onProgress,
    progressClock: env.progressClock,
  };
  let started = false;

  const importOne = (tx: TxPorts, src: ImportSource): Promise<FileReport> =>
    tx.imports.file(async () => {
      const sourceFile = displayName(src);
      const sink: RowSink = {
        refunds: (rows) => tx.imports.writeRefunds(rows, { seenAt, sourceFile, deadlineOf }),
        orders: (rows) => tx.imports.writeOrders(rows, { seenAt, sourceFile }),
        receipts: (rows) => tx.imports.writeReceipts(rows, seenAt),
      };
      const r = await readFile(src, readOpts, sink);
      // A dry run logs no import: nothing of it stays.
      await tx.imports.finishFile(
        input.dryRun
          ? null
          : { file: r.file, kind: r.kind, encoding: r.encoding, bytes: r.bytes, importedAt: seenAt, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected },
      );
      return r;
    });

  const work = async (tx: TxPorts): Promise<FileReport[]> => {
    started = true;
    if (d && refresh) await ensureDeadlines(tx, d);
    const reports: FileReport[] = [];
    for (const src of input.sources) {
      try {
        reports.push(await importOne(tx, src));
      } catch (e) {
        if (!(e instanceof ImportFailure)) throw e;
        reports.push(refusedReport(src, e));
      }
    }
    if (d && refresh) {
      const ordersWritten = reports.some((r) => !r.refused && r.inserted + r.updated > 0 && profiles.find((p) => p.kind === r.kind)?.target === 'orders');
      await ensureDeadlines(tx, d, { all: ordersWritten });
    }
    await input.beforeCommit?.(reports);
    if (input.dryRun) throw new DryRunDone(reports);
    return reports;
  };

  try {
    // Only a unit of work that could not begin is tried again: once a file is read (standard
    // input is read once), a busy store ends the command.
    return await retryWhileBusy(() => ports.unitOfWork(work, { mode: 'load' }), { onWait: input.onWaitForLock, retryMs: env.retryMs, retryable: () => !started });
  } catch (e) {
    if (e instanceof DryRunDone) return e.reports;
    throw e;
  }
}

/**
 * Runs `attempt` until it stops failing with StoreBusy (and `retryable()` still holds), every
 * `retryMs` (200); `onWait` is told once. The cli opens the store through it too: a first import
 * into a new database holds it until it ends.
 */
export async function retryWhileBusy<T>(
  attempt: () => T | Promise<T>,
  opts: { onWait?: () => void; retryMs?: number; retryable?: () => boolean } = {},
): Promise<T> {
  let told = false;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (!isStoreBusy(e) || (opts.retryable && !opts.retryable())) throw e;
      if (!told) opts.onWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, opts.retryMs ?? 200));
    }
  }
}

export { ImportFailure };
export type { FileReport, ImportSource, ReadOptions };
