// The bytes-to-text step of an import, with the checks that must see the whole file rather than
// its first 64 KB: the encoding (a UTF-8 file that turns into something else later is refused, not
// decoded into garbage), NUL bytes (binary data after a good start), and the length of one record
// (a 20 MB header name or a 10 MB cell would exhaust the parser's memory long before it ends).
import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import type { Encoding } from './decode.js';
import { Gb18030Decoder } from './gbDecoder.js';

/** Longest record (one row, all its cells and separators) an import reads, in characters. */
export const MAX_RECORD_CHARS = 2 * 1024 * 1024;
/** Longest cell kept; a longer one rejects its row. No platform exports a field near this. */
export const MAX_CELL_CHARS = 64 * 1024;
/** Longest header name; a longer one refuses the file. */
export const MAX_HEADER_CHARS = 256;

/** A fatal problem of the text; produce.ts turns it into an ImportFailure. */
export class TextStop extends Error {
  constructor(
    readonly code: string,
    readonly line: number,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

type Mode = 'utf8-strict' | 'utf8-lenient' | 'gb18030' | 'iconv';

export class GuardedDecoder extends Transform {
  private mode: Mode;
  private utf8: TextDecoder;
  private other: ReturnType<typeof iconv.getDecoder> | null = null;
  private gb: Gb18030Decoder | null = null;
  /** Only ASCII so far: a detected UTF-8 may still turn out to be GB18030 at no cost. */
  private asciiSoFar = true;
  private readonly checkNul: boolean;
  private line = 1;
  private inQuotes = false;
  private recordChars = 0;
  private recordLine = 1;
  /** A GB18030 guess, checked line by line: a later line that is whole UTF-8 contradicts it. */
  private readonly utf8Watch: Utf8LineWatch | null;

  /** `forced`: the user named the encoding, so undecodable bytes become U+FFFD (and warnings), never a refusal. */
  constructor(enc: Encoding, forced: boolean) {
    super({ decodeStrings: true, encoding: 'utf8' });
    this.checkNul = enc !== 'utf-16le';
    this.utf8 = new TextDecoder('utf-8', { fatal: !forced });
    if (enc === 'utf-8') this.mode = forced ? 'utf8-lenient' : 'utf8-strict';
    else if (enc === 'gb18030') {
      this.mode = 'gb18030';
      this.gb = new Gb18030Decoder();
    } else {
      this.mode = 'iconv';
      this.other = iconv.getDecoder(enc, { stripBOM: true });
    }
    this.utf8Watch = forced || enc === 'utf-16le' ? null : new Utf8LineWatch();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      let text = this.decode(chunk);
      this.scan(text);
      const held = this.gb?.heldBytes();
      // Held bytes must not hide a stop the original order would have found first (a NUL, a record
      // too long) behind the next chunk's mixed-encoding check: such a line is decoded now.
      if (held && (held.includes(0) || this.recordChars + held.length > MAX_RECORD_CHARS)) {
        const more = this.gb!.release();
        this.scan(more);
        text += more;
      }
      done(null, text);
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    let tail = '';
    if (this.mode === 'iconv') tail = this.other!.end() ?? '';
    else if (this.mode === 'gb18030') tail = this.gb!.end();
    else {
      try {
        tail = this.utf8.decode();
      } catch {
        tail = '\uFFFD'; // the file ends inside a character: it was cut; the last row says so
      }
    }
    try {
      this.scan(tail);
      done(null, tail);
    } catch (e) {
      done(e as Error);
    }
  }

  private decode(chunk: Buffer): string {
    let text: string;
    if (this.mode === 'gb18030' || this.mode === 'iconv') {
      const at = this.utf8Watch?.scan(chunk);
      if (at) throw new TextStop('mixed-encoding-gbk', at);
      text = this.mode === 'gb18030' ? this.gb!.write(chunk) : this.other!.write(chunk);
    }
    else {
      try {
        text = this.utf8.decode(chunk, { stream: true });
      } catch {
        if (this.asciiSoFar) {
          // Everything before was ASCII, which reads the same in GB18030: the file is GBK after all.
          this.mode = 'gb18030';
          this.gb = new Gb18030Decoder();
          const at = this.utf8Watch?.scan(chunk, this.line);
          if (at) throw new TextStop('mixed-encoding-gbk', at);
          text = this.gb.write(chunk);
        } else {
          // The chunk may start inside a character begun in the previous one: skip its continuation bytes.
          let from = 0;
          while (from < 3 && from < chunk.length && (chunk[from]! & 0xc0) === 0x80) from++;
          const lenient = new TextDecoder('utf-8').decode(chunk.subarray(from));
          const at = lenient.indexOf('\uFFFD');
          throw new TextStop('mixed-encoding', this.line + countNewlines(lenient, 0, at < 0 ? lenient.length : at));
        }
      }
    }
    if (this.asciiSoFar) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i]! >= 0x80) {
          this.asciiSoFar = false;
          break;
        }
      }
    }
    return text;
  }

  /** Tracks quote parity (a CSV record ends at a line break outside quotes) to bound each record. */
  private scan(text: string): void {
    if (this.checkNul) {
      const nul = text.indexOf('\0');
      if (nul >= 0) throw new TextStop('binary-at', this.line + countNewlines(text, 0, nul));
    }
    const len = text.length;
    let pos = 0;
    // The next quote and line break at or after pos, each found once and kept while still ahead
    // (-2: not looked for yet; -1: none left): a line of ="…" IDs has many quotes before its break.
    let quote = -2;
    // Line feeds and carriage returns apart, each kept while ahead: a file without CRs would
    // otherwise search the rest of the chunk for one on every line.
    let lf = -2;
    let cr = -2;
    let brk = -2;
    while (pos < len) {
      if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
      const q = quote;
      if (this.inQuotes) {
        const end = q < 0 ? len : q + 1;
        // The line feeds inside the quotes, from the kept position: a search from each quote would
        // run to the line's end, once per quoted cell.
        if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
        while (lf !== -1 && lf < end) {
          this.line++;
          lf = text.indexOf('\n', lf + 1);
        }
        this.recordChars += end - pos;
        if (q >= 0) this.inQuotes = false;
        pos = end;
      } else {
        if (brk !== -1 && brk < pos) {
          if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
          if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
          brk = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
        }
        const nl = brk;
        if (nl >= 0 && (q < 0 || nl < q)) {
          this.recordChars += nl - pos;
          this.check();
          this.line += text.charCodeAt(nl) === 10 ? 1 : 0;
          this.recordChars = 0;
          this.recordLine = this.line;
          pos = nl + 1;
          continue;
        }
        const end = q < 0 ? len : q + 1;
        this.recordChars += end - pos;
        if (q >= 0) this.inQuotes = true;
        pos = end;
      }
      this.check();
    }
  }

  private check(): void {
    if (this.recordChars > MAX_RECORD_CHARS) {
      throw new TextStop('record-too-long', this.recordLine, { limit: MAX_RECORD_CHARS.toLocaleString('en-US') });
    }
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * Watches the raw bytes of a file read as GB18030 for a line that is well-formed UTF-8 with many
 * CJK characters: GB18030 decodes such bytes into other, valid-looking characters (「退款成功」 turns
 * into 「閫€娆炬垚鍔」), so a later part in UTF-8 would be stored as garbage without a word. A GBK
 * line hardly ever passes: its lead bytes B0–BF are stray continuation bytes in UTF-8, and a lead
 * C2–DF or E0–EF needs 80–BF after it, while GBK trail bytes run A1–FE.
 */
class Utf8LineWatch {
  /** Whole 3-byte UTF-8 sequences (CJK) a line needs before it counts as UTF-8. */
  static readonly MIN_SEQUENCES = 8;
  private line = 1;
  private need = 0;
  private seqLen = 0;
  private whole3 = 0;
  private broken = false;

  /** Feeds bytes; returns the line that is UTF-8, or 0. `line` restarts the count (a late switch to GB18030). */
  scan(chunk: Buffer, line?: number): number {
    if (line !== undefined) this.line = line;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a) {
        if (this.need === 0 && !this.broken && this.whole3 >= Utf8LineWatch.MIN_SEQUENCES) return this.line;
        this.line++;
        this.need = 0;
        this.whole3 = 0;
        this.broken = false;
        continue;
      }
      if (this.broken) {
        // Only the line's end matters now: find it natively rather than byte by byte.
        const nl = chunk.indexOf(0x0a, i);
        if (nl < 0) break;
        i = nl - 1;
        continue;
      }
      if (this.need > 0) {
        if ((b & 0xc0) === 0x80) {
          if (--this.need === 0 && this.seqLen === 3) this.whole3++;
          continue;
        }
        this.broken = true;
        continue;
      }
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) (this.need = 1), (this.seqLen = 2);
      else if (b >= 0xe0 && b <= 0xef) (this.need = 2), (this.seqLen = 3);
      else if (b >= 0xf0 && b <= 0xf4) (this.need = 3), (this.seqLen = 4);
      else this.broken = true;
    }
    return 0;
  }
}
