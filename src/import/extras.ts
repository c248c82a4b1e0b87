// The export's columns that no field maps, stored lean (issue 18). Every column is kept, but the
// names go once per file (a layout in `import_columns`, README "The database"), the cells a column
// holds on every row of the file (the seller's own name, address, phones) go once in the layout,
// and each row keeps only its own cells, as a JSON array. The view `refunds_extra` reads them back
// by name. Runs in the parsing worker, off the writer's thread.
import type { EncodedExtras, ExtrasLayout } from '../domain/inputs.js';

/** How many rows the first batch needs before a column seen alike on all of them counts as the file's constant. */
export const CONSTANT_AFTER_ROWS = 100;

/** A row as the normalizer leaves it: the unmapped cells in column order, until the file's encoder packs them. */
export interface RowWithExtraCells extends Partial<EncodedExtras> {
  extraCells?: string[] | null;
}

/**
 * Encodes the unmapped cells of one file's rows, batch by batch. The first batch decides which
 * columns look constant; a later row that differs demotes that column for the rest of the file
 * (a new layout; earlier rows keep theirs, which is right for them). The same file always gives
 * the same layouts and values, so a re-import finds its rows unchanged.
 */
export class ExtrasEncoder {
  private constant: boolean[] | null = null;
  private constantValue: string[] = [];
  private key: string | null = null;
  private slots: (number | null)[] = [];
  /** The columns still constant, and the varying ones in slot order (rebuilt with the layout). */
  private constantColumns: number[] = [];
  private varyingColumns: number[] = [];
  private hasConstants = false;

  constructor(private readonly columns: readonly string[]) {}

  encodeBatch(rows: RowWithExtraCells[]): void {
    if (this.columns.length === 0) {
      for (const r of rows) pack(r, null, null);
      return;
    }
    if (!this.constant) this.learn(rows);
    const none: string[] = [];
    for (const r of rows) {
      const cells = r.extraCells ?? none;
      for (let i = 0; i < this.constantColumns.length; i++) {
        const c = this.constantColumns[i]!;
        if ((cells[c] ?? '') !== this.constantValue[c]) {
          this.demote(c);
          i--; // the list was rebuilt without c
        }
      }
      const varying = this.varyingColumns;
      let last = -1;
      for (let i = 0; i < varying.length; i++) if ((cells[varying[i]!] ?? '') !== '') last = i;
      let own: string | null = null;
      if (last >= 0) {
        // Trailing empty cells are left off: the view reads a missing one as empty.
        const values: (string | null)[] = new Array(last + 1);
        for (let i = 0; i <= last; i++) values[i] = cells[varying[i]!] || null;
        own = JSON.stringify(values);
      }
      pack(r, own === null && !this.hasConstants ? null : this.key, own);
    }
  }

  private learn(rows: RowWithExtraCells[]): void {
    const n = this.columns.length;
    this.constant = Array<boolean>(n).fill(false);
    this.constantValue = Array<string>(n).fill('');
    if (rows.length >= CONSTANT_AFTER_ROWS) {
      for (let c = 0; c < n; c++) {
        const first = rows[0]!.extraCells?.[c] ?? '';
        this.constant[c] = rows.every((r) => (r.extraCells?.[c] ?? '') === first);
        this.constantValue[c] = first;
      }
    }
    this.rebuild();
  }

  private demote(c: number): void {
    this.constant![c] = false;
    this.rebuild();
  }

  private rebuild(): void {
    let slot = 0;
    this.slots = this.constant!.map((k) => (k ? null : slot++));
    this.constantColumns = [];
    this.varyingColumns = [];
    this.constant!.forEach((k, c) => (k ? this.constantColumns : this.varyingColumns).push(c));
    this.hasConstants = this.constant!.some((k, c) => k && this.constantValue[c] !== '');
    const constants = this.constant!.map((k, c) => (k && this.constantValue[c] !== '' ? this.constantValue[c]! : null));
    const layout: ExtrasLayout = [[...this.columns], this.slots, constants];
    this.key = JSON.stringify(layout);
  }
}

function pack(r: RowWithExtraCells, layout: string | null, values: string | null): void {
  r.extraLayout = layout;
  r.extraValues = values;
  // Not `delete`: the row keeps its shape (a deleted key sends V8's objects into slow mode).
  r.extraCells = undefined;
}
