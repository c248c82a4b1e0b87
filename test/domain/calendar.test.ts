import { describe, expect, it } from 'vitest';
import {
  ChineseWorkCalendar,
  type WorkCalendar,
  addWorkingDays,
  calendarCovers,
  shiftDateKey,
  weekdayCalendar,
  weekdayOf,
} from '../../src/domain/calendar.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone, parseShopTime } from '../../src/domain/time.js';

const zone = new ShopZone();
const at = (s: string): number => {
  const ms = parseShopTime(s, zone);
  if (ms === null) throw new Error(`bad time in test: ${s}`);
  return ms;
};

describe('date keys', () => {
  it.each([
    ['2025-04-27', 0],
    ['2025-05-01', 4],
    ['2025-05-10', 6],
    ['2024-02-29', 4],
    ['2030-01-01', 2],
  ])('weekdayOf(%s) = %i', (key, weekday) => {
    expect(weekdayOf(key)).toBe(weekday);
  });

  it.each([
    ['2025-01-31', 1, '2025-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-01', -1, '2025-02-28'],
  ])('shiftDateKey(%s, %i) = %s', (key, n, expected) => {
    expect(shiftDateKey(key, n)).toBe(expected);
  });

  it('rejects malformed keys', () => {
    expect(() => weekdayOf('2025-5-1')).toThrow(/YYYY-MM-DD/);
    expect(() => chinaCalendar().isWorkday('20250501')).toThrow(/YYYY-MM-DD/);
  });
});

describe('ChineseWorkCalendar (chinese-days data)', () => {
  const cal = chinaCalendar();
  // The 2025 arrangement (国办发明电〔2024〕12号): 劳动节 May 1–5 off, Sunday Apr 27 worked;
  // 国庆+中秋 Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked. Saturday 2025-05-10 is an
  // ordinary Saturday (there is no second 劳动节 make-up day in 2025).
  it.each([
    ['2025-04-25', true, 'Friday'],
    ['2025-04-26', false, 'Saturday'],
    ['2025-04-27', true, 'Sunday, 劳动节 make-up workday (调休)'],
    ['2025-04-30', true, 'Wednesday'],
    ['2025-05-01', false, '劳动节'],
    ['2025-05-02', false, '劳动节'],
    ['2025-05-03', false, '劳动节 (Saturday)'],
    ['2025-05-04', false, '劳动节 (Sunday)'],
    ['2025-05-05', false, '劳动节 (Monday, in lieu)'],
    ['2025-05-06', true, 'Tuesday after 劳动节'],
    ['2025-05-10', false, 'ordinary Saturday'],
    ['2025-09-28', true, 'Sunday, 国庆 make-up workday'],
    ['2025-09-30', true, 'Tuesday'],
    ['2025-10-01', false, '国庆'],
    ['2025-10-06', false, '中秋'],
    ['2025-10-08', false, '国庆 (in lieu)'],
    ['2025-10-09', true, 'Thursday after 国庆'],
    ['2025-10-11', true, 'Saturday, 国庆 make-up workday'],
    ['2025-10-12', false, 'Sunday'],
    ['2025-01-26', true, 'Sunday, 春节 make-up workday'],
    ['2025-01-28', false, '春节 eve'],
    ['2026-05-09', true, 'Saturday, 2026 劳动节 make-up workday'],
    ['2024-02-29', true, 'leap day, Thursday'],
  ])('%s is a workday: %s (%s)', (key, expected) => {
    expect(cal.isWorkday(key)).toBe(expected);
  });

  it('knows 2004–2026 and falls back to Monday–Friday for other years', () => {
    expect(cal.knowsYear(2025)).toBe(true);
    expect(cal.knowsYear(2026)).toBe(true);
    expect(cal.knowsYear(2003)).toBe(false);
    expect(cal.knowsYear(2030)).toBe(false);
    expect(cal.knownYears()[0]).toBe(2004);
    // 2030-01-01 is a Tuesday: without data it counts as a workday (the fallback's known limit).
    expect(cal.isWorkday('2030-01-01')).toBe(true);
    expect(cal.isWorkday('2030-01-05')).toBe(false);
    expect(cal.isWorkday('2030-01-06')).toBe(false);
  });

  it('names holidays and make-up days', () => {
    expect(cal.dayName('2025-04-27')).toMatch(/劳动节/);
    expect(cal.dayName('2025-10-06')).toMatch(/中秋/);
    expect(cal.dayName('2025-04-28')).toBeNull();
  });

  it('accepts injected data (for tests or a newer holiday list)', () => {
    const custom = new ChineseWorkCalendar({ holidays: { '2031-01-01': 'x' }, workdays: { '2031-01-04': 'y' } });
    expect(custom.isWorkday('2031-01-01')).toBe(false); // Wednesday holiday
    expect(custom.isWorkday('2031-01-04')).toBe(true); // Saturday make-up
    expect(custom.knowsYear(2031)).toBe(true);
  });
});

