// Ready-to-paste messages to the buyer. Always Simplified Chinese (buyers are Chinese), whatever
// the agent's language; polite and short. Filled only from what the seller controls — amounts,
// the order's own waybill and carrier, the shop's return address, the agent's refusal reason —
// never from buyer-written text (nick, explanation, messages).
import type { CaseContext } from './decisionTree.js';

export const BUYER_MESSAGE_IDS = [
  'ask-waybill',
  'refusal',
  'postage-transfer',
  'return-address-buyer-pays',
  'return-address-seller-pays',
  'keep-sale',
  'shipping-with-consent',
  'shipped-not-marked',
  'in-transit',
  'reject-delivery',
  'lost-parcel',
  'check-delivery',
  'partial-offer',
  'ask-return-instead',
  'resend-offer',
  'wrong-item-returned',
  'damage-negotiate',
  'negotiate',
  'checking',
  'period-passed',
] as const;
export type BuyerMessageId = (typeof BUYER_MESSAGE_IDS)[number];

/** The platform's bounds for a refusal explanation, in characters (Unicode code points). */
export const REFUSAL_TEXT_MIN = 2;
export const REFUSAL_TEXT_MAX = 200;

export interface BuyerMessageExtra {
  /** Amount to name (partial offer, postage transfer); postage defaults to the requested amount. */
  amountCents?: number;
  /** The agent's refusal reason (the refusal note). */
  reason?: string;
  /** The shop's return address (config); without it the buyer is pointed to the refund page. */
  returnAddress?: string;
}

// C0/C1 controls, DEL, bidi overrides and isolates, zero-width and BOM characters.
// eslint-disable-next-line no-control-regex
const UNSAFE_RE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Count of Unicode code points (what "characters" means for the platform's limits). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Cuts to at most `max` code points, ending with … when cut. */
export function clampCodePoints(s: string, max: number): string {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  if (max <= 0) return '';
  return cps.slice(0, max - 1).join('') + '…';
}

/** One line of safe text: control and bidi characters dropped, whitespace collapsed, clamped. */
export function cleanInline(s: string, max = 200): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ').replace(UNSAFE_RE, '').replace(/\s+/g, ' ').trim();
  return clampCodePoints(flat, max);
}

