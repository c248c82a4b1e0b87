// Inline SVG charts for the HTML printouts (`summary --format html`, the appeal pack): refunds per
// day against the previous window, and ranked bars (top reasons, top products). Self-contained
// markup (no scripts, no external fonts or images), well-formed XML (a test parses it with a
// strict XML parser), every text escaped and stripped of characters XML cannot carry.
import { widthOf } from './output.js';

/** Text for XML content and attributes: no C0 controls (tab and newline aside), no lone surrogates, escaped. */
export function xmlText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

const FONT = 'font-family="sans-serif" font-size="10"';
const INK = '#000';
const BAR = '#555';
const PREV = '#999';

/** Cuts a label to `max` display columns, marking the cut with "…". */
function clipLabel(s: string, max: number): string {
  if (widthOf(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (widthOf(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

const num = (n: number) => String(Math.round(n * 10) / 10);

export interface DailySeries {
  title: string;
  /** One label per day (e.g. "06-02"), in order. */
  days: string[];
  current: number[];
  /** The same number of days just before, aligned day by day (may be shorter). */
  previous: number[];
  legend: { current: string; previous: string };
}

/** Bars for the window's days, a line for the previous window's. */
export function dailyChartSvg(s: DailySeries): string {
  const width = 690;
  const height = 140;
  const left = 30;
  const right = 8;
  const top = 20;
  const bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, s.days.length);
  const max = Math.max(1, ...s.current, ...s.previous);
  const step = plotW / n;
  const barW = Math.max(1, step * 0.7);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<title>${xmlText(s.title)}</title>`,
    `<text x="0" y="12" font-weight="bold">${xmlText(s.title)}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="${INK}" stroke-width="1"/>`,
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end">0</text>`,
  ];
  s.current.forEach((v, i) => {
    if (v <= 0) return;
    const h = (v / max) * plotH;
    out.push(`<rect x="${num(left + i * step + (step - barW) / 2)}" y="${num(top + plotH - h)}" width="${num(barW)}" height="${num(h)}" fill="${BAR}"><title>${xmlText(`${s.days[i] ?? ''}: ${v}`)}</title></rect>`);
  });
  if (s.previous.length) {
    const pts = s.previous.slice(0, n).map((v, i) => `${num(left + i * step + step / 2)},${num(y(v))}`);
    out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${PREV}" stroke-width="1.5" stroke-dasharray="4 2"/>`);
  }
  // Day labels: first, last, and about every seventh.
  const every = Math.max(1, Math.ceil(n / 8));
  s.days.forEach((d, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    out.push(`<text x="${num(left + i * step + step / 2)}" y="${top + plotH + 13}" text-anchor="middle">${xmlText(d)}</text>`);
  });
  const ly = height - 4;
  out.push(`<rect x="${left}" y="${ly - 8}" width="10" height="8" fill="${BAR}"/>`);
  out.push(`<text x="${left + 14}" y="${ly}">${xmlText(s.legend.current)}</text>`);
  const lx = left + 24 + widthOf(s.legend.current) * 6.5;
  out.push(`<line x1="${num(lx)}" y1="${ly - 4}" x2="${num(lx + 14)}" y2="${ly - 4}" stroke="${PREV}" stroke-width="1.5" stroke-dasharray="4 2"/>`);
  out.push(`<text x="${num(lx + 18)}" y="${ly}">${xmlText(s.legend.previous)}</text>`);
  out.push('</svg>');
  return out.join('');
}

export interface RankedBar {
  label: string;
  value: number;
  /** Shown after the value (e.g. an amount). */
  note?: string;
}

/** Horizontal bars, one per item, longest first as given. */
export function barChartSvg(title: string, items: RankedBar[], o: { width?: number; labelCols?: number } = {}): string {
  const width = o.width ?? 340;
  const row = 15;
  const top = 20;
  const labelCols = o.labelCols ?? 18;
  const labelW = labelCols * 6 + 8;
  const barMax = Math.max(20, width - labelW - 90);
  const height = top + Math.max(1, items.length) * row + 6;
  const max = Math.max(1, ...items.map((i) => i.value));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<title>${xmlText(title)}</title>`,
    `<text x="0" y="12" font-weight="bold">${xmlText(title)}</text>`,
  ];
  items.forEach((it, i) => {
    const yTop = top + i * row;
    const w = Math.max(1, (it.value / max) * barMax);
    out.push(`<text x="${num(labelW - 6)}" y="${yTop + 11}" text-anchor="end">${xmlText(clipLabel(it.label, labelCols))}</text>`);
    out.push(`<rect x="${num(labelW)}" y="${yTop + 3}" width="${num(w)}" height="${row - 5}" fill="${BAR}"/>`);
    out.push(`<text x="${num(labelW + w + 4)}" y="${yTop + 11}">${xmlText(it.note ? `${it.value} · ${it.note}` : String(it.value))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
