// Human output of the returns desk (`receive`, `returns`). Both render the same objects the
// commands print with --json, so the two views cannot disagree. Every warehouse- or buyer-written
// text goes through forTerminal.
import type { ReturnCase, ScanResult } from '../app/receive.js';
import type { ReceiptRow } from '../app/returns.js';
import { formatTimeLeft } from '../domain/urgency.js';
import type { WarehouseReceipt } from '../domain/types.js';
import { getLang, t } from './i18n.js';
import { type Output, padEnd, widthOf, yuan } from './output.js';
import { forTerminal, truncateTo } from './sanitize.js';
import { wrapToWidth } from './width.js';

// The shapes are the use cases' own (app/receive.ts, app/returns.ts): one definition, so the
// --json fields and the screen cannot drift apart.
/** One refund as the desk shows it (JSON field names are stable; see receive --help). */
export type CaseJson = ReturnCase;
export type ScanJson = ScanResult;
export type ReceiptRowJson = ReceiptRow<CaseJson>;

export interface ReturnsJson {
  asOf: string;
  counts: { receipts: number; unmatched: number; ambiguous: number; noWaybill: number; notReceived: number };
  receipts: ReceiptRowJson[];
  noWaybill: CaseJson[];
  notReceived: CaseJson[];
}

const shortTime = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
const clean = (s: string | null | undefined): string => forTerminal(s);

export function conditionLabel(c: WarehouseReceipt['condition']): string {
  return t(`returns.condition.${c}`);
}

function statusLabel(c: CaseJson): string {
  const known = t(`status.${c.status}`);
  return c.status === 'UNKNOWN' ? `${known} (${clean(c.statusText)})` : known;
}

/** "3d 4h left (export deadline 2025-04-24 13:00; then the platform refunds automatically)". */
export function timeLeftText(c: CaseJson): string {
  const lang = getLang();
  if (c.deadline === null || c.secondsLeft === null) return t('returns.deadline.none');
  const left = formatTimeLeft(c.secondsLeft, lang);
  const when = shortTime(c.deadline);
  const source =
    c.deadlineSource === 'export'
      ? t(c.deadlineColumn === 'evidenceDeadline' ? 'returns.deadline.evidence' : 'returns.deadline.export', { time: when })
      : t('returns.deadline.rule', { rule: c.deadlineRule ?? '?', time: when });
  const then = c.atTimeout && c.atTimeout !== 'none' ? t(`returns.atTimeout.${c.atTimeout}`) : '';
  return t(c.secondsLeft <= 0 ? 'returns.timeOverdue' : 'returns.timeLeft', { left, source: then ? `${source}${lang === 'zh' ? '；' : '; '}${then}` : source });
}

/** What to do now, in words. */
export function stepText(c: CaseJson): string {
  if (!c.actionable && (c.status === 'CLOSED' || c.status === 'SUCCESS')) {
    return t('returns.step.finished');
  }
  if (c.sharedWaybill && c.nextStep === 'check-waybill' && c.receiptState !== 'not-received') return t('returns.step.shared');
  return t(`returns.step.${c.receiptState}`);
}

function caseLines(c: CaseJson, io: Output, indent: string): string[] {
  const ch = io.chalk;
  const lines: string[] = [];
  lines.push(
    indent +
      t('returns.case.line', {
        refundId: clean(c.refundId),
        orderId: clean(c.orderId),
        buyer: clean(c.buyerNick) || '—',
        amount: yuan(c.amountCents),
      }),
  );
  const state = c.orange ? ch.hex('#ff8c00')(`${statusLabel(c)} (${t('returns.orange')})`) : statusLabel(c);
  const left = c.status === 'CLOSED' || c.status === 'SUCCESS' ? '' : ` · ${timeLeftText(c)}`;
  lines.push(indent + t('returns.case.state', { state }) + (c.overdue ? ch.red(left) : left));
  const step = stepText(c);
  const paint = c.nextStep === 'confirm-now' ? ch.green : c.nextStep === 'refuse-and-return' || c.sharedWaybill ? ch.red : ch.yellow;
  lines.push(indent + paint(step));
  return lines;
}

/** One scan at the desk: the parcel, the case(s) it belongs to, and what to do now. */
export function renderScan(s: ScanJson, io: Output): string {
  const ch = io.chalk;
  const lines: string[] = [];
  const head = t('returns.scan.head', {
    waybill: clean(s.waybill),
    time: shortTime(s.receivedAt),
    condition: conditionLabel(s.condition),
  });
  const recorded =
    s.recorded === 'inserted' ? t('returns.scan.recorded') : t('returns.scan.duplicate', { time: shortTime(s.registeredAt) });
  lines.push(`${ch.bold(head)} · ${s.recorded === 'inserted' ? recorded : ch.yellow(recorded)}`);
  if (s.match === 'unmatched') {
    lines.push(ch.red(`  ! ${t('returns.unmatched')}`));
    return lines.join('\n');
  }
  if (s.match === 'ambiguous') {
    const key = s.sameOrder ? 'returns.ambiguous.sameOrder' : 'returns.ambiguous.different';
    const text = t(key, { n: s.refunds.length, orderId: clean(s.refunds[0]?.orderId) });
    lines.push(s.sameOrder ? `  ${text}` : ch.red(`  ! ${text}`));
  }
  for (const c of s.refunds) lines.push(...caseLines(c, io, '  '));
  if (s.superseded.length > 0) lines.push(`  ${t('returns.superseded', { ids: s.superseded.map(clean).join(', ') })}`);
  return lines.join('\n');
}

