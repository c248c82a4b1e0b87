// `refunds receive [WAYBILL]`: the returns desk. A barcode scanner types the waybill and Enter;
// each scan records a warehouse receipt (never lost, matched or not) and shows the refund case it
// belongs to with what to do now.
//
// What "the same scan" means: scanning a waybill again on the same shop-local day with the same
// condition, while that is still the waybill's latest receipt, records nothing ("already
// registered today"); the first scan's time stays the receipt time. A different condition (a
// re-inspection: "ok" then "damaged") is a new receipt and, being the latest, decides the case;
// a scan on another day is a new receipt too. Carrier, note and inspector do not make a scan new.
import type { Command } from 'commander';
import { EXIT, UsageError, UserError } from '../errors.js';
import { nodeCrypto } from '../lib/cjs.js';
import { latestReceipt, matchReceipt, receiptStatusFor, type ReceiptStatus } from '../domain/returns.js';
import type { Refund, WarehouseReceipt } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { waybillKey } from '../store/waybill.js';
import { t } from '../ui/i18n.js';
import type { CaseJson, ScanJson } from '../ui/returnsView.js';
import { forTerminal } from '../ui/sanitize.js';
import type { Context } from './context.js';

type Condition = WarehouseReceipt['condition'];

interface ReceiveFlags {
  carrier?: string;
  condition?: string;
  note?: string;
  inspector?: string;
  json?: boolean;
  quick?: boolean;
}

/** Words accepted for a condition, on the command line or after a waybill on a scanned line. */
const CONDITION_WORDS: Record<string, Condition> = {
  ok: 'ok',
  damaged: 'damaged',
  'wrong-item': 'wrong-item',
  wrong: 'wrong-item',
  empty: 'empty',
  正常: 'ok',
  破损: 'damaged',
  错货: 'wrong-item',
  空包: 'empty',
};

export function conditionFromWord(word: string): Condition | null {
  return CONDITION_WORDS[word.trim().toLowerCase()] ?? null;
}

const WAYBILL_RE = /^[A-Z0-9]{5,40}$/;
/** Real waybill numbers are digits after a short carrier prefix (SF, YT, JDVA, ZTO …). */
const MIN_DIGITS = 6;
const MAX_LETTERS = 6;

/** Why this text cannot be a waybill number, or null when it can. */
export function waybillProblem(raw: string): string | null {
  const key = waybillKey(raw);
  const shown = forTerminal(raw).slice(0, 60);
  if (!WAYBILL_RE.test(key)) return t('returns.badWaybill', { value: shown });
  const digits = key.replace(/[^0-9]/g, '').length;
  if (digits < MIN_DIGITS) return t('returns.badWaybill.digits', { value: shown, digits });
  const letters = key.length - digits;
  if (letters > MAX_LETTERS) return t('returns.badWaybill.letters', { value: shown, letters });
  return null;
}

