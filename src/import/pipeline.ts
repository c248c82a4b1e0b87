// The streaming import: bytes -> decoded text -> CSV records -> normalized rows -> store.
// The whole command is one write transaction: a file that cannot be imported rolls everything
// back, so exit 1 always means nothing was written. Memory stays flat: rows are written as they
// are parsed, nothing is collected.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { ShopZone } from '../domain/time.js';
import type { Store } from '../store/store.js';
import { NotText, SAMPLE_BYTES, decoderStream, detectEncoding, looksGarbled, type Encoding } from './decode.js';
import { PROFILES, recognise, type ExportKind, type Profile } from './profiles.js';
import { normalizeRow, type RowProblem } from './rows.js';

export interface ImportSource {
  /** What the user typed (a path, or "-" for standard input). */
  name: string;
}

export interface ImportOptions {
  zone: ShopZone;
  nowMs: number;
  encoding?: Encoding;
  kind?: ExportKind;
  dryRun?: boolean;
  profiles?: Profile[];
  stdin?: NodeJS.ReadableStream;
  onProgress?: (p: { file: string; bytes: number; totalBytes: number | null; rows: number }) => void;
  onWaitForLock?: () => void;
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
}

/** A file that cannot be imported at all. `code` picks the message. */
export class ImportFailure extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    readonly line: number | null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${code}`);
  }
}

const MAX_LISTED_ERRORS = 1000;

export async function importFiles(store: Store, sources: ImportSource[], opts: ImportOptions): Promise<FileReport[]> {
  await beginWithWait(store, opts);
  const reports: FileReport[] = [];
  try {
    for (const src of sources) reports.push(await importOne(store, src, opts));
    if (opts.dryRun) store.rollback();
    else store.commit();
  } catch (e) {
    store.rollback();
    throw e;
  }
  return reports;
}

/** Two imports at once serialize: the second waits for the first's write lock instead of failing. */
async function beginWithWait(store: Store, opts: ImportOptions): Promise<void> {
  let told = false;
  for (;;) {
    try {
      store.begin();
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
      if (!told) opts.onWaitForLock?.();
      told = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function readSample(src: ImportSource, opts: ImportOptions): Promise<{ sample: Buffer; complete: boolean; total: number | null; rest: Readable }> {
  if (src.name === '-') {
    const input = (opts.stdin ?? process.stdin) as Readable;
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
    return { sample, complete: done, total: null, rest };
  }
  let fd: number;
  try {
    fd = fs.openSync(src.name, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImportFailure(src.name, code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'is-dir' : 'unreadable', null, {
      reason: (e as Error).message,
    });
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new ImportFailure(src.name, 'is-dir', null);
    const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, st.size));
    const n = buf.length ? fs.readSync(fd, buf, 0, buf.length, 0) : 0;
    const sample = buf.subarray(0, n);
    return { sample, complete: n >= st.size, total: st.size, rest: fs.createReadStream(src.name, { highWaterMark: 256 * 1024 }) };
  } catch (e) {
    if (e instanceof ImportFailure) throw e;
    throw new ImportFailure(src.name, 'unreadable', null, { reason: (e as Error).message });
  } finally {
    fs.closeSync(fd);
  }
}

async function importOne(store: Store, src: ImportSource, opts: ImportOptions): Promise<FileReport> {
  const file = src.name === '-' ? '<stdin>' : src.name;
  const { sample, complete, total, rest } = await readSample(src, opts);
  if (sample.length === 0 || sample.toString('latin1').trim() === '') {
    rest.destroy();
    throw new ImportFailure(file, 'empty', null);
  }
  let encoding: Encoding;
  try {
    encoding = opts.encoding ?? detectEncoding(sample, complete);
  } catch (e) {
    rest.destroy();
    if (e instanceof NotText) throw new ImportFailure(file, 'binary', null);
    throw e;
  }
  const report: FileReport = {
    file,
    kind: '',
    encoding,
    bytes: 0,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    errors: [],
    unknownStatuses: [],
  };
  const seenAt = opts.zone.iso(opts.nowMs);
  let bytes = 0;
  rest.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // A 10 MB cell is already absurd for an export; past this, csv-parse stops instead of eating memory.
    max_record_size: 16 * 1024 * 1024,
  });
  const decoded = rest.pipe(decoderStream(encoding));
  decoded.on('error', (e) => parser.destroy(e));
  rest.on('error', (e) => parser.destroy(e));
  decoded.pipe(parser);

  let headers: string[] | null = null;
  let mapping: ReturnType<typeof recognise> = null;
  let lastProgress = 0;
  let lastLine = 0;
  const profiles = opts.profiles ?? PROFILES;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      const line = info.lines;
      lastLine = line;
      if (!headers) {
        headers = record;
        const text = headers.join('');
        if (looksGarbled(text)) throw new ImportFailure(file, 'garbled', line, { encoding });
        mapping = recognise(headers, profiles, opts.kind);
        if (!mapping) {
          throw new ImportFailure(file, 'unknown-kind', line, { headers: headers.slice(0, 6).map((h) => h.trim()).join(', ') });
        }
        if (mapping.missingRequired.length) {
          throw new ImportFailure(file, 'missing-column', line, {
            kind: mapping.profile.kind,
            columns: mapping.missingRequired.map((f) => f.aliases[0]).join(', '),
          });
        }
        report.kind = mapping.profile.kind;
        continue;
      }
      if (record.length === 1 && record[0]!.trim() === '') continue;
      report.rows++;
      if (record.length > headers.length && record.slice(headers.length).some((c) => c.trim() !== '')) {
        // Cells beyond the header mean the columns no longer line up: nothing in this file can be trusted.
        throw new ImportFailure(file, 'ragged', line, { found: record.length, expected: headers.length });
      }
      const result = normalizeRow(mapping!, record, opts.zone, headers);
      if (!('target' in result)) {
        reject(report, line, result);
        continue;
      }
      let outcome;
      switch (result.target) {
        case 'refunds':
          outcome = store.upsertRefund(result.row, result.hash, seenAt, file);
          if (result.unknownStatus) report.unknownStatuses.push({ line, text: result.row.statusText });
          break;
        case 'orders':
          outcome = store.upsertOrder(result.row, result.hash, seenAt, file);
          break;
        case 'receipts':
          outcome = store.addReceipt(result.row, result.hash, seenAt);
          break;
      }
      report[outcome]++;
      if (opts.onProgress && (report.rows & 1023) === 0) {
        const t = Date.now();
        if (t - lastProgress > 200) {
          lastProgress = t;
          opts.onProgress({ file, bytes, totalBytes: total, rows: report.rows });
        }
      }
    }
  } catch (e) {
    rest.destroy();
    if (e instanceof ImportFailure) throw e;
    const err = e as { code?: string; lines?: number; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('CSV_')) {
      // An unclosed quote swallows the rest of the file: name the line where that record starts.
      const unclosed = err.code === 'CSV_QUOTE_NOT_CLOSED';
      throw new ImportFailure(file, unclosed ? 'unclosed-quote' : 'csv', unclosed ? lastLine + 1 : (err.lines ?? null), {
        reason: err.message ?? err.code,
      });
    }
    if (err.code === 'EISDIR' || err.code === 'ENOENT' || err.code === 'EACCES') {
      throw new ImportFailure(file, 'unreadable', null, { reason: err.message ?? '' });
    }
    throw e;
  }
  if (!headers) throw new ImportFailure(file, 'empty', null);
  report.bytes = bytes;
  if (!opts.dryRun) {
    store.logImport({
      file,
      kind: report.kind,
      encoding,
      bytes,
      importedAt: seenAt,
      inserted: report.inserted,
      updated: report.updated,
      unchanged: report.unchanged,
      rejected: report.rejected,
    });
  }
  opts.onProgress?.({ file, bytes, totalBytes: total, rows: report.rows });
  return report;
}

function reject(report: FileReport, line: number, p: RowProblem): void {
  report.rejected++;
  if (report.errors.length >= MAX_LISTED_ERRORS) return;
  const params: Record<string, string | number> = {};
  if (p.header) params.column = p.header;
  if (p.value !== undefined) params.value = p.value;
  if (p.field) params.field = p.field;
  report.errors.push({ line, code: p.code, params });
}
