// Buyer-written text is untrusted: it may carry terminal escape sequences (ANSI colours, OSC
// window titles, cursor moves) and spreadsheet formulas. Nothing from an export reaches a terminal
// or a CSV cell without passing through here.

// ESC-introduced sequences (CSI, OSC terminated by BEL or ST, other 2-byte escapes) and C1 CSI.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[P^_X][^\u001b]*(?:\u001b\\)?|\u001b[@-Z\\-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// Remaining C0 (but tab/newline handled below), DEL, C1 controls, and bidi overrides that can
// reorder what an agent sees.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe for one line of a terminal: escapes and controls removed, newlines and tabs as spaces. */
export function forTerminal(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text.replace(ESCAPES, '').replace(/[\t\r\n]+/g, ' ').replace(CONTROLS, '');
}

/** Text safe for a multi-line terminal block: as forTerminal but keeps newlines. */
export function forTerminalBlock(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS, '');
}

/**
 * A CSV cell a spreadsheet will not execute: cells starting with = + - @ (or tab/CR, which some
 * spreadsheets skip before reading a formula) get a leading apostrophe. Controls are removed.
 */
export function forSpreadsheet(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  const clean = text.replace(ESCAPES, '').replace(CONTROLS, '');
  return /^[=+\-@\t\r]/.test(clean) || /^[=+\-@\t\r]/.test(text) ? `'${clean}` : clean;
}

/** Quotes a cell for CSV output (RFC 4180), after neutralizing it. */
export function csvCell(value: string | number | null | undefined): string {
  if (typeof value === 'number') return String(value);
  const s = forSpreadsheet(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Shortens to a display width, CJK counted double; `widthOf` is injected to keep this module light. */
export function truncateTo(text: string, max: number, widthOf: (s: string) => number): string {
  if (widthOf(text) <= max) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = widthOf(ch);
    if (w + cw > max - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}
