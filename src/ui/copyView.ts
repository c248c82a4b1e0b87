// What `refunds copy` prints: the per-table counts (human) and its --json document.
import type { CopyView } from '../app/copy.js';
import { t } from './i18n.js';
import { forTerminal } from './sanitize.js';

export function renderCopy(v: CopyView): string {
  const width = Math.max(...v.tables.map((x) => x.table.length));
  const digits = Math.max(...v.tables.map((x) => String(x.rows).length));
  return [
    t('copy.done', { total: v.total, source: forTerminal(v.source), target: forTerminal(v.target) }),
    ...v.tables.map((x) => t('copy.table', { table: x.table.padEnd(width), rows: String(x.rows).padStart(digits) })),
  ].join('\n');
}

/** docs/interface.md: `{ source, target, tables: { <table>: rows, … }, total }`, tables in load order. */
export function copyJson(v: CopyView): string {
  return JSON.stringify({ source: v.source, target: v.target, tables: Object.fromEntries(v.tables.map((x) => [x.table, x.rows])), total: v.total }, null, 2);
}

export function copyProgressLine(p: { table: string; copied: number; rows: number; copiedTotal: number; total: number }): string {
  const percent = p.total ? Math.floor((100 * p.copiedTotal) / p.total) : 100;
  return t('copy.progress', { table: p.table, copied: p.copied, rows: p.rows, percent, total: p.total });
}
