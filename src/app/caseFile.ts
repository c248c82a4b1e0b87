// Everything known about one refund: the sweep's assessment plus its order, history, decisions and
// warehouse receipts. Used by `show`, `triage` and `decide`.
// caseFile reads through the ports.
import type { Decision, Order, StatusChange, WarehouseReceipt } from '../domain/types.js';
import { waybillKey } from '../domain/waybill.js';
import type { BuyerHistory } from '../domain/buyerHistory.js';
import { buyerHistoryJson, buyerHistoryOf } from './buyerHistory.js';
import type { TxPorts } from './ports/index.js';
import { assess, refundJson, type SweepEnv, type SweepItem } from './sweep.js';

export interface CaseFile extends SweepItem {
  order: Order | null;
  history: StatusChange[];
  decisions: Decision[];
  receipts: WarehouseReceipt[];
  /** The buyer's refunds at this shop on this platform, with flags (app/buyerHistory.ts). */
  buyerHistory: BuyerHistory;
}

/**
 * The case file of one refund through the ports (`ports` or a unit of work's `tx`: wrap it in a
 * 'read' unit of work for one snapshot); null when no such refund.
 */
export async function caseFile({ cases }: Pick<TxPorts, 'cases'>, env: SweepEnv, refundId: string): Promise<CaseFile | null> {
  const refund = await cases.refund(refundId);
  if (!refund) return null;
  const decisions = await cases.decisions(refundId);
  const receipts = refund.returnWaybill ? await cases.receiptsForWaybill(waybillKey(refund.returnWaybill)) : [];
  const item = assess(refund, env, {
    decision: decisions.at(-1) ?? null,
    receipts,
    lastImportAt: (await cases.lastRefundImports()).get(refund.platform) ?? null,
  });
  const buyer = await buyerHistoryOf(cases, refund, env, env.buyer);
  return { ...item, order: await cases.order(refund.orderId), history: await cases.history(refundId), decisions, receipts, buyerHistory: buyer };
}

/** Resolves what the user typed: a refund ID, or an order ID with exactly one refund. */
export async function resolveRefundId(cases: Pick<TxPorts['cases'], 'refund' | 'refundIdsForOrder' | 'similarRefundIds'>, typed: string): Promise<{ id: string | null; suggestions: string[] }> {
  const id = typed.trim().replace(/^="?|"$/g, '').replace(/^'/, '');
  if (await cases.refund(id)) return { id, suggestions: [] };
  const byOrder = await cases.refundIdsForOrder(id);
  if (byOrder.length === 1) return { id: byOrder[0]!, suggestions: [] };
  if (byOrder.length > 1) return { id: null, suggestions: byOrder };
  return { id: null, suggestions: await cases.similarRefundIds(id, 3) };
}

export function caseJson(c: CaseFile, env: SweepEnv) {
  const latest = c.receipts.at(-1) ?? null;
  return {
    refund: {
      ...refundJson(c, env.zone),
      paidCents: c.refund.paidCents,
      refundType: c.refund.refundType,
      shipped: c.refund.shipped,
      goodsStatus: c.refund.goodsStatus,
      buyerNote: c.refund.buyerNote,
      returnWaybill: c.refund.returnWaybill,
      returnCarrier: c.refund.returnCarrier,
      returnedAt: c.refund.returnedAt,
      evidenceDeadline: c.refund.evidenceDeadline,
      statusSince: c.refund.statusSince,
      deadlineExplained: {
        source: c.deadline.source,
        column: c.deadline.anchor?.field === 'export' ? (c.deadline.anchor.column ?? null) : null,
        rule: c.deadline.rule
          ? { id: c.deadline.rule.id, window: c.deadline.rule.window, anchor: c.deadline.rule.anchor, source: c.deadline.rule.source, confidence: c.deadline.rule.confidence }
          : null,
        anchorField: c.deadline.anchor?.field ?? null,
        anchorAt: c.deadline.anchor ? env.zone.iso(c.deadline.anchor.at) : null,
        ruleDeadline: c.deadline.ruleAt === null ? null : env.zone.iso(c.deadline.ruleAt),
        atTimeout: c.deadline.atTimeout,
        waitingOn: c.deadline.actor,
        calendarKnown: c.deadline.calendarKnown,
      },
    },
    order: c.order,
    history: c.history.map((h) => ({ status: h.status, statusText: h.statusText, seenAt: h.seenAt })),
    decisions: c.decisions,
    warehouse: latest ? { receivedAt: latest.receivedAt, condition: latest.condition, waybill: latest.waybill } : null,
    buyerHistory: buyerHistoryJson(c.buyerHistory),
  };
}
