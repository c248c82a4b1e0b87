// `refunds triage`: the guided morning session (the dialogue: src/ui/triageDialogue.ts). Cases
// come most urgent first (app/triage/session.ts); each shows its compact card, the facts the data
// already answers, then only the questions that matter (domain/decisionTree.ts), and ends in a
// recorded decision with its checklist and buyer message. One key skips, snoozes, goes back or
// quits at every question. Ctrl-C exits 130; every confirmed decision is committed at once.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Platform } from '../domain/types.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

interface TriageFlags {
  agent?: string;
  platform?: string;
  all?: boolean;
  full?: boolean;
  from?: string;
}

export function registerTriage(program: Command, ctx: () => Context): void {
  program
    .command('triage')
    .description('guided decisions, most urgent case first: questions, checklist, buyer message, recorded decision')
    .option('--agent <name>', 'who decides (default: config "agent", else the OS user)')
    .option('--platform <name>', 'only taobao, douyin or pdd')
    .option('--all', 'also cases waiting on the buyer')
    .option('--full', 'show the full case card (history, rule provenance, order) instead of the compact one')
    .option('--from <n>', 'start with this case: a row number of the last today, or a refund ID')
    .addHelpText(
      'after',
      `
Examples:
  refunds triage
  refunds triage --agent alice --platform taobao
  refunds --lang zh triage

Every question is answered by one key: a number picks an answer, Enter the highlighted one (the
recommended answer), s skips the case, z snoozes it until a time (14:30 or 2h), b goes back one
question, d shows the full case, q quits; for a flagged buyer, p writes the appeal pack. Ctrl-C
leaves at once (exit 130); decisions you confirmed are already saved.
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
  const [{ sweepEnv }, { createPrompter }, { DEFAULT_CLAIM_MINUTES }, { runTriageSession }, { openTriageDesk }, { nodeCrypto }] = await Promise.all([
    import('./sweepEnv.js'),
    import('../ui/prompts.js'),
    import('../app/triage/queue.js'),
    import('../ui/triageDialogue.js'),
    import('./triageDesk.js'),
    import('../lib/cjs.js'),
  ]);
  const env = sweepEnv(c);
  const startWith = flags.from === undefined ? undefined : await (await import('./lookup.js')).refundIdOrFail(c.ports(), flags.from, c.dbPath, { zone: c.zone, nowMs: c.nowMs });
  const { desk, appeal } = openTriageDesk(c.ports(), env, {
    agent: c.agentName(flags.agent),
    session: nodeCrypto().randomUUID(),
    claimTtlMs: (c.config.claimMinutes ?? DEFAULT_CLAIM_MINUTES) * 60_000,
    platform: flags.platform as Platform | undefined,
    includeBuyerSide: Boolean(flags.all),
    startWith,
  });
  const prompter = createPrompter({ help: { navigate: t('session.help.navigate'), select: t('session.help.select') } });
  return runTriageSession({ desk, appeal, env, config: c.config, io: c.io, prompter, full: Boolean(flags.full) });
}
