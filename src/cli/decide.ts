// `refunds decide ID --action ACTION`: one decision without prompts (scripts, pipes, the impatient),
// validated exactly like a triage decision. Prints the checklist and the buyer message, or the
// recorded decision as JSON.
import type { Command } from 'commander';
import { UserError, UsageError } from '../errors.js';
import { DECISION_ACTIONS, type DecisionAction } from '../domain/types.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

interface DecideFlags {
  action?: string;
  amount?: string;
  note?: string;
  evidence?: string[];
  agent?: string;
  json?: boolean;
  force?: boolean;
}

const collect = (value: string, prev: string[] = []): string[] => [...prev, value];

export function registerDecide(program: Command, ctx: () => Context): void {
  program
    .command('decide')
    .description('record one decision without prompts (same rules as triage)')
    .argument('<id>', 'refund ID, order ID with a single refund, or row number of the last today')
    .option('--action <action>', `what was decided: ${DECISION_ACTIONS.join(', ')}`)
    .option('--amount <yuan>', 'amount in yuan (partial refund, postage), e.g. 59.90 or ¥59.90')
    .option('--note <text>', 'note; for refuse: the explanation shown to the buyer (2–200 characters)')
    .option('--evidence <text>', 'evidence item (photo file or URL, screenshot, chat record); repeat for more', collect, [])
    .option('--agent <name>', 'who decides (default: config "agent", else the OS user)')
    .option('--json', 'print the recorded decision as one JSON document')
    .option('--force', 'decide a case another agent holds (in triage, or decided by them moments ago); recorded as source "decide-forced"')
    .addHelpText(
      'after',
      `
Examples:
  refunds decide 1587001122334455001 --action approve
  refunds decide 6 --action approve          # row 6 of the last "refunds today"
  refunds decide 158700112233445511 --action partial --amount 20 \\
      --note "agreed in chat"
  refunds decide 158700112233445506 --action refuse --note "退回的是空包裹" \\
      --evidence parcel.jpg --evidence weight-record.png
  refunds decide 158700112233445513 --action escalate --agent alice --json
  refunds decide 6 --action approve --force   # though another agent holds it

Refusals need --note (2–200 characters) and --evidence, and are impossible on an unshipped order
or a 7-day no-reason return. Above the shop threshold (config amountThresholdYuan) only a
supervisor (config supervisors) may give money back; others escalate.`,
    )
    .action(async (id: string, flags: DecideFlags) => {
      process.exitCode = await runDecide(ctx(), id, flags);
    });
}

async function runDecide(c: Context, typed: string, flags: DecideFlags): Promise<number> {
  const actions = DECISION_ACTIONS.join(', ');
  if (!flags.action || !(DECISION_ACTIONS as readonly string[]).includes(flags.action)) {
    throw new UsageError(t('decide.badAction', { value: flags.action ?? '', actions }));
  }
  const action = flags.action as DecisionAction;
  const [decide, { caseFile }, { sweepEnv }, { formatYuan }, { refundIdOrFail }] = await Promise.all([
    import('../app/decide.js'),
    import('../app/caseFile.js'),
    import('./sweepEnv.js'),
    import('../domain/decisionTree.js'),
    import('./lookup.js'),
  ]);
  let amountCents: number | null = null;
  if (flags.amount !== undefined) {
    amountCents = decide.parseYuanToCents(flags.amount);
    if (amountCents === null) throw new UserError(t('decide.badAmount', { value: flags.amount }));
  }
  const store = c.store();
  const id = await refundIdOrFail(c.ports(), typed, c.dbPath, { zone: c.zone, nowMs: c.nowMs });
  const env = sweepEnv(c);
  const agent = c.agentName(flags.agent);
  // Before the case is read: a case another agent holds (triage, or their decide a moment ago) is theirs.
  const { claimForDecide } = await import('../app/decideClaim.js');
  const ttlMs = (c.config.claimMinutes ?? 15) * 60_000;
  let claimed;
  try {
    claimed = claimForDecide(store, id, agent, Date.now(), ttlMs, Boolean(flags.force));
  } catch (e) {
    const { isBusy } = await import('../app/triageSession.js');
    if (isBusy(e)) throw new UserError(t('session.busy'));
    throw e;
  }
  if (!claimed.ok) {
    throw new UserError(t('decide.heldBy', { refundId: id, agent: forTerminal(claimed.agent), until: env.zone.short(claimed.expiresAt) }), {
      hint: t('decide.forceHint'),
    });
  }
  if (claimed.forcedOver) c.io.err(t('decide.forcedOver', { agent: forTerminal(claimed.forcedOver.agent), until: env.zone.short(claimed.forcedOver.expiresAt) }));
  const cf = (await caseFile(c.ports(), env, id))!;
  const { caseTranslator } = await import('../ui/caseWording.js');
  const denv = {
    sweep: env,
    config: c.config,
    tr: (k: string, p?: Record<string, string | number>) => t(k, p),
    // The checklist in the case's platform's words, as triage records it.
    trFor: (x: { refund: { platform: string }; deadlineAt: number | null; nowMs: number }) =>
      caseTranslator({ platform: x.refund.platform, overdue: x.deadlineAt !== null && x.deadlineAt <= x.nowMs }),
  };
  let res: ReturnType<typeof decide.recordDecision>;
  // A claim that led to no decision, or to an escalation (the supervisor's turn), must not hold the case.
  const { decideSession } = await import('../app/decideClaim.js');
  const release = () => store.releaseClaims(decideSession(agent, id));
  try {
    res = decide.recordDecision(store, denv, cf, {
      refundId: id,
      action,
      amountCents,
      note: flags.note ?? null,
      evidence: flags.evidence ?? [],
      agent,
      source: claimed.forcedOver ? 'decide-forced' : 'decide',
    });
  } catch (e) {
    release();
    const { isBusy } = await import('../app/triageSession.js');
    if (isBusy(e)) throw new UserError(t('session.busy'));
    throw e;
  }
  if (!res.ok) {
    release();
    const reasons = res.violations.map((v) => `  - ${t(v.messageKey, v.params)}`).join('\n');
    throw new UserError(t('decide.rejected', { refundId: id }), { hint: reasons });
  }
  if (action === 'escalate') release();
  const d = res.decision;
  if (flags.json) {
    c.io.out(JSON.stringify(decide.decisionJson(d, { statusAtDecision: res.statusAtDecision, outcome: res.outcome.id }), null, 2));
    return 0;
  }
  const { renderOutcome } = await import('../ui/triageView.js');
  c.io.err(
    t('decide.recorded', {
      action: t(`triage.action.${d.action}`),
      refundId: id,
      agent: d.agent,
      at: env.zone.short(Date.parse(d.decidedAt)),
      amount: d.amountCents === null ? '' : ` · ${formatYuan(d.amountCents)}`,
    }),
  );
  c.io.out(
    renderOutcome(
      {
        refundId: id,
        platform: cf.refund.platform,
        title: res.title,
        action: d.action,
        amountCents: d.amountCents,
        checklist: d.checklist,
        buyerMessage: d.buyerMessage,
        note: d.note,
        evidence: d.evidence,
      },
      c.io,
      c.io.stdoutIsTTY ? c.io.width : 1_000,
    ).replace(/^\n/, ''),
  );
  return 0;
}
