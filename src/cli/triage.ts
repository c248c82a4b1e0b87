// `refunds triage`: the guided morning session. Cases come most urgent first (app/triageSession.ts);
// each shows its compact card, the facts the data already answers, then only the questions that
// matter (domain/decisionTree.ts), and ends in a recorded decision with its checklist and buyer
// message. Skip, snooze, back and quit are offered at every question. Ctrl-C exits 130; every
// confirmed decision is committed the moment it is confirmed.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { nodeCrypto } from '../lib/cjs.js';
import type { Config } from '../config.js';
import type { CaseFile } from '../app/caseFile.js';
import type { SweepEnv } from '../app/sweep.js';
import type { Store } from '../store/store.js';
import type { CaseContext, Outcome, Question } from '../domain/decisionTree.js';
import type { Platform } from '../domain/types.js';
import type { Prompter } from '../ui/prompts.js';
import type { Output } from '../ui/output.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

interface TriageFlags {
  agent?: string;
  platform?: string;
  all?: boolean;
}

export function registerTriage(program: Command, ctx: () => Context): void {
  program
    .command('triage')
    .description('guided decisions, most urgent case first: questions, checklist, buyer message, recorded decision')
    .option('--agent <name>', 'who decides (default: config "agent", else the OS user)')
    .option('--platform <name>', 'only taobao, douyin or pdd')
    .option('--all', 'also cases waiting on the buyer')
    .addHelpText(
      'after',
      `
Examples:
  refunds triage
  refunds triage --agent alice --platform taobao
  refunds --lang zh triage

At every question you can also skip the case, snooze it until a time (14:30 or 2h), go back one
question, or quit. Ctrl-C leaves at once (exit 130); decisions you confirmed are already saved.
Two agents on the same database never get the same case. Needs a terminal: in scripts use
refunds decide ID --action ACTION.`,
    )
    .action(async (flags: TriageFlags) => {
      process.exitCode = await runTriage(ctx(), flags);
    });
}

