// The inline SVG charts are well-formed XML (a strict parser reads them), whatever the labels
// hold, and `summary --format html` carries them while the text printout keeps its sparkline.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { barChartSvg, dailyChartSvg, xmlText } from '../../src/ui/svgCharts.js';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';
import { runCli, tmpDir } from '../helpers/cli.js';
import { parseXml, svgsOf } from '../helpers/xml.js';

const HOSTILE = '=HYPERLINK("x")\u001b[31m<b>&amp;</b>]]><!-- \u0000\u0007\ud800 "\'\ufffe end';

describe('svgCharts', () => {
  it('draws one bar per item with hostile labels escaped into well-formed XML', () => {
    const svg = barChartSvg(`top ${HOSTILE}`, [
      { label: HOSTILE, value: 3, note: '¥1.00' },
      { label: '北欧陶瓷马克杯350ml 白色 两只装 超长的商品标题会被截断', value: 1 },
    ]);
    const names = parseXml(svg);
    expect(names[0]).toBe('svg');
    expect(names.filter((n) => n === 'rect').length).toBe(2);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;]]&gt;&lt;!--');
    expect(svg).not.toMatch(/[\u0000-\u0008\u001b]/);
  });

  it('draws the days as bars and the previous window as one line', () => {
    const svg = dailyChartSvg({
      title: 'per day',
      days: ['06-01', '06-02', '06-03'],
      current: [2, 0, 1],
      previous: [1, 1, 0],
      legend: { current: 'this', previous: HOSTILE },
    });
    const names = parseXml(svg);
    // two bars (no bar for 0) and the legend's swatch
    expect(names.filter((n) => n === 'rect').length).toBe(3);
    expect(names.filter((n) => n === 'polyline').length).toBe(1);
    expect(svg).toContain('points="');
  });

  it('strips what XML 1.0 cannot carry', () => {
    expect(xmlText('a\u0000b\u000bc\td\ne\ud83d\ude00')).toBe('abc\td\ne\ud83d\ude00');
  });
});

describe('summary --format html', () => {
  let db: string;
  beforeAll(() => {
    db = path.join(tmpDir(), 'buyers.sqlite');
    expect(runCli(['--db', db, '--now', BUYERS_NOW, 'import', ...BUYER_FILES]).code).toBe(0);
  });

  it('draws refunds per day against the previous window, top reasons and top products as inline SVG', () => {
    const r = runCli(['--db', db, '--now', BUYERS_NOW, 'summary', '--format', 'html']);
    expect(r.code, r.stderr).toBe(0);
    const svgs = svgsOf(r.stdout);
    expect(svgs.length).toBe(3);
    for (const svg of svgs) expect(parseXml(svg)[0]).toBe('svg');
    expect(svgs[0]).toContain('<title>Refunds applied per day, last 28 days</title>');
    // 7 refunds applied in the 28 days, one bar per day with refunds; the previous window as a line
    expect(parseXml(svgs[0]!).filter((n) => n === 'rect').length).toBe(7 + 1);
    expect(svgs[1]).toContain('<title>Top reasons (refunds · amount)</title>');
    expect(svgs[2]).toContain('<title>Top products (refunds · amount)</title>');
    expect(svgs[2]).toContain('整竹砧板 加厚 大号');
  });

  it('keeps the sparkline in the text printout, no SVG', () => {
    const r = runCli(['--db', db, '--now', BUYERS_NOW, 'summary', '--format', 'text']);
    expect(r.stdout).toContain('applied per day   06-02 ▁▁▁█▁▁▁▁▁▁▁▁▁█▁▁▁▁█▁█▁▁██▁█▁▁ 06-30  (7, max 1)');
    expect(r.stdout).not.toContain('<svg');
    const m = runCli(['--db', db, '--now', BUYERS_NOW, 'summary', '--format', 'markdown']);
    expect(m.stdout).not.toContain('<svg');
    expect(m.stdout).not.toMatch(/\n\n\n/);
  });
});
