// The section rule has one definition (domain/sections.ts); the store's SQL CASE is generated
// from it. Both must put every (status, waiting on, deadline band) in the same section.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { rankOf, sectionOf, slicesOf, URGENCY_SECTIONS, type WaitingOn } from '../../src/domain/sections.js';
import { urgencyFor } from '../../src/domain/urgency.js';
import type { RefundStatus } from '../../src/domain/types.js';
import { kindToPlatformSql, lastRefundImportSql, platformToKindSql, sectionRankSql } from '../../src/store/common/sql.js';
import { platformOfKind, REFUND_IMPORT_KINDS } from '../../src/domain/platforms.js';

const STATUSES: RefundStatus[] = [
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'SELLER_REFUSE_BUYER',
  'CLOSED',
  'SUCCESS',
  'UNKNOWN',
];
const WAITING: (WaitingOn | null)[] = ['seller', 'buyer', 'platform', 'none', null];
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const WINDOW = 24 * 3_600_000;
// Every band and its edges: overdue (past, exactly now), due soon (just after now, exactly the
// window's end), later (just past the window, far), no deadline.
const DEADLINES: (number | null)[] = [NOW - 86_400_000, NOW - 1, NOW, NOW + 1, NOW + WINDOW - 1, NOW + WINDOW, NOW + WINDOW + 1, NOW + 30 * 86_400_000, null];

describe('sectionRankSql', () => {
  it('is the CASE the store used to write by hand, character for character', () => {
    expect(sectionRankSql('r')).toBe(`CASE
  WHEN r.deadline_at IS NOT NULL AND r.deadline_at <= :now AND r.waiting_on IN ('seller', 'platform') THEN 5
  WHEN r.deadline_at IS NOT NULL AND r.deadline_at - :now <= :window AND r.waiting_on IN ('seller', 'platform') THEN 4
  WHEN r.status = 'WAIT_SELLER_CONFIRM_GOODS' THEN 3
  WHEN r.waiting_on = 'seller' THEN 2
  WHEN r.waiting_on = 'buyer' THEN 1
  ELSE 0 END`);
  });

  it('ranks every (status, waiting on, deadline band) as sectionOf does', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE refunds (refund_id TEXT, status TEXT, waiting_on TEXT, deadline_at INTEGER)');
    const insert = db.prepare('INSERT INTO refunds VALUES (?, ?, ?, ?)');
    const expected = new Map<string, number>();
    let n = 0;
    for (const status of STATUSES)
      for (const waitingOn of WAITING)
        for (const deadlineAt of DEADLINES) {
          const id = String(++n);
          insert.run(id, status, waitingOn, deadlineAt);
          expected.set(id, rankOf(sectionOf({ status, waitingOn, deadlineAt }, NOW, WINDOW)));
        }
    const rows = db
      .prepare(`SELECT r.refund_id AS id, ${sectionRankSql('r')} AS rank FROM refunds r`)
      .all({ now: NOW, window: WINDOW }) as { id: string; rank: number }[];
    expect(rows).toHaveLength(STATUSES.length * WAITING.length * DEADLINES.length);
    expect(rows).toHaveLength(315);
    expect(new Map(rows.map((r) => [r.id, r.rank]))).toEqual(expected);
    // Every section is reached by some row: the grid is not trivially one section.
    expect(new Set(rows.map((r) => r.rank))).toEqual(new Set([5, 4, 3, 2, 1, 0]));
    db.close();
  });

  it('sectionOf is the section urgencyFor gives (a computed deadline always has an actor)', () => {
    for (const status of STATUSES)
      for (const actor of ['seller', 'buyer', 'platform', 'none'] as const)
        for (const at of DEADLINES) {
          const refund = { refundId: '1', status } as Parameters<typeof urgencyFor>[0];
          const u = urgencyFor(refund, { at, actor } as Parameters<typeof urgencyFor>[1], NOW, { dueSoonMs: WINDOW });
          expect(u.section).toBe(sectionOf({ status, waitingOn: actor, deadlineAt: at }, NOW, WINDOW));
        }
  });

  it('slicesOf splits a (status, waiting on) pair into deadline ranges of one section each', () => {
    expect(slicesOf({ status: 'WAIT_SELLER_AGREE', waiting_on: 'seller', n: 10, overdue: 2, due: 5 }, NOW, WINDOW)).toEqual([
      { rank: 5, rows: 2, after: -8.64e15, upTo: NOW, undated: false },
      { rank: 4, rows: 3, after: NOW, upTo: NOW + WINDOW, undated: false },
      { rank: 2, rows: 5, after: NOW + WINDOW, upTo: 8.64e15, undated: true },
    ]);
    expect(slicesOf({ status: 'WAIT_SELLER_CONFIRM_GOODS', waiting_on: 'platform', n: 4, overdue: 1, due: 1 }, NOW, WINDOW).map((s) => s.rank)).toEqual([5, 4, 3]);
    expect(slicesOf({ status: 'WAIT_BUYER_RETURN_GOODS', waiting_on: 'buyer', n: 7, overdue: 3, due: 4 }, NOW, WINDOW)).toEqual([
      { rank: 1, rows: 7, after: -8.64e15, upTo: 8.64e15, undated: true },
    ]);
    expect(URGENCY_SECTIONS).toEqual(['overdue', 'dueSoon', 'orange', 'seller', 'buyer', 'other']);
  });
});

describe('kind ↔ platform SQL', () => {
  it('is the CASE the store used to write, and agrees with platformOfKind', () => {
    expect(kindToPlatformSql('kind')).toBe("CASE kind WHEN 'douyin-aftersales' THEN 'douyin' WHEN 'pdd-aftersales' THEN 'pdd' ELSE 'taobao' END");
    expect(platformToKindSql('r.platform')).toBe(
      "CASE r.platform WHEN 'douyin' THEN 'douyin-aftersales' WHEN 'pdd' THEN 'pdd-aftersales' ELSE 'taobao-refunds' END",
    );
    const db = new Database(':memory:');
    db.exec('CREATE TABLE imports (kind TEXT, imported_at TEXT)');
    const insert = db.prepare('INSERT INTO imports VALUES (?, ?)');
    insert.run('taobao-refunds', '2025-04-20T08:00:00+08:00');
    insert.run('taobao-refunds', '2025-04-21T08:00:00+08:00');
    insert.run('pdd-aftersales', '2025-04-19T08:00:00+08:00');
    insert.run('taobao-orders', '2025-04-22T08:00:00+08:00');
    insert.run('warehouse-returns', '2025-04-22T09:00:00+08:00');
    const rows = db.prepare(`${lastRefundImportSql()} ORDER BY 1`).all();
    expect(rows).toEqual([
      { platform: 'pdd', at: '2025-04-19T08:00:00+08:00' },
      { platform: 'taobao', at: '2025-04-21T08:00:00+08:00' },
    ]);
    for (const kind of REFUND_IMPORT_KINDS) {
      const [sql] = db.prepare(`SELECT ${kindToPlatformSql('?')} AS p`).all(kind) as { p: string }[];
      expect(sql!.p).toBe(platformOfKind(kind));
    }
    expect(platformOfKind('taobao-orders')).toBeNull();
    db.close();
  });
});
