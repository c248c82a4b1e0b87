// What a merchant-side refund reason says to look at, to prevent the next ones (总结经验教训): the
// description and photos, quality checks, packing, picking, shipping. Pure.
export const LOOK_AREAS = ['description', 'quality', 'packing', 'picking', 'delivery'] as const;
export type LookArea = (typeof LOOK_AREAS)[number];

const AREAS: [LookArea, RegExp][] = [
  ['description', /描述不符|与描述不一致|图片不符|色差|尺码不符/],
  ['quality', /质量|瑕疵|假货|假冒|非正品|过期|变质/],
  ['packing', /破损|损坏|压坏|碎/],
  ['picking', /漏发|少件|少发|缺件|发错|错发/],
  ['delivery', /未按约定时间发货|延迟发货|一直未送到|物流/],
];

/** The area a reason points at, or null (buyer-side and other reasons). */
export function lookAt(reason: string | null | undefined): LookArea | null {
  if (!reason) return null;
  const r = reason.normalize('NFKC');
  for (const [area, re] of AREAS) if (re.test(r)) return area;
  return null;
}

/** A product's refunds are "mostly merchant-side" above this share, from this many refunds. */
export const MOSTLY_MERCHANT_SHARE = 0.5;
export const ADVICE_MIN_REFUNDS = 2;
