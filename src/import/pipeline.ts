// The streaming import: bytes -> decoded text -> CSV records (or workbook rows) -> normalized rows
// -> store. The whole command is one write transaction and each file a savepoint inside it: a file
// that cannot be imported is rolled back alone and reported as refused, the others go in. Memory
// stays flat: rows are written as they are parsed, nothing is collected.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ShopZone } from '../domain/time.js';
import type { Refund } from '../domain/types.js';
import type { Store, StoredDeadline } from '../store/store.js';
import { NotText, SAMPLE_BYTES, detectEncoding, type Encoding } from './decode.js';
import type { ExportKind, Profile } from './profiles.js';
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

export interface ImportOptions {
  zone: ShopZone;
  nowMs: number;
  encoding?: Encoding;
  kind?: ExportKind;
  /** Workbook sheet to import (--sheet). */
  sheet?: string;
  /** User profiles (config `profiles`), tried before the built-in ones. */
  profiles?: Profile[];
  dryRun?: boolean;
  /** Parse in a worker thread: default for files over 256 KB when running compiled code. */
  worker?: boolean;
  stdin?: NodeJS.ReadableStream;
  onProgress?: (p: { file: string; bytes: number; totalBytes: number | null; rows: number }) => void;
  onWaitForLock?: () => void;
  /** An open refund's deadline, computed as the row is written (see Store.upsertRefund). */
  deadlineOf?: (refund: Refund) => StoredDeadline;
  /** Runs inside the import's transaction before the first file. */
  afterBegin?: () => void;
  /** Runs inside the import's transaction after the last file, before it commits. */
  beforeCommit?: (reports: FileReport[]) => void;
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

/**
 * Imports every file, each whole or not at all: a file that cannot be imported (ImportFailure) is
 * rolled back alone and comes back with `refused` set; the others are written. Anything else (a
 * database error) rolls back everything and throws.
 */
export async function importFiles(store: Store, sources: ImportSource[], opts: ImportOptions): Promise<FileReport[]> {
  await beginWithWait(store, opts);
  const reports: FileReport[] = [];
  try {
    opts.afterBegin?.();
    for (const src of sources) {
      store.beginFile();
      let report: FileReport;
      try {
        report = await importOne(store, src, opts);
      } catch (e) {
        store.endFile(false);
        if (!(e instanceof ImportFailure)) throw e;
        reports.push(refusedReport(src, e));
        continue;
      }
      store.endFile(true);
      reports.push(report);
    }
    opts.beforeCommit?.(reports);
    if (opts.dryRun) store.rollback();
    else store.commit();
  } catch (e) {
    store.rollback();
    throw e;
  }
  return reports;
}

/** A file's report before any row is read. */
function emptyReport(file: string, encoding: string, format: FileReport['format']): FileReport {
  return { file, kind: '', encoding, bytes: 0, rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], unknownStatuses: [], warnings: [], format };
}

function refusedReport(src: ImportSource, e: ImportFailure): FileReport {
  return { ...emptyReport(src.name === '-' ? '<stdin>' : src.name, '', 'csv'), refused: e };
}

/** Two imports at once serialize: the second waits for the first's write lock instead of failing. */
function beginWithWait(store: Store, opts: ImportOptions): Promise<void> {
  return retryWhileBusy(
    () => store.begin({ load: true }),
    (e) => (e as { code?: string }).code === 'SQLITE_BUSY',
    opts.onWaitForLock,
  );
}

