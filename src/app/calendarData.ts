// The holiday data of mainland China's working-day calendar: the `chinese-days` package's own JSON
// (dist/chinese-days.json), read here so that domain/calendar.ts stays pure.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ChineseWorkCalendar, type HolidayData, type HolidaySource } from '../domain/calendar.js';

const CHINESE_DAYS_JSON = 'chinese-days/dist/chinese-days.json';

/**
 * The package's data, read on first use, not at start-up: `refunds today` must start fast and
 * rarely needs working days. The id (the file's size) changes when the package's data does,
 * without reading it.
 */
export function chineseDaysSource(): HolidaySource {
  const require = createRequire(import.meta.url);
  return {
    id: `chinese-days:${statSync(require.resolve(CHINESE_DAYS_JSON)).size}`,
    load: () => require(CHINESE_DAYS_JSON) as HolidayData,
  };
}

let shared: ChineseWorkCalendar | null = null;

/** The process-wide mainland China calendar (built once, on first use). */
export function chinaCalendar(): ChineseWorkCalendar {
  shared ??= new ChineseWorkCalendar(chineseDaysSource());
  return shared;
}