function table(rows: string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, widthOf(cell))));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : padEnd(cell, widths[i]! + gap)))
      .join('')
      .trimEnd(),
  );
}

function matchText(r: ReceiptRowJson): string {
  if (r.match === 'unmatched') return t('returns.list.unmatched');
  const ids = r.refunds.map((c) => clean(c.refundId)).join(', ');
  if (r.match === 'ambiguous') return `${t(r.sameOrder ? 'returns.list.sameOrder' : 'returns.list.ambiguous')}: ${ids}`;
  return ids;
}

function rowStep(r: ReceiptRowJson): string {
  if (r.match === 'unmatched') return t('returns.list.keep');
  const steps = new Set(r.refunds.map((x) => t('returns.list.stepWithStatus', { status: statusLabel(x), step: stepText(x) })));
  const text = [...steps].join(' / ');
  return r.latest ? text : `${t('returns.list.earlier')} — ${text}`;
}

/** `refunds returns`: receipts newest first, 无主件 flagged, then orange refunds lacking a parcel. */
export function renderReturns(data: ReturnsJson, io: Output, opts: { unmatchedOnly: boolean }): string {
  const ch = io.chalk;
  const out: string[] = [];
  const receipts = data.receipts;
  if (receipts.length === 0) {
    out.push(opts.unmatchedOnly ? t('returns.list.noneUnmatched') : t('returns.list.none'));
  } else {
    out.push(
      ch.bold(
        opts.unmatchedOnly
          ? t('returns.list.titleUnmatched', { n: receipts.length })
          : t('returns.list.title', { n: receipts.length, unmatched: data.counts.unmatched }),
      ),
    );
    const header = [
      t('returns.col.receivedAt'),
      t('returns.col.waybill'),
      t('returns.col.condition'),
      t('returns.col.source'),
      t('returns.col.refund'),
      t('returns.col.next'),
    ];
    const rows = receipts.map((r) => [
      shortTime(r.receivedAt),
      truncateTo(clean(r.waybill), 24, widthOf),
      conditionLabel(r.condition),
      t(`returns.source.${r.source === 'scan' ? 'scan' : 'import'}`),
      truncateTo(matchText(r), 48, widthOf),
      rowStep(r),
    ]);
    const lines = table([header, ...rows]);
    out.push(ch.dim(lines[0]!));
    receipts.forEach((r, i) => {
      const line = `${lines[i + 1]!}`;
      out.push(r.match === 'unmatched' ? ch.red(line) : r.match === 'ambiguous' && !r.sameOrder ? ch.yellow(line) : line);
      const extra = [r.carrier, r.inspector, r.note].map(clean).filter((x) => x !== '');
      if (extra.length > 0 && r.match !== 'matched') out.push(ch.dim(`    ${extra.join(' · ')}`));
    });
  }
  if (opts.unmatchedOnly) return out.join('\n');
  const section = (title: string, cases: CaseJson[]) => {
    if (cases.length === 0) return;
    out.push('', ch.bold(title));
    const rows = cases.map((c) => [
      clean(c.refundId),
      clean(c.buyerNick) || '—',
      yuan(c.amountCents),
      c.returnWaybill ? clean(c.returnWaybill) : '—',
      timeLeftText(c),
    ]);
    for (const [i, line] of table(rows).entries()) out.push(cases[i]!.overdue ? ch.red(`  ${line}`) : `  ${line}`);
  };
  section(t('returns.list.noWaybillTitle', { n: data.noWaybill.length }), data.noWaybill);
  section(t('returns.list.notReceivedTitle', { n: data.notReceived.length }), data.notReceived);
  return out.join('\n');
}

const SGR = /\u001b\[[0-9;]*m/g;

/**
 * The desk's text fitted to the terminal (null: piped, left whole): a longer line is wrapped at
 * word boundaries, never inside a number or a waybill, continuing under its text ("  ! " lines
 * under the words). A line painted whole keeps its colour on every piece; a partly painted one
 * is wrapped plain.
 */
export function fitDesk(text: string, width: number | null | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      if (widthOf(line) <= width) return [line];
      const whole = /^((?:\u001b\[[0-9;]*m)+)([^\u001b]*)((?:\u001b\[[0-9;]*m)+)$/.exec(line);
      const plain = whole ? whole[2]! : line.replace(SGR, '');
      const lead = /^ */.exec(plain)![0].length;
      const indent = ' '.repeat(lead + (/^ *! /.test(plain) || lead > 0 ? 2 : 0));
      const pieces = wrapToWidth(plain, width, indent);
      return whole ? pieces.map((p) => `${whole[1]}${p}${whole[3]}`) : pieces;
    })
    .join('\n');
}