/** Runs `attempt` until it stops failing with a busy database, every 200 ms; `onWait` is told once. */
export async function retryWhileBusy<T>(attempt: () => T, isBusy: (e: unknown) => boolean, onWait?: () => void): Promise<T> {
  let told = false;
  for (;;) {
    try {
      return attempt();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (!told) onWait?.();
      told = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

interface Sampled {
  sample: Buffer;
  complete: boolean;
  total: number | null;
  rest: Readable;
  /** The open file's descriptor, which the worker reads too: the file is opened once. */
  fd: number | null;
  close(): Promise<void>;
}

async function readSample(src: ImportSource, opts: ImportOptions): Promise<Sampled> {
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

async function importOne(store: Store, src: ImportSource, opts: ImportOptions): Promise<FileReport> {
  const sampled = await readSample(src, opts);
  try {
    return await importSampled(store, src, opts, sampled);
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

async function importSampled(store: Store, src: ImportSource, opts: ImportOptions, sampled: Sampled): Promise<FileReport> {
  const file = src.name === '-' ? '<stdin>' : src.name;
  const { total, rest, fd } = sampled;
  const { format, encoding } = formatOf(file, sampled, opts.encoding);
  const report = emptyReport(file, encoding, format);
  const seenAt = opts.zone.iso(opts.nowMs);
  const mark = store.newRowsMark();
  let lastProgress = 0;
  const write = (items: Produced[], bytes: number) => {
    for (const { line, result } of items) {
      report.rows++;
      if (!('target' in result)) {
        reject(report, line, result);
        continue;
      }
      if ('warnings' in result && result.warnings) warn(report, line, result.warnings);
      let outcome;
      switch (result.target) {
        case 'refunds':
          outcome = store.upsertRefund(result.row, seenAt, file, opts.deadlineOf);
          if (result.unknownStatus) report.unknownStatuses.push({ line, text: result.row.statusText });
          break;
        case 'orders':
          outcome = store.upsertOrder(result.row, seenAt, file);
          break;
        case 'receipts':
          outcome = store.addReceipt(result.row, result.hash, seenAt);
          break;
      }
      report[outcome]++;
    }
    report.bytes = bytes;
    if (opts.onProgress) {
      const t = Date.now();
      if (t - lastProgress > 200) {
        lastProgress = t;
        opts.onProgress({ file, bytes, totalBytes: total, rows: report.rows });
      }
    }
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
  if (useWorker) {
    report.bytes = await runWorker({ ...produceOpts, path: src.name, fd }, report, write, warnProduced);
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
    report.bytes = bytes;
  }
  store.recordFirstSightings(mark);
  if (!opts.dryRun) {
    store.logImport({
      file,
      kind: report.kind,
      encoding,
      bytes: report.bytes,
      importedAt: seenAt,
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
      rejected: report.rejected,
    });
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
  write: (items: Produced[], bytes: number) => void,
  warn: (w: ProducedWarning) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    // A small old space makes the parser's garbage go early: the import's RSS must stay flat (≤ 200 MB).
    // Workbooks: smaller still, as exceljs's code and the packed shared strings take their room.
    const resourceLimits =
      data.format === 'xlsx' ? { maxOldGenerationSizeMb: 40, maxYoungGenerationSizeMb: 4 } : { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 24 };
    const worker = new Worker(WORKER_URL!, { workerData: data, resourceLimits });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
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
            write(unpackBatch(m.items), m.bytes);
            worker.postMessage({ type: 'ack' });
            break;
          case 'done':
            finish(() => resolve(m.bytes));
            break;
          case 'fatal':
            finish(() => reject(ImportFailure.fromData(m.failure)));
            break;
          case 'crash':
            finish(() => reject(new Error(m.message)));
            break;
        }
      } catch (e) {
        finish(() => reject(e));
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`import worker exited with code ${code}`))));
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
}

/**
 * How a file would be read (--explain): the header only, nothing written. The profile that
 * matches (or the closest one, `info.matched` false), header by header. Throws ImportFailure for
 * a file that cannot be read at all.
 */
export async function explainFile(
  src: ImportSource,
  opts: Pick<ImportOptions, 'encoding' | 'kind' | 'sheet' | 'profiles' | 'zone' | 'stdin'>,
): Promise<Explanation> {
  const file = src.name === '-' ? '<stdin>' : src.name;
  const sampled = await readSample(src, opts as ImportOptions);
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
  return { file, format, encoding, info };
}
