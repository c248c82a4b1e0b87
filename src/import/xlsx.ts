// Excel workbooks (.xlsx), streamed with exceljs's WorkbookReader: one row at a time, nothing of
// the sheet kept but the shared strings (which a workbook needs to be read at all). Cells come out
// as the text the rest of the import expects, plus which of them were number cells: an ID column
// must know a number cell (Excel keeps 15 significant digits), a money column rounds it exactly.
import type { Readable } from 'node:stream';
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
  | { richText?: { text: string }[]; text?: string; result?: unknown; error?: string; formula?: string; sharedFormula?: string };

/** A Date exceljs made from a date-formatted serial: its UTC fields are the wall-clock time written. */
function dateText(d: Date): string {
  const ms = Math.round(d.getTime() / 1000) * 1000; // serials carry float noise below the second
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function cellOf(v: ExcelValue): { text: string; num?: number } {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { text: String(v), num: v };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE' };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { text: '' } : { text: dateText(v) };
  if (Array.isArray(v.richText)) return { text: v.richText.map((r) => r.text ?? '').join('') };
  if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellOf(v.result as ExcelValue);
  if ('error' in v) return { text: '' };
  if (typeof v.text === 'string') return { text: v.text }; // hyperlink
  return { text: '' };
}

function rowOf(values: ExcelValue[] | Record<string, ExcelValue>, line: number): SheetRow {
  const list = Array.isArray(values) ? values : [];
  const cells: string[] = [];
  let numbers: (number | undefined)[] | null = null;
  // exceljs's row.values is 1-based (index 0 is empty).
  for (let i = 1; i < list.length; i++) {
    const c = cellOf(list[i]);
    cells.push(c.text);
    if (c.num !== undefined) (numbers ??= [])[i - 1] = c.num;
  }
  return { line, cells, numbers };
}

/**
 * The worksheets of a workbook in file order. Each sheet's rows must be read to the end (or the
 * reader abandoned) before the next sheet comes.
 */
export async function* readWorkbook(input: Readable): AsyncGenerator<Sheet> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache', // number formats tell date cells from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let index = 0;
  for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<{ number: number; values: ExcelValue[] }> & { name?: string }>) {
    index++;
    const rows = (async function* () {
      for await (const row of ws) yield rowOf(row.values, row.number);
    })();
    yield { name: ws.name ?? `Sheet${index}`, rows };
  }
}

