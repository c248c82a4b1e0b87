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
    // Hanzi (and Hangul, full-width forms), most of what buyers write: Wide, none a mark or an
    // emoji. Answered here, because get-east-asian-width's lookup is a long chain of range tests
    // that `today` would otherwise run uncompiled for every character of its first screen.
    if (isPlainWide(cp)) {
      width += 2;
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

/** Code point ranges whose every character is two columns wide (test/ui/width.test.ts checks each one). */
export function isPlainWide(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xff01 && cp <= 0xff60);
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
  // Each cell measured once (a sweep screen has some 700 cells).
  const cellWidths = rows.map((row) => row.map(widthOf));
  for (const row of cellWidths) row.forEach((w, i) => (widths[i] = Math.max(widths[i] ?? 0, w)));
  const pad = (cell: string, w: number, i: number) => {
    const room = widths[i]! - w;
    if (room <= 0) return cell;
    return align[i] === 'right' ? ' '.repeat(room) + cell : cell + ' '.repeat(room);
  };
  return rows.map((row, r) => `  ${row.map((cell, i) => pad(cell, cellWidths[r]![i]!, i)).join('  ')}`.replace(/\s+$/, '')).join('\n');
}

// East Asian text may break between any two ideographs; Latin text only at spaces. Closing
// punctuation stays with what it closes (no line starts with ，。）), opening punctuation with
// what it opens (no line ends with （“).
const BREAKABLE = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/u;
const NO_LINE_START = /^[，。、；：！？）》」』】〕,.;:!?)\]}…]/u;
const NO_LINE_END = /[（《「『【〔(\[{“‘]$/u;

/** Splits text into unbreakable pieces (a Latin word with its trailing spaces, one ideograph). */
function pieces(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if (BREAKABLE.test(ch) && !NO_LINE_START.test(ch)) {
      if (word && !NO_LINE_END.test(word)) {
        out.push(word);
        word = '';
      }
      word += ch;
      continue;
    }
    if (ch === ' ') {
      word += ch;
      out.push(word);
      word = '';
      continue;
    }
    if (word && BREAKABLE.test(word[word.length - 1]!) && !NO_LINE_START.test(ch) && !NO_LINE_END.test(word)) {
      out.push(word);
      word = '';
    }
    word += ch;
  }
  if (word) out.push(word);
  return out;
}

/** Cuts a piece that alone is wider than the line (a 40-digit ID on a 30-column terminal). */
function hardCut(piece: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of piece) {
    if (widthOf(line + ch) > width && line) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Wraps one line of text to `width` display columns at word boundaries (spaces; between
 * ideographs), never inside a word unless the word alone is wider than the line. Continuation
 * lines start with `indent`. ANSI colour codes are not supported here: wrap first, colour after.
 */
export function wrapToWidth(text: string, width: number, indent = ''): string[] {
  const w = Math.max(8, width);
  if (widthOf(text) <= w) return [text];
  const lines: string[] = [];
  let line = '';
  const room = () => (lines.length === 0 ? w : w - widthOf(indent));
  for (const p of pieces(text)) {
    const trial = line + p;
    if (widthOf(trial.trimEnd()) <= room()) {
      line = trial;
      continue;
    }
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
    const parts = widthOf(p.trimEnd()) > room() ? hardCut(p.trimEnd(), room()) : [p];
    for (const part of parts.slice(0, -1)) lines.push(part);
    line = parts[parts.length - 1]!;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.map((l, i) => (i === 0 ? l : indent + l.trimStart()));
}

/** Shortens one line to `width` columns, cutting at a word boundary and ending with "…". */
export function cutToWidth(text: string, width: number): string {
  if (widthOf(text) <= width) return text;
  let out = '';
  for (const p of pieces(text)) {
    if (widthOf((out + p).trimEnd()) > width - 1) break;
    out += p;
  }
  if (!out.trim()) out = hardCut(text, width - 1)[0] ?? '';
  return `${out.trimEnd()}…`;
}
