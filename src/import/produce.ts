// The producing half of an import: decoded text -> CSV records (papaparse), or workbook rows
// (exceljs, xlsx.ts) -> recognised header -> normalized rows, in batches. CSV files run in a worker
// thread (so parsing overlaps with the SQLite writes on the main thread), standard input and
// workbooks in-process. Fatal problems throw ImportFailure; per-row problems travel with the rows.
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ShopZone } from '../domain/time.js';
import { looksGarbled, type Encoding } from './decode.js';
import { GuardedDecoder, MAX_CELL_CHARS, MAX_HEADER_CHARS, TextStop } from './guard.js';
import { PROFILES, closestProfile, headerKey, mapHeaders, recognise, type ExportKind, type HeaderMapping, type Profile } from './profiles.js';
import { normalizeRow, type NormalizedRow, type RowProblem } from './rows.js';
import { readWorkbook } from './xlsx.js';
import { ExtrasEncoder } from './extras.js';

export interface Produced {
  line: number;
  result: NormalizedRow | RowProblem;
}

/** A row kept with something the user should check (a cell that needed replacement characters). */
export interface ProducedWarning {
  line: number;
  column: string;
  code: string;
}

export interface ProduceOptions {
  file: string;
  encoding: Encoding;
  kind?: ExportKind;
  zoneName: string;
  /** The user named the encoding (--encoding): undecodable bytes are replaced and warned about, never refused. */
  encodingForced?: boolean;
  /** Recognised by content (read.ts): a zip is a workbook. Default csv. */
  format?: 'csv' | 'xlsx';
  /** The workbook sheet to import (--sheet); default: the first whose header matches a profile. */
  sheet?: string;
  /** Profiles to recognise: user profiles first (they win ties), then the built-in ones. */
  profiles?: Profile[];
  /** The file on disk, when there is one (a workbook is then read through its zip directory). */
  path?: string;
  /** Stop after the header (for --explain): no rows are read; an unknown or incomplete header is reported, not thrown. */
  headerOnly?: boolean;
}

export interface HeaderInfo {
  kind: ExportKind;
  mapping: HeaderMapping;
  headers: string[];
  /** The header's line (row number in a workbook). */
  line: number;
  sheet?: string;
  /** All sheets of a workbook, in order (so far). */
  sheets?: string[];
  /** False when no profile matched and `mapping` is the closest one's (--explain only). */
  matched: boolean;
}

export interface ProduceSink {
  header(kind: ExportKind, info?: HeaderInfo): void;
  /** May return a promise to slow the producer down (backpressure). */
  batch(items: Produced[]): void | Promise<void>;
  warning?(w: ProducedWarning): void;
}

/** A fatal problem as plain data, so it can cross a worker boundary. */
export interface FailureData {
  file: string;
  code: string;
  line: number | null;
  params: Record<string, string | number>;
}

