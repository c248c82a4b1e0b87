// Which import kind carries each platform's refunds: the one map that the store's SQL
// (store/common/sql.ts), the import profiles and the "last refund import" rule read.
import type { Platform } from './types.js';

/** The refund export kind of each built-in platform (the first is the default of kindToPlatform). */
export const REFUND_IMPORT_KIND = {
  taobao: 'taobao-refunds',
  douyin: 'douyin-aftersales',
  pdd: 'pdd-aftersales',
} as const satisfies Record<Platform, string>;

export type RefundImportKind = (typeof REFUND_IMPORT_KIND)[Platform];

/** The platforms in map order (taobao first: Taobao and Tmall share one export). */
export const PLATFORMS = Object.keys(REFUND_IMPORT_KIND) as Platform[];

/** The import kinds that carry refunds, in map order. */
export const REFUND_IMPORT_KINDS: readonly RefundImportKind[] = PLATFORMS.map((p) => REFUND_IMPORT_KIND[p]);

/** The platform whose refunds an import kind carries; null for kinds that carry no refunds (orders, warehouse). */
export function platformOfKind(kind: string): Platform | null {
  for (const p of PLATFORMS) if (REFUND_IMPORT_KIND[p] === kind) return p;
  return null;
}

export function isRefundImportKind(kind: string): kind is RefundImportKind {
  return platformOfKind(kind) !== null;
}
