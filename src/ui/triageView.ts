// What the triage session prints between prompts: the compact case card, the facts the data
// answered, the outcome (checklist + buyer message), violations and the closing summary.
// Buyer-written text only reaches the terminal through renderCase/forTerminal.
import type { CaseFile } from '../app/caseFile.js';
import type { QueueState } from '../app/triage/queue.js';
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
  type Translate,
} from '../domain/decisionTree.js';
import type { Violation } from '../domain/decisionRules.js';
import type { DecisionAction } from '../domain/types.js';
import type { ShopZone } from '../domain/time.js';
import { renderCase } from './caseView.js';
import { compactBuyerHistory } from './buyerHistoryView.js';
import { getLang, hasKey, t } from './i18n.js';
import { yuan, type Output } from './output.js';
import { forTerminal, forTerminalBlock } from './sanitize.js';
import { cutToWidth, padEnd, widthOf, wrapToWidth } from './width.js';
import { formatTimeLeft } from '../domain/urgency.js';

type Chalkish = Pick<Output, 'chalk'>;

export interface CardOptions {
  zone: ShopZone;
  nowMs: number;
  dueSoonMs: number;
  /** Position in this session (1-based) and how many more are waiting. */
  n: number;
  left: number;
  /** Terminal width: every line is cut to it at a word boundary. */
  width?: number;
  /** The case's translator (platform wording); default t. */
  tr?: Translate;
}

/** One block of the card: lines without a trailing newline. */
export type CardSection = string[];

const LABEL = 8;

/** A "label  value" line cut to the width (the value is cut, never the label). */
function fieldLine(io: Chalkish, label: string, value: string, width: number): string {
  const l = padEnd(label, LABEL);
  return `  ${io.chalk.dim(l)} ${cutToWidth(value, Math.max(10, width - widthOf(l) - 3))}`;
}

/**
 * The compact card's sections, most important first: title, state, money, deadline, the buyer's
 * words, order, return, case type with reminders. Each is a list of lines; callers may insert
 * their own sections (buyer history, flags) between them before rendering.
 */
