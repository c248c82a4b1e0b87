// Reading one file: bytes -> decoded text -> CSV records (or workbook rows) -> normalized rows ->
// batches handed to a RowSink (the app binds it to the ImportWriter port), with the file's report
// counted as the outcomes come back. Memory stays flat: rows are written as they are parsed,
// nothing is collected. The transaction, the per-file savepoint, the wait for a busy store and the
// deadlines are the use case's (app/importFiles.ts).
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { OrderInput, ReceiptInput, RefundInput, UpsertOutcome } from '../domain/inputs.js';
import type { ShopZone } from '../domain/time.js';
import { NotText, SAMPLE_BYTES, detectEncoding, type Encoding } from './decode.js';
import { headerKey, signatureKeys, type ExportKind, type Profile } from './profiles.js';
import type { RowProblem, RowWarning } from './rows.js';
import { isOle, isZip } from './xlsx.js';
import { ImportFailure, produceRows, type HeaderInfo, type ProduceOptions, type Produced, type ProducedWarning } from './produce.js';
import { unpackBatch } from './transport.js';
import type { WorkerMessage } from './worker.js';

export { ImportFailure };

export interface ImportSource {
  /** What the user typed (a path, or "-" for standard input). */
  name: string;
}

/** How to read a file; nothing here writes. */
export interface ReadOptions {
  zone: ShopZone;
  encoding?: Encoding;
  kind?: ExportKind;
  /** Workbook sheet to import (--sheet). */
  sheet?: string;
  /** User profiles (config `profiles`), tried before the built-in ones. */
  profiles?: Profile[];
  /** Parse in a worker thread: default for files over 256 KB when running compiled code. */
  worker?: boolean;
  stdin?: NodeJS.ReadableStream;
  onProgress?: (p: { file: string; bytes: number; totalBytes: number | null; rows: number }) => void;
  /** Milliseconds of a monotonic clock, for the progress throttle (at most one line per 200 ms); without it, every batch reports. */
  progressClock?: () => number;
}

/**
 * Where a file's rows go, one batch at a time, awaited before the next: one outcome per row, in
 * the order given. The app binds it to the ImportWriter port (the file name and "seen at" bound).
 */
export interface RowSink {
  refunds(rows: RefundInput[]): Promise<UpsertOutcome[]>;
  orders(rows: OrderInput[]): Promise<UpsertOutcome[]>;
  receipts(rows: { row: ReceiptInput; hash: string }[]): Promise<UpsertOutcome[]>;
}

export interface RowError {
  line: number;
  code: string;
  params: Record<string, string | number>;
}

export interface FileReport {
  file: string;
  kind: string;
  encoding: string;
  bytes: number;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  /** Rows kept with a state text we do not know (status UNKNOWN). */
  unknownStatuses: { line: number; text: string }[];
  /** Rows imported with a doubt: which column, and why (`code`, localized by the caller), e.g. an
   * unknown state text, or a cell that needed replacement characters (code "replaced"). */
  warnings: FileWarning[];
  /** `csv` or `xlsx`, recognised by content. */
  format: 'csv' | 'xlsx';
  /** The workbook sheet imported. */
  sheet?: string;
  /** Set when the file was not imported at all (nothing of it was written). */
  refused?: ImportFailure;
}

export interface FileWarning {
  line: number;
  column: string;
  code: string;
  params: Record<string, string | number>;
}

const MAX_LISTED_ERRORS = 1000;
const MAX_LISTED_WARNINGS = 1000;

/** A file's report before any row is read. */
function emptyReport(file: string, encoding: string, format: FileReport['format']): FileReport {
  return { file, kind: '', encoding, bytes: 0, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], unknownStatuses: [], warnings: [], format };
}

/** The report of a file that was not imported at all. */
export function refusedReport(src: ImportSource, e: ImportFailure): FileReport {
  return { ...emptyReport(displayName(src), '', 'csv'), refused: e };
}

/** How a source is named in reports and in the store (standard input as <stdin>). */
export const displayName = (src: ImportSource): string => (src.name === '-' ? '<stdin>' : src.name);

interface Sampled {
  sample: Buffer;
  complete: boolean;
  total: number | null;
  rest: Readable;
  /** The open file's descriptor, which the worker reads too: the file is opened once. */
  fd: number | null;
  close(): Promise<void>;
}