describe('addWorkingDays: end (24:00) of the n-th working day after the start day', () => {
  it.each([
    // start (shop time), n, expected deadline, why
    ['2025-04-21 10:00', 2, '2025-04-24T00:00:00+08:00', 'Mon → Tue, Wed; ends Wed 24:00'],
    ['2025-04-21 00:00', 2, '2025-04-24T00:00:00+08:00', 'start time of day does not matter'],
    ['2025-04-21 23:59:59', 2, '2025-04-24T00:00:00+08:00', 'start time of day does not matter'],
    ['2025-04-21 10:00', 1, '2025-04-23T00:00:00+08:00', 'one working day'],
    ['2025-04-24 15:00', 2, '2025-04-28T00:00:00+08:00', 'Thu → Fri 25, Sun 27 (调休); ends Sun 24:00'],
    ['2025-04-25 15:00', 2, '2025-04-29T00:00:00+08:00', 'Fri → Sun 27 (调休), Mon 28'],
    ['2025-04-26 10:00', 2, '2025-04-29T00:00:00+08:00', 'Sat → Sun 27 (调休), Mon 28'],
    ['2025-04-29 10:00', 2, '2025-05-07T00:00:00+08:00', 'Tue → Wed 30, then May 1–5 off, Tue May 6'],
    ['2025-04-30 10:00', 2, '2025-05-08T00:00:00+08:00', 'Wed → May 1–5 off → Tue 6, Wed 7'],
    ['2025-05-01 09:00', 1, '2025-05-07T00:00:00+08:00', 'start on a holiday → first working day Tue 6'],
    ['2025-05-09 10:00', 1, '2025-05-13T00:00:00+08:00', 'Fri → Sat 10 is an ordinary Saturday → Mon 12'],
    ['2025-09-26 18:00', 2, '2025-09-30T00:00:00+08:00', 'Fri → Sun 28 (调休), Mon 29'],
    ['2025-09-30 15:00', 2, '2025-10-11T00:00:00+08:00', 'Tue → Oct 1–8 off → Thu 9, Fri 10'],
    ['2025-10-09 15:00', 2, '2025-10-12T00:00:00+08:00', 'Thu → Fri 10, Sat 11 (调休)'],
    ['2025-10-10 15:00', 2, '2025-10-14T00:00:00+08:00', 'Fri → Sat 11 (调休), Mon 13'],
    ['2025-01-24 12:00', 2, '2025-01-28T00:00:00+08:00', 'Fri → Sun 26 (春节调休), Mon 27'],
    ['2025-12-30 12:00', 2, '2026-01-05T00:00:00+08:00', 'Tue → Wed 31, 元旦 Jan 1–3 off, Sun Jan 4 (调休); across the year'],
  ])('%s + %i working days → %s (%s)', (start, n, expected) => {
    expect(zone.iso(addWorkingDays(at(start), n, zone, chinaCalendar()))).toBe(expected);
  });

  it('Monday–Friday calendar ignores holidays', () => {
    expect(zone.iso(addWorkingDays(at('2025-04-30 10:00'), 2, zone, weekdayCalendar))).toBe('2025-05-03T00:00:00+08:00');
    expect(zone.iso(addWorkingDays(at('2025-04-26 10:00'), 2, zone, weekdayCalendar))).toBe('2025-04-30T00:00:00+08:00');
  });

  it('rejects a non-positive or fractional count, and a calendar without workdays', () => {
    expect(() => addWorkingDays(at('2025-04-21 10:00'), 0, zone, weekdayCalendar)).toThrow(/positive integer/);
    expect(() => addWorkingDays(at('2025-04-21 10:00'), 1.5, zone, weekdayCalendar)).toThrow(/positive integer/);
    const never: WorkCalendar = { isWorkday: () => false };
    expect(() => addWorkingDays(at('2025-04-21 10:00'), 1, zone, never)).toThrow(/no 1 working days/);
  });

  it('says whether the count relied on the Monday–Friday fallback', () => {
    const cal = chinaCalendar();
    expect(calendarCovers(at('2025-12-30 10:00'), at('2026-01-06 00:00'), zone, cal)).toBe(true);
    expect(calendarCovers(at('2026-12-30 10:00'), at('2027-01-04 00:00'), zone, cal)).toBe(false);
    expect(calendarCovers(at('2030-01-02 10:00'), at('2030-01-04 00:00'), zone, { isWorkday: () => true })).toBe(true);
  });
});
