// Two import-side promises of the store:
// - the first load into an empty database goes through a rollback journal (each page written
//   once) and leaves the database in WAL mode, whatever happens;
// - a re-import tells unchanged rows from changed ones by comparing columns (schema 3 dropped the
//   row hashes), and a schema-2 database upgrades to it keeping its rows.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../helpers/syncStore.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/schema.js';
import { tmpDir } from '../helpers/cli.js';
import { orderInput, refundInput } from './contract/inputs.js';

const refund = refundInput;
const order = orderInput;
const SEEN = '2025-04-21T09:00:00+08:00';
const LATER = '2025-04-22T09:00:00+08:00';

const journalMode = (s: Store): string => (s.sql<{ journal_mode: string }>('PRAGMA journal_mode')[0]!).journal_mode;

describe('the first load into an empty database', () => {
  it('goes through a rollback journal and leaves WAL on at COMMIT', () => {
    const file = path.join(tmpDir(), 'first.sqlite');
    const s = openStore(file);
    s.begin({ load: true });
    expect(journalMode(s)).toBe('delete');
    expect(s.upsertRefund(refund(), SEEN, 'a.csv')).toBe('inserted');
    s.commit();
    expect(journalMode(s)).toBe('wal');
    s.close();
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT refund_id, amount_cents FROM refunds').all()).toEqual([{ refund_id: '2024100112345678', amount_cents: 5990 }]);
    db.close();
  });

  it('leaves WAL on after a rollback too, with nothing written', () => {
    const file = path.join(tmpDir(), 'rolled.sqlite');
    const s = openStore(file);
    s.begin({ load: true });
    s.upsertRefund(refund(), SEEN, 'a.csv');
    s.rollback();
    expect(journalMode(s)).toBe('wal');
    expect(s.counts().refunds).toBe(0);
    s.close();
  });

  it('stays in WAL when the database holds data, when another connection is open, and for other writers', () => {
    const file = path.join(tmpDir(), 'kept.sqlite');
    const s = openStore(file);
    s.begin({ load: true });
    s.upsertRefund(refund(), SEEN, 'a.csv');
    s.commit();
    s.begin({ load: true }); // not empty any more: readers must keep seeing the data as it was
    expect(journalMode(s)).toBe('wal');
    s.rollback();
    s.close();

    const empty = path.join(tmpDir(), 'watched.sqlite');
    const t = openStore(empty);
    const reader = new Database(empty); // a reader with the database open: leaving WAL would block it
    reader.prepare('SELECT count(*) FROM refunds').get();
    t.begin({ load: true });
    expect(journalMode(t)).toBe('wal');
    t.rollback();
    reader.close();
    t.begin(); // triage's decisions: never a load
    expect(journalMode(t)).toBe('wal');
    t.rollback();
    t.close();
  });
});

