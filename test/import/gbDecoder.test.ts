import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { Gb18030Decoder } from '../../src/import/gbDecoder.js';

const viaIconv = (bytes: Buffer) => iconv.decode(bytes, 'gb18030');
const whatwg = (bytes: Buffer) => new TextDecoder('gb18030').decode(bytes);
function viaDecoder(chunks: Buffer[]): string {
  const d = new Gb18030Decoder();
  let text = '';
  for (const c of chunks) text += d.write(c);
  return text + d.end();
}
/** Deterministic bytes (xorshift), so a failure can be replayed. */
function randomBytes(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
function cutAt(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

describe('Gb18030Decoder gives iconv-lite\'s text', () => {
  it('over every 2-byte code (lead 81–FE × trail 40–FE except 7F), and WHATWG differs on exactly 18 of them', () => {
    const whatwgDiffers: string[] = [];
    let codes = 0;
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const code = Buffer.from([lead, trail]);
        codes++;
        expect(viaDecoder([code])).toBe(viaIconv(code));
        if (whatwg(code) !== viaIconv(code)) whatwgDiffers.push(code.toString('hex'));
      }
    }
    expect(codes).toBe(23940);
    expect(whatwgDiffers).toEqual([
      'a6d9', 'a6da', 'a6db', 'a6dc', 'a6dd', 'a6de', 'a6df', 'a6ec', 'a6ed', 'a6f3',
      'fe59', 'fe61', 'fe66', 'fe67', 'fe6d', 'fe7e', 'fe90', 'fea0',
    ]);
    // iconv-lite keeps GB18030-2000's private-use character; WHATWG the later standard's.
    expect(viaDecoder([Buffer.from('a6d9', 'hex')])).toBe('\uE78D');
    expect(whatwg(Buffer.from('a6d9', 'hex'))).toBe('\uFE10');
  });

  it('over every 2-byte code in one piece, ASCII between, and with one broken code among them', () => {
    const parts: number[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) parts.push(lead, trail, 0x2c);
    parts.push(0x0d, 0x0a);
    const whole = Buffer.from(parts);
    expect(viaDecoder([whole])).toBe(viaIconv(whole));
    const broken = Buffer.concat([whole, Buffer.from([0x41, 0x81, 0x0a]), whole]);
    expect(viaDecoder([broken])).toBe(viaIconv(broken));
  });

  it('over every single byte, 0x80 (€) included', () => {
    for (let b = 0; b <= 0xff; b++) expect(viaDecoder([Buffer.from([b])])).toBe(viaIconv(Buffer.from([b])));
    expect(viaDecoder([Buffer.from([0x80])])).toBe('€');
  });

  it('over every 4-byte code; WHATWG alone already agrees on the mapped ranges (BMP 81308130–8431A439, U+10000… 90308130–E3329A35)', () => {
    const toLinear = (b: number[]) => (((b[0]! - 0x81) * 10 + b[1]! - 0x30) * 126 + b[2]! - 0x81) * 10 + b[3]! - 0x30;
    const bmpEnd = toLinear([0x84, 0x31, 0xa4, 0x39]);
    const suppStart = toLinear([0x90, 0x30, 0x81, 0x30]);
    const suppEnd = toLinear([0xe3, 0x32, 0x9a, 0x35]);
    let mapped = 0;
    for (let b1 = 0x81; b1 <= 0xfe; b1++) {
      for (let b2 = 0x30; b2 <= 0x39; b2++) {
        const all: number[] = [];
        const inRange: number[] = [];
        for (let b3 = 0x81; b3 <= 0xfe; b3++) {
          for (let b4 = 0x30; b4 <= 0x39; b4++) {
            all.push(b1, b2, b3, b4);
            const lin = toLinear([b1, b2, b3, b4]);
            if (lin <= bmpEnd || (lin >= suppStart && lin <= suppEnd)) inRange.push(b1, b2, b3, b4), mapped++;
          }
        }
        const bytes = Buffer.from(all);
        expect(viaDecoder([bytes])).toBe(viaIconv(bytes));
        if (inRange.length) expect(whatwg(Buffer.from(inRange))).toBe(viaIconv(Buffer.from(inRange)));
      }
    }
    expect(mapped).toBe(39420 + 1048576);
  });
});

describe('Gb18030Decoder over chunk boundaries and broken bytes', () => {
  const fixture = readFileSync('fixtures/taobao-refunds-2017-gbk.csv');

  it('a GBK/CRLF file split into two chunks at every byte reads the same', () => {
    const whole = viaIconv(fixture);
    expect(whole).toContain('退款');
    for (let at = 0; at <= fixture.length; at++) {
      expect(viaDecoder([fixture.subarray(0, at), fixture.subarray(at)])).toBe(whole);
    }
  });

  it('a GBK/CRLF head cut at every byte gives iconv-lite\'s replacement characters (a cut character is one U+FFFD, an ASCII byte after it kept)', () => {
    for (let at = 0; at <= Math.min(fixture.length, 6000); at++) {
      const head = fixture.subarray(0, at);
      expect(viaDecoder(cutAt(head, [7, 1, 64]))).toBe(viaIconv(head));
    }
    expect(viaDecoder([Buffer.from('41813081', 'hex')])).toBe(viaIconv(Buffer.from('41813081', 'hex')));
    expect(viaDecoder([Buffer.from('0a8130', 'hex')])).toBe('\n\uFFFD0');
    expect(viaDecoder([Buffer.from('81ff0a', 'hex')])).toBe('\uFFFD\uFFFD\n');
  });

  it('random bytes with line feeds, in random chunks, read as iconv-lite reads them whole', () => {
    let streamDiffers = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const bytes = randomBytes(20000, seed);
      for (let i = 0; i < bytes.length; i += 37 + (seed % 50)) bytes[i] = 0x0a;
      const chunks = cutAt(bytes, [seed, 1, 3, 997, 2]);
      expect(viaDecoder(chunks)).toBe(viaIconv(bytes));
      // iconv-lite's own stream decoder loses bytes of a broken sequence cut by a chunk boundary;
      // this decoder does not depend on where the chunks end.
      const stream = iconv.getDecoder('gb18030');
      if (chunks.map((c) => stream.write(c)).join('') + (stream.end() ?? '') !== viaIconv(bytes)) streamDiffers++;
    }
    expect(streamDiffers).toBeGreaterThan(0);
  });

  it('a file without line feeds still reads whole (its held bytes go to iconv-lite past 256 KB)', () => {
    const line = Buffer.from(iconv.encode('退款成功,'.repeat(40000), 'gb18030'));
    expect(line.length).toBeGreaterThan(256 * 1024);
    expect(viaDecoder(cutAt(line, [65536, 3]))).toBe('退款成功,'.repeat(40000));
  });
});
