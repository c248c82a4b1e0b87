// The decision tree (see ../decisionTree.ts): the case it decides and the branches it sorts cases into.
import type { Decision, Order, Refund, WarehouseReceipt } from '../types.js';

export interface CaseContext {
  refund: Refund;
  order: Order | null;
  /** The warehouse registered the returned parcel. */
  receipt: WarehouseReceipt | null;
  /** Earlier decisions on this refund, oldest first. */
  decisions: Decision[];
  /** The platform's deadline for the current state, epoch ms. */
  deadlineAt: number | null;
  nowMs: number;
  platformIsTmall: boolean;
  agent: { name: string; isSupervisor: boolean };
  /** Above this amount, give-away decisions need a supervisor. */
  amountThresholdCents: number | null;
  /** The buyer's flags (domain/buyerFlags.ts): they add options, never take any away. */
  buyerFlags?: readonly { id: string; why: string }[];
}

export type CaseBranch =
  | 'unshipped-refund'
  | 'shipped-refund-only'
  | 'return-refund'
  | 'orange'
  | 'waiting-buyer'
  | 'dispute'
  | 'postage-only'
  | 'unknown-state'
  /** CLOSED or SUCCESS: nothing to decide (triage should not show it). */
  | 'finished';

export const CASE_BRANCHES: readonly CaseBranch[] = [
  'unshipped-refund',
  'shipped-refund-only',
  'return-refund',
  'orange',
  'waiting-buyer',
  'dispute',
  'postage-only',
  'unknown-state',
  'finished',
];

export type ReasonBucket = 'buyer' | 'merchant' | 'unknown';