async function runTriage(c: Context, flags: TriageFlags): Promise<number> {
  if (flags.platform && flags.platform !== 'taobao' && flags.platform !== 'douyin' && flags.platform !== 'pdd') {
    throw new UsageError(t('today.badPlatform', { value: flags.platform }));
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError(t('session.noTty'));
  const [{ sweepEnv }, { createPrompter }, { DEFAULT_CLAIM_MINUTES }] = await Promise.all([
    import('../app/env.js'),
    import('../ui/prompts.js'),
    import('../app/triageSession.js'),
  ]);
  const env = sweepEnv(c);
  const store = c.store();
  const prompter = createPrompter({ help: { navigate: t('session.help.navigate'), select: t('session.help.select') } });
  return runTriageSession({
    store,
    env,
    config: c.config,
    agent: c.agentName(flags.agent),
    io: c.io,
    prompter,
    claimTtlMs: (c.config.claimMinutes ?? DEFAULT_CLAIM_MINUTES) * 60_000,
    platform: flags.platform as Platform | undefined,
    includeBuyerSide: Boolean(flags.all),
  });
}

export interface SessionOptions {
  store: Store;
  env: SweepEnv;
  config: Config;
  agent: string;
  /** Where cards and checklists go (chalk for colour; out writes a block, err a message). */
  io: Pick<Output, 'chalk' | 'out' | 'err'>;
  prompter: Prompter;
  claimTtlMs: number;
  platform?: Platform;
  includeBuyerSide?: boolean;
  session?: string;
  /** Real clock for claims (tests). */
  wallClock?: () => number;
  /** Install a SIGINT listener that releases claims (the CLI; not tests). Default true. */
  handleSignals?: boolean;
}

type CaseEnd = 'decided' | 'skipped' | 'snoozed' | 'quit' | 'conflict';

/** The agent chose to quit while the database was busy. */
class QuitSession extends Error {}

/** Runs a whole session; returns the exit code (0, or 130 after Ctrl-C). */
export async function runTriageSession(o: SessionOptions): Promise<number> {
  const [{ TriageDesk, parseSnoozeUntil, isBusy }, decide, tree, view, { PromptExit }] = await Promise.all([
    import('../app/triageSession.js'),
    import('../app/decide.js'),
    import('../domain/decisionTree.js'),
    import('../ui/triageView.js'),
    import('../ui/prompts.js'),
  ]);
  const { store, env, io, prompter } = o;
  const zone = env.zone;
  const c = io.chalk;
  const desk = new TriageDesk(store, env, {
    agent: o.agent,
    session: o.session ?? nodeCrypto().randomUUID(),
    claimTtlMs: o.claimTtlMs,
    platform: o.platform,
    includeBuyerSide: o.includeBuyerSide,
    wallClock: o.wallClock,
  });
  const denv = { sweep: env, config: o.config, tr: (k: string, p?: Record<string, string | number>) => t(k, p) };
  const stats = { decided: 0, skipped: 0, snoozed: 0 };
  const passed = new Set<string>();
  const onSigint = () => desk.release();
  if (o.handleSignals !== false) process.prependListener('SIGINT', onSigint);

  const extras = (canBack: boolean) => [
    { separator: true as const },
    { value: 'x:skip', label: t('session.choice.skip') },
    { value: 'x:snooze', label: t('session.choice.snooze') },
    ...(canBack ? [{ value: 'x:back', label: t('session.choice.back') }] : []),
    { value: 'x:quit', label: t('session.choice.quit') },
  ];

  /** Runs a write; while another process holds the database (a long import), says so and lets the
   * agent try again or quit. */
  const whenFree = async <T>(write: () => T): Promise<T> => {
    for (;;) {
      try {
        return write();
      } catch (e) {
        if (!isBusy(e)) throw e;
        io.out(c.red(t('session.busy')));
        const pick = await prompter.select<string>({
          message: t('session.prompt.whatNow'),
          choices: [
            { value: 'again', label: t('session.choice.again') },
            { value: 'quit', label: t('session.choice.quit') },
          ],
        });
        if (pick === 'quit') throw new QuitSession();
      }
    }
  };

  const snooze = async (cf: CaseFile): Promise<void> => {
    const text = await prompter.input({
      message: t('session.prompt.snooze'),
      validate: (v) => (parseSnoozeUntil(v, env.nowMs, zone) === null ? t('session.badSnooze') : true),
    });
    const until = parseSnoozeUntil(text, env.nowMs, zone)!;
    await whenFree(() => desk.snooze(cf.refund.refundId, until));
    io.out(c.dim(t('session.snoozed', { until: zone.short(until) })));
  };

  /** Asks what an outcome needs; returns the values typed. */
  const askNeeds = async (
    outcome: Outcome,
    prev: { amountText: string; note: string },
  ): Promise<{ amountCents: number | null; amountText: string; note: string | null; evidence: string[] }> => {
    let amountCents: number | null = null;
    let amountText = prev.amountText;
    let note: string | null = null;
    const evidence: string[] = [];
    if (outcome.needs.amount) {
      amountText = await prompter.input({
        message: t('triage.prompt.amount'),
        ...(prev.amountText ? { default: prev.amountText } : {}),
        validate: (v) => (decide.parseYuanToCents(v) === null ? t('session.badAmount') : true),
      });
      amountCents = decide.parseYuanToCents(amountText);
    }
    if (outcome.needs.note) {
      note = await prompter.input({ message: t('triage.prompt.note'), ...(prev.note ? { default: prev.note } : {}) });
    }
    if (outcome.needs.evidence) {
      io.out(c.dim(t('triage.prompt.evidence')));
      for (let n = 1; n < 100; n++) {
        const item = (await prompter.input({ message: t('session.prompt.evidenceItem', { n }) })).trim();
        if (item === '') break;
        evidence.push(item);
      }
    }
    return { amountCents, amountText, note, evidence };
  };

  /** From an outcome to a recorded decision. 'back' = return to the last question. */
  const finish = async (cf: CaseFile, ctx: CaseContext, reached: Outcome, canBack: boolean): Promise<CaseEnd | 'back'> => {
    // A partial escalated on the requested amount: ask the agreed amount, then apply the threshold
    // to it (decisionTree.applyThreshold's advice).
    const working = reached.proposed && reached.proposed.action === 'partial' ? reached.proposed : reached;
    const hasNeeds = Boolean(working.needs.amount || working.needs.note || working.needs.evidence);
    if (hasNeeds) {
      io.out(`\n${c.bold(t('session.outcome', { title: t(working.titleKey, tree.stepParams(ctx, zone)) }))}`);
      if (!canBack) {
        // The data chose this outcome without asking: let the agent step out before typing.
        const pick = await prompter.select<string>({
          message: t('session.prompt.details'),
          choices: [
            { value: 'go', label: t('session.choice.details') },
            { value: 'skip', label: t('session.choice.skip') },
            { value: 'snooze', label: t('session.choice.snooze') },
            { value: 'quit', label: t('session.choice.quit') },
          ],
        });
        if (pick === 'skip') return 'skipped';
        if (pick === 'quit') return 'quit';
        if (pick === 'snooze') {
          await snooze(cf);
          return 'snoozed';
        }
      }
    }
    let prev = { amountText: '', note: '' };
    for (;;) {
      const typed = await askNeeds(working, prev);
      prev = { amountText: typed.amountText, note: typed.note ?? '' };
      desk.touch(cf.refund.refundId);
      let final = working;
      let noteOverride: string | null | undefined;
      if (working.action === 'partial' && typed.amountCents !== null) {
        final = tree.applyThreshold(working, ctx, typed.amountCents);
        if (final.action === 'escalate') {
          io.out(
            c.yellow(
              t('session.escalated', {
                amount: tree.formatYuan(typed.amountCents),
                threshold: ctx.amountThresholdCents === null ? '—' : tree.formatYuan(ctx.amountThresholdCents),
              }),
            ),
          );
          const esc = decide.escalationNote(final, ctx, denv.tr, typed.amountCents);
          noteOverride = [esc, typed.note?.trim()].filter(Boolean).join(' ') || null;
        }
      }
      const amountCents =
        final.action === 'escalate' ? (typed.amountCents ?? (final.proposed ? cf.refund.amountCents : null)) : typed.amountCents;
      const req = {
        refundId: cf.refund.refundId,
        action: final.action,
        amountCents,
        note: typed.note,
        evidence: typed.evidence,
        agent: o.agent,
        source: 'triage' as const,
        outcome: final,
        ...(noteOverride !== undefined ? { noteOverride } : {}),
      };
      const p = decide.prepareDecision(cf, denv, req);
      if (p.violations.length > 0) {
        io.out(view.renderViolations(p.violations, io));
        const pick = await prompter.select<string>({
          message: t('session.prompt.whatNow'),
          choices: [
            ...(hasNeeds ? [{ value: 'retry', label: t('session.choice.retry') }] : []),
            ...(canBack ? [{ value: 'back', label: t('session.choice.other') }] : []),
            { value: 'skip', label: t('session.choice.skip') },
            { value: 'snooze', label: t('session.choice.snooze') },
            { value: 'quit', label: t('session.choice.quit') },
          ],
        });
        if (pick === 'retry') continue;
        if (pick === 'back') return 'back';
        if (pick === 'snooze') {
          await snooze(cf);
          return 'snoozed';
        }
        return pick === 'skip' ? 'skipped' : 'quit';
      }
      io.out(
        view.renderOutcome(
          { title: p.title, action: final.action, amountCents: p.amountCents, checklist: p.checklist, buyerMessage: p.buyerMessage, note: p.note, evidence: p.evidence },
          io,
        ),
      );
      let res: ReturnType<typeof desk.commit<ReturnType<typeof decide.recordDecision>>> | null = null;
      while (!res) {
        const pick = await prompter.select<string>({
          message: t('session.prompt.confirm'),
          choices: [
            { value: 'record', label: t('session.choice.record') },
            ...(canBack ? [{ value: 'back', label: t('session.choice.back') }] : []),
            { value: 'skip', label: t('session.choice.skip') },
            { value: 'snooze', label: t('session.choice.snooze') },
            { value: 'quit', label: t('session.choice.quit') },
          ],
        });
        if (pick === 'back') return 'back';
        if (pick === 'skip') return 'skipped';
        if (pick === 'quit') return 'quit';
        if (pick === 'snooze') {
          await snooze(cf);
          return 'snoozed';
        }
        try {
          res = desk.commit(cf, () => decide.recordDecision(store, denv, cf, req));
        } catch (e) {
          // Another process holds the write lock longer than busy_timeout (a big import):
          // nothing was written; the agent may confirm again.
          if (!isBusy(e)) throw e;
          io.out(c.red(t('session.busy')));
        }
      }
      if (!res.ok) {
        io.out(
          c.red(
            res.reason === 'decided'
              ? t('session.conflict.decided', { agent: res.by, at: zone.short(Date.parse(res.at)) })
              : t('session.conflict.claimed'),
          ),
        );
        return 'conflict';
      }
      if (!res.value.ok) {
        // Validated above against the same case file; only a race could get here.
        io.out(view.renderViolations(res.value.violations, io));
        return 'skipped';
      }
      io.out(c.green(t('session.recorded', { action: t(`triage.action.${final.action}`), refundId: cf.refund.refundId })));
      return 'decided';
    }
  };

  const triageCase = async (cf: CaseFile, n: number, left: number): Promise<CaseEnd> => {
    const ctx = decide.caseContext(cf, { nowMs: env.nowMs, agent: o.agent, config: o.config });
    io.out(view.renderCard(cf, ctx, io as Output, { zone, nowMs: env.nowMs, dueSoonMs: env.dueSoonMs, n, left }));
    const facts = view.factLines(ctx);
    const answers: string[] = [];
    let first = true;
    for (;;) {
      const w = tree.walk(ctx, answers);
      // Auto-answered questions since the agent's last answer (all of them on the first step).
      const lastManual = w.path.map((e) => e.auto).lastIndexOf(false);
      const auto = view.autoLines(ctx, w.path.slice(lastManual + 1), zone);
      const lines = first ? [...facts, ...auto.filter((l) => !facts.includes(l))] : auto;
      if (lines.length) io.out(view.renderFacts(lines, io));
      first = false;
      if (tree.isOutcome(w.step)) {
        const end = await finish(cf, ctx, w.step, answers.length > 0);
        if (end === 'back') {
          answers.pop();
          continue;
        }
        return end;
      }
      const q: Question = w.step;
      const params = tree.stepParams(ctx, zone);
      const hints = view.renderQuestionHints(q, ctx, zone, io);
      if (hints) io.out(hints);
      const pick = await prompter.select<string>({
        message: t(q.textKey, params),
        choices: [...q.options.map((opt) => ({ value: `a:${opt.value}`, label: t(opt.labelKey, params) })), ...extras(answers.length > 0)],
      });
      desk.touch(cf.refund.refundId);
      if (pick === 'x:skip') return 'skipped';
      if (pick === 'x:quit') return 'quit';
      if (pick === 'x:back') {
        answers.pop();
        continue;
      }
      if (pick === 'x:snooze') {
        await snooze(cf);
        return 'snoozed';
      }
      answers.push(pick.slice(2));
    }
  };

  try {
    const start = desk.queue();
    io.out(c.bold(t('session.header', { agent: o.agent, count: start.items.length, now: zone.short(env.nowMs) })));
    let n = 0;
    for (;;) {
      const cf = await whenFree(() => desk.next(passed));
      if (!cf) break;
      n++;
      const left = desk.remaining(new Set([...passed, cf.refund.refundId]));
      const end = await triageCase(cf, n, left);
      passed.add(cf.refund.refundId);
      if (end === 'decided') stats.decided++;
      else if (end === 'snoozed') stats.snoozed++;
      else if (end === 'skipped' || end === 'conflict') {
        stats.skipped++;
        if (end === 'skipped') io.out(c.dim(t('session.skipped')));
      } else break; // quit
    }
    desk.release();
    io.out(view.renderSummary(stats, desk.queue(), io));
    return 0;
  } catch (e) {
    if (e instanceof QuitSession) {
      desk.release();
      io.out(view.renderSummary(stats, desk.queue(), io));
      return 0;
    }
    if (e instanceof PromptExit) {
      desk.release();
      io.out(view.renderSummary(stats, desk.queue(), io));
      io.err(`\n${t('interrupted')}`);
      return 130;
    }
    throw e;
  } finally {
    desk.release();
    if (o.handleSignals !== false) process.removeListener('SIGINT', onSigint);
  }
}
