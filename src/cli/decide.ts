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
  const [app, { sweepEnv }, { formatYuan }, { refundIdOrFail }, { caseTranslator }, { isStoreBusy }] = await Promise.all([
    import('../app/decide.js'),
    import('./sweepEnv.js'),
    import('../domain/decisionTree.js'),
    import('./lookup.js'),
    import('../ui/caseWording.js'),
    import('../app/ports/errors.js'),
  ]);
  let amountCents: number | null = null;
  if (flags.amount !== undefined) {
    amountCents = app.parseYuanToCents(flags.amount);
    if (amountCents === null) throw new UserError(t('decide.badAmount', { value: flags.amount }));
  }
  const id = await refundIdOrFail(c.ports(), typed, c.dbPath, { zone: c.zone, nowMs: c.nowMs });
  const env = sweepEnv(c);
  const denv = {
    sweep: env,
    config: c.config,
    tr: (k: string, p?: Record<string, string | number>) => t(k, p),
    // The checklist in the case's platform's words, as triage records it.
    trFor: (x: { refund: { platform: string }; deadlineAt: number | null; nowMs: number }) =>
      caseTranslator({ platform: x.refund.platform, overdue: x.deadlineAt !== null && x.deadlineAt <= x.nowMs }),
  };
  let res;
  try {
    res = await app.decide(c.ports(), denv, {
      refundId: id,
      action,
      amountCents,
      note: flags.note ?? null,
      evidence: flags.evidence ?? [],
      agent: c.agentName(flags.agent),
      force: Boolean(flags.force),
      claimTtlMs: (c.config.claimMinutes ?? 15) * 60_000,
    });
  } catch (e) {
    if (isStoreBusy(e)) throw new UserError(t('session.busy'));
    throw e;
  }
  if (!res) throw new Error(`decide: refund ${id} vanished`);
  if (res.kind === 'held') {
    throw new UserError(t('decide.heldBy', { refundId: id, agent: forTerminal(res.agent), until: env.zone.short(res.expiresAt) }), {
      hint: t('decide.forceHint'),
    });
  }
  if (res.kind === 'rejected') {
    const reasons = res.violations.map((v) => `  - ${t(v.messageKey, v.params)}`).join('\n');
    throw new UserError(t('decide.rejected', { refundId: id }), { hint: reasons });
  }
  if (res.forcedOver) c.io.err(t('decide.forcedOver', { agent: forTerminal(res.forcedOver.agent), until: env.zone.short(res.forcedOver.expiresAt) }));
  const d = res.decision;
  if (flags.json) {
    c.io.out(JSON.stringify(app.decisionJson(d, { statusAtDecision: res.statusAtDecision, outcome: res.outcome.id }), null, 2));
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
  const o = { refundId: id, platform: res.refund.platform, title: res.title, action: d.action, amountCents: d.amountCents };
  const width = c.io.stdoutIsTTY ? c.io.width : 1_000;
  c.io.out(renderOutcome({ ...o, checklist: d.checklist, buyerMessage: d.buyerMessage, note: d.note, evidence: d.evidence }, c.io, width).replace(/^\n/, ''));
  return 0;
}
