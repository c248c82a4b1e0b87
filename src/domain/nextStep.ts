// The one-line suggestion shown beside each refund in the sweep. The full guided decision lives in
// decisionTree.ts; this is the short form an agent reads in a glance.
import type { Deadline } from './deadlines.js';
import type { Urgency } from './urgency.js';
import type { Refund } from './types.js';
import type { ReceiptState, ReturnNextStep } from './returns.js';

export type { ReceiptState };

export type NextStep =
  | 'check-backend' // overdue: the platform may already have acted
  | 'decided-not-carried-out'
  | 'carry-out' // decided since the last import: the agent still has to do it in the seller backend
  | 'approve-unshipped' // cannot refuse before shipping
  | 'handle-request'
  | 'confirm-now' // orange, parcel received and fine
  | 'refuse-and-return' // orange, not our item / empty parcel
  | 'negotiate-partial' // orange, damaged by the buyer
  | 'check-waybill' // orange, not received yet
  | 'ask-waybill' // orange or awaiting return, buyer gave no waybill
  | 'remind-buyer'
  | 'prepare-evidence' // dispute under way
  | 'pay-postage'
  | 'check-unknown-state'
  | 'none';

const POSTAGE_RE = /退运费|退邮费|运费/;

export function nextStepFor(
  refund: Refund,
  deadline: Deadline,
  urgency: Urgency,
  extra: { receipt: ReturnNextStep | null; notCarriedOut: boolean; awaitingBackend?: boolean },
): NextStep {
  if (extra.notCarriedOut) return 'decided-not-carried-out';
  if (extra.awaitingBackend) return 'carry-out';
  if (refund.status === 'UNKNOWN') return 'check-unknown-state';
  if (refund.disputeState === 'in_progress' || refund.disputeState === 'requested') return 'prepare-evidence';
  if (urgency.section === 'overdue') return 'check-backend';
  switch (refund.status) {
    case 'WAIT_SELLER_AGREE':
      if (refund.reason && POSTAGE_RE.test(refund.reason)) return 'pay-postage';
      return refund.shipped === false ? 'approve-unshipped' : 'handle-request';
    case 'WAIT_SELLER_CONFIRM_GOODS':
      // The returns desk decides: confirm, refuse and return, negotiate, check or ask for the waybill.
      return extra.receipt ?? 'check-waybill';
    case 'WAIT_BUYER_RETURN_GOODS':
      return refund.returnWaybill ? 'none' : 'remind-buyer';
    case 'SELLER_REFUSE_BUYER':
      return 'prepare-evidence';
    default:
      return deadline.actor === 'seller' ? 'handle-request' : 'none';
  }
}