/** The desk's answer to "condition?": Enter = ok, 1 damaged, 2 wrong item, 3 empty (or a word). */
export function conditionFromAnswer(text: string): Condition | null {
  const s = text.trim();
  if (s === '') return 'ok';
  const n: Record<string, Condition> = { '1': 'damaged', '2': 'wrong-item', '3': 'empty', '0': 'ok' };
  return n[s] ?? conditionFromWord(s);
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

/** Builds the desk's view of a refund: deadline (export column or rule), time left, what to do. */
export async function caseBuilder(ctx: Context): Promise<(refund: Refund, status: ReceiptStatus) => CaseJson> {
  const [{ deadlineFor }, { ruleSetFor }, { chinaCalendar }, { urgencyFor }] = await Promise.all([
    import('../domain/deadlines.js'),
    import('../app/rules.js'),
    import('../app/calendarData.js'),
    import('../domain/urgency.js'),
  ]);
  // The same rules as today/show: shipped tables merged with the config's overrides.
  const ruleSet = ruleSetFor(ctx.config, ctx.configFile);
  const calendar = chinaCalendar();
  return (refund, status) => {
    const d = deadlineFor(refund, ruleSet, ctx.zone, calendar);
    const u = urgencyFor(refund, d, ctx.nowMs);
    return {
      refundId: refund.refundId,
      orderId: refund.orderId,
      platform: refund.platform,
      status: refund.status,
      statusText: refund.statusText,
      buyerNick: refund.buyerNick,
      itemTitle: refund.itemTitle,
      amountCents: refund.amountCents,
      returnWaybill: refund.returnWaybill,
      orange: u.orange,
      deadline: d.at === null ? null : ctx.zone.iso(d.at),
      deadlineSource: d.source,
      deadlineColumn: d.anchor?.field === 'export' ? (d.anchor.column ?? null) : null,
      deadlineRule: d.rule?.id ?? null,
      atTimeout: d.atTimeout,
      secondsLeft: u.secondsLeft,
      overdue: u.overdue,
      receiptState: status.state,
      nextStep: status.nextStep,
      actionable: status.actionable,
      sharedWaybill: status.sharedWaybill,
    };
  };
}

interface ScanInput {
  raw: string;
  condition: Condition;
  line: number | null;
}

class BadScan extends Error {}

/** A scanned line: a waybill, optionally followed by a condition word (`named`: it was). */
function parseLine(text: string, fallback: Condition, line: number | null): ScanInput & { named: boolean } {
  const words = text.trim().split(/\s+/);
  let condition = fallback;
  let named = false;
  if (words.length >= 2) {
    const c = conditionFromWord(words[words.length - 1]!);
    if (c !== null) {
      condition = c;
      named = true;
      words.pop();
    }
  }
  const raw = words.join(' ');
  const problem = waybillProblem(raw);
  if (problem) throw new BadScan(problem);
  return { raw, condition, line, named };
}

function scanHash(key: string, receivedAt: string, condition: Condition, existing: number): string {
  return nodeCrypto().createHash('sha1').update(JSON.stringify(['scan', key, receivedAt, condition, existing])).digest('base64');
}

interface ScanDeps {
  ctx: Context;
  store: Store;
  flags: ReceiveFlags;
  inspector: string;
  build: (refund: Refund, status: ReceiptStatus) => CaseJson;
}

/** Records one scan (unless it repeats today's latest receipt) and matches it. */
function scanOne(input: ScanInput, deps: ScanDeps): ScanJson {
  const { ctx, store, flags } = deps;
  const key = waybillKey(input.raw);
  const receivedAt = ctx.zone.iso(ctx.nowMs);
  const before = store.receiptsForWaybill(key);
  const latest = latestReceipt(before);
  let recorded: ScanJson['recorded'] = 'inserted';
  let registeredAt = receivedAt;
  const today = ctx.zone.dateKey(ctx.nowMs);
  if (latest && latest.condition === input.condition && ctx.zone.dateKey(Date.parse(latest.receivedAt)) === today) {
    recorded = 'duplicate';
    registeredAt = latest.receivedAt;
  } else {
    const outcome = store.addReceipt(
      {
        waybill: input.raw,
        waybillKey: key,
        carrier: flags.carrier?.trim() || null,
        receivedAt,
        sku: null,
        quantity: null,
        condition: input.condition,
        inspector: deps.inspector,
        note: flags.note?.trim() || null,
        source: 'scan',
      },
      scanHash(key, receivedAt, input.condition, before.length),
      receivedAt,
    );
    if (outcome === 'unchanged') recorded = 'duplicate';
  }
  const receipts = recorded === 'inserted' ? store.receiptsForWaybill(key) : before;
  const refunds = store.refundsByWaybill(key);
  const m = matchReceipt({ waybill: input.raw }, refunds);
  return {
    line: input.line,
    waybill: input.raw,
    waybillKey: key,
    carrier: flags.carrier?.trim() || null,
    receivedAt,
    condition: input.condition,
    inspector: deps.inspector,
    note: flags.note?.trim() || null,
    recorded,
    registeredAt,
    match: m.kind,
    sameOrder: m.sameOrder,
    refunds: m.refunds.map((r) => deps.build(r, receiptStatusFor(r, receipts, refunds))),
    superseded: m.superseded.map((r) => r.refundId),
  };
}

async function runReceive(ctx: Context, waybill: string | undefined, flags: ReceiveFlags): Promise<number> {
  let fallback: Condition = 'ok';
  if (flags.condition !== undefined) {
    const c = conditionFromWord(flags.condition);
    if (c === null) throw new UsageError(t('returns.badCondition', { value: forTerminal(flags.condition) }), t('hint.help', { command: 'receive' }));
    fallback = c;
  }
  // Check the single argument before opening (and perhaps creating) the database.
  let single: ScanInput | null = null;
  if (waybill !== undefined) {
    if (waybill.trim() === '') throw new UserError(t('returns.emptyArg'));
    try {
      single = parseLine(waybill, fallback, null);
    } catch (e) {
      if (e instanceof BadScan) throw new UserError(e.message);
      throw e;
    }
  }
  const store = ctx.store({ create: true });
  const deps: ScanDeps = {
    ctx,
    store,
    flags,
    inspector: forTerminal(ctx.agentName(flags.inspector?.trim() || undefined)).trim(),
    build: await caseBuilder(ctx),
  };
  const { renderScan, fitDesk } = await import('../ui/returnsView.js');
  const io = ctx.io;
  const asOf = ctx.zone.iso(ctx.nowMs);

  if (single) {
    const scan = scanOne(single, deps);
    if (flags.json) io.out(JSON.stringify({ asOf, scans: [scan], rejected: [] }, null, 2));
    else io.out(fitDesk(renderScan(scan, io), process.stdout.isTTY ? process.stdout.columns : null));
    return 0;
  }

  const interactive = Boolean(process.stdin.isTTY);
  // At the desk's terminal, lines are wrapped at word boundaries to its width (an 80-column
  // terminal would cut a waybill or an amount in two); piped output stays whole.
  const errWidth = interactive && process.stderr.isTTY ? process.stderr.columns : null;
  const outWidth = process.stdout.isTTY ? process.stdout.columns : null;
  const deskErr = (text: string) => io.err(fitDesk(text, errWidth));
  const scans: ScanJson[] = [];
  const rejected: { line: number; input: string; message: string }[] = [];
  const readline = await import('node:readline');
  const rl = readline.createInterface({
    input: process.stdin,
    output: interactive ? process.stderr : undefined,
    terminal: interactive,
    crlfDelay: Infinity,
  });
  let interrupted = false;
  if (interactive) {
    // Ctrl-C in raw mode reaches readline, not the process: end the loop and exit 130. Every scan
    // already shown is saved (each receipt is committed on its own).
    rl.on('SIGINT', () => {
      interrupted = true;
      rl.close();
    });
  }
  // On a terminal each scan is followed by its condition (Enter = OK), unless --quick or
  // --condition say it for every parcel.
  const ask = interactive && !flags.quick && flags.condition === undefined;
  if (interactive) {
    deskErr(t(ask ? 'returns.loopHelpAsk' : 'returns.loopHelp'));
    rl.setPrompt(t('returns.prompt'));
    rl.prompt();
  }
  let pending: ScanInput | null = null;
  const scanPrompt = () => rl.setPrompt(t('returns.prompt'));
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    const trimmed = text.trim();
    let input: ScanInput | null = null;
    if (pending) {
      const condition = conditionFromAnswer(trimmed);
      if (condition === null) {
        if (trimmed.toLowerCase() === 'q') {
          io.err(t('returns.pendingDropped', { waybill: forTerminal(pending.raw) }));
          pending = null;
          break;
        }
        deskErr(t('returns.badConditionAnswer', { waybill: forTerminal(pending.raw) }));
        process.stderr.write('\u0007');
        rl.prompt();
        continue;
      }
      input = { ...pending, condition };
      pending = null;
      scanPrompt();
    } else {
      if (trimmed === '') {
        if (interactive) break;
        continue;
      }
      if (trimmed.toLowerCase() === 'q') break;
    }
    try {
      if (!input) {
        const parsed = parseLine(trimmed, fallback, lineNo);
        if (ask && !parsed.named) {
          pending = { raw: parsed.raw, condition: fallback, line: parsed.line };
          rl.setPrompt(t('returns.conditionPrompt', { waybill: forTerminal(parsed.raw) }));
          rl.prompt();
          continue;
        }
        input = parsed;
      }
      const scan = scanOne(input, deps);
      scans.push(scan);
      if (!flags.json) io.out(fitDesk(renderScan(scan, io), outWidth));
      else if (interactive) deskErr(renderScan(scan, io));
      if (interactive && (scan.match !== 'matched' || scan.refunds.some((c) => c.nextStep !== 'confirm-now'))) {
        process.stderr.write('\u0007'); // a bell: the desk has its eyes on the parcels, not the screen
      }
    } catch (e) {
      if (!(e instanceof BadScan)) throw e;
      rejected.push({ line: lineNo, input: forTerminal(trimmed).slice(0, 80), message: e.message });
      if (interactive) deskErr(t('returns.rejectedScan', { message: e.message }));
      else io.err(t('returns.rejectedLine', { line: lineNo, message: e.message }));
      if (interactive) process.stderr.write('\u0007');
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  if (pending) io.err(t('returns.pendingDropped', { waybill: forTerminal((pending as ScanInput).raw) }));
  if (flags.json) {
    io.out(JSON.stringify({ asOf, scans, rejected }, null, 2));
  } else if (scans.length === 0 && rejected.length === 0 && !interactive) {
    io.err(t('returns.nothingRead'));
  }
  if (scans.length > 0 || rejected.length > 0) {
    deskErr(
      t('returns.summary', {
        n: scans.length,
        inserted: scans.filter((s) => s.recorded === 'inserted').length,
        duplicate: scans.filter((s) => s.recorded === 'duplicate').length,
        unmatched: scans.filter((s) => s.match === 'unmatched').length,
        rejected: rejected.length,
      }),
    );
  }
  if (interrupted) {
    io.err(t('interrupted'));
    return EXIT.interrupted;
  }
  return 0;
}
