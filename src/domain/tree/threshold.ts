// The decision tree (see ../decisionTree.ts): above the shop's amount threshold a give-away outcome
// goes to a supervisor.
import type { DecisionAction } from '../types.js';
import type { CaseContext } from './case.js';
import type { Outcome } from './shapes.js';

export const GIVE_AWAY_ACTIONS: readonly DecisionAction[] = ['approve', 'approve-return', 'partial', 'refund-postage'];

/** True when `amountCents` is above the shop's threshold and the agent is not a supervisor. */
export function needsSupervisor(
  ctx: Pick<CaseContext, 'agent' | 'amountThresholdCents'>,
  action: DecisionAction,
  amountCents: number,
): boolean {
  return (
    GIVE_AWAY_ACTIONS.includes(action) &&
    ctx.amountThresholdCents !== null &&
    amountCents > ctx.amountThresholdCents &&
    !ctx.agent.isSupervisor
  );
}

/**
 * Above ctx.amountThresholdCents a give-away outcome (approve, approve-return, partial,
 * refund-postage) becomes `escalate`, keeping the proposal, unless the agent is a supervisor.
 * `amountCents` defaults to the requested refund amount (an upper bound for partial). Idempotent.
 */
export function applyThreshold(outcome: Outcome, ctx: CaseContext, amountCents: number = ctx.refund.amountCents): Outcome {
  if (!needsSupervisor(ctx, outcome.action, amountCents)) return outcome;
  return {
    kind: 'outcome',
    id: `escalate:${outcome.id}`,
    action: 'escalate',
    titleKey: ESCALATE.titleKey,
    checklistKeys: [...ESCALATE.checklistKeys],
    buyerMessage: 'checking',
    expectedStatus: null,
    needs: {},
    proposed: outcome,
    noteKey: ESCALATE.noteKey,
  };
}

export const ESCALATE = {
  titleKey: 'triage.outcome.escalate',
  checklistKeys: ['triage.check.escalate.tellSupervisor', 'triage.check.escalate.beforeDeadline'],
  noteKey: 'triage.escalate.note',
} as const;
