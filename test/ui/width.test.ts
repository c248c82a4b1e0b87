// Our display width agrees with string-width (the reference) on everything the tool prints:
// the fixtures' Chinese text, full-width punctuation, money, escapes and emoji.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import stringWidth from 'string-width';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainWide, padEnd, padStart, renderColumns, widthOf } from '../../src/ui/width.js';
import { fixture } from '../helpers/cli.js';

describe('widthOf', () => {
  it('matches string-width on every cell of the fixtures', () => {
    const texts = [
      iconv.decode(fs.readFileSync(fixture('taobao-refunds-2017-gbk.csv')), 'gb18030'),
      iconv.decode(fs.readFileSync(fixture('taobao-orders-gbk.csv')), 'gb18030'),
      fs.readFileSync(fixture('douyin-aftersales.csv'), 'utf8'),
    ];
    const cells = texts.flatMap((t) => t.split(/[,\r\n]/)).filter((c) => c !== '');
    expect(cells.length).toBeGreaterThan(500);
    for (const cell of cells) expect(widthOf(cell), cell).toBe(stringWidth(cell));
  });

  it.each([
    ['退款编号', 8],
    ['买家已经退货，等待卖家确认收货', 30],
    ['¥1,299.00', 9],
    ['￥59.90', 7],
    ['剩 5小时12分', 12],
    ['\u001b[31mRED\u001b[0m', 3],
    ['e\u0301', 1],
    ['👍', 2],
    ['', 0],
  ])('%j is %i columns', (text, width) => {
    expect(widthOf(text)).toBe(width);
    expect(stringWidth(text)).toBe(width);
  });

  it('agrees with string-width on random BMP CJK and ASCII text', () => {
    const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
    const ascii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCodePoint(c));
    const punct = fc.constantFrom('，', '。', '（', '）', '：', '、', '—', '…', '·', '¥', '￥');
    fc.assert(fc.property(fc.array(fc.oneof(cjk, ascii, punct), { maxLength: 40 }), (chars) => {
      const s = chars.join('');
      expect(widthOf(s)).toBe(stringWidth(s));
    }));
  });

  it('counts two columns for every character of the ranges it answers without the Unicode tables', () => {
    const ranges = [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xff01, 0xff60]] as const;
    let checked = 0;
    for (const [lo, hi] of ranges) {
      expect(isPlainWide(lo - 1), (lo - 1).toString(16)).toBe(false);
      expect(isPlainWide(hi + 1), (hi + 1).toString(16)).toBe(false);
      for (let cp = lo; cp <= hi; cp++) {
        const ch = String.fromCodePoint(cp);
        expect(isPlainWide(cp)).toBe(true);
        if (stringWidth(ch) !== 2) expect.fail(`U+${cp.toString(16)} is ${stringWidth(ch)} columns for string-width`);
        checked++;
      }
    }
    expect(checked).toBe(6592 + 20992 + 11172 + 96);
  });

  it('pads and aligns by display width', () => {
    expect(padEnd('买家', 6)).toBe('买家  ');
    expect(padStart('¥59.90', 9)).toBe('   ¥59.90');
    expect(renderColumns([['退款', 'x'], ['a', 'yy']], ['left', 'right'])).toBe('  退款   x\n  a     yy');
  });
});
