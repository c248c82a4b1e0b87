// Excel workbooks (.xlsx), streamed with exceljs's WorkbookReader: one row at a time, nothing of
// the sheet kept but the shared strings (which a workbook needs to be read at all). Cells come out
// as the text the rest of the import expects, plus which of them were number cells: an ID column
// must know a number cell (Excel keeps 15 significant digits), a money column rounds it exactly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { NumberCells } from './rows.js';

/** Zip's local file header: every .xlsx starts with it. */
export function isZip(sample: Buffer): boolean {
  return sample.length >= 4 && sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04;
}

/** The OLE compound file of an old Excel .xls (or another Office 97–2003 document). */
export function isOle(sample: Buffer): boolean {
  return sample.length >= 4 && sample[0] === 0xd0 && sample[1] === 0xcf && sample[2] === 0x11 && sample[3] === 0xe0;
}

export interface SheetRow {
  /** The row number Excel shows (1-based). */
  line: number;
  cells: string[];
  numbers: NumberCells;
}

export interface Sheet {
  name: string;
  rows: AsyncIterable<SheetRow>;
}

type ExcelValue =
  | null
  | undefined
  | string
  | number
  | boolean
  | Date
  | { richText?: { text: string }[]; text?: string; result?: unknown; error?: string; formula?: string; sharedFormula?: string; sharedString?: number };

/**
 * A workbook's shared strings: a 200,000-row export holds a million of them (every ID is one),
 * 50 MB as UTF-8 and several times that as JavaScript strings. They go to a temporary file (opened,
 * then unlinked at once, so nothing is left behind whatever happens), with their offsets in typed
 * arrays; lookups read blocks through a small cache. Rows mostly refer to the strings just added,
 * repeated texts (states, titles) to early ones: a few cached blocks serve nearly all of them.
 */
class SharedStrings {
  private static readonly BLOCK = 256 * 1024;
  private static readonly CACHED_BLOCKS = 16;
  private readonly fd: number;
  private pending = Buffer.allocUnsafe(1 << 20);
  private pendingUsed = 0;
  private written = 0; // bytes in the file
  // Byte offsets into the file (a shared-strings part of 4 GiB is far beyond any export).
  private starts = new Uint32Array(1 << 16);
  private count = 0;
  private size = 0; // bytes added (written + pending)
  private cache = new Map<number, Buffer>();

