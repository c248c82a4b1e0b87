import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chinaCalendar, chineseDaysSource } from '../../src/app/calendarData.js';
import { ChineseWorkCalendar } from '../../src/domain/calendar.js';

describe('the calendar data is loaded by the app and passed to the pure domain calendar', () => {
  it('names the chinese-days data by its file size, without reading it', () => {
    const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
    expect(chineseDaysSource().id).toBe(`chinese-days:${statSync(file).size}`);
    expect(chinaCalendar().id).toBe(`chinese-days:${statSync(file).size}`);
    expect(chinaCalendar()).toBe(chinaCalendar());
  });

  it('a source is loaded on first use, once', () => {
    let loads = 0;
    const cal = new ChineseWorkCalendar({ id: 'test:1', load: () => (loads++, { holidays: { '2031-01-01': 'x' }, workdays: {} }) });
    expect(cal.id).toBe('test:1');
    expect(loads).toBe(0);
    expect(cal.isWorkday('2031-01-01')).toBe(false);
    expect(cal.isWorkday('2031-01-02')).toBe(true);
    expect(cal.knowsYear(2031)).toBe(true);
    expect(loads).toBe(1);
  });

  it('the real data: 劳动节 2025-05-01 is off, the 调休 Sunday 2025-04-27 is worked', () => {
    expect(chinaCalendar().isWorkday('2025-05-01')).toBe(false);
    expect(chinaCalendar().isWorkday('2025-04-27')).toBe(true);
  });
});
