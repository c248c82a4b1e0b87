// Stored rows → domain values, shared by every backend. A row reads the same on SQLite and on
// PostgreSQL (pg/connect.ts's type parsers: times as the shop-zone ISO text, booleans as 1 / 0, bigint
// as numbers, json as text), so one set of mappers serves both.
import type { StoredDeadline } from '../../domain/inputs.js';
import type { Decision, DecisionAction, DisputeState, Order, Platform, Refund, RefundStatus, RefundType, WarehouseReceipt } from '../../domain/types.js';

export type Row = Record<string, unknown>;

export const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === 1);
export const boolIn = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const REFUND_SELECT = `
  SELECT r.*, o.shipped AS order_shipped
  FROM refunds r LEFT JOIN orders o ON o.order_id = r.order_id`;

export function refundFromRow(r: Row): Refund {
  const orderShipped = bool(r.order_shipped);
  return {
    refundId: r.refund_id as string,
    orderId: r.order_id as string,
    platform: r.platform as Platform,
    status: r.status as RefundStatus,
    statusText: r.status_text as string,
    amountCents: r.amount_cents as number,
    paidCents: (r.paid_cents as number | null) ?? null,
    appliedAt: str(r.applied_at),
    exportDeadline: str(r.export_deadline),
    refundType: (r.refund_type as RefundType | null) ?? null,
    returnRequired: bool(r.return_required),
    goodsStatus: str(r.goods_status),
    // The order export knows best whether goods left the warehouse.
    shipped: orderShipped ?? bool(r.shipped),
    phase: str(r.phase),
    disputeState: (r.dispute_state as DisputeState) ?? 'none',
    disputeText: str(r.dispute_text),
    evidenceDeadline: str(r.evidence_deadline),
    buyerNick: str(r.buyer_nick),
    itemTitle: str(r.item_title),
    sku: str(r.sku),
    reason: str(r.reason),
    buyerNote: str(r.buyer_note),
    returnWaybill: str(r.return_waybill),
    returnCarrier: str(r.return_carrier),
    returnedAt: str(r.returned_at),
    finishedAt: str(r.finished_at),
    sellerNote: str(r.seller_note),
    statusSince: r.status_since as string,
    firstSeenAt: r.first_seen_at as string,
  };
}

export function deadlineFromRow(r: Row): StoredDeadline {
  return {
    at: (r.deadline_at as number | null) ?? null,
    source: (r.deadline_source as StoredDeadline['source']) ?? null,
    rule: str(r.deadline_rule),
    actor: (r.waiting_on as StoredDeadline['actor'] | null) ?? 'seller',
    atTimeout: str(r.at_timeout),
  };
}

export function orderFromRow(r: Row): Order {
  return {
    orderId: r.order_id as string,
    platform: r.platform as Platform,
    buyerNick: str(r.buyer_nick),
    statusText: str(r.status_text),
    status: str(r.status),
    paidCents: (r.paid_cents as number | null) ?? null,
    postageCents: (r.postage_cents as number | null) ?? null,
    createdAt: str(r.created_at),
    paidAt: str(r.paid_at),
    shipped: bool(r.shipped),
    waybill: str(r.waybill),
    carrier: str(r.carrier),
    receiverName: str(r.receiver_name),
    address: str(r.address),
    phone: str(r.phone),
    buyerMessage: str(r.buyer_message),
    itemTitle: str(r.item_title),
    quantity: (r.quantity as number | null) ?? null,
    shopName: str(r.shop_name),
    closeReason: str(r.close_reason),
  };
}

export function decisionFromRow(r: Row): Decision {
  return {
    id: r.id as number,
    refundId: r.refund_id as string,
    action: r.action as DecisionAction,
    amountCents: (r.amount_cents as number | null) ?? null,
    note: str(r.note),
    evidence: JSON.parse((r.evidence_json as string) || '[]') as string[],
    agent: r.agent as string,
    decidedAt: r.decided_at as string,
    expectedStatus: r.expected_status_json ? (JSON.parse(r.expected_status_json as string) as RefundStatus[]) : null,
    checklist: JSON.parse((r.checklist_json as string) || '[]') as string[],
    buyerMessage: str(r.buyer_message),
    source: r.source as 'triage' | 'decide' | 'decide-forced',
    flags: r.flags_json ? (JSON.parse(r.flags_json as string) as { id: string; why: string }[]) : null,
  };
}

export function receiptFromRow(r: Row): WarehouseReceipt & { waybillKey: string; source: string } {
  return {
    id: r.id as number,
    waybill: r.waybill as string,
    waybillKey: r.waybill_key as string,
    carrier: str(r.carrier),
    receivedAt: r.received_at as string,
    sku: str(r.sku),
    quantity: (r.quantity as number | null) ?? null,
    condition: r.condition as WarehouseReceipt['condition'],
    inspector: str(r.inspector),
    note: str(r.note),
    source: r.source as string,
  };
}