export function cardSections(cf: CaseFile, ctx: CaseContext, io: Chalkish, o: CardOptions): CardSection[] {
  const c = io.chalk;
  const tr = o.tr ?? ((k: string, p?: Record<string, string | number>) => t(k, p));
  const width = o.width ?? 80;
  const r = cf.refund;
  const d = cf.deadline;
  const lang = getLang();
  const when = (iso: string | null): string => {
    if (!iso) return '—';
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? o.zone.short(ms) : iso;
  };
  const f = (k: string, v: string) => fieldLine(io, t(`card.${k}`), v, width);
  const sections: CardSection[] = [];
  const title = cutToWidth(`${t('show.title', { refundId: r.refundId, platform: t(`platform.${r.platform}`) })} · ${t('card.order', { orderId: r.orderId })}`, width);
  sections.push([c.dim(cutToWidth(t('session.caseRule', { n: o.n, left: o.left }), width)), c.bold(title)]);
  sections.push([f('state', `${t(`status.${r.status}`)} · ${forTerminal(r.statusText)}`)]);
  sections.push([
    f(
      'amount',
      [
        r.paidCents === null ? formatYuan(r.amountCents) : t('show.amountLine', { amount: formatYuan(r.amountCents), paid: yuan(r.paidCents) }),
        t(`show.type.${r.refundType}`),
        t(`card.shipped.${r.shipped}`),
      ].join(' · '),
    ),
  ]);
  if (d.at === null) sections.push([f('deadline', d.actor === 'none' ? t('show.noDeadline') : t('show.noDeadlineUnknown'))]);
  else {
    const left = formatTimeLeft(cf.urgency.secondsLeft, lang);
    // Where the deadline came from is in the details; one computed by rule is marked * (as in
    // the summary).
    const src = d.source === 'export' ? '' : '*';
    const atZero = d.atTimeout ? t('card.atZero', { what: t(`today.atTimeout.${d.atTimeout}`) }) : '';
    sections.push([f('deadline', `${o.zone.short(d.at)}${src} · ${left}${atZero}`)]);
  }
  const words = [forTerminal(r.reason) || '—', r.buyerNote ? `“${forTerminal(r.buyerNote)}”` : ''].filter(Boolean).join(' · ');
  sections.push([f('reason', words)]);
  if (cf.buyerHistory) {
    const buyer = compactBuyerHistory(cf.buyerHistory, io, width);
    if (buyer.length) sections.push(buyer);
  }
  if (!cf.order) sections.push([f('orderFacts', t('card.orderNotImported'))]);
  else {
    const od = cf.order;
    const ship = od.waybill ? `${forTerminal(od.carrier)} ${forTerminal(od.waybill)}`.trim() : '';
    sections.push([f('orderFacts', [forTerminal(od.statusText) || '—', t('card.paid', { amount: yuan(od.paidCents) }), ship].filter(Boolean).join(' · '))]);
  }
  if (r.returnWaybill || cf.receipt || cf.receipts.length) {
    const rec = cf.receipts.at(-1);
    const ret = r.returnWaybill ? `${forTerminal(r.returnWaybill)} ${forTerminal(r.returnCarrier)}`.trim() : '—';
    const wh = rec
      ? t('card.receipt', { receivedAt: when(rec.receivedAt), condition: t(`condition.${rec.condition}`) })
      : r.returnWaybill
        ? t('show.warehouseNone')
        : t('show.warehouseNoWaybill');
    sections.push([f('return', `${ret} · ${wh}`)]);
  }
  const kind = [c.bold(cutToWidth(t('session.branch', { branch: tr(`triage.branch.${classifyCase(ctx)}`) }), width))];
  const hints = caseHints(ctx, { tr, zone: o.zone, dueSoonMs: o.dueSoonMs });
  for (const h of hints) {
    // The card lists the flags by name just above: the reminder says only what they mean, so it
    // fits its line.
    const key = h.key === 'triage.hint.buyerFlags' && cf.buyerHistory?.flags.length ? 'card.hint.buyerFlags' : h.key;
    kind.push(`  ${c.yellow('!')} ${cutToWidth(tr(key, h.params), width - 4)}`);
  }
  sections.push(kind);
  return sections;
}

export function renderCard(cf: CaseFile, ctx: CaseContext, io: Output, o: CardOptions): string {
  return ['', ...cardSections(cf, ctx, io, o).flat()].join('\n');
}

/** The full card (`d`, `--full`): every number with its provenance, history, decisions, order;
 * long lines wrapped at word boundaries. */
export function renderDetails(cf: CaseFile, io: Output, o: { zone: ShopZone; nowMs: number; width: number; n?: number; left?: number }): string {
  const body = renderCase(cf, io, { zone: o.zone, nowMs: o.nowMs, mask: true });
  // Continuation lines start at the value column (17), or as deep as the line itself.
  const lines = body.split('\n').flatMap((l) => wrapToWidth(l, o.width, ' '.repeat(Math.max(17, /^ */.exec(l)![0].length))));
  const rule = o.n !== undefined ? [io.chalk.dim(t('session.caseRule', { n: o.n, left: o.left ?? 0 }))] : [io.chalk.dim(t('session.detailsRule'))];
  return ['', ...rule, ...lines].join('\n');
}

function shippedSource(ctx: CaseContext): 'order' | 'refund' {
  if (!ctx.order) return 'refund';
  const neutral = { ...ctx.refund, shipped: null, goodsStatus: null, status: 'WAIT_SELLER_AGREE' as const };
  return shippedState({ refund: neutral, order: ctx.order }) !== null ? 'order' : 'refund';
}

const source = (s: 'order' | 'refund' | 'warehouse'): string => t(`session.source.${s}`);

/** Facts the branch was classified from, one line each (e.g. "订单未发货（来自订单报表）"). */
export function factLines(ctx: CaseContext, tr: Translate = (k, p) => t(k, p)): string[] {
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
      out.push(tr('session.fact.dispute', { source: source('refund') }));
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
export function autoLines(ctx: CaseContext, entries: readonly PathEntry[], zone?: ShopZone, tr: Translate = (k, p) => t(k, p)): string[] {
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
      out.push(tr('triage.autoAnswered', { question: q ? tr(q.textKey, params) : e.questionId, answer: tr(`triage.opt.${e.questionId}.${e.answer}`, params) }));
    }
  }
  return out;
}