async function readSample(src: ImportSource, opts: Pick<ReadOptions, 'stdin'>): Promise<Sampled> {
  if (src.name === '-') return { ...(await sampleStream((opts.stdin ?? process.stdin) as Readable)), fd: null, close: async () => undefined };
  let handle: fs.promises.FileHandle;
  try {
    // Opened once, asynchronously: a FIFO waits for its writer without freezing the process (Ctrl-C still works).
    handle = await fs.promises.open(src.name, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportFailure(src.name, code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'is-dir' : 'unreadable', null, {
      reason: (e as Error).message,
    });
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new ImportFailure(src.name, 'is-dir', null);
    if (!st.isFile() || st.size === 0) {
      // A FIFO, a device or a /proc file has no size to trust: read it once, as a stream, like "-".
      const stream = handle.createReadStream({ highWaterMark: 256 * 1024 });
      return { ...(await sampleStream(stream)), fd: null, close: async () => undefined };
    }
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, st.size));
    const { bytesRead: n } = await handle.read(buf, 0, buf.length, 0);
    const sample = buf.subarray(0, n);
    const rest = handle.createReadStream({ start: 0, highWaterMark: 256 * 1024, autoClose: false });
    return { sample, complete: n >= st.size, total: st.size, rest, fd: handle.fd, close: () => handle.close() };
  } catch (e) {
    await handle.close().catch(() => undefined);
    if (e instanceof ImportFailure) throw e;
    throw new ImportFailure(src.name, 'unreadable', null, { reason: (e as Error).message });
  }
}

async function sampleStream(input: Readable): Promise<{ sample: Buffer; complete: boolean; total: null; rest: Readable }> {
  const it = input[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SAMPLE_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    chunks.push(b);
    size += b.length;
  }
  const sample = Buffer.concat(chunks);
  const rest = Readable.from(
    (async function* () {
      yield sample;
      if (!done) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
    })(),
    { objectMode: false },
  );
  rest.on('close', () => input.destroy());
  return { sample, complete: done, total: null, rest };
}

/**
 * Reads one file and hands its rows to `sink`, batch by batch; returns the file's report. Throws
 * ImportFailure when the file cannot be imported (the caller rolls back what the sink took), or
 * the sink's own error.
 */
export async function readFile(src: ImportSource, opts: ReadOptions, sink: RowSink): Promise<FileReport> {
  const sampled = await readSample(src, opts);
  try {
    return await readSampled(src, opts, sampled, sink);
  } finally {
    sampled.rest.destroy();
    await sampled.close().catch(() => undefined);
  }
}

/**
 * What a file is, from its first bytes: recognised by content, never by the file's name (a
 * workbook is a zip, an old .xls an OLE file, else CSV text and its encoding). A file that is none
 * of these is refused, its stream closed.
 */
function formatOf(file: string, sampled: Pick<Sampled, 'sample' | 'complete' | 'rest'>, forced: Encoding | undefined): { format: 'csv' | 'xlsx'; encoding: Encoding } {
  const { sample, complete, rest } = sampled;
  const refuse = (code: string): never => {
    rest.destroy();
    throw new ImportFailure(file, code, null);
  };
  if (sample.length === 0 || sample.toString('latin1').trim() === '') refuse('empty');
  if (isOle(sample)) refuse('xls');
  if (isZip(sample)) return { format: 'xlsx', encoding: 'utf-8' };
  try {
    return { format: 'csv', encoding: forced ?? detectEncoding(sample, complete) };
  } catch (e) {
    if (e instanceof NotText) refuse('binary');
    rest.destroy();
    throw e;
  }
}

