// (Shared by the SQLite and PostgreSQL writers.) How a row's unmapped export columns are stored (issue 18; import/extras.ts packs them): a
// layout in `import_columns` per file, the row's own cells as a JSON array.

export type { ExtrasLayout, EncodedExtras } from '../../domain/inputs.js';
import type { ExtrasLayout, EncodedExtras } from '../../domain/inputs.js';

/** The layout and values of one row's extras given as a JSON object (name → cell): every column its own. */
export function encodeExtrasObject(json: string | null): EncodedExtras {
  if (json === null) return { extraLayout: null, extraValues: null };
  const obj = JSON.parse(json) as Record<string, string>;
  const columns = Object.keys(obj);
  if (columns.length === 0) return { extraLayout: null, extraValues: null };
  const layout: ExtrasLayout = [columns, columns.map((_, i) => i), columns.map(() => null)];
  return { extraLayout: JSON.stringify(layout), extraValues: JSON.stringify(columns.map((c) => obj[c] ?? null)) };
}

/** The row's extras as a JSON object again (empty cells left out), as the view `refunds_extra` gives them. */
export function decodeExtras(layout: ExtrasLayout | null, values: string | null): string | null {
  if (!layout) return null;
  const own = values ? (JSON.parse(values) as (string | null)[]) : [];
  const [columns, slots, constants] = layout;
  const out: Record<string, string> = {};
  let any = false;
  for (let c = 0; c < columns.length; c++) {
    const v = slots[c] !== null ? (own[slots[c]!] ?? null) : constants[c]!;
    if (v === null || v === '') continue;
    out[columns[c]!] = v;
    any = true;
  }
  return any ? JSON.stringify(out) : null;
}
