// The storage side of lean rows (issue 18): an export's unmapped columns are stored as a layout in
// `import_columns` (one per file, interned here) and each row's own cells. The packing itself
// (import/extras.ts ExtrasEncoder) runs in the import's worker, off the writing thread.
import type { ExtrasInput, ExtrasLayout } from '../../domain/inputs.js';
import { decodeExtras, encodeExtrasObject } from '../common/extrasLayout.js';
import type { Connection } from './connection.js';
import type { Row } from '../common/rows.js';

/** A row's extras as stored: its layout's ID (filed on first use) and its own cells. */
export function extrasOf(c: Connection, x: ExtrasInput): [number | null, string | null] {
  const out: [number | null, string | null] = [null, null];
  extrasInto(c, x, out, 0);
  return out;
}

/** extrasOf written into `out` at `at` and `at + 1` (the writer's reused parameter array). */
export function extrasInto(c: Connection, x: ExtrasInput, out: unknown[], at: number): void {
  // A producer that skipped the file's ExtrasEncoder would lose the cells without a word.
  if (x.extraCells) throw new Error('unmapped cells not packed: run ExtrasEncoder.encodeBatch (import/extras.ts) on every batch');
  let layout = x.extraLayout;
  let values = x.extraValues ?? null;
  if (layout === undefined) ({ extraLayout: layout, extraValues: values } = encodeExtrasObject(x.extraJson ?? null));
  out[at] = layout ? layoutId(c, layout) : null;
  out[at + 1] = values;
}

function layoutId(c: Connection, key: string): number {
  if (c.lastLayout?.key === key) return c.lastLayout.id;
  let id = c.layoutIds.get(key);
  if (id === undefined) {
    const parts = (JSON.parse(key) as ExtrasLayout).map((p) => JSON.stringify(p));
    c.st('INSERT INTO import_columns (columns_json, slots_json, constants_json) VALUES (?,?,?) ON CONFLICT DO NOTHING').run(...parts);
    id = (c.st('SELECT id FROM import_columns WHERE columns_json = ? AND slots_json = ? AND constants_json = ?').get(...parts) as { id: number }).id;
    c.layoutIds.set(key, id);
  }
  c.lastLayout = { key, id };
  return id;
}

function layoutById(c: Connection, id: unknown): ExtrasLayout | null {
  if (typeof id !== 'number') return null;
  let l = c.layoutsById.get(id);
  if (!l) {
    const row = c.st('SELECT columns_json, slots_json, constants_json FROM import_columns WHERE id = ?').get(id) as Row | undefined;
    if (!row) return null;
    l = [JSON.parse(row.columns_json as string), JSON.parse(row.slots_json as string), JSON.parse(row.constants_json as string)] as ExtrasLayout;
    c.layoutsById.set(id, l);
  }
  return l;
}

/**
 * An unchanged row whose cells are filed under another layout (a row the schema-4 migration
 * converted, or an older file's) moves to this file's, once: later imports then compare it
 * without reading both back. Nothing the row says changes.
 */
export function relayout(c: Connection, table: 'refunds' | 'orders', key: string, id: string, prev: unknown[], content: unknown[], at: number): void {
  if (prev[at] === content[at] && prev[at + 1] === (content[at + 1] ?? null)) return;
  c.st(`UPDATE ${table} SET extra_columns = ?, extra_values = ? WHERE ${key} = ?`).run(content[at], content[at + 1] ?? null, id);
}

/** Whether two (layout ID, cells) pairs read back as the same cells. */
export function sameExtrasOn(c: Connection): (a: unknown[], b: unknown[]) => boolean {
  return (a, b) =>
    decodeExtras(layoutById(c, a[0]), (a[1] as string | null) ?? null) === decodeExtras(layoutById(c, b[0]), (b[1] as string | null) ?? null);
}
