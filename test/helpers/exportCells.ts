// What an export file says, read independently of the importer (papaparse and iconv-lite directly):
// the oracle the lean-row tests compare the store's views with.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { PROFILES, recognise } from '../../src/import/profiles.js';

/** The file's records as the export has them: header, then rows (blank lines left out). */
export function records(file: string): string[][] {
  const bytes = fs.readFileSync(file);
  const text = file.includes('gbk') ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  return Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
}

/**
 * Per key (the row's ID cell as the export wrote it, ="…" unwrapped), its unmapped cells as users'
 * SQL must give them back through the views (empty cells left out).
 */
export function expectedExtras(file: string): { target: 'refunds' | 'orders'; rows: Map<string, Record<string, string> | null> } {
  const [headers, ...rows] = records(file);
  const mapping = recognise(headers!, PROFILES)!;
  const target = mapping.profile.target === 'orders' ? 'orders' : 'refunds';
  const idAt = mapping.columns.get(target === 'orders' ? 'orderId' : 'refundId')!;
  const out = new Map<string, Record<string, string> | null>();
  for (const cells of rows) {
    const id = cells[idAt]!.replace(/^="?|"$/g, '').replace(/^'/, '').trim();
    const extra: Record<string, string> = {};
    for (const e of mapping.extras) if ((cells[e.index] ?? '') !== '') extra[e.name] = cells[e.index]!;
    out.set(id, Object.keys(extra).length ? extra : null);
  }
  return { target, rows: out };
}
