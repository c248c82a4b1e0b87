// The returns desk's scanner loop (`refunds receive` without a waybill): a barcode scanner types
// the waybill and Enter; on a terminal each scan is followed by its condition (Enter = OK) unless
// --quick or --condition say it for every parcel, or the line ends with a condition word. Without
// a terminal, waybills are read from standard input, one per line. Each scan is recorded by the
// `scan` it is given (app/receive.ts scanOne, through the cli) and committed on its own.
import type { ScanInput, ScanResult } from '../app/receive.js';
import { conditionFromAnswer, conditionFromWord, waybillProblem, type Condition } from '../domain/returns.js';
import { t } from './i18n.js';
import type { Output } from './output.js';
import { fitDesk, renderScan } from './returnsView.js';
import { forTerminal } from './sanitize.js';

/** Why this text cannot be a waybill number, in the agent's language, or null when it can. */
export function waybillProblemText(raw: string): string | null {
  const p = waybillProblem(raw);
  if (!p) return null;
  const shown = forTerminal(raw).slice(0, 60);
  if (p.kind === 'digits') return t('returns.badWaybill.digits', { value: shown, digits: p.digits });
  if (p.kind === 'letters') return t('returns.badWaybill.letters', { value: shown, letters: p.letters });
  return t('returns.badWaybill', { value: shown });
}

/** A line that cannot be a scan; the message says why. */
export class BadScan extends Error {}

/** A scanned line: a waybill, optionally followed by a condition word (`named`: it was). */
export function parseScanLine(text: string, fallback: Condition, line: number | null): ScanInput & { named: boolean } {
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
  const problem = waybillProblemText(raw);
  if (problem) throw new BadScan(problem);
  return { raw, condition, line, named };
}

export interface ScannerOptions {
  io: Output;
  /** Records one parcel (and matches it). */
  scan: (input: ScanInput) => Promise<ScanResult>;
  /** The condition of every parcel not asked about (--condition, default ok). */
  fallback: Condition;
  /** Ask each parcel's condition on a terminal (not --quick, no --condition). */
  askCondition: boolean;
  /** One JSON document on stdout at the end ({ asOf, scans, rejected }). */
  json: boolean;
  asOf: string;
}

export interface ScannerRun {
  scans: ScanResult[];
  rejected: { line: number; input: string; message: string }[];
  /** Ctrl-C ended the loop (exit 130). */
  interrupted: boolean;
}

/** Reads scans until an empty line (terminal), q, Ctrl-D or the end of input. */
export async function runScanner(o: ScannerOptions): Promise<ScannerRun> {
  const { io } = o;
  const interactive = Boolean(process.stdin.isTTY);
  // At the desk's terminal, lines are wrapped at word boundaries to its width (an 80-column
  // terminal would cut a waybill or an amount in two); piped output stays whole.
  const errWidth = interactive && process.stderr.isTTY ? process.stderr.columns : null;
  const outWidth = process.stdout.isTTY ? process.stdout.columns : null;
  const deskErr = (text: string) => io.err(fitDesk(text, errWidth));
  const scans: ScanResult[] = [];
  const rejected: ScannerRun['rejected'] = [];
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
  const ask = interactive && o.askCondition;
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
        const parsed = parseScanLine(trimmed, o.fallback, lineNo);
        if (ask && !parsed.named) {
          pending = { raw: parsed.raw, condition: o.fallback, line: parsed.line };
          rl.setPrompt(t('returns.conditionPrompt', { waybill: forTerminal(parsed.raw) }));
          rl.prompt();
          continue;
        }
        input = parsed;
      }
      const scan = await o.scan(input);
      scans.push(scan);
      if (!o.json) io.out(fitDesk(renderScan(scan, io), outWidth));
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
  if (o.json) {
    io.out(JSON.stringify({ asOf: o.asOf, scans, rejected }, null, 2));
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
  return { scans, rejected, interrupted };
}
