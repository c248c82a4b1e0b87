// Shop-time arithmetic. Every instant is computed in the shop's zone (Asia/Shanghai by default),
// whatever the machine's TZ is. Offsets come from the platform's Intl tz database, cached per hour,
// because the import hot path converts hundreds of thousands of timestamps.

export const DEFAULT_ZONE = 'Asia/Shanghai';

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const HOUR = 3_600_000;
/** 1991-09-15T00:00:00+08:00: the last daylight-saving change in Asia/Shanghai. */
const SHANGHAI_FIXED_SINCE = Date.UTC(1991, 8, 14, 16, 0, 0);

export class ShopZone {
  readonly name: string;
  private readonly offsetCache = new Map<number, number>();

  private fmtCache: Intl.DateTimeFormat | null = null;

  constructor(name: string = DEFAULT_ZONE) {
    if (name !== DEFAULT_ZONE) this.fmtCache = ShopZone.formatter(name); // validates the name
    this.name = name;
  }

  private static formatter(name: string): Intl.DateTimeFormat {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset' });
    } catch {
      throw new RangeError(`unknown time zone: ${name}`);
    }
  }

  private get fmt(): Intl.DateTimeFormat {
    return (this.fmtCache ??= ShopZone.formatter(this.name));
  }

  /** UTC offset in minutes at the given instant (e.g. 480 for +08:00). */
  offsetMinutes(epochMs: number): number {
    // China has kept +08:00 without daylight saving since 1991-09-15; skipping ICU's zone database
    // for it saves start-up time on every command.
    if (this.name === DEFAULT_ZONE && epochMs >= SHANGHAI_FIXED_SINCE) return 480;
    const bucket = Math.floor(epochMs / HOUR);
    const cached = this.offsetCache.get(bucket);
    if (cached !== undefined) return cached;
    const part = this.fmt.formatToParts(new Date(bucket * HOUR)).find((p) => p.type === 'timeZoneName');
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(part?.value ?? '');
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
    if (this.offsetCache.size > 100_000) this.offsetCache.clear();
    this.offsetCache.set(bucket, offset);
    return offset;
  }

  /** The instant of a wall-clock time in this zone. */
  fromLocal(p: LocalParts): number {
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    let ms = asUtc - this.offsetMinutes(asUtc) * 60_000;
    // One correction step settles instants near an offset change.
    const again = asUtc - this.offsetMinutes(ms) * 60_000;
    if (again !== ms) ms = again;
    return ms;
  }

  /** Wall-clock parts of an instant in this zone. */
  toLocal(epochMs: number): LocalParts & { weekday: number } {
    const d = new Date(epochMs + this.offsetMinutes(epochMs) * 60_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }

  /** ISO 8601 with this zone's offset, second precision: 2025-04-21T09:00:00+08:00. */
  iso(epochMs: number): string {
    const off = this.offsetMinutes(epochMs);
    const d = new Date(epochMs + off * 60_000);
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    return (
      `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
      `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
      `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`
    );
  }

  /**
   * iso(parseShopTime(text)) for the exports' usual "YYYY-MM-DD HH:mm:ss", where this zone's offset
   * is fixed (Asia/Shanghai since 1992): checked digit by digit and rewritten, no Date. An import
   * reads about ten times per row, so this is its hottest path. Undefined when it does not apply
   * (another form, another zone, an invalid date): then the general path decides.
   */
  isoOfCanonical(text: string): string | undefined {
    if (this.name !== DEFAULT_ZONE || text.length !== 19) return undefined;
    const c = (i: number) => text.charCodeAt(i) - 48;
    const sep = text.charCodeAt(10);
    if (c(4) !== -3 || c(7) !== -3 || (sep !== 32 && sep !== 84) || c(13) !== 10 || c(16) !== 10) return undefined;
    for (const i of DIGIT_AT) if (c(i) < 0 || c(i) > 9) return undefined;
    const year = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
    const month = c(5) * 10 + c(6);
    const day = c(8) * 10 + c(9);
    if (year < 1992 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
    if (day > (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : DAYS_IN_MONTH[month]!)) return undefined;
    if (c(11) * 10 + c(12) > 23 || c(14) * 10 + c(15) > 59 || c(17) * 10 + c(18) > 59) return undefined;
    return `${text.slice(0, 10)}T${text.slice(11)}+08:00`;
  }

  /** "2025-04-21 09:00" in this zone, for people. */
  short(epochMs: number): string {
    return this.iso(epochMs).slice(0, 16).replace('T', ' ');
  }

  /** "YYYY-MM-DD" of the instant in this zone. */
  dateKey(epochMs: number): string {
    return this.iso(epochMs).slice(0, 10);
  }

  /** Midnight starting the shop-local day that contains the instant. */
  startOfDay(epochMs: number): number {
    const p = this.toLocal(epochMs);
    return this.fromLocal({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0, second: 0 });
  }

  /** Same wall-clock time `days` calendar days later (DST-safe). */
  addDays(epochMs: number, days: number): number {
    const p = this.toLocal(epochMs);
    return this.fromLocal({ ...p, day: p.day + days });
  }
}

const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

const LOCAL_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;
const ISO_OFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a time as exports and users write it: ISO 8601 with offset, "2025-04-20 10:31:05",
 * "2025/4/20 10:31", "2025-04-20", or Unix seconds (10 digits) / milliseconds (13 digits).
 * Wall-clock forms are read in the shop zone. Returns epoch ms, or null when it is not a time.
 */
export function parseShopTime(input: string, zone: ShopZone): number | null {
  const s = input.trim();
  if (s === '') return null;
  const m = LOCAL_RE.exec(s);
  if (m) {
    const p: LocalParts = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: m[4] === undefined ? 0 : Number(m[4]),
      minute: m[5] === undefined ? 0 : Number(m[5]),
      second: m[6] === undefined ? 0 : Number(m[6]),
    };
    if (!validParts(p)) return null;
    return zone.fromLocal(p);
  }
  if (ISO_OFFSET_RE.test(s)) {
    const ms = Date.parse(s);
    return Number.isFinite(ms) ? ms : null;
  }
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{13}$/.test(s)) return Number(s);
  return null;
}

function validParts(p: LocalParts): boolean {
  if (p.year < 1970 || p.year > 2100) return false;
  if (p.month < 1 || p.month > 12 || p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  const daysInMonth = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return p.day >= 1 && p.day <= daysInMonth;
}

/** A clock is injected everywhere "now" matters, so reports are reproducible with --now. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(epochMs: number): Clock {
  return { now: () => epochMs };
}

/** Parses "6h", "90m", "2d", "1h30m", "45s" into milliseconds; null when malformed. */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase();
  if (!/^(\d+\s*[dhms]\s*)+$/.test(s)) return null;
  let ms = 0;
  for (const m of s.matchAll(/(\d+)\s*([dhms])/g)) {
    const n = Number(m[1]);
    ms += n * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
  }
  return ms;
}
