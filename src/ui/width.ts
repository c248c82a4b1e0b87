// Display width of terminal text: East Asian Wide and Fullwidth characters take two columns,
// combining marks and zero-width characters none, escape sequences none. The Unicode data comes
// from get-east-asian-width (the table string-width itself uses); string-width's emoji regex costs
// ~20 ms of start-up that `refunds today` cannot afford. Tests cross-check against string-width.
import { eastAsianWidth } from 'get-east-asian-width';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const ZERO = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\ufeff]|\p{Mn}|\p{Me}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

export function widthOf(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  let width = 0;
  for (const ch of plain) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x7f && cp >= 0x20) {
      width += 1;
      continue;
    }
    if (ZERO.test(ch)) continue;
    if (cp > 0x2000 && PICTOGRAPHIC.test(ch)) {
      width += eastAsianWidth(cp) === 2 || cp >= 0x1f000 ? 2 : 1;
      continue;
    }
    width += eastAsianWidth(cp);
  }
  return width;
}

/** Pads to a display width (CJK-aware). */
export function padEnd(text: string, width: number): string {
  const w = widthOf(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

export function padStart(text: string, width: number): string {
  const w = widthOf(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

/** Columns aligned by display width, two spaces apart, indented two; no trailing spaces. */
export function renderColumns(rows: string[][], align: ('left' | 'right')[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, widthOf(cell))));
  return rows
    .map((row) => `  ${row.map((cell, i) => (align[i] === 'right' ? padStart(cell, widths[i]!) : padEnd(cell, widths[i]!))).join('  ')}`.replace(/\s+$/, ''))
    .join('\n');
}
