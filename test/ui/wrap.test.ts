import { describe, expect, it } from 'vitest';
import { cutToWidth, widthOf, wrapToWidth } from '../../src/ui/width.js';

describe('wrapping and cutting to the terminal width', () => {
  it('wraps English at spaces, never inside a word, with a hanging indent', () => {
    const lines = wrapToWidth('Check the shipment tracking (waybill 9712345678901, 中通快递). Where is the parcel?', 40, '  ');
    expect(lines).toEqual(['Check the shipment tracking (waybill', '  9712345678901, 中通快递). Where is the', '  parcel?']);
    for (const l of lines) expect(widthOf(l)).toBeLessThanOrEqual(40);
  });
  it('wraps Chinese between ideographs, keeping closing punctuation on the line it closes', () => {
    const lines = wrapToWidth('请查询物流（运单号 9712345678901，中通快递）。包裹现在在哪里？', 20);
    expect(lines).toEqual(['请查询物流（运单号', '9712345678901，中通', '快递）。包裹现在在哪', '里？']);
    for (const l of lines) expect(widthOf(l)).toBeLessThanOrEqual(20);
  });
  it('keeps opening punctuation with what it opens: no line ends with ( （ “', () => {
    expect(wrapToWidth('Decision for 2900000000000000104: Collect the evidence and prepare the appeal (申诉)', 80)).toEqual([
      'Decision for 2900000000000000104: Collect the evidence and prepare the appeal',
      '(申诉)',
    ]);
    expect(wrapToWidth('没有终端时从标准输入逐行读取运单号（跳过空行）', 36)).toEqual(['没有终端时从标准输入逐行读取运单号', '（跳过空行）']);
    expect(wrapToWidth('买家说明：“拍重复了，麻烦退一单”', 11)).toEqual(['买家说明：', '“拍重复了，', '麻烦退一单”']);
  });
  it('cuts at a word boundary with an ellipsis', () => {
    expect(cutToWidth('aaaa bbbb cccc dddd', 12)).toBe('aaaa bbbb…');
    expect(cutToWidth('退款原因：七天无理由退换货', 12)).toBe('退款原因：…');
    expect(cutToWidth('short', 12)).toBe('short');
    expect(cutToWidth('1587001122334455001122', 10)).toBe('158700112…');
  });
});
