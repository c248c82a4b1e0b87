// The decision tree (see ../decisionTree.ts): facts read from the case, and its branch.
import type { Refund } from '../types.js';
import { FINISHED_STATUSES } from '../types.js';
import type { CaseBranch, CaseContext, ReasonBucket } from './case.js';

const SEVEN_DAY_RE = /[七7７]\s*天\s*无\s*理\s*由/;
const POSTAGE_RE = /退\s*[运邮]\s*费|[运邮]\s*费\s*补\s*偿|补\s*[运邮]\s*费/;
const MERCHANT_RE =
  /破损|损坏|漏发|少件|少发|缺件|发错|错发|描述不符|与描述不一致|质量|瑕疵|假货|假冒|非正品|未按约定时间发货|延迟发货|一直未送到|空包|过期|变质/;
const BUYER_RE = /无理由|不想要|不要了|拍错|多拍|买错|不喜欢|效果不好|不合适|不需要|个人原因/;

/**
 * Buyer-side (七天无理由, 不想要, 拍错, 不喜欢…) vs merchant-side (破损, 漏发, 发错, 描述不符, 质量…)
 * reasons, from DOMAIN.md. A reason naming both counts as merchant-side (the benefit of the doubt
 * goes to the buyer). Postage requests and anything else are 'unknown'.
 */
export function reasonBucket(reason: string | null | undefined): ReasonBucket {
  if (!reason) return 'unknown';
  const r = reason.normalize('NFKC');
  if (POSTAGE_RE.test(r)) return 'unknown';
  if (MERCHANT_RE.test(r)) return 'merchant';
  if (BUYER_RE.test(r)) return 'buyer';
  return 'unknown';
}

/** 七天无理由退换货: the platform never lets the seller refuse it. */
export function isSevenDayNoReason(refund: Pick<Refund, 'reason'>): boolean {
  return refund.reason ? SEVEN_DAY_RE.test(refund.reason.normalize('NFKC')) : false;
}

/** The buyer asks only for postage (退运费 / 退邮费). */
export function isPostageOnly(refund: Pick<Refund, 'reason'>): boolean {
  return refund.reason ? POSTAGE_RE.test(refund.reason.normalize('NFKC')) : false;
}

export function isFinished(refund: Pick<Refund, 'status'>): boolean {
  return FINISHED_STATUSES.includes(refund.status);
}

export function inDispute(refund: Pick<Refund, 'disputeState'>): boolean {
  return refund.disputeState === 'requested' || refund.disputeState === 'in_progress';
}

const ORDER_UNSHIPPED = new Set(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_PAY', 'TRADE_NO_CREATE_PAY']);
const ORDER_SHIPPED = new Set([
  'WAIT_BUYER_CONFIRM_GOODS',
  'SELLER_CONSIGNED_PART',
  'TRADE_BUYER_SIGNED',
  'TRADE_FINISHED',
]);

/**
 * Whether the seller shipped: the order wins (its flag, then its state: 买家已付款，等待卖家发货 is
 * unshipped), then the refund row, then what the refund implies (goods received or returned, a
 * return under way). null when nothing says.
 */
export function shippedState(ctx: Pick<CaseContext, 'refund' | 'order'>): boolean | null {
  const o = ctx.order;
  if (o) {
    if (o.shipped !== null) return o.shipped;
    const st = o.status?.toUpperCase() ?? '';
    if (ORDER_UNSHIPPED.has(st)) return false;
    if (ORDER_SHIPPED.has(st)) return true;
    const text = o.statusText ?? '';
    if (/等待卖家发货|等待买家付款/.test(text)) return false;
    if (/卖家已发货|部分发货|交易成功|已签收/.test(text)) return true;
  }
  const r = ctx.refund;
  if (r.shipped !== null) return r.shipped;
  if (r.goodsStatus && /买家已收到货|买家已退货/.test(r.goodsStatus)) return true;
  if (r.status === 'WAIT_BUYER_RETURN_GOODS' || r.status === 'WAIT_SELLER_CONFIRM_GOODS') return true;
  return null;
}

/** Whether the buyer asks to send the goods back (退货退款, 换货). null when nothing says. */
export function returnRequested(ctx: Pick<CaseContext, 'refund'>): boolean | null {
  const r = ctx.refund;
  if (r.refundType === 'return_refund' || r.refundType === 'exchange') return true;
  if (r.refundType === 'refund_only') return false;
  if (r.returnRequired !== null) return r.returnRequired;
  if (r.goodsStatus) {
    if (/买家已退货/.test(r.goodsStatus)) return true;
    if (/买家未收到货/.test(r.goodsStatus)) return false;
  }
  return null;
}

export function goodsReceived(refund: Refund): 'received' | 'not-received' | null {
  const g = refund.goodsStatus ?? '';
  if (/买家已收到货/.test(g)) return 'received';
  if (/买家未收到货/.test(g)) return 'not-received';
  return null;
}

/** The branch of the tree for this case. */
export function classifyCase(ctx: CaseContext): CaseBranch {
  const r = ctx.refund;
  if (isFinished(r)) return 'finished';
  if (inDispute(r)) return 'dispute';
  if (isPostageOnly(r) && (r.status === 'WAIT_SELLER_AGREE' || r.status === 'SELLER_REFUSE_BUYER' || r.status === 'UNKNOWN')) {
    return 'postage-only';
  }
  switch (r.status) {
    case 'WAIT_SELLER_CONFIRM_GOODS':
      return 'orange';
    case 'WAIT_BUYER_RETURN_GOODS':
    case 'SELLER_REFUSE_BUYER':
      return 'waiting-buyer';
    case 'WAIT_SELLER_AGREE': {
      const shipped = shippedState(ctx);
      if (shipped === false) return 'unshipped-refund';
      if (shipped === null) return 'unknown-state';
      const ret = returnRequested(ctx);
      if (ret === null) return 'unknown-state';
      return ret ? 'return-refund' : 'shipped-refund-only';
    }
    default:
      return 'unknown-state';
  }
}