function yuan(cents: number): string {
  const abs = Math.abs(Math.round(cents));
  return `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}

/** A waybill number is letters, digits and dashes; anything else is dropped. */
function safeWaybill(s: string | null | undefined): string {
  return (s ?? '').replace(/[^A-Za-z0-9-]/g, '').slice(0, 40);
}

function shipmentRef(ctx: Pick<CaseContext, 'order'>): string {
  const waybill = safeWaybill(ctx.order?.waybill);
  if (!waybill) return '';
  const carrier = cleanInline(ctx.order?.carrier ?? '', 20);
  return carrier ? `${carrier}，运单号${waybill}` : `运单号${waybill}`;
}

/** What the buyer sees the request and its page called on each platform (抖店 and 拼多多 speak of
 * 售后; Taobao/Tmall of 退款). Unknown platforms get Taobao's words. */
export interface PlatformWords {
  request: string;
  /** The request's page, in full (退款详情页) and as said in passing (退款页面). */
  page: string;
  requestPage: string;
}

export function platformWords(platform: string): PlatformWords {
  switch (platform) {
    case 'douyin':
    case 'pdd':
      return { request: '售后申请', page: '售后详情页', requestPage: '售后页面' };
    default:
      return { request: '退款申请', page: '退款详情页', requestPage: '退款页面' };
  }
}

function refusal(extra: BuyerMessageExtra, w: PlatformWords): string {
  const head = `亲，您好！很抱歉，本次${w.request}我们暂时无法同意，原因：`;
  const tail = '。相关凭证已上传，如有疑问请随时联系我们，我们会尽力为您解决。';
  const room = REFUSAL_TEXT_MAX - codePointLength(head) - codePointLength(tail);
  const raw = cleanInline(extra.reason ?? '', REFUSAL_TEXT_MAX).replace(/[。.!！]+$/u, '');
  const reason = raw ? clampCodePoints(raw, room) : '详见我们上传的凭证';
  return head + reason + tail;
}

function returnTo(extra: BuyerMessageExtra, w: PlatformWords): string {
  const address = cleanInline(extra.returnAddress ?? '', 120);
  return address ? `寄回以下地址：${address}` : `寄回${w.page}上显示的退货地址`;
}

/**
 * The message for a template, filled from the case. Every message is one paragraph of Chinese;
 * `refusal` always has 2–200 characters (the platform's bounds for a refusal explanation).
 */
export function renderBuyerMessage(
  id: BuyerMessageId,
  ctx: Pick<CaseContext, 'refund' | 'order'>,
  extra: BuyerMessageExtra = {},
): string {
  const w = platformWords(ctx.refund.platform);
  switch (id) {
    case 'ask-waybill':
      return `亲，您好！为了尽快为您办理退款，麻烦您把退货的快递单号和快递公司名称填写在${w.request}里（或直接发给我们），我们查到物流后会第一时间为您处理，谢谢！`;
    case 'refusal':
      return refusal(extra, w);
    case 'postage-transfer': {
      const amount = yuan(extra.amountCents ?? ctx.refund.amountCents);
      return `亲，您好！您申请的运费${amount}我们已经通过支付宝转账给您，请注意查收。收到后麻烦您在${w.requestPage}撤销这次${w.request}，谢谢您的理解和支持！`;
    }
    case 'return-address-buyer-pays':
      return `亲，您好！我们已经同意您的退货申请，请保持商品完好（配件、吊牌、包装齐全）${returnTo(extra, w)}。本次退货运费需要您承担，请不要寄到付件。寄出后请在${w.request}里填写快递单号和快递公司，我们收到后会尽快为您退款。`;
    case 'return-address-seller-pays':
      return `亲，您好！给您添麻烦了，非常抱歉！我们已经同意您的退货申请，请将商品${returnTo(extra, w)}。退货运费由我们承担：请您先垫付（请不要寄到付件），我们收到后会连同货款一起退还运费。寄出后请在${w.request}里填写快递单号和快递公司，谢谢！`;
    case 'keep-sale':
      return '亲，您好！看到您申请了退款，您的订单我们还没有发出。请问是有什么顾虑吗？如果您愿意继续购买，我们会在您同意后马上为您发货；如果确实不需要了，我们也会尽快为您办理退款。';
    case 'shipping-with-consent':
      return `亲，感谢您同意继续购买！我们马上为您发货，发货后原来的${w.request}会自动关闭，物流信息可以在订单里查看。有任何问题请随时联系我们！`;
    case 'shipped-not-marked': {
      const ref = shipmentRef(ctx);
      const parcel = ref ? `您的包裹其实已经寄出（${ref}），` : '您的包裹其实已经寄出，';
      return `亲，您好！${parcel}只是系统里还没有点发货，我们现在补上发货信息，原来的${w.request}会随之关闭。给您带来困扰很抱歉，有任何问题请随时联系我们！`;
    }
    case 'in-transit': {
      const ref = shipmentRef(ctx);
      const parcel = ref ? `您的包裹（${ref}）` : '您的包裹';
      return `亲，您好！${parcel}还在运输途中，我们已经联系快递拦截退回，包裹退回途中就为您办理退款。如果包裹送到了，也麻烦您直接拒收，谢谢配合！`;
    }
    case 'reject-delivery':
      return '亲，您好！我们已经同意您的退款。包裹目前还在路上，送到时麻烦您直接拒收，谢谢配合！';
    case 'lost-parcel':
      return '亲，非常抱歉，您的包裹在运输中出了问题，我们已经为您办理退款，给您带来不便深表歉意！';
    case 'check-delivery':
      return '亲，您好！物流显示您的包裹已经签收，麻烦您看一下快递柜、驿站、门卫或家人是否代收了。如果确实没有收到，请告诉我们，我们会和快递核实后尽快给您处理。';
    case 'partial-offer': {
      const offer = extra.amountCents !== undefined && extra.amountCents > 0
        ? `给您退${yuan(extra.amountCents)}作为补偿，商品不用退回，您看可以吗？如果同意，麻烦您把${w.request}修改为仅退款、金额${yuan(extra.amountCents)}，我们会马上同意。`
        : '商品不用退回，给您退一部分款项作为补偿，您看可以吗？金额我们可以再商量。';
      return `亲，您好！给您带来不好的体验非常抱歉。${offer}`;
    }
    case 'ask-return-instead':
      return `亲，您好！这件商品需要退回后才能为您办理退款。麻烦您把${w.request}修改为“退货退款”，我们同意后您就可以寄回了，谢谢！`;
    case 'resend-offer':
      return `亲，您好！给您添麻烦了，非常抱歉！我们可以马上为您补发或换发正确的商品，运费由我们承担。如果您同意，麻烦您撤销这次${w.request}，我们立即安排发出。`;
    case 'wrong-item-returned':
      return '亲，您好！我们收到了您寄回的包裹，但里面不是我们店铺发出的商品，已经拍照留存，包裹会原样寄还给您。麻烦您核对后寄回正确的商品，我们收到后会马上为您退款。';
    case 'damage-negotiate':
      return '亲，您好！我们收到了您退回的商品，但发现商品有损坏（已拍照留存），这种情况没办法全额退款。和您商量一下退部分款项可以吗？';
    case 'negotiate':
      return '亲，您好！关于您的退款，我们很希望和您商量一个满意的解决办法，请问您现在方便沟通一下吗？我们会尽力为您处理。';
    case 'checking':
      return `亲，您好！您的${w.request}我们已经收到，正在加急核实，会尽快给您答复，请您稍等，谢谢！`;
    case 'period-passed':
      return '亲，您好！感谢您一直以来的支持。这件商品您已经收到并使用了一段时间，已经超过了平台规定的退款期限，这次的退款申请我们没办法同意，还请您理解。如果商品使用中遇到问题，请随时告诉我们，我们会尽力帮您解决。';
  }
}
