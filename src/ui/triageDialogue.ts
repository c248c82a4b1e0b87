// The triage dialogue: one case after another, most urgent first (app/triage/session.ts), each
// with its compact card, the facts the data already answers, then only the questions that matter
// (domain/decisionTree.ts), ending in a recorded decision with its checklist and buyer message.
//
// The screen (80×24 is enough):
// - every question carries the case's one-line header (refund ID · amount · time left · buyer ·
//   platform), so the case never scrolls out of sight; the compact card fits with the first
//   question, and `d` shows the full card (history, rule provenance, earlier decisions, order);
// - one key answers: number keys pick an answer, letters act (s skip, z snooze, b back, q quit,
//   d details), Enter takes the highlighted answer — the one the tree recommends, or after `b`
//   the answer given before;
// - what the agent types is checked as it is typed: the amount against the maximum, the
//   refusal's 2–200 characters, evidence until the platform's rule is met (Tmall: a photo), a
//   snooze past the deadline needs a second key.
// Ctrl-C exits 130; every confirmed decision is committed the moment it is confirmed.
import type { Config } from '../config.js';
import type { CaseFile } from '../app/caseFile.js';
import type { SweepEnv } from '../app/sweep.js';
import type { TriageDesk } from '../app/triage/session.js';
import type { CaseContext, Outcome, Question, Translate } from '../domain/decisionTree.js';
import { parseYuanToCents } from '../domain/money.js';
import type { AppealPack } from './triageEvidence.js';
import type { KeyAction, Prompter } from './prompts.js';
import { yuan, type Output } from './output.js';
import { getLang, t } from './i18n.js';
import { caseTranslator } from './caseWording.js';
import { forTerminal } from './sanitize.js';
import { cutToWidth, wrapToWidth } from './width.js';
import { formatTimeLeft } from '../domain/urgency.js';

export interface SessionOptions {
  /** The agent's pass through the queue (app/triage/session.ts), opened by the cli. */
  desk: TriageDesk;
  env: SweepEnv;
  config: Config;
  /** Where cards and checklists go (chalk for colour; out writes a block, err a message). */
  io: Pick<Output, 'chalk' | 'out' | 'err'>;
  prompter: Prompter;
  /** Show the full card (history, rule provenance, order) instead of the compact one. */
  full?: boolean;
  /** Writes a flagged buyer's appeal pack (the `p` key). */
  appeal: AppealPack;
  /** Install a SIGINT listener that releases claims (the CLI; not tests). Default true. */
  handleSignals?: boolean;
}

type CaseEnd = 'decided' | 'skipped' | 'snoozed' | 'quit' | 'conflict';
type Act = 'x:skip' | 'x:snooze' | 'x:back' | 'x:quit' | 'x:details' | 'x:edit' | 'x:evidence';

/** The agent chose to quit while the database was busy. */
class QuitSession extends Error {}

const KEYS: Record<Act, string> = { 'x:skip': 's', 'x:snooze': 'z', 'x:back': 'b', 'x:quit': 'q', 'x:details': 'd', 'x:edit': 'e', 'x:evidence': 'p' };

/** The letter keys of a screen, in a fixed order. */
function actions(which: readonly Act[]): KeyAction<string>[] {
  const order: Act[] = ['x:edit', 'x:back', 'x:skip', 'x:snooze', 'x:details', 'x:evidence', 'x:quit'];
  return order.filter((a) => which.includes(a)).map((a) => ({ value: a, key: KEYS[a], label: t(`session.key.${a.slice(2)}`) }));
}

/** The one line above every question: refund ID · amount · time left · buyer · platform. */
export function caseHeader(cf: CaseFile, width: number): string {
  const r = cf.refund;
  const left = cf.deadline.at === null ? t('session.header.noDeadline') : formatTimeLeft(cf.urgency.secondsLeft, getLang());
  const parts = [r.refundId, yuan(r.amountCents), left, forTerminal(r.buyerNick) || '—', t(`platform.${r.platform}`)];
  return cutToWidth(`▌${parts.join(' · ')}`, width);
}

