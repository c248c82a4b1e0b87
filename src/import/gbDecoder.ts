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
    const text = this.whatwg.decode(bytes);
    return DISPUTED.test(text) ? iconv.decode(bytes, 'gb18030') : text;
  }
}
