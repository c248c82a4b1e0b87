// Money as people type it (the triage prompts and `decide --amount`): pure, exact, no floats.

/**
 * Yuan as people type it → integer cents, exactly (string arithmetic, no floats):
 * "59.90", "59.9", "59", "¥59.90", "￥1,299.00", "59.90元". Null when it is not a positive-or-zero
 * amount with at most two decimals (negative, "1e3", "59.999", "", "abc").
 */
export function parseYuanToCents(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  let s = text.normalize('NFKC').trim();
  s = s.replace(/^[¥￥]\s*/, '').replace(/\s*(元|rmb|cny)$/i, '').trim();
  // Thousands separators only in the right places: 1,299.00 yes, 12,99 no.
  if (/,/.test(s)) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > 13) return null; // beyond any refund; keeps the result a safe integer
  const frac = (m[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(frac);
}
