// The producing half of an import: decoded text -> CSV records (papaparse) -> recognised header ->
// normalized rows, in batches. It runs in a worker thread for files (so parsing overlaps with the
// SQLite writes on the main thread) and in-process for standard input. Fatal problems throw
// ImportFailure; per-row problems travel with the rows.
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { ShopZone } from '../domain/time.js';
import { decoderStream, looksGarbled, type Encoding } from './decode.js';
import { PROFILES, recognise, type ExportKind, type HeaderMapping } from './profiles.js';
import { normalizeRow, type NormalizedRow, type RowProblem } from './rows.js';
import { ExtrasEncoder } from './extras.js';

export interface Produced {
  line: number;
  result: NormalizedRow | RowProblem;
}

export interface ProduceOptions {
  file: string;
  encoding: Encoding;
  kind?: ExportKind;
  zoneName: string;
}

export interface ProduceSink {
  header(kind: ExportKind): void;
  /** May return a promise to slow the producer down (backpressure). */
  batch(items: Produced[]): void | Promise<void>;
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

export function produceRows(input: Readable, opts: ProduceOptions, sink: ProduceSink): Promise<{ rows: number }> {
  const zone = new ShopZone(opts.zoneName);
  const file = opts.file;
  return new Promise((resolve, reject) => {
    let headers: string[] | null = null;
    let mapping: HeaderMapping | null = null;
    let extras: ExtrasEncoder | null = null;
    let line = 1; // physical line where the next record starts
    let rows = 0;
    let failed = false;
    let newline = '\n';
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      input.destroy();
      reject(e);
    };
    const decoded = input.pipe(decoderStream(opts.encoding)) as unknown as Readable;
    decoded.on('error', fail);
    input.on('error', (e: NodeJS.ErrnoException) => fail(new ImportFailure(file, 'unreadable', null, { reason: e.message })));

    const handleRecords = (records: string[][], errors: Papa.ParseError[], parser: Papa.Parser) => {
      // Papa reports errors by record index within the chunk.
      const errorAt = new Map<number, Papa.ParseError>();
      for (const e of errors) if (e.row !== undefined && !errorAt.has(e.row)) errorAt.set(e.row, e);
      const out: Produced[] = [];
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const start = line;
        line += 1 + embeddedBreaks(record, newline);
        const err = errorAt.get(i);
        if (err && err.code === 'MissingQuotes') {
          // An unclosed quote swallows the rest of the file: name the line where that record starts.
          throw new ImportFailure(file, 'unclosed-quote', start);
        }
        if (err && err.code === 'InvalidQuotes') throw new ImportFailure(file, 'csv', start, { reason: err.message });
        if (!headers) {
          headers = record;
          if (looksGarbled(headers.join(''))) throw new ImportFailure(file, 'garbled', start, { encoding: opts.encoding });
          mapping = recognise(headers, PROFILES, opts.kind);
          if (!mapping) {
            throw new ImportFailure(file, 'unknown-kind', start, { headers: headers.slice(0, 6).map((h) => h.trim()).join(', ') });
          }
          if (mapping.missingRequired.length) {
            throw new ImportFailure(file, 'missing-column', start, {
              kind: mapping.profile.kind,
              columns: mapping.missingRequired.map((f) => f.aliases[0]).join(', '),
            });
          }
          extras = new ExtrasEncoder(mapping.extras.map((e) => e.name));
          sink.header(mapping.profile.kind);
          continue;
        }
        if (record.length === 1 && record[0]!.trim() === '') continue; // blank line
        rows++;
        if (record.length > headers.length) {
          for (let c = headers.length; c < record.length; c++) {
            // Cells beyond the header mean the columns no longer line up: nothing here can be trusted.
            if (record[c]!.trim() !== '') throw new ImportFailure(file, 'ragged', start, { found: record.length, expected: headers.length });
          }
        }
        out.push({ line: start, result: normalizeRow(mapping!, record, zone, headers) });
        if (out.length >= BATCH) waitFor(sink.batch(encoded(out.splice(0))), parser);
      }
      if (out.length) waitFor(sink.batch(encoded(out)), parser);
    };

    // The unmapped cells of a whole batch at once: the first batch tells the file's constant columns.
    const encoded = (items: Produced[]): Produced[] => {
      const rows = [];
      for (const it of items) if ('target' in it.result && (it.result.target === 'refunds' || it.result.target === 'orders')) rows.push(it.result.row);
      extras!.encodeBatch(rows);
      return items;
    };

    // Backpressure: while the consumer catches up, both the parser and the decoded stream pause.
    // Pausing only the parser would let the stream queue the rest of the file in memory.
    let waiting: Promise<void> | null = null;
    const waitFor = (r: void | Promise<void>, parser: Papa.Parser) => {
      if (!r) return;
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
        if (results.meta.linebreak) newline = results.meta.linebreak === '\r' ? '\r' : '\n';
        try {
          handleRecords(results.data, results.errors, parser);
        } catch (e) {
          fail(e); // first: abort() below calls complete() synchronously
          parser.abort();
        }
      },
      complete() {
        if (failed) return;
        if (!headers) return fail(new ImportFailure(file, 'empty', null));
        resolve({ rows });
      },
      error(e: Error) {
        fail(new ImportFailure(file, 'unreadable', null, { reason: e.message }));
      },
    } as Papa.ParseConfig<string[]>);
  });
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