async function readSampled(src: ImportSource, opts: ReadOptions, sampled: Sampled, sink: RowSink): Promise<FileReport> {
  const file = displayName(src);
  const { total, rest, fd } = sampled;
  const { format, encoding } = formatOf(file, sampled, opts.encoding);
  const report = emptyReport(file, encoding, format);
  const clock = opts.progressClock;
  let lastProgress = 0;
  const writeBatch = async (items: Produced[], bytes: number): Promise<void> => {
    // Consecutive rows for the same table go in one call (a file has one target: one call a batch).
    let target: 'refunds' | 'orders' | 'receipts' | null = null;
    let rows: unknown[] = [];
    const flush = async () => {
      if (!target || !rows.length) return;
      const outcomes =
        target === 'refunds'
          ? await sink.refunds(rows as RefundInput[])
          : target === 'orders'
            ? await sink.orders(rows as OrderInput[])
            : await sink.receipts(rows as { row: ReceiptInput; hash: string }[]);
      for (const o of outcomes) report[o]++;
      rows = [];
    };
    for (const { line, result } of items) {
      report.rows++;
      if (!('target' in result)) {
        reject(report, line, result);
        continue;
      }
      if ('warnings' in result && result.warnings) warn(report, line, result.warnings);
      if (result.target !== target) {
        await flush();
        target = result.target;
      }
      if (result.target === 'receipts') rows.push({ row: result.row, hash: result.hash });
      else {
        rows.push(result.row);
        if (result.target === 'refunds' && result.unknownStatus) report.unknownStatuses.push({ line, text: result.row.statusText });
      }
    }
    await flush();
    report.bytes = bytes;
    if (opts.onProgress) {
      const t = clock?.();
      if (t === undefined || t - lastProgress > 200) {
        if (t !== undefined) lastProgress = t;
        opts.onProgress({ file, bytes, totalBytes: total, rows: report.rows });
      }
    }
  };
  // One batch at a time, in order, whoever calls (the parser may hand over the next batch before
  // the last is written). A failed batch fails every later one; it is said where the chain is awaited.
  let chain: Promise<void> = Promise.resolve();
  const write = (items: Produced[], bytes: number): Promise<void> => {
    chain = chain.then(() => writeBatch(items, bytes));
    chain.catch(() => undefined);
    return chain;
  };
  const produceOpts: ProduceOptions = {
    file,
    encoding,
    kind: opts.kind,
    zoneName: opts.zone.name,
    encodingForced: opts.encoding !== undefined,
    format,
    sheet: opts.sheet,
    profiles: opts.profiles,
    // Only a regular file may be opened again by name (a workbook's zip directory): a FIFO's second open waits for ever.
    path: src.name === '-' || total === null ? undefined : src.name,
  };
  // A warning of the producer's own (not of a row's fields), e.g. replacement characters.
  const warnProduced = (w: ProducedWarning) => {
    if (report.warnings.length < MAX_LISTED_WARNINGS) report.warnings.push({ line: w.line, column: w.column, code: w.code, params: { column: w.column, encoding } });
  };
  // Workbooks too: the worker's small heap keeps exceljs's garbage from piling up (xlsx.ts packs the
  // shared strings into a buffer outside that heap).
  const useWorker = total !== null && WORKER_URL !== null && (opts.worker ?? (total ?? 0) > 256 * 1024);
  try {
    if (useWorker) {
      report.bytes = await runWorker({ ...produceOpts, path: src.name, fd }, report, write, () => chain, warnProduced);
    } else {
      let bytes = 0;
      rest.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      await produceRows(rest, produceOpts, {
        header: (kind, info) => {
          report.kind = kind;
          if (info?.sheet) report.sheet = info.sheet;
        },
        batch: (items) => write(items, bytes),
        warning: warnProduced,
      });
      // The last batch is handed over as the parser ends, without a pause: it is written here.
      await chain;
      report.bytes = bytes;
    }
  } catch (e) {
    // Nothing may still be writing when the caller rolls the file back.
    await chain.catch(() => undefined);
    throw e;
  }
  opts.onProgress?.({ file, bytes: report.bytes, totalBytes: total, rows: report.rows });
  return report;
}

// The worker runs only from compiled JavaScript (tsc's dist/*.js, or the CLI's bundle dist/bin/*.cjs,
// where worker.cjs sits beside every chunk); under a TypeScript test runner imports run in-process.
const WORKER_URL = import.meta.url.endsWith('.js')
  ? new URL('./worker.js', import.meta.url)
  : import.meta.url.endsWith('.cjs')
    ? new URL('./worker.cjs', import.meta.url)
    : null;

