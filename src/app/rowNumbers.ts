// The row numbers of the last `refunds today` printed for a database, so an agent can type
// `show 3` instead of a 19-digit ID. Kept in the `meta` table as JSON with the time they were
// printed and the latest import then: after a newer import, or once they are older than
// ROW_NUMBERS_MAX_AGE_MS, the same number may mean another refund, so they are refused.
import type { ShopZone } from '../domain/time.js';
import type { Store } from '../store/store.js';

export const ROW_NUMBERS_KEY = 'today.rows';
/** A shift: numbers printed this long ago are refused (README, "Row numbers"). */
export const ROW_NUMBERS_MAX_AGE_MS = 12 * 3600_000;
/** What counts as a row number rather than an ID: refund and order IDs are far longer. */
const ROW_NUMBER = /^[1-9]\d{0,5}$/;

interface Saved {
  printedAt: string;
  lastImportId: number | null;
  ids: string[];
}

function lastImportId(store: Store): number | null {
  return store.sql<{ id: number | null }>('SELECT max(id) AS id FROM imports')[0]?.id ?? null;
}

/** Remembers the refunds of a printed list; false when the database was busy (nothing saved). */
export function saveRowNumbers(store: Store, zone: ShopZone, nowMs: number, ids: string[]): boolean {
  const saved: Saved = { printedAt: zone.iso(nowMs), lastImportId: lastImportId(store), ids };
  return store.tryWrite(() => store.setMeta(ROW_NUMBERS_KEY, JSON.stringify(saved)));
}

export type RowLookup =
  | { kind: 'not-a-number' }
  | { kind: 'found'; refundId: string }
  | { kind: 'none' }
  | { kind: 'after-import' | 'too-old' | 'out-of-range'; n: number; printedAt: string; max: number };

/** The refund a row number of the last `today` stood for, or why it cannot be trusted. */
export function refundForRow(store: Store, typed: string, nowMs: number): RowLookup {
  const text = typed.trim();
  if (!ROW_NUMBER.test(text)) return { kind: 'not-a-number' };
  const raw = store.meta(ROW_NUMBERS_KEY);
  let saved: Saved | null = null;
  try {
    saved = raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    saved = null;
  }
  if (!saved || !Array.isArray(saved.ids)) return { kind: 'none' };
  const n = Number(text);
  const base = { n, printedAt: saved.printedAt, max: saved.ids.length };
  if (lastImportId(store) !== saved.lastImportId) return { kind: 'after-import', ...base };
  if (Math.abs(nowMs - Date.parse(saved.printedAt)) > ROW_NUMBERS_MAX_AGE_MS) return { kind: 'too-old', ...base };
  if (n > saved.ids.length) return { kind: 'out-of-range', ...base };
  return { kind: 'found', refundId: saved.ids[n - 1]! };
}
