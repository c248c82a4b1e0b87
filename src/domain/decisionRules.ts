// Platform rules every recorded decision must respect, shared by `refunds triage` and
// `refunds decide`. Pure: returns violations (code + i18n key + params), never throws or prints.
import type { DecisionAction } from './types.js';
import type { CaseContext } from './decisionTree.js';
import { formatYuan, isFinished, isSevenDayNoReason, needsSupervisor, shippedState } from './decisionTree.js';
import { codePointLength, REFUSAL_TEXT_MAX, REFUSAL_TEXT_MIN } from './buyerMessages.js';

export interface DecisionInput {
  action: DecisionAction;
  amountCents?: number | null;
  note?: string | null;
  evidence?: readonly string[] | null;
}

export const VIOLATION_CODES = [
  'refund-finished',
  'refuse-unshipped',
  'refuse-seven-day',
  'refuse-note-missing',
  'refuse-note-length',
  'refuse-evidence-missing',
  'refuse-image-required',
  'amount-invalid',
  'partial-amount-missing',
  'partial-amount-range',
  'approve-amount-mismatch',
  'return-unshipped',
  'mark-shipped-already-shipped',
  'threshold-needs-supervisor',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface Violation {
  code: ViolationCode;
  /** i18n key in the triage catalog: `triage.violation.<code>`. */
  messageKey: string;
  params: Record<string, string | number>;
}

/** What the rules read from the case (a CaseContext fits; `decide` need not build a full one). */
export type RuleContext = Pick<CaseContext, 'refund' | 'order' | 'platformIsTmall' | 'agent' | 'amountThresholdCents'>;

const IMAGE_RE = /\.(?:jpe?g|png|gif|webp)(?:[?#][^\s]*)?$/i;

/** An evidence item that names an image file or URL (.jpg .jpeg .png .gif .webp, query allowed). */
export function looksLikeImage(item: string): boolean {
  return IMAGE_RE.test(item.trim());
}

function violation(code: ViolationCode, params: Record<string, string | number> = {}): Violation {
  return { code, messageKey: `triage.violation.${code}`, params };
}

function validAmount(a: number): boolean {
  return Number.isSafeInteger(a) && a > 0;
}

/**
 * Checks a decision against the platform's rules and the shop's threshold. Empty = allowed.
 * - a finished refund (CLOSED, SUCCESS) takes no decision (only that violation is reported);
 * - refuse: not while the order is unshipped (no refuse button before shipping), not a 七天无理由
 *   request (a returned parcel that is wrong, empty or damaged may still be refused in the orange
 *   state), needs a note of 2–200 characters (code points, trimmed) and evidence; on Tmall one
 *   evidence item must be an image;
 * - partial: an amount > 0 and < the requested amount; approve/approve-return: the full amount;
 * - approve-return: not on an unshipped order; mark-shipped: only when not known shipped;
 * - a give-away above the threshold by a non-supervisor: escalate instead.
 */
export function validateDecision(input: DecisionInput, ctx: RuleContext): Violation[] {
  const { refund } = ctx;
  const { action } = input;
  if (isFinished(refund)) return [violation('refund-finished', { status: refund.status })];

  const out: Violation[] = [];
  const shipped = shippedState(ctx);
  const amount = input.amountCents ?? null;
  const amountOk = amount === null || validAmount(amount);
  if (!amountOk) out.push(violation('amount-invalid'));

  switch (action) {
    case 'refuse': {
      if (shipped === false) out.push(violation('refuse-unshipped'));
      if (isSevenDayNoReason(refund) && refund.status !== 'WAIT_SELLER_CONFIRM_GOODS') {
        out.push(violation('refuse-seven-day'));
      }
      const note = (input.note ?? '').trim();
      const length = codePointLength(note);
      const bounds = { min: REFUSAL_TEXT_MIN, max: REFUSAL_TEXT_MAX };
      if (length === 0) out.push(violation('refuse-note-missing', bounds));
      else if (length < REFUSAL_TEXT_MIN || length > REFUSAL_TEXT_MAX) {
        out.push(violation('refuse-note-length', { ...bounds, length }));
      }
      const evidence = (input.evidence ?? []).map((e) => e.trim()).filter((e) => e !== '');
      if (evidence.length === 0) out.push(violation('refuse-evidence-missing'));
      if (ctx.platformIsTmall && !evidence.some(looksLikeImage)) out.push(violation('refuse-image-required'));
      break;
    }
    case 'partial':
      if (amount === null) out.push(violation('partial-amount-missing'));
      else if (amountOk && amount >= refund.amountCents) {
        out.push(violation('partial-amount-range', { amount: formatYuan(amount), requested: formatYuan(refund.amountCents) }));
      }
      break;
    case 'approve':
    case 'approve-return':
      if (amount !== null && amountOk && amount !== refund.amountCents) {
        out.push(violation('approve-amount-mismatch', { amount: formatYuan(amount), requested: formatYuan(refund.amountCents) }));
      }
      if (action === 'approve-return' && shipped === false) out.push(violation('return-unshipped'));
      break;
    case 'mark-shipped':
      if (shipped === true) out.push(violation('mark-shipped-already-shipped'));
      break;
    default:
      break;
  }

  // The threshold: on the amount actually given away (a partial without amount is already flagged).
  const given = action === 'partial' ? amount : (amount ?? refund.amountCents);
  if (given !== null && amountOk && needsSupervisor(ctx, action, given)) {
    out.push(
      violation('threshold-needs-supervisor', {
        amount: formatYuan(given),
        threshold: formatYuan(ctx.amountThresholdCents ?? 0),
      }),
    );
  }
  return out;
}

/** i18n keys of every violation message (for catalog checks). */
export function violationMessageKeys(): string[] {
  return VIOLATION_CODES.map((c) => `triage.violation.${c}`);
}

// ---------------------------------------------------------------------------------------------
// Batch agree limits (the seller backend's 批量同意), as data for later use.

export interface BatchLimit {
  maxRefunds: number;
  maxTotalCents: number;
}

/** Taobao: 20 refunds / ¥6,000 per batch agree; Tmall: 30 / ¥10,000. */
export const BATCH_AGREE_LIMITS = {
  taobao: { maxRefunds: 20, maxTotalCents: 600_000 },
  tmall: { maxRefunds: 30, maxTotalCents: 1_000_000 },
} as const satisfies Record<string, BatchLimit>;

export function batchAgreeLimit(platformIsTmall: boolean): BatchLimit {
  return platformIsTmall ? BATCH_AGREE_LIMITS.tmall : BATCH_AGREE_LIMITS.taobao;
}

/**
 * Splits refunds to agree into batches within the limit, in the given order (greedy). A refund
 * whose amount alone exceeds the batch total cannot be batch-agreed and is returned in `single`.
 */
export function planAgreeBatches<T extends { amountCents: number }>(
  items: readonly T[],
  limit: BatchLimit,
): { batches: T[][]; single: T[] } {
  const batches: T[][] = [];
  const single: T[] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    if (item.amountCents > limit.maxTotalCents) {
      single.push(item);
      continue;
    }
    if (current.length >= limit.maxRefunds || total + item.amountCents > limit.maxTotalCents) {
      batches.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += item.amountCents;
  }
  if (current.length > 0) batches.push(current);
  return { batches, single };
}