function runWorker(
  data: ProduceOptions & { path: string; fd: number | null },
  report: FileReport,
  write: (items: Produced[], bytes: number) => Promise<void>,
  written: () => Promise<void>,
  warn: (w: ProducedWarning) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // A small old space makes the parser's garbage go early: the import's RSS must stay flat (≤ 200 MB).
    // Workbooks: smaller still, as exceljs's code and the packed shared strings take their room.
    const resourceLimits =
      data.format === 'xlsx' ? { maxOldGenerationSizeMb: 40, maxYoungGenerationSizeMb: 4 } : { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 24 };
    const worker = new Worker(WORKER_URL!, { workerData: data, resourceLimits });
    let settled = false;
    let ending = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    // The worker's last word is acted on once every batch it sent is written (or has failed).
    const afterWrites = (fn: () => void) => {
      ending = true;
      written().then(
        () => finish(fn),
        (e: unknown) => finish(() => reject(e)),
      );
    };
    worker.on('message', (m: WorkerMessage) => {
      try {
        switch (m.type) {
          case 'header':
            report.kind = m.kind;
            if (m.sheet !== undefined) report.sheet = m.sheet;
            break;
          case 'warning':
            warn(m.warning);
            break;
          case 'batch':
            write(unpackBatch(m.items), m.bytes).then(
              () => worker.postMessage({ type: 'ack' }),
              (e: unknown) => finish(() => reject(e)),
            );
            break;
          case 'done':
            afterWrites(() => resolve(m.bytes));
            break;
          case 'fatal':
            afterWrites(() => reject(ImportFailure.fromData(m.failure)));
            break;
          case 'crash':
            afterWrites(() => reject(new Error(m.message)));
            break;
        }
      } catch (e) {
        finish(() => reject(e));
      }
    });
    worker.on('error', (e) => afterWrites(() => reject(e)));
    worker.on('exit', (code) => {
      if (!ending) afterWrites(() => reject(new Error(`import worker exited with code ${code}`)));
    });
  });
}

function warn(report: FileReport, line: number, warnings: RowWarning[]): void {
  for (const w of warnings) {
    if (report.warnings.length >= MAX_LISTED_WARNINGS) return;
    report.warnings.push({ line, column: w.column, code: w.code, params: w.value === undefined ? {} : { value: w.value } });
  }
}

function reject(report: FileReport, line: number, p: RowProblem): void {
  report.rejected++;
  if (report.errors.length >= MAX_LISTED_ERRORS) return;
  const params: Record<string, string | number> = {};
  if (p.header) params.column = p.header;
  if (p.value !== undefined) params.value = p.value;
  if (p.field) params.field = p.field;
  if (p.params) Object.assign(params, p.params);
  report.errors.push({ line, code: p.code, params });
}

export interface Explanation {
  file: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  info: HeaderInfo;
  /** The profile's signature headers the file has (`hits` of them) and those it lacks. */
  signature: { hits: number; of: number; missing: string[] };
}

/**
 * How a file would be read (--explain): the header only, nothing written. The profile that
 * matches (or the closest one, `info.matched` false), header by header. Throws ImportFailure for
 * a file that cannot be read at all.
 */
export async function explainFile(
  src: ImportSource,
  opts: Pick<ReadOptions, 'encoding' | 'kind' | 'sheet' | 'profiles' | 'zone' | 'stdin'>,
): Promise<Explanation> {
  const file = displayName(src);
  const sampled = await readSample(src, opts);
  const { rest, total } = sampled;
  const { format, encoding } = formatOf(file, sampled, opts.encoding);
  let info: HeaderInfo | null = null;
  await produceRows(
    rest,
    { file, encoding, kind: opts.kind, zoneName: opts.zone.name, format, sheet: opts.sheet, profiles: opts.profiles, headerOnly: true, path: src.name === '-' || total === null ? undefined : src.name },
    {
      header: (_kind, i) => {
        info = i ?? null;
      },
      batch: () => {},
    },
  );
  rest.destroy();
  if (!info) throw new ImportFailure(file, 'empty', null);
  const found: HeaderInfo = info;
  const keys = signatureKeys(found.headers);
  const sig = found.mapping.profile.signature;
  const missing = sig.filter((s) => !keys.has(headerKey(s)));
  return { file, format, encoding, info: found, signature: { hits: sig.length - missing.length, of: sig.length, missing } };
}
