// The row numbers of the last `refunds today` printed for a database, so an agent can type
// `show 3` instead of a 19-digit ID. Kept in the `meta` table as JSON with the time they were
// printed and the latest import then: after a newer import, or once they are older than
// ROW_NUMBERS_MAX_AGE_MS, the same number may mean another refund, so they are refused.
import type { ShopZone } from '../domain/time.js';
import { isStoreBusy, type Ports } from './ports/index.js';

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

/** Remembers the refunds of a printed list; false when the database was busy (nothing saved). */
export async function saveRowNumbers(ports: Pick<Ports, 'cases' | 'unitOfWork'>, zone: ShopZone, nowMs: number, ids: string[]): Promise<boolean> {
  const saved: Saved = { printedAt: zone.iso(nowMs), lastImportId: await ports.cases.lastImportId(), ids };
  try {
    await ports.unitOfWork((tx) => tx.meta.set(ROW_NUMBERS_KEY, JSON.stringify(saved)), { wait: 'none' });
    return true;
  } catch (e) {
    if (isStoreBusy(e)) return false;
    throw e;
  }
}

export type RowLookup =
  | { kind: 'not-a-number' }
  | { kind: 'found'; refundId: string }
  | { kind: 'none' }
  | { kind: 'after-import' | 'too-old' | 'out-of-range'; n: number; printedAt: string; max: number };

/** The refund a row number of the last `today` stood for, or why it cannot be trusted. */
export async function refundForRow(ports: Pick<Ports, 'cases' | 'meta'>, typed: string, nowMs: number): Promise<RowLookup> {
  const text = typed.trim();
  if (!ROW_NUMBER.test(text)) return { kind: 'not-a-number' };
  const raw = await ports.meta.get(ROW_NUMBERS_KEY);
  let saved: Saved | null = null;
  try {
    saved = raw ? (JSON.parse(raw) as Saved) : null;
  } catch {
    saved = null;
  }
  if (!saved || !Array.isArray(saved.ids)) return { kind: 'none' };
  const n = Number(text);
  const base = { n, printedAt: saved.printedAt, max: saved.ids.length };
  if ((await ports.cases.lastImportId()) !== saved.lastImportId) return { kind: 'after-import', ...base };
  if (Math.abs(nowMs - Date.parse(saved.printedAt)) > ROW_NUMBERS_MAX_AGE_MS) return { kind: 'too-old', ...base };
  if (n > saved.ids.length) return { kind: 'out-of-range', ...base };
  return { kind: 'found', refundId: saved.ids[n - 1]! };
}