  constructor() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-xlsx-'));
    const file = path.join(dir, 'shared-strings');
    this.fd = fs.openSync(file, 'w+', 0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  add(index: number, text: string): void {
    while (index > this.count) this.push(''); // an index skipped: keep the numbering
    this.push(text);
  }

  private push(text: string): void {
    const need = Buffer.byteLength(text);
    if (this.pendingUsed + need > this.pending.length) this.flush();
    if (need > this.pending.length) this.pending = Buffer.allocUnsafe(need);
    this.pendingUsed += this.pending.write(text, this.pendingUsed);
    if (this.size + need > 0xffffffff) throw new Error('shared strings over 4 GiB');
    if (this.count + 1 >= this.starts.length) {
      const next = new Uint32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
    }
    this.starts[this.count] = this.size;
    this.size += need;
    this.count++;
    this.starts[this.count] = this.size;
  }

  private flush(): void {
    if (this.pendingUsed === 0) return;
    fs.writeSync(this.fd, this.pending, 0, this.pendingUsed, this.written);
    this.written += this.pendingUsed;
    this.pendingUsed = 0;
  }

  get(index: number): string {
    if (index < 0 || index >= this.count) return '';
    const start = this.starts[index]!;
    const end = this.starts[index + 1]!;
    if (start === end) return '';
    if (start >= this.written) return this.pending.toString('utf8', start - this.written, end - this.written);
    if (end > this.written) this.flush();
    const B = SharedStrings.BLOCK;
    const block = Math.floor(start / B);
    if (end > (block + 1) * B) {
      // Spans blocks (or is huge): read it on its own.
      const buf = Buffer.allocUnsafe(end - start);
      fs.readSync(this.fd, buf, 0, buf.length, start);
      return buf.toString('utf8');
    }
    let data = this.cache.get(block);
    if (data && end - block * B > data.length) {
      this.cache.delete(block); // cached before these bytes were written
      data = undefined;
    }
    if (data) {
      this.cache.delete(block); // most recently used goes last
    } else {
      if (this.cache.size >= SharedStrings.CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
      data = Buffer.allocUnsafe(B);
      const n = fs.readSync(this.fd, data, 0, B, block * B);
      data = data.subarray(0, n);
    }
    this.cache.set(block, data);
    return data.toString('utf8', start - block * B, end - block * B);
  }

  /** Strings added after a block was cached may extend it: forget cached blocks past the file's old end. */
  sealed(): void {
    this.flush();
    this.cache.clear();
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}

const richTextOf = (v: unknown): string =>
  typeof v === 'string' ? v : v && typeof v === 'object' && Array.isArray((v as { richText?: unknown[] }).richText)
    ? (v as { richText: { text?: string }[] }).richText.map((r) => r.text ?? '').join('')
    : '';

/** A Date exceljs made from a date-formatted serial: its UTC fields are the wall-clock time written. */
function dateText(d: Date): string {
  const ms = Math.round(d.getTime() / 1000) * 1000; // serials carry float noise below the second
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function cellOf(v: ExcelValue, strings: SharedStrings): { text: string; num?: number } {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { text: String(v), num: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { text: '' } : { text: dateText(v) };
  if (typeof v.sharedString === 'number') return { text: strings.get(v.sharedString) };
  if (Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text ?? '').join('') };
  if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellOf(v.result as ExcelValue, strings);
  if ('error' in v) return { text: '' };
  if (typeof v.text === 'string') return { text: v.text }; // hyperlink
  return { text: '' };
}

function rowOf(values: ExcelValue[] | Record<string, ExcelValue>, line: number, strings: SharedStrings): SheetRow {
  const list = Array.isArray(values) ? values : [];
  const cells: string[] = [];
  let numbers: (number | undefined)[] | null = null;
  // exceljs's row.values is 1-based (index 0 is empty).
  for (let i = 1; i < list.length; i++) {
    const c = cellOf(list[i], strings);
    cells.push(c.text);
    if (c.num !== undefined) (numbers ??= [])[i - 1] = c.num;
  }
  return { line, cells, numbers };
}

/**
 * The workbook's entries re-sent as a plain zip stream of STORED entries whose sizes stand in
 * their local headers. Exports written to a stream (Java servers, exceljs, archiver) put each
 * entry's sizes after its data ("data descriptors"); exceljs's streaming unzip (unzipper.Parse)
 * then has to search for the end of each entry, and on a large sheet it stalls for good (a
 * 200,000-row, 50-column 售后表: no progress in minutes). Read through the central directory
 * (unzipper.Open, the same library), every size is known; the stream exceljs parses is then simple.
 */
async function storedZip(file: string): Promise<Readable> {
  const { default: unzipper } = await import('unzipper');
  const dir = await unzipper.Open.file(file);
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  // The workbook's own parts first: exceljs names the sheets from xl/workbook.xml, and on a busy
  // machine it was seen to reach a worksheet before a workbook.xml stored last in the file
  // ("Cannot read properties of undefined (reading 'sheets')"). Worksheets follow in file order.
  const FIRST = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/styles.xml', 'xl/sharedStrings.xml'];
  const rank = (p: string) => (FIRST.includes(p) ? FIRST.indexOf(p) : FIRST.length);
  const files = dir.files.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f.path) - rank(b.f.path) || a.i - b.i).map((x) => x.f);
  void (async () => {
    for (const f of files) {
      if (f.type !== 'File') continue;
      if (f.uncompressedSize > 0xfffffffe) throw new Error(`${f.path} is larger than 4 GiB`);
      const name = Buffer.from(f.path, 'utf8');
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0); // local file header
      header.writeUInt16LE(20, 4); // version needed
      header.writeUInt16LE(0x0800, 6); // names in UTF-8
      header.writeUInt16LE(0, 8); // stored
      header.writeUInt32LE(0, 10); // time, date
      header.writeUInt32LE(f.crc32 >>> 0, 14);
      header.writeUInt32LE(f.uncompressedSize, 18);
      header.writeUInt32LE(f.uncompressedSize, 22);
      header.writeUInt16LE(name.length, 26);
      header.writeUInt16LE(0, 28);
      await write(Buffer.concat([header, name]));
      let n = 0;
      for await (const chunk of f.stream() as AsyncIterable<Buffer>) {
        n += chunk.length;
        await write(chunk);
      }
      if (n !== f.uncompressedSize) throw new Error(`${f.path}: ${n} bytes, the directory says ${f.uncompressedSize}`);
    }
    const end = Buffer.alloc(22); // end of central directory, no entries listed
    end.writeUInt32LE(0x06054b50, 0);
    await write(end);
    out.end();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}

interface WorkbookParts {
  model?: { sheets?: { name?: string; rId?: string }[] };
  workbookRels?: { Id?: string; Target?: string }[];
}

/**
 * exceljs names a sheet only when the workbook's relationship target is written relative
 * (`worksheets/sheet1.xml`); openpyxl and others write it absolute (`/xl/worksheets/sheet1.xml`).
 */
function sheetNameOf(book: WorkbookParts, id: string | number | undefined): string | undefined {
  if (id === undefined) return undefined;
  const rel = (book.workbookRels ?? []).find((r) => typeof r.Target === 'string' && r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${id}.xml`);
  return rel ? book.model?.sheets?.find((s) => s.rId === rel.Id)?.name : undefined;
}

/**
 * The worksheets of a workbook in file order. Each sheet's rows must be read to the end (or the
 * reader abandoned) before the next sheet comes.
 */
export async function* readWorkbook(input: Readable, file?: string): AsyncGenerator<Sheet> {
  // Taken over before the first await: a stream already flowing (a byte counter listens) would
  // otherwise pour its first chunks out while the reader's code loads.
  let source: Readable = input.pipe(new PassThrough());
  input.on('error', (e) => source.destroy(e));
  if (file !== undefined) {
    // A file on disk is read through its central directory instead (see storedZip).
    input.unpipe();
    input.resume(); // drained: only the byte count still listens
    source = await storedZip(file);
  }
  // The streaming reader alone, not all of exceljs (its writers, CSV and zip code): less code in memory.
  const { default: WorkbookReader } = (await import('exceljs/lib/stream/xlsx/workbook-reader.js')) as unknown as {
    default: typeof import('exceljs').stream.xlsx.WorkbookReader;
  };
  const reader = new WorkbookReader(source, {
    sharedStrings: 'emit', // packed by us (SharedStrings), not cached as strings by exceljs
    styles: 'cache', // number formats tell date cells from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const strings = new SharedStrings();
  type WorksheetReader = AsyncIterable<{ number: number; values: ExcelValue[] }> & { name?: string; id?: string | number; state?: string };
  // parse() yields worksheets as { eventType, value } and, in 'emit' mode, shared strings bare as { index, text }.
  type Event = { eventType?: string; value?: unknown; index?: number; text?: unknown };
  const events = (reader as unknown as { parse(): AsyncIterable<Event> }).parse();
  let index = 0;
  let sealed = false;
  try {
    for await (const ev of events) {
      const { eventType, value } = ev;
      if (eventType === undefined && typeof ev.index === 'number') {
        strings.add(ev.index, richTextOf(ev.text));
      } else if (eventType === 'worksheet') {
        if (!sealed) strings.sealed();
        sealed = true;
        const ws = value as WorksheetReader;
        index++;
        // exceljs falls back to "Sheet<n>" (and sets no state) when it cannot match the relationship:
        // then ws.id is still the file's number, and the name is looked up again.
        if (ws.state === undefined) ws.name = sheetNameOf(reader as unknown as WorkbookParts, ws.id) ?? ws.name;
        const rows = (async function* () {
          for await (const row of ws) yield rowOf(row.values, row.number, strings);
        })();
        yield { name: ws.name ?? `Sheet${index}`, rows };
      }
    }
  } finally {
    strings.close();
  }
  // Every sheet the workbook lists was read: a reader that stopped early must not pass as a whole file.
  const listed = (reader as unknown as WorkbookParts).model?.sheets?.length;
  if (listed === undefined || index < listed) throw new Error(`read ${index} of ${listed ?? 'an unknown number of'} worksheets`);
}

