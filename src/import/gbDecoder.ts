// GB18030/GBK bytes to text through the platform's WHATWG decoder (ICU, about twice as fast as
// iconv-lite's), with exactly iconv-lite's output: the two differ, and then iconv-lite decides.
// Where they differ (test/import/gbDecoder.test.ts proves the rest equal over every code point):
// - 18 two-byte codes (A6D9–A6DF, A6EC, A6ED, A6F3, FE59, FE61, FE66, FE67, FE6D, FE7E, FE90, FEA0):
//   iconv-lite gives the GB18030-2000 private-use characters, WHATWG U+FE10–FE19 / U+9FB4–9FBB;
// - broken bytes: WHATWG swallows a following ASCII byte at the end of input ("81 30" → one U+FFFD,
//   iconv-lite "\uFFFD0") and makes fewer replacement characters ("81 FF" → one, iconv-lite two);
// - 4-byte codes outside the mapped ranges: WHATWG U+FFFD, iconv-lite arbitrary characters.
// So a piece whose WHATWG text holds U+FFFD or one of those characters is decoded again by
// iconv-lite: what is stored, and which rows are warned about (issue 14), stays as it was.
// Pieces end after a line feed: no GB18030 character contains 0x0A and both decoders start afresh
// after it, so each piece decodes on its own and a character cut by a chunk boundary waits whole.
// One deliberate change: iconv-lite's stream decoder loses bytes of a BROKEN sequence cut by a
// 64 KB chunk boundary; here the text never depends on where chunks end (iconv-lite's whole-buffer text).
import iconv from 'iconv-lite';

/** Characters on which the two decoders may disagree. */
const DISPUTED = /[\uFFFD\uFE10-\uFE19\u9FB4-\u9FBB]/;
/** Bytes after the last line feed kept back at most; a file without line feeds goes to iconv-lite. */
const MAX_HELD = 256 * 1024;

export class Gb18030Decoder {
  private readonly whatwg = new TextDecoder('gb18030');
  private held: Buffer | null = null;
  /** Set once the rest of the file is decoded by iconv-lite as one stream. */
  private stream: ReturnType<typeof iconv.getDecoder> | null = null;

  write(chunk: Buffer): string {
    if (this.stream) return this.stream.write(chunk);
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    const cut = data.lastIndexOf(0x0a) + 1;
    this.held = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    const text = cut > 0 ? this.piece(data.subarray(0, cut)) : '';
    return this.held && this.held.length > MAX_HELD ? text + this.release() : text;
  }

  end(): string {
    if (this.stream) return this.stream.end() ?? '';
    const rest = this.held ? this.piece(this.held) : '';
    this.held = null;
    return rest;
  }

  /** Bytes decoded later than they arrived (the current line so far). */
  heldBytes(): Buffer | null {
    return this.held;
  }

  /** Decodes the held bytes now; the rest of the file then goes through iconv-lite's stream decoder. */
  release(): string {
    this.stream = iconv.getDecoder('gb18030');
    const text = this.held ? this.stream.write(this.held) : '';
    this.held = null;
    return text;
  }

  private piece(bytes: Buffer): string {
    const fast = plainPiece(bytes);
    if (fast !== null) return fast;
    const text = this.whatwg.decode(bytes);
    return DISPUTED.test(text) ? iconv.decode(bytes, 'gb18030') : text;
  }
}

/**
 * The character of each two-byte code (lead 81–FE, trail 40–7E, 80–FE), by
 * (lead - 0x81) * 191 + (trail - 0x40); 0 where the code is not a plain character (trail 7F or FF,
 * U+FFFD, a disputed character, anything not one BMP character): then the piece takes the general
 * path. Built once from the WHATWG decoder, which agrees with iconv-lite on every code but the
 * disputed ones (test/import/gbDecoder.test.ts); iconv-lite's own tables take ~0.25 s to load.
 */
let pairTable: Uint16Array | null = null;

function pairs(): Uint16Array {
  if (pairTable) return pairTable;
  const table = new Uint16Array(126 * 191);
  // Each code followed by a line feed, so that one broken code cannot shift the next.
  const bytes = Buffer.alloc(126 * 191 * 3);
  for (let k = 0; k < 126 * 191; k++) bytes.set([0x81 + Math.floor(k / 191), 0x40 + (k % 191), 0x0a], k * 3);
  const lines = new TextDecoder('gb18030').decode(bytes).split('\n');
  for (let k = 0; k < 126 * 191; k++) {
    const trail = 0x40 + (k % 191);
    const text = lines[k]!;
    if (trail === 0x7f || trail === 0xff || text.length !== 1 || DISPUTED.test(text)) continue;
    const c = text.charCodeAt(0);
    if ((c >= 0xd800 && c <= 0xdfff) || c < 0x80) continue;
    table[k] = c;
  }
  return (pairTable = table);
}

/** Where a piece's UTF-16 is assembled (reused: the string made from it is a copy). */
let scratch = new Uint16Array(0);

/**
 * A piece that is only ASCII and plain two-byte codes, decoded by table lookup: faster than ICU's
 * converter, and what nearly every export is. Null for anything else (a 4-byte code, the single
 * byte 80, a broken or disputed code), which the general path decodes as before.
 */
function plainPiece(bytes: Buffer): string | null {
  const table = pairs();
  const len = bytes.length;
  if (scratch.length < len) scratch = new Uint16Array(Math.max(len, 64 * 1024));
  const out = scratch;
  let j = 0;
  for (let i = 0; i < len; i++) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out[j++] = b;
      continue;
    }
    if (b === 0x80 || b === 0xff || i + 1 >= len) return null;
    const t = bytes[i + 1]! - 0x40;
    if (t < 0 || t > 190) return null;
    const c = table[(b - 0x81) * 191 + t]!;
    if (c === 0) return null;
    out[j++] = c;
    i++;
  }
  return Buffer.from(out.buffer, out.byteOffset, j * 2).toString('utf16le');
}
