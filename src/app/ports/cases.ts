// Reads of one case and its neighbours: what `show`, `lookup`, `receive` and the case file need.
import type { OpenRefundFilter } from '../../domain/inputs.js';
import type { Decision, Order, Platform, Refund, StatusChange, WarehouseReceipt } from '../../domain/types.js';
import type { BuyerCaseRow, BuyerIdentityRow, BuyerWindow } from './reports.js';

export interface CaseReader {
  /** The refund with this exact ID, or null. */
  refund(id: string): Promise<Refund | null>;
  /** The refund IDs of an order, sorted as text (ORDER BY refund_id). */
  refundIdsForOrder(orderId: string): Promise<string[]>;
  /** Up to `limit` refund IDs that look like `id` (same 6-char prefix or suffix, or the order ID), by edit distance then text; for "did you mean". */
  similarRefundIds(id: string, limit: number): Promise<string[]>;
  /** The order with this ID, or null. */
  order(id: string): Promise<Order | null>;
  /** The orders with these IDs, by ID (IDs not found are absent): the summary's receivers, in one read. */
  orders(ids: string[]): Promise<Map<string, Order>>;
  /** The refund's status history in the order it was recorded. */
  history(refundId: string): Promise<StatusChange[]>;
  /** The refund's decisions, oldest first (id order: the last is the latest). */
  decisions(refundId: string): Promise<Decision[]>;
  /** Warehouse receipts of a waybill key (domain/waybill.ts), by received_at then id. */
  receiptsForWaybill(key: string): Promise<WarehouseReceipt[]>;
  /** Refunds whose return waybill has this key; order not promised. */
  refundsByWaybill(key: string): Promise<Refund[]>;
  /** The same for many keys in one read: each key's refunds (order not promised); keys without any are absent. */
  refundsByWaybills(keys: string[]): Promise<Map<string, Refund[]>>;
  /** Every warehouse receipt with its waybill key and source, by received_at then id. */
  allReceipts(): Promise<(WarehouseReceipt & { waybillKey: string; source: string })[]>;
  /** Open refunds (not SUCCESS/CLOSED), optionally of one platform / these statuses; order not promised (callers sort). */
  openRefunds(filter?: OpenRefundFilter): Promise<Refund[]>;
  /** When refund exports were last imported, per platform (ISO text as stored). Platforms never imported are absent. */
  lastRefundImports(): Promise<Map<Platform, string>>;
  /** The id of the latest imports log line (any kind), or null when nothing was ever imported. */
  lastImportId(): Promise<number | null>;
  /** The buyer a refund is matched by (refund nick, else its order's buyer), with its platform; null when no such refund. */
  buyerIdentity(refundId: string): Promise<BuyerIdentityRow | null>;
  /** The buyer's refunds applied in the window (the given refund always included), oldest first. */
  buyerCases(w: BuyerWindow): Promise<BuyerCaseRow[]>;
  /** How many orders the buyer paid (else created) in the window, plus `refundedOrderIds`, counted once each. */
  buyerOrderCount(w: BuyerWindow, refundedOrderIds: string[]): Promise<number>;
}
