// The decision tree (see ../decisionTree.ts): the shapes of its questions and outcomes.
import type { DecisionAction, RefundStatus } from '../types.js';
import type { BuyerMessageId } from '../buyerMessages.js';

export interface OutcomeNeeds {
  amount?: true;
  note?: true;
  evidence?: true;
}

export interface Outcome {
  kind: 'outcome';
  /** Stable id, e.g. "orange.approve". Escalations are "escalate:<proposed id>". */
  id: string;
  action: DecisionAction;
  titleKey: string;
  /** Steps to carry out in the seller backend (i18n keys; params from stepParams). */
  checklistKeys: string[];
  /** Template of the ready-to-paste Chinese message to the buyer (buyerMessages.ts). */
  buyerMessage?: BuyerMessageId;
  /** Platform state(s) expected once carried out; null when no change is expected. */
  expectedStatus: RefundStatus[] | null;
  /** What the agent must supply before the decision is recorded. */
  needs: OutcomeNeeds;
  /** Escalations: what the agent would have done, kept for the supervisor. */
  proposed?: Outcome;
  /** Escalations: i18n key of the note to record (params: action, amount, threshold). */
  noteKey?: string;
}

/** Named predicates on the case that hide an option when false. */
export type CaseCondition = 'refusable' | 'awaitingReturn' | 'sellerRefused' | 'buyerFlagged' | 'periodPassed';

export interface Option {
  value: string;
  labelKey: string;
  next: string | Outcome;
  showIf?: CaseCondition;
}

export interface Question {
  kind: 'question';
  id: string;
  textKey: string;
  /** Short reminders to show under the question. */
  hintKeys: string[];
  options: Option[];
}

export type Step = Question | Outcome;

export function isOutcome(step: Step): step is Outcome {
  return step.kind === 'outcome';
}