export class ImportFailure extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    readonly line: number | null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${code}`);
  }
  toData(): FailureData {
    return { file: this.file, code: this.code, line: this.line, params: this.params };
  }
  static fromData(d: FailureData): ImportFailure {
    return new ImportFailure(d.file, d.code, d.line, d.params);
  }
}

const BATCH = 1000;

/** Thrown (and caught below) to stop reading once the header is known, for --explain. */
class HeaderOnly extends Error {}

/** A header row -> its mapping, or a fatal ImportFailure naming the closest profile and what it lacks. */
function mappingFor(headers: string[], opts: ProduceOptions, line: number, where?: { sheet?: string }): HeaderMapping {
  const long = headers.findIndex((h) => h.length > MAX_HEADER_CHARS);
  if (long >= 0) throw new ImportFailure(opts.file, 'header-too-long', line, { column: long + 1, limit: MAX_HEADER_CHARS });
  const profiles = opts.profiles ?? PROFILES;
  const mapping = recognise(headers, profiles, opts.kind);
  if (!mapping) {
    throw unknownKind(opts.file, line, headers, profiles, where?.sheet);
  }
  if (mapping.missingRequired.length && !opts.headerOnly) {
    throw new ImportFailure(opts.file, 'missing-column', line, {
      kind: mapping.profile.kind,
      columns: mapping.missingRequired.map((f) => f.aliases[0]).join(', '),
    });
  }
  const twice = duplicatedMappedColumn(mapping, headers);
  if (twice) throw new ImportFailure(opts.file, 'duplicate-column', line, { column: twice });
  return mapping;
}

function unknownKind(file: string, line: number | null, headers: string[], profiles: Profile[], sheet?: string, sheets?: string[]): ImportFailure {
  const near = closestProfile(headers, profiles);
  const failure = new ImportFailure(file, near && near.hits > 0 ? 'unknown-kind-near' : 'unknown-kind', line, {
    headers: headers.slice(0, 6).map((h) => h.trim()).join(', '),
    closest: near?.profile.kind ?? '',
    lacks: near ? near.lacks.slice(0, 6).join(', ') : '',
    hits: near?.hits ?? 0,
    of: near?.profile.signature.length ?? 0,
    sheet: sheet ?? '',
  });
  explaining.set(failure, { headers, line: line ?? 1, sheet, sheets });
  return failure;
}

export async function produceRows(input: Readable, opts: ProduceOptions, sink: ProduceSink): Promise<{ rows: number }> {
  try {
    return await (opts.format === 'xlsx' ? produceWorkbookRows(input, opts, sink) : produceCsvRows(input, opts, sink));
  } catch (e) {
    if (e instanceof HeaderOnly) return { rows: 0 };
    // --explain on a header no profile matches: show how the closest profile would read it.
    if (opts.headerOnly && e instanceof ImportFailure && e.code.startsWith('unknown-kind') && explaining.has(e)) {
      const { headers, line, sheet, sheets } = explaining.get(e)!;
      const near = closestProfile(headers, opts.profiles ?? PROFILES);
      if (near) {
        const mapping = mapHeaders(near.profile, headers);
        sink.header(near.profile.kind, { kind: near.profile.kind, mapping, headers, line, sheet, sheets, matched: false });
        return { rows: 0 };
      }
    }
    throw e;
  }
}

/** The header an unknown-kind failure was about, for --explain. */
const explaining = new WeakMap<ImportFailure, { headers: string[]; line: number; sheet?: string; sheets?: string[] }>();

/** Rows above the header a workbook may have (a title line, a note). */
const HEADER_SCAN_ROWS = 10;

async function produceWorkbookRows(input: Readable, opts: ProduceOptions, sink: ProduceSink): Promise<{ rows: number }> {
  const zone = new ShopZone(opts.zoneName);
  const file = opts.file;
  const profiles = opts.profiles ?? PROFILES;
  const sheets: string[] = [];
  let firstHeaders: { headers: string[]; line: number; sheet: string } | null = null;
  let rows = 0;
  let done = false;
  input.on('error', () => {}); // reported through the workbook reader's own error
  try {
    for await (const sheet of readWorkbook(input, opts.path)) {
      sheets.push(sheet.name);
      const wanted = opts.sheet === undefined || opts.sheet === sheet.name;
      let mapping: HeaderMapping | null = null;
      let extras: ExtrasEncoder | null = null;
      let headers: string[] = [];
      let scanned = 0;
      let out: Produced[] = [];
      for await (const row of sheet.rows) {
        // Drain: the next sheet comes only after this one.
        if (done || !wanted || (!mapping && scanned >= HEADER_SCAN_ROWS)) continue;
        if (!mapping) {
          if (row.cells.every((c) => c.trim() === '')) continue;
          scanned++;
          if (scanned === 1 && (firstHeaders === null || opts.sheet !== undefined)) firstHeaders = { headers: row.cells, line: row.line, sheet: sheet.name };
          const m = recognise(row.cells, profiles, opts.kind);
          if (m) {
            headers = row.cells;
            mapping = mappingFor(headers, opts, row.line, { sheet: sheet.name });
            extras = new ExtrasEncoder(mapping.extras.map((e) => e.name));
            const info: HeaderInfo = { kind: mapping.profile.kind, mapping, headers, line: row.line, sheet: sheet.name, sheets, matched: true };
            sink.header(mapping.profile.kind, info);
            if (opts.headerOnly) throw new HeaderOnly();
          }
          continue;
        }
        if (row.cells.every((c) => c.trim() === '')) continue;
        rows++;
        // A workbook row may end early (empty cells at its end are not stored), so only its cells' size is checked.
        out.push({ line: row.line, result: oversizedCell(row.cells, headers) ?? normalizeRow(mapping, row.cells, zone, headers, row.numbers) });
        if (out.length >= BATCH) {
          await sink.batch(encodeExtras(extras!, out));
          out = [];
        }
      }
      if (mapping) {
        if (out.length) await sink.batch(encodeExtras(extras!, out));
        done = true; // one sheet per workbook: the first that matches
      } else if (opts.sheet !== undefined && wanted) {
        throw unknownKind(file, firstHeaders?.line ?? null, firstHeaders?.headers ?? [], profiles, sheet.name, sheets);
      }
    }
  } catch (e) {
    if (e instanceof ImportFailure || e instanceof HeaderOnly) throw e;
    throw new ImportFailure(file, 'xlsx-unreadable', null, { reason: (e as Error)?.message ?? String(e) });
  } finally {
    input.destroy();
  }
  if (done) return { rows };
  if (opts.sheet !== undefined && !sheets.includes(opts.sheet)) {
    throw new ImportFailure(file, 'no-sheet', null, { sheet: opts.sheet, sheets: sheets.join(', ') });
  }
  if (!firstHeaders) throw new ImportFailure(file, 'empty', null);
  throw unknownKind(file, firstHeaders.line, firstHeaders.headers, profiles, firstHeaders.sheet, sheets);
}

function produceCsvRows(input: Readable, opts: ProduceOptions, sink: ProduceSink): Promise<{ rows: number }> {
  const zone = new ShopZone(opts.zoneName);
  const file = opts.file;
  return new Promise((resolve, reject) => {
    let headers: string[] | null = null;
    let mapping: HeaderMapping | null = null;
    let first: { record: string[]; line: number } | null = null; // the first non-blank record
    let skipped = 0;
    let extras: ExtrasEncoder | null = null;
    let line = 1; // physical line where the next record starts
    let rows = 0;
    let failed = false;
    let newline = '\n';
    let linebreak = '\n'; // as Papa detected it (\r\n, \n or \r)
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(e);
    };
    const decoded = input.pipe(new GuardedDecoder(opts.encoding, Boolean(opts.encodingForced))) as unknown as Readable;
    decoded.on('error', (e) => fail(e instanceof TextStop ? new ImportFailure(file, e.code, e.line, e.params) : e));
    // Whether the text ends with a line break or a closing quote: else its last record may be cut.
    let tail = '';
    // Whether any text so far holds a replacement character: until one does, no cell is searched
    // for it. (This listener sees each piece before the parser's, added after it, does.)
    let replaced = false;
    decoded.on('data', (c: string | Buffer) => {
      const s = typeof c === 'string' ? c : c.toString();
      if (!replaced && s.includes('\uFFFD')) replaced = true;
      // Not (tail + s).slice(-2): slicing a concatenation copies the whole chunk first.
      if (s.length >= 2) tail = s.slice(-2);
      else if (s.length) tail = (tail + s).slice(-2);
    });
    // The last record of every chunk waits for the next one: only at the end is it known to be the file's last.
    let held: { record: string[]; err: Papa.ParseError | undefined } | null = null;
    input.on('error', (e: NodeJS.ErrnoException) => fail(new ImportFailure(file, 'unreadable', null, { reason: e.message })));

    const handleRecords = (records: string[][], errors: Papa.ParseError[], parser: Papa.Parser | null, final: boolean) => {
      // Papa reports errors by record index within the chunk.
      const errorAt = new Map<number, Papa.ParseError>();
      for (const e of errors) if (e.row !== undefined && !errorAt.has(e.row)) errorAt.set(e.row, e);
      const out: Produced[] = [];
      // The held record first, then this chunk's, the last of them held back (without a list of pairs built per chunk).
      const prior = held;
      held = null;
      const count = (prior ? 1 : 0) + records.length;
      const usable = !final && count > 0 ? count - 1 : count;
      if (usable < count) held = records.length ? { record: records[records.length - 1]!, err: errorAt.get(records.length - 1) } : prior;
      const offset = prior ? 1 : 0;
      for (let i = 0; i < usable; i++) {
        const record = prior && i === 0 ? prior.record : records[i - offset]!;
        const err = prior && i === 0 ? prior.err : errorAt.size ? errorAt.get(i - offset) : undefined;
        const start = line;
        line += 1 + embeddedBreaks(record, newline);
        if (err && err.code === 'MissingQuotes') {
          // An unclosed quote swallows the rest of the file: name the line where that record starts.
          throw new ImportFailure(file, 'unclosed-quote', start);
        }
        if (err && err.code === 'InvalidQuotes') throw new ImportFailure(file, 'csv', start, { reason: err.message });
        if (!headers) {
          if (looksGarbled(record.join(''))) throw new ImportFailure(file, 'garbled', start, { encoding: opts.encoding });
          // A title line or two above the header (「售后单导出 2025-04-21」) is skipped, as in workbooks.
          if (record.every((c) => c.trim() === '')) continue;
          first ??= { record, line: start };
          if (!opts.kind && !recognise(record, opts.profiles ?? PROFILES) && ++skipped < HEADER_SCAN_ROWS) continue;
          headers = recognise(record, opts.profiles ?? PROFILES, opts.kind) ? record : first.record;
          const headerLine = headers === record ? start : first.line;
          mapping = mappingFor(headers, opts, headerLine);
          extras = new ExtrasEncoder(mapping.extras.map((e) => e.name));
          sink.header(mapping.profile.kind, { kind: mapping.profile.kind, mapping, headers, line: headerLine, matched: true });
          if (opts.headerOnly) throw new HeaderOnly();
          continue;
        }
        if (record.length === 1 && record[0]!.trim() === '') continue; // blank line
        const last = final && i === usable - 1;
        // A last line with neither a line break nor a closing quote after it may be cut mid-cell.
        // (A lone CR at the end of a CRLF file is a cut line break: Papa keeps it in the last cell.)
        const unterminated = last && !tail.endsWith(linebreak);
        if (unterminated && record.length < headers.length) {
          throw new ImportFailure(file, 'truncated', start, { found: record.length, expected: headers.length });
        }
        rows++;
        if (record.length > headers.length) {
          for (let c = headers.length; c < record.length; c++) {
            // Cells beyond the header mean the columns no longer line up: nothing here can be trusted.
            if (record[c]!.trim() !== '') throw new ImportFailure(file, 'ragged', start, { found: record.length, expected: headers.length });
          }
        }
        out.push({ line: start, result: checkedRow(record, headers, unterminated && !tail.endsWith('"')) ?? normalizeRow(mapping!, record, zone, headers) });
        if (sink.warning && replaced) {
          for (let c = 0; c < record.length; c++) {
            if (record[c]!.includes('\uFFFD')) sink.warning({ line: start, column: headers[c]?.trim() || String(c + 1), code: 'replaced' });
          }
        }
        if (out.length >= BATCH) waitFor(sink.batch(encoded(out.splice(0))), parser);
      }
      if (out.length) waitFor(sink.batch(encoded(out)), parser);
    };

    const encoded = (items: Produced[]): Produced[] => encodeExtras(extras!, items);

    // Backpressure: while the consumer catches up, both the parser and the decoded stream pause.
    // Pausing only the parser would let the stream queue the rest of the file in memory.
    let waiting: Promise<void> | null = null;
    const waitFor = (r: void | Promise<void>, parser: Papa.Parser | null) => {
      // At the end (no parser) nothing is left to pause; the worker's messages keep their order.
      if (!r || !parser) return;
      const before = waiting;
      waiting = (before ? before.then(() => r) : r).then(() => undefined);
      if (before) return; // already paused
      parser.pause();
      decoded.pause();
      const settle = (): void => {
        const current = waiting!;
        void current.then(() => {
          if (waiting !== current) return settle();
          waiting = null;
          decoded.resume();
          parser.resume();
        }, fail);
      };
      settle();
    };

    Papa.parse<string[]>(decoded as unknown as NodeJS.ReadableStream as never, {
      delimiter: ',',
      skipEmptyLines: false,
      chunkSize: 256 * 1024,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        if (failed) return;
        if (results.meta.linebreak) {
          linebreak = results.meta.linebreak;
          newline = linebreak === '\r' ? '\r' : '\n';
        }
        try {
          handleRecords(results.data, results.errors, parser, false);
        } catch (e) {
          if (e instanceof HeaderOnly) {
            failed = true;
            input.destroy();
            parser.abort();
            return resolve({ rows: 0 });
          }
          fail(e); // first: abort() below calls complete() synchronously
          parser.abort();
        }
      },
      complete() {
        if (failed) return;
        try {
          // The held-back last record first: in a header-only file it is the header.
          handleRecords([], [], null, true);
        } catch (e) {
          return fail(e);
        }
        if (!headers && first) {
          // Fewer records than the header scan: judge the first one.
          try {
            mappingFor(first.record, opts, first.line);
          } catch (e) {
            return fail(e);
          }
        }
        if (!headers) return fail(new ImportFailure(file, 'empty', null));
        resolve({ rows });
      },
      error(e: Error) {
        fail(new ImportFailure(file, 'unreadable', null, { reason: e.message }));
      },
    } as Papa.ParseConfig<string[]>);
  });
}

/** The unmapped cells of a whole batch at once: the first batch tells the file's constant columns. */
function encodeExtras(extras: ExtrasEncoder, items: Produced[]): Produced[] {
  const rows = [];
  for (const it of items) if ('target' in it.result && (it.result.target === 'refunds' || it.result.target === 'orders')) rows.push(it.result.row);
  extras.encodeBatch(rows);
  return items;
}

/** A row whose cells cannot be trusted as a whole, before any cell is read. */
function checkedRow(record: string[], headers: string[], maybeCut: boolean): RowProblem | null {
  if (record.length < headers.length) {
    // A cut or a dropped cell shifts or empties what follows: an empty 验货结果 would read as "ok".
    const missing = headers.slice(record.length).map((h) => h.trim()).filter(Boolean);
    return { code: 'short-row', params: { found: record.length, expected: headers.length, missing: missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '') } };
  }
  const long = oversizedCell(record, headers);
  if (long) return long;
  if (maybeCut) return { code: 'unterminated', params: {} };
  return null;
}

/** A cell over the limit rejects its row (CSV and workbooks alike). */
function oversizedCell(record: string[], headers: string[]): RowProblem | null {
  for (let c = 0; c < record.length; c++) {
    if (record[c]!.length > MAX_CELL_CHARS) return { code: 'cell-too-long', header: headers[c]?.trim(), params: { limit: MAX_CELL_CHARS.toLocaleString('en-US') } };
  }
  return null;
}

/** A header naming the same mapped column twice leaves which cell holds the value to chance. */
function duplicatedMappedColumn(mapping: HeaderMapping, headers: string[]): string | null {
  if (!mapping.duplicates.length) return null;
  const mapped = new Set([...mapping.columns.values()].map((i) => headerKey(headers[i]!)));
  return mapping.duplicates.find((d) => mapped.has(headerKey(d))) ?? null;
}

function embeddedBreaks(record: string[], newline: string): number {
  let n = 0;
  for (let i = 0; i < record.length; i++) {
    const cell = record[i]!;
    let at = cell.indexOf(newline);
    while (at >= 0) {
      n++;
      at = cell.indexOf(newline, at + 1);
    }
  }
  return n;
}