describe('a re-import compares columns', () => {
  it('reports unchanged rows as unchanged and any changed column as updated, refunds and orders alike', () => {
    const s = openStore(path.join(tmpDir(), 'cmp.sqlite'));
    s.begin({ load: true });
    const mark = s.newRowsMark();
    expect(s.upsertRefund(refund(), SEEN, 'a.csv')).toBe('inserted');
    expect(s.upsertOrder(order(), SEEN, 'o.csv')).toBe('inserted');
    s.recordFirstSightings(mark);
    s.commit();
    s.begin({ load: true });
    expect(s.upsertRefund(refund(), LATER, 'b.csv')).toBe('unchanged');
    expect(s.upsertOrder(order(), LATER, 'o2.csv')).toBe('unchanged');
    // One column at a time, each of a different type: text, nullable text, money, yes/no, JSON.
    expect(s.upsertRefund(refund({ buyerNote: '颜色不对' }), LATER, 'b.csv')).toBe('updated');
    expect(s.upsertRefund(refund({ buyerNote: '颜色不对' }), LATER, 'b.csv')).toBe('unchanged');
    expect(s.upsertRefund(refund({ buyerNote: '颜色不对', amountCents: 5000 }), LATER, 'b.csv')).toBe('updated');
    expect(s.upsertRefund(refund({ buyerNote: '颜色不对', amountCents: 5000, shipped: true }), LATER, 'b.csv')).toBe('updated');
    expect(s.upsertRefund(refund({ buyerNote: '颜色不对', amountCents: 5000, shipped: true, extraJson: null }), LATER, 'b.csv')).toBe('updated');
    expect(s.upsertOrder(order({ shipped: null }), LATER, 'o2.csv')).toBe('updated');
    expect(s.upsertOrder(order({ shipped: null }), LATER, 'o2.csv')).toBe('unchanged');
    s.commit();
    const [r] = s.sql<Record<string, unknown>>('SELECT buyer_note, amount_cents, shipped, extra_json, status_since, updated_at, source_file FROM refunds LEFT JOIN refunds_extra USING (refund_id)');
    expect(r).toEqual({ buyer_note: '颜色不对', amount_cents: 5000, shipped: 1, extra_json: null, status_since: SEEN, updated_at: LATER, source_file: 'b.csv' });
    // Only a change of state is history.
    expect(s.history('2024100112345678').map((h) => [h.status, h.seenAt])).toEqual([['WAIT_SELLER_AGREE', SEEN]]);
    s.close();
  });

  it('upgrades a schema-2 database: row hashes and the redundant open-refunds index go, the rows stay, a re-import finds them unchanged', () => {
    const file = path.join(tmpDir(), 'v2.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 2)) old.exec(m);
    old.pragma('user_version = 2');
    old.prepare(
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, paid_cents, applied_at,
         export_deadline, refund_type, return_required, goods_status, shipped, phase, dispute_state, buyer_nick, item_title, sku,
         reason, extra_json, row_hash, status_since, first_seen_at, updated_at, source_file)
       VALUES ('2024100112345678', 'taobao', '3012345678901234567', 'WAIT_SELLER_AGREE', '买家已经申请退款，等待卖家同意', 5990, 5990,
         '2025-04-20T10:31:05+08:00', '2025-04-22T10:31:05+08:00', 'refund_only', 0, '买家未收到货', 0, '售中', 'none', 'tb1234',
         '连衣裙', 'A-1', '不想要了', '{"审核操作人":"大刘"}', 'r7qr2OupZdb3AstRrRKD4LEom3g=', ?, ?, ?, 'a.csv')`,
    ).run(SEEN, SEEN, SEEN);
    old.close();

    const backups: string[] = [];
    const s = openStore(file, { onBackup: (f) => backups.push(f) });
    expect(backups).toEqual([`${file}.v2.bak`]);
    expect(s.sql<{ name: string }>("SELECT name FROM pragma_table_info('refunds') WHERE name = 'row_hash'")).toEqual([]);
    expect(s.sql<{ name: string }>("SELECT name FROM pragma_table_info('orders') WHERE name = 'row_hash'")).toEqual([]);
    expect(s.sql<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'refunds' ORDER BY name").map((r) => r.name)).toEqual([
      'refunds_active', 'refunds_buyer', 'refunds_needing_deadline', 'refunds_open_rank', 'refunds_order', 'refunds_waybill', 'sqlite_autoindex_refunds_1',
    ]);
    expect(s.sql('PRAGMA user_version')).toEqual([{ user_version: SCHEMA_VERSION }]);
    s.begin({ load: true });
    expect(journalMode(s)).toBe('wal');
    expect(s.upsertRefund(refund(), LATER, 'b.csv')).toBe('unchanged');
    s.commit();
    expect(s.refund('2024100112345678')?.firstSeenAt).toBe(SEEN);
    s.close();
  });
});

describe('purge stays purged', () => {
  it('a later import of the same or a newer export never writes the erased personal data back', () => {
    const s = openStore(path.join(tmpDir(), 'purge.sqlite'));
    const done = { status: 'SUCCESS' as const, statusText: '退款成功', finishedAt: '2025-04-20T12:00:00+08:00', buyerNote: '尺码小了' };
    s.begin({ load: true });
    s.upsertRefund(refund(done), SEEN, 'a.csv');
    s.upsertOrder(order(), SEEN, 'o.csv');
    s.commit();
    expect(s.purgePersonalData('2025-04-21T00:00:00+08:00', false, SEEN)).toEqual({ refunds: 1, orders: 1 });
    const personal = () => ({
      refund: s.sql('SELECT buyer_nick, buyer_note, extra_json, purged_at FROM refunds LEFT JOIN refunds_extra USING (refund_id)')[0],
      order: s.sql('SELECT buyer_nick, receiver_name, address, phone, buyer_message, extra_json, purged_at FROM orders LEFT JOIN orders_extra USING (order_id)')[0],
    });
    const erased = {
      refund: { buyer_nick: null, buyer_note: null, extra_json: null, purged_at: SEEN },
      order: { buyer_nick: null, receiver_name: null, address: null, phone: null, buyer_message: null, extra_json: null, purged_at: SEEN },
    };
    expect(personal()).toEqual(erased);
    s.begin({ load: true });
    // The same export again: nothing but the erased columns differs, so nothing changed.
    expect(s.upsertRefund(refund(done), LATER, 'a.csv')).toBe('unchanged');
    expect(s.upsertOrder(order(), LATER, 'o.csv')).toBe('unchanged');
    // A newer export that changes something else: that change lands, the personal data does not.
    expect(s.upsertRefund(refund({ ...done, sellerNote: '已退款' }), LATER, 'b.csv')).toBe('updated');
    expect(s.upsertOrder(order({ carrier: '中通快递' }), LATER, 'o2.csv')).toBe('updated');
    s.commit();
    expect(personal()).toEqual(erased);
    expect(s.sql('SELECT seller_note FROM refunds')).toEqual([{ seller_note: '已退款' }]);
    expect(s.sql('SELECT carrier FROM orders')).toEqual([{ carrier: '中通快递' }]);
    s.close();
  });
});
