// The returns desk's use case (`refunds receive`): one scanned parcel becomes a warehouse receipt
// (never lost, matched or not) and the refund case(s) it belongs to, with what to do now. Ports
// in, a view model out; the scanner loop is ui/receiveScanner.ts, the wiring cli/receive.ts.
//
// What "the same scan" means (domain/returns.ts repeatsToday): scanning a waybill again on the
// same shop-local day with the same condition, while that is still the waybill's latest receipt,
// records nothing ("already registered today"); the first scan's time stays the receipt time. A
// different condition (a re-inspection: "ok" then "damaged") is a new receipt and, being the
// latest, decides the case; a scan on another day is a new receipt too. Carrier, note and
// inspector do not make a scan new.
import { createHash } from 'node:crypto';
import { deadlineFor } from '../domain/deadlines.js';
import { latestReceipt, matchReceipt, receiptStatusFor, repeatsToday, type Condition, type ReceiptState, type ReceiptStatus, type ReturnNextStep } from '../domain/returns.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { RuleSet } from '../domain/rules.js';
import type { ShopZone } from '../domain/time.js';
import type { Refund, RefundStatus } from '../domain/types.js';
import { urgencyFor } from '../domain/urgency.js';
import { waybillKey } from '../domain/waybill.js';
import type { TxPorts } from './ports/index.js';

/** A refund as the desk shows it, and as `receive`/`returns --json` print it (ui/returnsView.ts CaseJson). */
export interface ReturnCase {
  refundId: string;
  orderId: string;
  platform: string;
  status: RefundStatus;
  statusText: string;
  buyerNick: string | null;
  itemTitle: string | null;
  amountCents: number;
  returnWaybill: string | null;
  orange: boolean;
  deadline: string | null;
  deadlineSource: 'export' | 'rule' | null;
  /** Which export column gave the deadline, when deadlineSource is "export". */
  deadlineColumn: 'exportDeadline' | 'evidenceDeadline' | null;
  /** The matching deadline rule's id (also when the export gave the deadline). */
  deadlineRule: string | null;
  /** What the platform does at the deadline: auto_refund, auto_agree, close, staff_step_in, none. */
  atTimeout: string | null;
  secondsLeft: number | null;
  overdue: boolean;
  receiptState: ReceiptState;
  nextStep: ReturnNextStep;
  actionable: boolean;
  sharedWaybill: boolean;
}

/** One scan's result, as `receive --json` prints it (ui/returnsView.ts ScanJson). */
export interface ScanResult {
  line: number | null;
  waybill: string;
  waybillKey: string;
  carrier: string | null;
  receivedAt: string;
  condition: Condition;
  inspector: string | null;
  note: string | null;
  /** "inserted": a new receipt; "duplicate": already registered today with this condition. */
  recorded: 'inserted' | 'duplicate';
  /** For a duplicate: when the existing receipt was registered. */
  registeredAt: string;
  match: 'matched' | 'ambiguous' | 'unmatched';
  sameOrder: boolean;
  refunds: ReturnCase[];
  superseded: string[];
}

export interface ReceiveEnv {
  zone: ShopZone;
  nowMs: number;
  /** The shipped rule tables merged with the config's overrides (app/rules.ts ruleSetFor), as today/show. */
  rules: RuleSet;
  calendar: WorkCalendar;
}

/** Builds the desk's view of a refund: deadline (export column or rule), time left, what to do. */
export function caseBuilder(env: ReceiveEnv): (refund: Refund, status: ReceiptStatus) => ReturnCase {
  return (refund, status) => {
    const d = deadlineFor(refund, env.rules, env.zone, env.calendar);
    const u = urgencyFor(refund, d, env.nowMs);
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
      deadline: d.at === null ? null : env.zone.iso(d.at),
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

/** A scanned parcel: the waybill as typed and its condition; `line` of standard input, or null for the argument. */
export interface ScanInput {
  raw: string;
  condition: Condition;
  line: number | null;
}

/** What every scan of one run carries. */
export interface ScanMeta {
  carrier: string | null;
  note: string | null;
  inspector: string;
}

function scanHash(key: string, receivedAt: string, condition: Condition, existing: number): string {
  return createHash('sha1').update(JSON.stringify(['scan', key, receivedAt, condition, existing])).digest('base64');
}

/** Records one scan (unless it repeats today's latest receipt) and matches it. */
export async function scanOne(
  ports: Pick<TxPorts, 'cases' | 'imports'>,
  env: ReceiveEnv,
  input: ScanInput,
  meta: ScanMeta,
  build: (refund: Refund, status: ReceiptStatus) => ReturnCase = caseBuilder(env),
): Promise<ScanResult> {
  const key = waybillKey(input.raw);
  const receivedAt = env.zone.iso(env.nowMs);
  const before = await ports.cases.receiptsForWaybill(key);
  const latest = latestReceipt(before);
  let recorded: ScanResult['recorded'] = 'inserted';
  let registeredAt = receivedAt;
  if (repeatsToday(latest, input.condition, env.nowMs, (ms) => env.zone.dateKey(ms))) {
    recorded = 'duplicate';
    registeredAt = latest!.receivedAt;
  } else {
    const row = {
      waybill: input.raw,
      waybillKey: key,
      carrier: meta.carrier,
      receivedAt,
      sku: null,
      quantity: null,
      condition: input.condition,
      inspector: meta.inspector,
      note: meta.note,
      source: 'scan',
    };
    const [outcome] = await ports.imports.writeReceipts([{ row, hash: scanHash(key, receivedAt, input.condition, before.length) }], receivedAt);
    if (outcome === 'unchanged') recorded = 'duplicate';
  }
  const [receipts, refunds] = await Promise.all([
    recorded === 'inserted' ? ports.cases.receiptsForWaybill(key) : before,
    ports.cases.refundsByWaybill(key),
  ]);
  const m = matchReceipt({ waybill: input.raw }, refunds);
  return {
    line: input.line,
    waybill: input.raw,
    waybillKey: key,
    carrier: meta.carrier,
    receivedAt,
    condition: input.condition,
    inspector: meta.inspector,
    note: meta.note,
    recorded,
    registeredAt,
    match: m.kind,
    sameOrder: m.sameOrder,
    refunds: m.refunds.map((r) => build(r, receiptStatusFor(r, receipts, refunds))),
    superseded: m.superseded.map((r) => r.refundId),
  };
}
