// Text layout helpers for the views (CJK-aware width), plus everything from io.ts.
import stringWidth from 'string-width';

export * from './io.js';

/** Display width in terminal columns: CJK characters count two. */
export function widthOf(text: string): number {
  return stringWidth(text);
}

/** Pads to a display width (CJK-aware). */
export function padEnd(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}
export function padStart(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

export function yuan(cents: number | null): string {
  if (cents === null) return '—';
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}
