// What the triage session prints between prompts: the compact case card, the facts the data
// answered, the outcome (checklist + buyer message), violations and the closing summary.
// Buyer-written text only reaches the terminal through renderCase/forTerminal.
import type { CaseFile } from '../app/caseFile.js';
import type { QueueState } from '../app/triageSession.js';
import {
  caseHints,
  classifyCase,
  formatYuan,
  returnRequested,
  shippedState,
  stepParams,
  TREE,
  type CaseContext,
  type PathEntry,
  type Question,
} from '../domain/decisionTree.js';
import type { Violation } from '../domain/decisionRules.js';
import type { DecisionAction } from '../domain/types.js';
import type { ShopZone } from '../domain/time.js';
import { renderCase } from './caseView.js';
import { hasKey, t } from './i18n.js';
import type { Output } from './output.js';
import { forTerminal, forTerminalBlock } from './sanitize.js';

type Chalkish = Pick<Output, 'chalk'>;

export interface CardOptions {
  zone: ShopZone;
  nowMs: number;
  dueSoonMs: number;
  /** Position in this session (1-based) and how many more are waiting. */
  n: number;
  left: number;
}

export function renderCard(cf: CaseFile, ctx: CaseContext, io: Output, o: CardOptions): string {
  const c = io.chalk;
  const lines: string[] = ['', c.dim(t('session.caseRule', { n: o.n, left: o.left }))];
  lines.push(renderCase(cf, io, { zone: o.zone, nowMs: o.nowMs, mask: true, compact: true }));
  lines.push('', c.bold(t('session.branch', { branch: t(`triage.branch.${classifyCase(ctx)}`) })));
  const hints = caseHints(ctx, { tr: (k, p) => t(k, p), zone: o.zone, dueSoonMs: o.dueSoonMs });
  if (hints.length) {
    lines.push(c.dim(t('triage.heading.hints')));
    for (const h of hints) lines.push(`  ${c.yellow('!')} ${t(h.key, h.params)}`);
  }
  return lines.join('\n');
}

function shippedSource(ctx: CaseContext): 'order' | 'refund' {
  if (!ctx.order) return 'refund';
  const neutral = { ...ctx.refund, shipped: null, goodsStatus: null, status: 'WAIT_SELLER_AGREE' as const };
  return shippedState({ refund: neutral, order: ctx.order }) !== null ? 'order' : 'refund';
}

const source = (s: 'order' | 'refund' | 'warehouse'): string => t(`session.source.${s}`);

/** Facts the branch was classified from, one line each (e.g. "订单未发货（来自订单报表）"). */
export function factLines(ctx: CaseContext): string[] {
  const branch = classifyCase(ctx);
  const out: string[] = [];
  const shipped = (yes: boolean) => out.push(t(`session.fact.shipped.${yes ? 'yes' : 'no'}`, { source: source(shippedSource(ctx)) }));
  const ret = () => {
    const r = returnRequested(ctx);
    if (r !== null) out.push(t(`session.fact.returnRequested.${r ? 'yes' : 'no'}`, { source: source('refund') }));
  };
  switch (branch) {
    case 'unshipped-refund':
      shipped(false);
      break;
    case 'shipped-refund-only':
    case 'return-refund':
      shipped(true);
      ret();
      break;
    case 'dispute':
      out.push(t('session.fact.dispute', { source: source('refund') }));
      break;
    case 'postage-only':
      out.push(t('session.fact.postage', { source: source('refund') }));
      break;
    default:
      break;
  }
  return out;
}

/** One line per question the data answered. */
export function autoLines(ctx: CaseContext, entries: readonly PathEntry[], zone?: ShopZone): string[] {
  const params = stepParams(ctx, zone);
  const out: string[] = [];
  for (const e of entries) {
    if (!e.auto) continue;
    if (e.questionId === 'unknown.shipped') {
      out.push(t(`session.fact.shipped.${e.answer === 'yes' ? 'yes' : 'no'}`, { source: source(shippedSource(ctx)) }));
      continue;
    }
    if (e.questionId === 'unknown.returnRequested') {
      out.push(t(`session.fact.returnRequested.${e.answer === 'yes' ? 'yes' : 'no'}`, { source: source('refund') }));
      continue;
    }
    const key = `session.auto.${e.questionId}.${e.answer}`;
    const src = e.questionId.startsWith('orange.') ? 'warehouse' : 'refund';
    if (hasKey(key)) {
      out.push(t(key, { reason: params.reason!, source: source(src) }));
    } else {
      const q = TREE[e.questionId];
      out.push(t('triage.autoAnswered', { question: q ? t(q.textKey, params) : e.questionId, answer: t(`triage.opt.${e.questionId}.${e.answer}`, params) }));
    }
  }
  return out;
}

export function renderFacts(lines: readonly string[], io: Chalkish): string {
  return '\n' + lines.map((l) => `  ${io.chalk.green('✓')} ${forTerminal(l)}`).join('\n');
}

export function renderQuestionHints(q: Question, ctx: CaseContext, zone: ShopZone, io: Chalkish): string {
  const params = stepParams(ctx, zone);
  return q.hintKeys.map((k) => `  ${io.chalk.dim(`· ${t(k, params)}`)}`).join('\n');
}

export interface OutcomeView {
  title: string;
  action: DecisionAction;
  amountCents: number | null;
  checklist: readonly string[];
  buyerMessage: string | null;
  note: string | null;
  evidence: readonly string[];
}

export function renderOutcome(v: OutcomeView, io: Chalkish): string {
  const c = io.chalk;
  const lines = ['', c.bold(t('session.outcome', { title: forTerminal(v.title) }))];
  lines.push(
    c.dim(
      t('session.decisionLine', {
        action: t(`triage.action.${v.action}`),
        amount: v.amountCents === null ? '' : ` · ${formatYuan(v.amountCents)}`,
      }),
    ),
  );
  if (v.note) lines.push(c.dim(`  ${forTerminal(v.note)}`));
  if (v.evidence.length) lines.push(c.dim(`  ${t('session.evidenceList', { items: v.evidence.map((e) => forTerminal(e)).join(' · ') })}`));
  lines.push('', c.bold(t('triage.heading.checklist')));
  v.checklist.forEach((step, i) => lines.push(`  ${i + 1}. ${forTerminal(step)}`));
  if (v.buyerMessage) {
    lines.push('', c.bold(t('triage.heading.buyerMessage')));
    lines.push(...forTerminalBlock(v.buyerMessage).split('\n').map((l) => `  ${c.cyan(l)}`));
  }
  return lines.join('\n');
}

export function renderViolations(violations: readonly Violation[], io: Chalkish): string {
  const c = io.chalk;
  return [c.red.bold(t('session.violations')), ...violations.map((v) => `  ${c.red('✗')} ${t(v.messageKey, v.params)}`)].join('\n');
}

export interface SessionStats {
  decided: number;
  skipped: number;
  snoozed: number;
}

export function renderSummary(stats: SessionStats, remaining: QueueState, io: Chalkish): string {
  const c = io.chalk;
  const lines = ['', c.bold(t('session.summary', { decided: stats.decided, skipped: stats.skipped, snoozed: stats.snoozed }))];
  const left = remaining.items.length + remaining.snoozed + remaining.claimedByOthers + remaining.excluded;
  if (left === 0) lines.push(c.green(t('session.empty')));
  else {
    lines.push(
      t('session.left', {
        count: left,
        snoozed: remaining.snoozed,
        claimed: remaining.claimedByOthers,
        other: remaining.items.length + remaining.excluded,
      }),
    );
  }
  return lines.join('\n');
}
