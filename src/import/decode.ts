// Encoding detection: exports are GBK/GB18030 (most Chinese tools) or UTF-8 with or without BOM.
import iconv from 'iconv-lite';

export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le';

export class NotText extends Error {}

const SAMPLE = 64 * 1024;
export const SAMPLE_BYTES = SAMPLE;

/** Names users may pass to --encoding. */
export function encodingFromFlag(flag: string): Encoding | null {
  const f = flag.toLowerCase().replace(/[-_]/g, '');
  if (f === 'utf8' || f === 'utf8bom') return 'utf-8';
  if (f === 'gbk' || f === 'gb2312' || f === 'gb18030' || f === 'cp936') return 'gb18030';
  if (f === 'utf16le' || f === 'utf16') return 'utf-16le';
  return null;
}

/** Guesses the encoding from the first bytes; throws NotText for binary data. */
export function detectEncoding(sample: Buffer, complete: boolean): Encoding {
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  assertText(sample); // a BOM says nothing about what follows it: NUL bytes after one are still binary
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (isUtf8(sample, complete)) return 'utf-8';
  return 'gb18030';
}

function isUtf8(buf: Buffer, complete: boolean): boolean {
  const dec = new TextDecoder('utf-8', { fatal: true });
  try {
    dec.decode(buf);
    return true;
  } catch {
    if (complete) return false;
    // The sample may end inside a multi-byte character: retry without its last 1-3 bytes.
    for (let cut = 1; cut <= 3; cut++) {
      try {
        dec.decode(buf.subarray(0, buf.length - cut));
        return true;
      } catch {
        /* keep cutting */
      }
    }
    return false;
  }
}

/** NUL bytes or many C0 control bytes mean this is not a CSV export. */
function assertText(sample: Buffer): void {
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b === 0) throw new NotText('NUL byte');
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) controls++;
  }
  if (controls > 8 && controls > sample.length / 200) throw new NotText('control bytes');
}

/** A decoder stream for the encoding; strips a BOM. */
export function decoderStream(enc: Encoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(enc === 'utf-8' ? 'utf8' : enc, { stripBOM: true });
}

/** Decoded text looks like garbage when replacement characters are common. */
export function looksGarbled(text: string): boolean {
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  return bad > 4 && bad > text.length / 50;
}
