// Rows of the PostgreSQL backend as the domain's values. pg/connect.ts's type parsers make a pg row
// read like the SQLite backend's row of the same table (times as the shop-zone ISO text, int8 and
// numeric as numbers, booleans as 1 / 0, json as its text), so these mappers are the SQLite
// backend's, line for line (store.ts; sqlite/rows.ts after issue 15): the same Refund, Order,
// Decision and receipt come out of both, and so the same --json.
import type { StoredDeadline } from '../../domain/inputs.js';
import type {
  Decision,
  DecisionAction,
  DisputeState,
  Order,
  Platform,
  Refund,
  RefundStatus,
  RefundType,
  WarehouseReceipt,
} from '../../domain/types.js';

export type Row = Record<string, unknown>;

/**
 * What the read ports run their SQL on: the open unit of work's client, or the pool outside one.
 * Failures come out mapped (pgStoreError), as transaction.ts's PgTx and pgQuery give them.
 */
export interface PgReadQuery {
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

export const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === 1);
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A refund with its order's `shipped` (the order export knows best whether goods left). Alias r. */
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

/** Numbered parameters ($1, $2, …) collected as a query is built. */
export class Params {
  readonly values: unknown[] = [];
  /** The placeholder of `v`, with a cast when pg cannot infer the type (e.g. `text[]`). */
  add(v: unknown, cast?: string): string {
    this.values.push(v);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

/** The WHERE terms of the open refunds a filter selects (the SQLite backend's openWhere). */
export function openWhere(
  p: Params,
  filter: { platform?: Platform; statuses?: RefundStatus[]; dueWithinMs?: number | null; nowMs?: number },
): string[] {
  const where = ["r.status NOT IN ('CLOSED', 'SUCCESS')"];
  if (filter.platform) where.push(`r.platform = ${p.add(filter.platform)}`);
  if (filter.statuses?.length) where.push(`r.status = ANY(${p.add(filter.statuses, 'text[]')})`);
  if (filter.dueWithinMs !== undefined && filter.dueWithinMs !== null) {
    where.push(`r.deadline_at IS NOT NULL AND r.deadline_at - ${p.add(filter.nowMs ?? 0, 'bigint')} <= ${p.add(filter.dueWithinMs, 'bigint')}`);
  }
  return where;
}
