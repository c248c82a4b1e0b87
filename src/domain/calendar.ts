// Working days in mainland China: weekends, public holidays and the make-up workdays (调休) the
// State Council announces every year. The data is the `chinese-days` package's own JSON
// (dist/chinese-days.json: { holidays, workdays, inLieuDays } keyed by "YYYY-MM-DD"), looked up by
// date key only. We deliberately do NOT call the package's isWorkday(): it builds its tables with
// the machine's local-time Date methods, so under a TZ west of UTC (e.g. America/New_York) every
// holiday and make-up day is shifted by one day. Plain key lookups are the same in every TZ.
// Pure: the data comes in (app/calendarData.ts reads the package's file, on first use).
import type { ShopZone } from './time.js';

/** Date keys are the shop-local calendar date, "YYYY-MM-DD". */
export interface WorkCalendar {
  isWorkday(dateKey: string): boolean;
  /**
   * Whether the calendar has real data for the year (holidays, 调休). When false, isWorkday() is a
   * Monday–Friday guess. Optional: a plain Mon–Fri calendar need not implement it.
   */
  knowsYear?(year: number): boolean;
  /** Identifies the holiday data, for the deadlines' fingerprint; none for plain Mon–Fri. */
  readonly id?: string;
}

const DATE_KEY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Splits "YYYY-MM-DD"; throws on anything else (a bug in the caller, not user input). */
export function parseDateKey(dateKey: string): { year: number; month: number; day: number } {
  const m = DATE_KEY_RE.exec(dateKey);
  if (!m) throw new RangeError(`not a date key (YYYY-MM-DD): ${JSON.stringify(dateKey)}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** 0 = Sunday … 6 = Saturday, from the date alone (no time zone involved). */
export function weekdayOf(dateKey: string): number {
  const { year, month, day } = parseDateKey(dateKey);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The date key `days` calendar days after (or before, when negative) the given one. */
export function shiftDateKey(dateKey: string, days: number): string {
  const { year, month, day } = parseDateKey(dateKey);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return (
    `${String(d.getUTCFullYear()).padStart(4, '0')}-` +
    `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`
  );
}

/** Monday–Friday, no holidays: the fallback, and a calendar for tests. */
export const weekdayCalendar: WorkCalendar = {
  isWorkday(dateKey: string): boolean {
    const w = weekdayOf(dateKey);
    return w >= 1 && w <= 5;
  },
  knowsYear(): boolean {
    return false;
  },
};

export interface HolidayData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Holiday data loaded on first use, with an id that names it without loading it. */
export interface HolidaySource {
  readonly id: string;
  load(): HolidayData;
}

/**
 * Mainland China's working-day calendar from `chinese-days`. A day is a workday when it is a
 * make-up workday (调休上班), or a Monday–Friday that is not a public holiday. For years the package
 * has no data for (before 2004, or after the last year it knows — new years appear when the State
 * Council publishes them, usually in November; upgrade the package), it falls back to Mon–Fri and
 * knowsYear() says false.
 */
export class ChineseWorkCalendar implements WorkCalendar {
  private data: { holidays: ReadonlyMap<string, string>; workdays: ReadonlyMap<string, string>; years: ReadonlySet<number> } | null = null;

  private readonly source: () => HolidayData;
  /** Identifies the holiday data (changes when the package's data does), without loading it. */
  readonly id: string;

  /** `data` itself (for tests or a newer holiday list), or a source loaded on first use. */
  constructor(data: HolidayData | HolidaySource) {
    if ('load' in data) {
      this.source = () => data.load();
      this.id = data.id;
    } else {
      this.source = () => data;
      this.id = `custom:${Object.keys(data.holidays).length}:${Object.keys(data.workdays).length}`;
    }
  }

  private get tables() {
    if (!this.data) {
      const raw = this.source();
      const holidays = new Map(Object.entries(raw.holidays));
      const years = new Set<number>();
      for (const key of holidays.keys()) years.add(Number(key.slice(0, 4)));
      this.data = { holidays, workdays: new Map(Object.entries(raw.workdays)), years };
    }
    return this.data;
  }
  private get holidays() {
    return this.tables.holidays;
  }
  private get workdays() {
    return this.tables.workdays;
  }
  private get years() {
    return this.tables.years;
  }

  isWorkday(dateKey: string): boolean {
    const weekday = weekdayOf(dateKey); // validates the key too
    if (this.workdays.has(dateKey)) return true;
    if (this.holidays.has(dateKey)) return false;
    return weekday >= 1 && weekday <= 5;
  }

  knowsYear(year: number): boolean {
    return this.years.has(year);
  }

  /** The years with real data, ascending (e.g. 2004…2026 for chinese-days 1.5.7). */
  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** The holiday or make-up-day name the package gives ("Labour Day,劳动节,2"), if any. */
  dayName(dateKey: string): string | null {
    return this.workdays.get(dateKey) ?? this.holidays.get(dateKey) ?? null;
  }
}

/** More working days than any real window needs; stops a calendar with no workdays from looping. */
const MAX_SCAN_DAYS = 3660;

/**
 * The deadline of a window of `n` working days (工作日) starting at `startMs`.
 *
 * Definition ("within n working days", the convention of 民法典 art. 201/203 for periods counted
 * in days): the start day itself does not count; counting begins with the next calendar day; the
 * window ends at the END (24:00) of the n-th working day after the start day. Non-working days
 * (weekends, holidays) are skipped; make-up workdays (调休, e.g. Sunday 2025-04-27) count. The
 * returned instant is 00:00 shop time of the calendar day after the n-th working day. The time of
 * day of the start does not matter: a request at 00:05 and one at 23:55 on the same day get the
 * same deadline.
 *
 * Examples (Asia/Shanghai): Wednesday 2025-04-30 10:00 + 2 → May 1–5 are the 劳动节 holiday, so
 * the working days are Tue 05-06 and Wed 05-07, and the deadline is 2025-05-08T00:00:00+08:00.
 * Saturday 2025-04-26 + 2 → Sun 04-27 (调休 workday), Mon 04-28 → 2025-04-29T00:00:00+08:00.
 *
 * Dates are the shop zone's calendar dates; the calendar decides which of them are workdays.
 * `n` must be a positive integer.
 */
export function addWorkingDays(startMs: number, n: number, zone: ShopZone, calendar: WorkCalendar): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a positive integer, got ${n}`);
  if (!Number.isFinite(startMs)) throw new RangeError(`start is not a time: ${startMs}`);
  let key = zone.dateKey(startMs);
  let counted = 0;
  for (let scanned = 0; counted < n; scanned++) {
    if (scanned > MAX_SCAN_DAYS) {
      throw new RangeError(`no ${n} working days within ${MAX_SCAN_DAYS} days after ${zone.dateKey(startMs)}`);
    }
    key = shiftDateKey(key, 1);
    if (calendar.isWorkday(key)) counted++;
  }
  const end = parseDateKey(shiftDateKey(key, 1));
  return zone.fromLocal({ ...end, hour: 0, minute: 0, second: 0 });
}

/**
 * Whether every date from the start day to the deadline day lies in years the calendar knows.
 * False means the count used the Monday–Friday fallback somewhere and may be off by a holiday.
 */
export function calendarCovers(startMs: number, endMs: number, zone: ShopZone, calendar: WorkCalendar): boolean {
  if (!calendar.knowsYear) return true;
  const from = zone.toLocal(startMs).year;
  const to = zone.toLocal(endMs).year;
  for (let y = from; y <= to; y++) if (!calendar.knowsYear(y)) return false;
  return true;
}
