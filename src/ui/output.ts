// Text layout helpers for the views (CJK-aware width, money), plus everything from io.ts.

export * from './io.js';

export { widthOf, padEnd, padStart } from './width.js';

export function yuan(cents: number | null): string {
  if (cents === null) return '—';
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}