/** Runs a whole session; returns the exit code (0, or 130 after Ctrl-C). */
export async function runTriageSession(o: SessionOptions): Promise<number> {
  const [tree, view, { PromptExit }, { REFUSAL_TEXT_MAX, REFUSAL_TEXT_MIN }] = await Promise.all([
    import('../domain/decisionTree.js'),
    import('./triageView.js'),
    import('./prompts.js'),
    import('../domain/buyerMessages.js'),
  ]);
  const { desk, env, io, prompter } = o;
  const zone = env.zone;
  const c = io.chalk;
  const trFor = (ctx: CaseContext): Translate =>
    caseTranslator({ platform: ctx.refund.platform, overdue: ctx.deadlineAt !== null && ctx.deadlineAt <= ctx.nowMs });
  const denv = { sweep: env, config: o.config, tr: (k: string, p?: Record<string, string | number>) => t(k, p), trFor };
  const stats = { decided: 0, skipped: 0, snoozed: 0 };
  const passed = new Set<string>();
  const onSigint = () => void desk.release();
  if (o.handleSignals !== false) process.prependListener('SIGINT', onSigint);
  const help = t('session.keysHelp');
  const esc = t('session.key.esc');
  /** A message wrapped at word boundaries to the terminal, each line painted. */
  const say = (text: string, paint: (s: string) => string = (x) => x): void =>
    io.out(text.split('\n').flatMap((l) => wrapToWidth(l, prompter.width(), '  ')).map((l) => paint(l)).join('\n'));

  /** Runs a write; while another process holds the database (a long import), says so and lets the
   * agent try again or quit. */
  const whenFree = async <T>(write: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await write();
      } catch (e) {
        if (!desk.isBusy(e)) throw e;
        say(t('session.busy'), c.red);
        const pick = await prompter.choose<string>({
          message: t('session.prompt.whatNow'),
          choices: [{ value: 'again', label: t('session.choice.again') }],
          actions: actions(['x:quit']),
          help,
        });
        if (pick === 'x:quit') throw new QuitSession();
      }
    }
  };

  const details = (cf: CaseFile): void => {
    io.out(view.renderDetails(cf, io as Output, { zone, nowMs: env.nowMs, width: prompter.width() }));
  };

  /** Asks until when; a time past the deadline warns with what the platform does then and needs
   * a second key. False: the agent changed their mind (back to the case). */
  const snooze = async (cf: CaseFile, header: string[]): Promise<boolean> => {
    for (;;) {
      const text = await prompter.ask({
        header,
        cancel: esc,
        message: t('session.prompt.snooze'),
        hint: t('session.hint.snooze'),
        validate: (v) => (v.trim() === '' || desk.snoozeUntil(v) !== null ? true : t('session.badSnooze')),
      });
      if (text === null || text.trim() === '') return false;
      const until = desk.snoozeUntil(text)!;
      const due = cf.deadline.at;
      if (due !== null && until > due) {
        const atZero = cf.deadline.atTimeout ? t(`today.atTimeout.${cf.deadline.atTimeout}`) : t('session.atZero.unknown');
        const warn =
          due <= env.nowMs
            ? t('session.snoozeOverdue', { deadline: zone.short(due), atZero, until: zone.short(until) })
            : t('session.snoozePastDeadline', { deadline: zone.short(due), atZero, until: zone.short(until) });
        say(warn, c.yellow.bold);
        const pick = await prompter.choose<string>({
          header,
          message: t('session.prompt.snoozeAnyway', { until: zone.short(until) }),
          choices: [{ value: 'again', label: t('session.choice.otherTime') }],
          actions: [
            { value: 'yes', key: 'y', label: t('session.key.snoozeAnyway') },
            { value: 'cancel', key: 'n', label: t('session.key.cancelSnooze') },
          ],
          help,
        });
        if (pick === 'again') continue;
        if (pick === 'cancel') return false;
      }
      await whenFree(() => desk.snooze(cf.refund.refundId, until));
      say(t('session.snoozed', { until: zone.short(until) }), c.dim);
      return true;
    }
  };

  /** Asks what an outcome needs, each value checked as it is typed; returns the values typed. */
  const askNeeds = async (
    cf: CaseFile,
    ctx: CaseContext,
    outcome: Outcome,
    header: string[],
    prev: { amountText: string; note: string },
  ): Promise<{ amountCents: number | null; amountText: string; note: string | null; evidence: string[] } | null> => {
    let amountCents: number | null = null;
    let amountText = prev.amountText;
    let note: string | null = null;
    const evidence: string[] = [];
    const requested = cf.refund.amountCents;
    const partial = outcome.action === 'partial';
    if (outcome.needs.amount) {
      const max = tree.formatYuan(requested);
      const typed = await prompter.ask({
        header,
        message: t('triage.prompt.amount'),
        cancel: esc,
        hint: partial ? t('session.hint.amountPartial', { max }) : t('session.hint.amountMax', { max }),
        ...(prev.amountText ? { default: prev.amountText } : {}),
        validate: (v) => {
          const cents = parseYuanToCents(v);
          const problem = desk.amountProblem(cf, outcome.action, cents);
          if (problem === 'not-an-amount') return t('session.badAmount');
          if (problem === 'partial-not-below') return t('session.amountTooHighPartial', { amount: tree.formatYuan(cents!), max });
          if (problem === 'above-requested') return t('session.amountTooHigh', { amount: tree.formatYuan(cents!), max });
          return true;
        },
      });
      if (typed === null) return null;
      amountText = typed;
      amountCents = parseYuanToCents(amountText);
    }
    const refusing = outcome.action === 'refuse';
    if (outcome.needs.note) {
      const bounds = { min: REFUSAL_TEXT_MIN, max: REFUSAL_TEXT_MAX };
      note = await prompter.ask({
        header,
        cancel: esc,
        message: refusing ? t('session.prompt.refusalNote') : t('session.prompt.note'),
        hint: refusing ? t('session.hint.refusalNote', bounds) : t('session.hint.note', bounds),
        ...(prev.note ? { default: prev.note } : {}),
        validate: (v) => {
          const { length, problem } = desk.noteProblem(refusing, v);
          if (problem === 'refusal-length') return t('session.badRefusalNote', { ...bounds, length });
          if (problem === 'too-long') return t('session.badNote', { ...bounds, length });
          return true;
        },
      });
      if (note === null) return null;
    }
    if (outcome.needs.evidence) {
      const tmall = refusing && ctx.platformIsTmall;
      say(t(refusing ? (tmall ? 'session.evidenceRule.tmall' : 'session.evidenceRule.refuse') : 'session.evidenceRule.optional'), c.dim);
      for (let n = 1; n < 100; n++) {
        const answer = await prompter.ask({
            header,
            cancel: esc,
            message: t('session.prompt.evidenceItem', { n }),
            hint: t(n === 1 && refusing ? 'session.hint.evidenceFirst' : 'session.hint.evidenceMore'),
            validate: (v) => {
              if (v.trim() !== '') return true;
              const problem = desk.evidenceProblem(refusing, tmall, evidence);
              if (problem === 'needed') return t('session.evidenceNeeded');
              if (problem === 'photo-needed') return t('session.evidencePhotoNeeded');
              return true;
            },
          });
        if (answer === null) return null;
        const item = answer.trim();
        if (item === '') break;
        evidence.push(item);
      }
    }
    return { amountCents, amountText, note, evidence };
  };

  /** From an outcome to a recorded decision. 'back' = return to the last question. */
  const finish = async (cf: CaseFile, ctx: CaseContext, reached: Outcome, canBack: boolean, header: string[]): Promise<CaseEnd | 'back'> => {
    const tr = trFor(ctx);
    const params = tree.stepParams(ctx, zone);
    // A partial escalated on the requested amount: ask the agreed amount, then apply the threshold
    // to it (decisionTree.applyThreshold's advice).
    const working = reached.proposed && reached.proposed.action === 'partial' ? reached.proposed : reached;
    const hasNeeds = Boolean(working.needs.amount || working.needs.note || working.needs.evidence);
    /** The data chose this outcome without asking: the agent may step out before typing. */
    const stepOut = async (): Promise<CaseEnd | 'go'> => {
      for (;;) {
        const pick = await prompter.choose<string>({
          header,
          message: t('session.prompt.details'),
          choices: [{ value: 'go', label: t('session.choice.details') }],
          actions: actions(['x:skip', 'x:snooze', 'x:details', 'x:quit']),
          help,
        });
        if (pick === 'x:details') {
          details(cf);
          continue;
        }
        if (pick === 'x:skip') return 'skipped';
        if (pick === 'x:quit') return 'quit';
        if (pick === 'x:snooze') {
          if (await snooze(cf, header)) return 'snoozed';
          continue;
        }
        return 'go';
      }
    };
    if (hasNeeds) {
      say(`\n${t('session.outcome', { title: tr(working.titleKey, params) })}`, c.bold);
      if (!canBack) {
        const end = await stepOut();
        if (end !== 'go') return end;
      }
    }
    let prev = { amountText: '', note: '' };
    for (;;) {
      const typed = await askNeeds(cf, ctx, working, header, prev);
      if (typed === null) {
        // Esc in a text prompt: back to the question (or, when the data decided, to stepping out).
        if (canBack) return 'back';
        const end = await stepOut();
        if (end !== 'go') return end;
        continue;
      }
      prev = { amountText: typed.amountText, note: typed.note ?? '' };
      await desk.touch(cf.refund.refundId);
      const { final, req, escalated } = desk.decisionFor(cf, ctx, working, typed, denv.tr);
      if (escalated) {
        say(
          t('session.escalated', {
            amount: tree.formatYuan(typed.amountCents!),
            threshold: ctx.amountThresholdCents === null ? '—' : tree.formatYuan(ctx.amountThresholdCents),
          }),
          c.yellow,
        );
      }
      const p = desk.prepare(cf, denv, req);
      if (p.violations.length > 0) {
        io.out(view.renderViolations(p.violations, io, prompter.width()));
        const pick = await prompter.choose<string>({
          header,
          message: t('session.prompt.whatNow'),
          // Nothing to retype and nowhere to go back to: skipping is the answer Enter takes.
          choices:
            hasNeeds || canBack
              ? [
                  ...(hasNeeds ? [{ value: 'x:edit', label: t('session.choice.retry') }] : []),
                  ...(canBack ? [{ value: 'x:back', label: t('session.choice.other') }] : []),
                ]
              : [{ value: 'x:skip', label: t('session.choice.skip') }],
          actions: actions(['x:skip', 'x:snooze', 'x:quit']),
          help,
        });
        if (pick === 'x:edit') continue;
        if (pick === 'x:back') return 'back';
        if (pick === 'x:snooze') {
          if (await snooze(cf, header)) return 'snoozed';
          continue;
        }
        return pick === 'x:skip' ? 'skipped' : 'quit';
      }
      const showOutcome = () =>
        io.out(
          view.renderOutcome(
            {
              refundId: cf.refund.refundId,
              platform: cf.refund.platform,
              title: p.title,
              action: final.action,
              amountCents: p.amountCents,
              checklist: p.checklist,
              buyerMessage: p.buyerMessage,
              note: p.note,
              evidence: p.evidence,
            },
            io,
            prompter.width(),
          ),
        );
      showOutcome();
      let res: Awaited<ReturnType<typeof desk.commit>> | null = null;
      let again = false;
      while (!res) {
        const pick = await prompter.choose<string>({
          header,
          message: t('session.prompt.confirm', { refundId: cf.refund.refundId }),
          choices: [{ value: 'record', label: t('session.choice.record') }],
          actions: actions([...(hasNeeds ? (['x:edit'] as const) : []), ...(canBack ? (['x:back'] as const) : []), 'x:skip', 'x:snooze', 'x:details', 'x:quit']),
          help,
        });
        if (pick === 'x:back') return 'back';
        if (pick === 'x:skip') return 'skipped';
        if (pick === 'x:quit') return 'quit';
        if (pick === 'x:edit') {
          again = true;
          break;
        }
        if (pick === 'x:details') {
          // The full case, then the decision again: what is confirmed stays right above the prompt.
          details(cf);
          showOutcome();
          continue;
        }
        if (pick === 'x:snooze') {
          if (await snooze(cf, header)) return 'snoozed';
          continue;
        }
        try {
          res = await desk.commit(cf, denv, req);
        } catch (e) {
          // Another process holds the write lock longer than busy_timeout (a big import):
          // nothing was written; the agent may confirm again.
          if (!desk.isBusy(e)) throw e;
          say(t('session.busy'), c.red);
        }
      }
      if (again || !res) continue;
      if (!res.ok) {
        say(
          res.reason === 'decided'
            ? t('session.conflict.decided', { agent: res.by, at: zone.short(Date.parse(res.at)) })
            : t('session.conflict.claimed'),
          c.red,
        );
        return 'conflict';
      }
      if (!res.value.ok) {
        // Validated above against the same case file; only a race could get here.
        io.out(view.renderViolations(res.value.violations, io, prompter.width()));
        return 'skipped';
      }
      say(t('session.recorded', { action: t(`triage.action.${final.action}`), refundId: cf.refund.refundId }), c.green);
      return 'decided';
    }
  };

  const triageCase = async (cf: CaseFile, n: number, left: number): Promise<CaseEnd> => {
    const ctx = desk.context(cf, o.config);
    const tr = trFor(ctx);
    const width = prompter.width();
    io.out(
      o.full
        ? view.renderDetails(cf, io as Output, { zone, nowMs: env.nowMs, width, n, left })
        : view.renderCard(cf, ctx, io as Output, { zone, nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, n, left, width, tr }),
    );
    const header = [caseHeader(cf, width)];
    const onCard = new Set(tree.caseHints(ctx, { zone, dueSoonMs: env.dueSoonMs }).map((h) => h.key));
    const facts = view.factLines(ctx, tr);
    const answers: string[] = [];
    let cursor: string | undefined;
    let first = true;
    let reprint = true;
    for (;;) {
      const w = tree.walk(ctx, answers);
      if (reprint) {
        // Auto-answered questions since the agent's last answer (all of them on the first step).
        const lastManual = w.path.map((e) => e.auto).lastIndexOf(false);
        const auto = view.autoLines(ctx, w.path.slice(lastManual + 1), zone, tr);
        const lines = first ? [...facts, ...auto.filter((l) => !facts.includes(l))] : auto;
        if (lines.length) io.out(view.renderFacts(lines, io, width));
      }
      first = false;
      reprint = true;
      if (tree.isOutcome(w.step)) {
        const end = await finish(cf, ctx, w.step, answers.length > 0, header);
        if (end === 'back') {
          cursor = answers.pop();
          continue;
        }
        return end;
      }
      const q: Question = w.step;
      const params = tree.stepParams(ctx, zone);
      const hints = view.renderQuestionHints(q, ctx, zone, io, tr, width, onCard);
      if (hints) io.out(hints);
      const recommended = cursor ?? tree.recommendedAnswer(ctx, q.id);
      cursor = undefined;
      const pick = await prompter.choose<string>({
        header,
        message: tr(q.textKey, params),
        choices: q.options.map((opt) => ({ value: `a:${opt.value}`, label: tr(opt.labelKey, params) })),
        actions: actions([
          ...(answers.length > 0 ? (['x:back'] as const) : []),
          'x:skip',
          'x:snooze',
          'x:details',
          // A flagged buyer's case may need the appeal pack (申诉材料): one key away.
          ...(cf.buyerHistory?.flags.length ? (['x:evidence'] as const) : []),
          'x:quit',
        ]),
        ...(recommended !== undefined ? { default: `a:${recommended}` } : {}),
        help,
      });
      await desk.touch(cf.refund.refundId);
      if (pick === 'x:evidence') {
        await (await import('./triageEvidence.js')).evidenceFromTriage(o.appeal, cf, prompter, io, { header, cancel: esc });
        reprint = false;
        continue;
      }
      if (pick === 'x:skip') return 'skipped';
      if (pick === 'x:quit') return 'quit';
      if (pick === 'x:back') {
        cursor = answers.pop();
        continue;
      }
      if (pick === 'x:details') {
        details(cf);
        reprint = false;
        continue;
      }
      if (pick === 'x:snooze') {
        if (await snooze(cf, header)) return 'snoozed';
        reprint = false;
        continue;
      }
      answers.push(pick.slice(2));
    }
  };

  try {
    const start = await desk.queue();
    say(t('session.header', { agent: desk.agent, count: start.items.length, now: zone.short(env.nowMs) }), c.bold);
    let n = 0;
    for (;;) {
      const cf = await whenFree(() => desk.next(passed));
      if (!cf) break;
      n++;
      const left = await desk.remaining(new Set([...passed, cf.refund.refundId]));
      const end = await triageCase(cf, n, left);
      passed.add(cf.refund.refundId);
      if (end === 'decided') stats.decided++;
      else if (end === 'snoozed') stats.snoozed++;
      else if (end === 'skipped' || end === 'conflict') {
        stats.skipped++;
        if (end === 'skipped') io.out(c.dim(t('session.skipped')));
      } else break; // quit
    }
    await desk.release();
    io.out(view.renderSummary(stats, await desk.queue(), io, prompter.width()));
    return 0;
  } catch (e) {
    if (e instanceof QuitSession) {
      await desk.release();
      io.out(view.renderSummary(stats, await desk.queue(), io, prompter.width()));
      return 0;
    }
    if (e instanceof PromptExit) {
      await desk.release();
      io.out(view.renderSummary(stats, await desk.queue(), io, prompter.width()));
      io.err(`\n${t('interrupted')}`);
      return 130;
    }
    throw e;
  } finally {
    await desk.release();
    if (o.handleSignals !== false) process.removeListener('SIGINT', onSigint);
  }
}
