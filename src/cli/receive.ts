// `refunds receive [WAYBILL]`: the returns desk. A barcode scanner types the waybill and Enter;
// each scan records a warehouse receipt (never lost, matched or not) and shows the refund case it
// belongs to with what to do now. The use case is app/receive.ts, the scanner loop
// ui/receiveScanner.ts, the words and the same-scan rule domain/returns.ts.
import type { Command } from 'commander';
import { EXIT, UsageError, UserError } from '../errors.js';
import { conditionFromWord, type Condition } from '../domain/returns.js';
import type { ReceiveEnv, ScanInput } from '../app/receive.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

interface ReceiveFlags {
  carrier?: string;
  condition?: string;
  note?: string;
  inspector?: string;
  json?: boolean;
  quick?: boolean;
}

export function registerReceive(program: Command, ctx: () => Context): void {
  program
    .command('receive')
    .description('returns desk: register a returned parcel by its waybill and show what to do with its refund')
    .argument('[waybill]', 'return waybill number; without it, scan (or pipe) one waybill per line')
    .option('--carrier <name>', 'carrier of the parcel (e.g. 顺丰, 中通)')
    .option('--condition <condition>', 'inspection result: ok, damaged, wrong-item, empty (正常/破损/错货/空包); default ok')
    .option('--note <text>', 'note kept with the receipt')
    .option('--inspector <name>', 'who received and inspected the parcel (default: agent from config, else the OS user)')
    .option('--quick', 'on a terminal: scan and go, every parcel recorded at once as OK (or --condition), no question')
    .option('--json', 'one JSON document on stdout: { "asOf", "scans": [...], "rejected": [...] }')
    .addHelpText(
      'after',
      `
Examples:
  refunds receive SF1234567890123
  refunds receive SF1234567890123 --condition wrong-item --note "蓝色M码 非本店"
  refunds receive   # on a terminal: scan parcels one after another
  cat scans.txt | refunds receive --inspector 王芳
  refunds receive YT7788990011 --json

Each scan normalizes the number (spaces, dashes and dots dropped, upper case), records the receipt
at the current time (--now), finds the refund(s) whose return waybill matches and prints the case:
refund, order, buyer, amount, state (orange = returned, seller to confirm), time left with the
source of the deadline, and what to do now:
  received OK → confirm receipt and refund now;
  wrong item / empty → refuse (and send back);
  damaged → negotiate a partial refund;
  no matching refund → the parcel is kept as 无主件.
A parcel that matches nothing is recorded all the same; it is matched as soon as a refund export
carrying its waybill is imported (see "refunds returns --unmatched").

Interactive mode (no WAYBILL, standard input is a terminal): scan a waybill, then give the
parcel's condition: Enter = 正常 (OK), 1 = 破损 (damaged), 2 = 错货 (wrong item), 3 = 空包 (empty).
An empty line at the scan prompt, Ctrl-D or q ends. --quick records each scan at once as OK (or as
--condition) without asking; so does a line ending with a condition word: "SF123456789 破损".
Without a terminal, waybills are read from standard input, one per line (blank lines skipped).
Text that cannot be a waybill (letters only, too few digits, other characters) is refused with the
reason and nothing is recorded.

Scanning the same waybill again on the same day with the same condition records nothing
("already registered today"); a different condition is a re-inspection and the latest receipt
decides. JSON: each scan has waybill, waybillKey, receivedAt, condition, recorded
("inserted"|"duplicate"), match ("matched"|"ambiguous"|"unmatched") and refunds[] with refundId,
orderId, status, orange, deadline, deadlineSource, secondsLeft, receiptState, nextStep.`,
    )
    .action(async (waybill: string | undefined, flags: ReceiveFlags) => {
      process.exitCode = await runReceive(ctx(), waybill, flags);
    });
}

async function receiveEnv(ctx: Context): Promise<ReceiveEnv> {
  const [{ ruleSetFor }, { chinaCalendar }] = await Promise.all([import('../app/rules.js'), import('../app/calendarData.js')]);
  // The same rules as today/show: shipped tables merged with the config's overrides.
  return { zone: ctx.zone, nowMs: ctx.nowMs, rules: ruleSetFor(ctx.config, ctx.configFile), calendar: chinaCalendar() };
}

/** Builds the desk's view of a refund (app/receive.ts caseBuilder) with the command's rules; `refunds returns` uses it too. */
export async function caseBuilder(ctx: Context) {
  const [{ caseBuilder: build }, env] = await Promise.all([import('../app/receive.js'), receiveEnv(ctx)]);
  return build(env);
}

async function runReceive(ctx: Context, waybill: string | undefined, flags: ReceiveFlags): Promise<number> {
  let fallback: Condition = 'ok';
  if (flags.condition !== undefined) {
    const c = conditionFromWord(flags.condition);
    if (c === null) throw new UsageError(t('returns.badCondition', { value: forTerminal(flags.condition) }), t('hint.help', { command: 'receive' }));
    fallback = c;
  }
  const scanner = await import('../ui/receiveScanner.js');
  // Check the single argument before opening (and perhaps creating) the database.
  let single: ScanInput | null = null;
  if (waybill !== undefined) {
    if (waybill.trim() === '') throw new UserError(t('returns.emptyArg'));
    try {
      single = scanner.parseScanLine(waybill, fallback, null);
    } catch (e) {
      if (e instanceof scanner.BadScan) throw new UserError(e.message);
      throw e;
    }
  }
  const ports = ctx.ports({ create: true });
  const [app, env, { renderScan, fitDesk }] = await Promise.all([import('../app/receive.js'), receiveEnv(ctx), import('../ui/returnsView.js')]);
  const build = app.caseBuilder(env);
  const meta = {
    carrier: flags.carrier?.trim() || null,
    note: flags.note?.trim() || null,
    inspector: forTerminal(ctx.agentName(flags.inspector?.trim() || undefined)).trim(),
  };
  const scan = (input: ScanInput) => app.scanOne(ports, env, input, meta, build);
  const io = ctx.io;
  const asOf = ctx.zone.iso(ctx.nowMs);
  if (single) {
    const one = await scan(single);
    if (flags.json) io.out(JSON.stringify({ asOf, scans: [one], rejected: [] }, null, 2));
    else io.out(fitDesk(renderScan(one, io), process.stdout.isTTY ? process.stdout.columns : null));
    return 0;
  }
  // On a terminal each scan is followed by its condition (Enter = OK), unless --quick or
  // --condition say it for every parcel.
  const run = await scanner.runScanner({
    io,
    scan,
    fallback,
    askCondition: !flags.quick && flags.condition === undefined,
    json: Boolean(flags.json),
    asOf,
  });
  if (run.interrupted) {
    io.err(t('interrupted'));
    return EXIT.interrupted;
  }
  return 0;
}