export function renderFacts(lines: readonly string[], io: Chalkish, width = 80): string {
  return lines.map((l) => `  ${io.chalk.green('✓')} ${cutToWidth(forTerminal(l), width - 4)}`).join('\n');
}

/** The question's reminders, except those the card already shows (`shown`: hint keys). */
export function renderQuestionHints(
  q: Question,
  ctx: CaseContext,
  zone: ShopZone,
  io: Chalkish,
  tr: Translate = (k, p) => t(k, p),
  width = 80,
  shown: ReadonlySet<string> = new Set(),
): string {
  const params = stepParams(ctx, zone);
  return q.hintKeys
    .filter((k) => !shown.has(k))
    .map((k) => `  ${io.chalk.dim(`· ${cutToWidth(tr(k, params), width - 4)}`)}`)
    .join('\n');
}

export interface OutcomeView {
  refundId: string;
  /** The case's platform: the checklist heading names its backend. */
  platform?: string;
  title: string;
  action: DecisionAction;
  amountCents: number | null;
  checklist: readonly string[];
  buyerMessage: string | null;
  note: string | null;
  evidence: readonly string[];
}

export function renderOutcome(v: OutcomeView, io: Chalkish, width = 80): string {
  const c = io.chalk;
  const wrap = (text: string, first: string, rest: string) =>
    wrapToWidth(text, width - widthOf(first), '').map((l, i) => `${i === 0 ? first : rest}${l}`);
  const lines = ['', ...wrap(t('session.outcomeFor', { refundId: v.refundId, title: forTerminal(v.title) }), '', '').map((l) => c.bold(l))];
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
  const heading = 'triage.heading.checklist';
  lines.push(c.bold(t(v.platform && hasKey(`${heading}@${v.platform}`) ? `${heading}@${v.platform}` : heading)));
  v.checklist.forEach((step, i) => lines.push(...wrap(forTerminal(step), `  ${i + 1}. `, '     ')));
  if (v.buyerMessage) {
    lines.push(c.bold(t('triage.heading.buyerMessage')));
    lines.push(...forTerminalBlock(v.buyerMessage).split('\n').flatMap((l) => wrap(l, '  ', '  ')).map((l) => c.cyan(l)));
  }
  return lines.join('\n');
}

/** Violations as the triage screen says them: the screen's words (no CLI flags) where the
 * catalog has them (`session.violation.<code>`), else decide's. */
export function renderViolations(violations: readonly Violation[], io: Chalkish, width = 1_000): string {
  const c = io.chalk;
  const text = (v: Violation) => {
    const screen = `session.violation.${v.code}`;
    return t(hasKey(screen) ? screen : v.messageKey, v.params);
  };
  const lines = violations.flatMap((v) => wrapToWidth(text(v), width - 4, '').map((l, i) => `  ${i === 0 ? c.red('✗') : ' '} ${l}`));
  return [c.red.bold(t('session.violations')), ...lines].join('\n');
}

export interface SessionStats {
  decided: number;
  skipped: number;
  snoozed: number;
}

export function renderSummary(stats: SessionStats, remaining: QueueState, io: Chalkish, width = 1_000): string {
  const c = io.chalk;
  const lines = ['', c.bold(t('session.summary', { decided: stats.decided, skipped: stats.skipped, snoozed: stats.snoozed }))];
  const left = remaining.items.length + remaining.snoozed + remaining.claimedByOthers + remaining.excluded;
  if (left === 0) lines.push(c.green(t('session.empty')));
  else {
    lines.push(
      ...wrapToWidth(
        t('session.left', {
          count: left,
          snoozed: remaining.snoozed,
          claimed: remaining.claimedByOthers,
          other: remaining.items.length + remaining.excluded,
        }),
        width,
      ),
    );
  }
  return lines.join('\n');
}
