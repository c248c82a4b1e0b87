// The guided decision of `refunds triage`, as data. Pure: no I/O, no terminal, no database.
//
// A case is classified into a branch (classifyCase); each branch has a root question. Questions
// are data (`TREE`): every option leads to another question (by id) or to an Outcome — the
// decision to record, the checklist to carry out in the seller backend, the Chinese message to
// paste to the buyer, and the platform state expected once it is carried out.
//
// Questions whose answer the case already holds (order shipped or not, the refund reason's bucket,
// the warehouse receipt, the goods status) are answered automatically and never shown. Every
// outcome returned by firstQuestion / nextStep / walk has passed through applyThreshold.
//
// The parts live in ./tree/, read in this order: case (what is decided), facts (read from the case,
// and its branch), shapes (questions and outcomes), data (the tree itself), walk, threshold (the
// supervisor's amount), describe (words for the screen). This file keeps the one import for callers.
export { CASE_BRANCHES, type CaseBranch, type CaseContext, type ReasonBucket } from './tree/case.js';
export { classifyCase, inDispute, isFinished, isPostageOnly, isSevenDayNoReason, reasonBucket, returnRequested, shippedState } from './tree/facts.js';
export { isOutcome, type CaseCondition, type Option, type Outcome, type OutcomeNeeds, type Question, type Step } from './tree/shapes.js';
export { OUTCOMES, QUESTION_IDS, TREE, type OutcomeId } from './tree/data.js';
export { autoAnswer, firstQuestion, nextStep, recommendedAnswer, walk, type PathEntry, type Walk } from './tree/walk.js';
export { GIVE_AWAY_ACTIONS, applyThreshold, needsSupervisor } from './tree/threshold.js';
export {
  CASE_HINT_KEYS,
  allOutcomes,
  caseHints,
  describeOutcome,
  formatYuan,
  stepParams,
  treeMessageKeys,
  type DescribedOutcome,
  type Hint,
  type Translate,
} from './tree/describe.js';
