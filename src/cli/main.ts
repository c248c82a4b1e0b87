// The `refunds` program: global options, command registration, and the one place that turns
// errors into exit codes. Command modules load their heavy dependencies only when they run.
import { Command, CommanderError, Option } from 'commander';
import { UserError, EXIT } from '../errors.js';
import { setLang, t } from '../ui/i18n.js';
import { localizeProgram } from '../ui/help.js';
import { forTerminal, forTerminalBlock } from '../ui/sanitize.js';
import { makeContext, resolveLang, storeErrorMessage, type Context, type GlobalOptions } from './context.js';
import { StoreBusy, StoreError } from '../app/ports/errors.js';
import { ConfigProblem } from '../app/configProblem.js';
import { registerImport } from './import.js';
import { registerReceive } from './receive.js';
import { registerReturns } from './returns.js';
import { registerToday } from './today.js';
import { registerShow } from './show.js';
import { registerMaintenance } from './maintenance.js';
import { registerTriage } from './triage.js';
import { registerDecide } from './decide.js';
import { registerDecisions } from './decisions.js';
import { registerSummary } from './summary.js';
import { registerStats } from './stats.js';
import { registerEvidence } from './evidence.js';
import { registerProfiles } from './profiles.js';
import { registerCopy } from './copy.js';
import { maskUrl } from '../store/common/url.js';
import { systemStoreMessage } from '../ui/storeErrors.js';

export type CommandRunner = (ctx: Context, ...args: never[]) => Promise<number | void> | number | void;

/** The program; `localize: false` keeps the command modules' own English texts (the help test compares them with the catalog). */
export function buildProgram(state: { ctx: Context | null }, opts: { localize?: boolean } = {}): Command {
  const program = new Command();
  program
    .name('refunds')
    .description('Triage Taobao/Tmall, Douyin and Pinduoduo refund requests before the platform decides them by timeout.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .addOption(new Option('--db <path>', 'SQLite database file, or a postgres:// URL of a shared database (team mode, README) (env REFUNDS_DB; default ~/.local/share/refunds/refunds.sqlite)'))
    .addOption(new Option('--now <time>', 'fix "now" for every computation: ISO 8601 with offset or "YYYY-MM-DD HH:mm" in shop time (env REFUNDS_NOW)'))
    .addOption(new Option('--lang <lang>', 'language of messages: zh or en (default from LANG/LC_ALL)'))
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      // commander echoes unknown commands and options as typed: cleaned like buyer text.
      writeErr: (s) => process.stderr.write(forTerminalBlock(s)),
    });
  program.hook('preAction', async (_this, action) => {
    state.ctx = await makeContext(action.optsWithGlobals() as GlobalOptions);
  });
  const ctx = (): Context => state.ctx!;
  registerImport(program, ctx);
  registerReceive(program, ctx);
  registerReturns(program, ctx);
  registerToday(program, ctx);
  registerShow(program, ctx);
  registerMaintenance(program, ctx);
  registerTriage(program, ctx);
  registerDecide(program, ctx);
  registerDecisions(program, ctx);
  registerSummary(program, ctx);
  registerStats(program, ctx);
  registerEvidence(program, ctx);
  registerProfiles(program, ctx);
  registerCopy(program, ctx);
  program.addHelpText(
    'after',
    `
Examples:
  refunds import ~/Downloads/ExportRefundList*.csv ~/Downloads/ExportOrderList*.csv
  refunds today
  refunds triage --from 3

The morning, in order: import the exports, read the sweep (today), decide the cases (triage),
register returned parcels (receive), print the team lead's summary. Every command has --help.
Exit codes: 0 success, 1 failure (nothing written), 2 usage error, 3 summary --fail-if met,
130 interrupted. The machine interface (--json shapes, config file) is in docs/interface.md.`,
  );
  // Help texts, the commands' order and commander's messages, in the user's language.
  if (opts.localize !== false) localizeProgram(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const state: { ctx: Context | null } = { ctx: null };
  const onSigint = () => {
    process.stderr.write(`\n${t('interrupted')}\n`);
    state.ctx?.close();
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSigint);
  // `refunds today | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // Everything the tool writes (database, backups, printouts, CSV) holds buyers' personal data.
  process.umask(0o077);
  // Pre-read --lang so help texts and commander's own messages follow it too.
  try {
    const i = argv.indexOf('--lang');
    const eq = argv.find((a) => a.startsWith('--lang='));
    setLang(resolveLang(i >= 0 ? argv[i + 1] : eq?.slice('--lang='.length), process.env));
  } catch {
    // Reported properly once commander has parsed; until then (and for --help) the locale's language.
    setLang(resolveLang(undefined, process.env));
  }
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    return report(e, state);
  } finally {
    state.ctx?.close();
  }
}

function report(e: unknown, state: { ctx: Context | null }): number {
  if (e instanceof CommanderError) {
    // --help and --version succeed; help shown because no command was given is a usage error.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // commander has already printed its message
    return EXIT.usage;
  }
  if (e instanceof UserError) {
    // Messages quote arguments, file names and file contents: no escape sequence gets through, whichever message forgot.
    process.stderr.write(`${t('error.prefix', { message: forTerminalBlock(e.message) })}\n`);
    if (e.hint) process.stderr.write(`${forTerminalBlock(e.hint)}\n`);
    return e.exitCode;
  }
  if (e instanceof ConfigProblem) {
    process.stderr.write(`${t('error.prefix', { message: forTerminalBlock(t('error.config', { path: e.file, reason: e.reason })) })}\n`);
    return EXIT.failure;
  }
  if (e instanceof StoreBusy) {
    // Another process held the database past the busy timeout: say so, not "internal error".
    process.stderr.write(`${t('error.prefix', { message: t('error.dbBusy') })}\n`);
    return EXIT.failure;
  }
  if (e instanceof StoreError) {
    process.stderr.write(`${t('error.prefix', { message: forTerminalBlock(storeErrorMessage(e, state.ctx?.dbPath ?? '')) })}\n`);
    return EXIT.failure;
  }
  // The database (or its folder) cannot be written, the disk is full, another process held it: the user can fix these.
  const said = systemStoreMessage(String((e as { code?: string }).code ?? ''), maskUrl(state.ctx?.dbPath ?? ''));
  if (said !== null) {
    process.stderr.write(`${t('error.prefix', { message: said })}\n`);
    return EXIT.failure;
  }
  const err = e as Error;
  process.stderr.write(`${t('error.internal', { message: forTerminalBlock(err?.message ?? String(e)) })}\n`);
  if (process.env.REFUNDS_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  return EXIT.failure;
}
