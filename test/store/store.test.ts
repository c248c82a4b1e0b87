import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError, defaultDbPath, SECTION_RANK as SECTION_RANK_SQL } from '../../src/store/store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { tmpDir } from '../helpers/cli.js';

describe('schema versioning', () => {
  it('creates a new database at the latest version, owner-only, in WAL mode', () => {
    const file = path.join(tmpDir(), 'sub', 'r.sqlite');
    const s = openStore(file);
    s.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all().map((r: any) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['refunds', 'orders', 'decisions', 'refund_history', 'warehouse_receipts']));
    db.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a database written by a newer version', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openStore(file)).toThrow(StoreError);
    try {
      openStore(file);
    } catch (e) {
      expect((e as StoreError).kind).toBe('newer');
      expect((e as StoreError).details.found).toBe(SCHEMA_VERSION + 5);
    }
  });

  it('refuses a SQLite file that is not ours, and leaves it untouched', () => {
    const file = path.join(tmpDir(), 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER)');
    db.close();
    const before = fs.readFileSync(file);
    expect(() => openStore(file)).toThrow(/no refunds schema/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database at all', () => {
    const file = path.join(tmpDir(), 'notes.sqlite');
    fs.writeFileSync(file, 'just some text, not sqlite '.repeat(100));
    expect(() => openStore(file)).toThrow(StoreError);
  });

  it('migrates in place and backs up first', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    openStore(file).close();
    const next = [...MIGRATIONS, 'ALTER TABLE refunds ADD COLUMN tag TEXT;'];
    const backups: string[] = [];
    const s = openStore(file, { migrations: next, onBackup: (f) => backups.push(f) });
    s.close();
    expect(backups).toEqual([`${file}.v${SCHEMA_VERSION}.bak`]);
    const bak = new Database(backups[0]!);
    expect(bak.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    bak.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare('PRAGMA table_info(refunds)').all().some((c: any) => c.name === 'tag')).toBe(true);
    db.close();
    expect(fs.statSync(backups[0]!).mode & 0o777).toBe(0o600);
  });

  it('a read-only command on a missing database creates no file', () => {
    const file = path.join(tmpDir(), 'missing.sqlite');
    const s = openStore(file, { readonly: true });
    expect(s.openRefunds()).toEqual([]);
    s.close();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('puts the default database under XDG_DATA_HOME or ~/.local/share', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' }, '/home/a')).toBe('/data/refunds/refunds.sqlite');
    expect(defaultDbPath({}, '/home/a')).toBe('/home/a/.local/share/refunds/refunds.sqlite');
  });
});

describe('the sweep ranked in SQL (rankedSections)', () => {
  // Every open state × every waiting_on × deadlines in each bucket, ties and NULL included.
  function seeded(): { file: string; ids: string[] } {
    const file = path.join(tmpDir(), 'rank.sqlite');
    openStore(file).close();
    const db = new Database(file);
    const ins = db.prepare(
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, status_since,
         first_seen_at, updated_at, deadline_at, waiting_on) VALUES (?, ?, 'o', ?, 's', 100, 't', 't', 't', ?, ?)`,
    );
    const H = 3600_000;
    const now = Date.parse('2025-04-21T09:00:00+08:00');
    const deadlines = [null, now - 5 * H, now - 5 * H, now, now + H, now + 24 * H, now + 25 * H, now + 100 * H];
    const ids: string[] = [];
    let n = 0;
    for (const status of ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'UNKNOWN', 'CLOSED', 'SUCCESS']) {
      for (const waiting of ['seller', 'buyer', 'platform', 'none', null]) {
        for (const d of deadlines) {
          n++;
          // IDs of different lengths, so the numeric-looking tie-break (length, then text) matters.
          const id = n % 3 === 0 ? String(900 + n) : String(100000 + ((n * 7919) % 50000));
          ins.run(id, n % 2 ? 'taobao' : 'douyin', status, d, waiting);
          ids.push(id);
        }
      }
    }
    db.close();
    return { file, ids };
  }

  it('sizes, counts and each section\'s first rows equal a row-by-row SECTION_RANK with a window sort', () => {
    const { file } = seeded();
    const store = openStore(file, { readonly: true });
    const db = new Database(file, { readonly: true });
    const now = Date.parse('2025-04-21T09:00:00+08:00');
    for (const nowMs of [now, now + 3 * 3600_000, now + 30 * 3600_000])
      for (const perSection of [1, 3, null]) {
        const window = 24 * 3600_000;
        const got = store.rankedSections({ nowMs, dueSoonMs: window, perSection });
        const expected = db
          .prepare(
            `SELECT refund_id, section_rank, size FROM (
               SELECT r.refund_id, ${SECTION_RANK_SQL} AS section_rank,
                 count(*) OVER (PARTITION BY ${SECTION_RANK_SQL}) AS size,
                 row_number() OVER (PARTITION BY ${SECTION_RANK_SQL}
                   ORDER BY r.deadline_at IS NULL, r.deadline_at, length(r.refund_id), r.refund_id) AS k
               FROM refunds r WHERE r.status NOT IN ('CLOSED', 'SUCCESS'))
             WHERE k <= :limit ORDER BY section_rank DESC, k`,
          )
          .all({ now: nowMs, window, limit: perSection ?? 1e9 }) as { refund_id: string; size: number }[];
        expect(got.rows.map((r) => [r.refund.refundId, r.sectionSize])).toEqual(expected.map((e) => [e.refund_id, e.size]));
        const c = db
          .prepare(
            `SELECT count(*) AS open, total(deadline_at <= :now) AS overdue,
               total(deadline_at > :now AND deadline_at - :now <= :window) AS dueSoon,
               total(status = 'WAIT_SELLER_CONFIRM_GOODS') AS orange, total(waiting_on = 'seller') AS sellerMustAct,
               total(waiting_on = 'buyer') AS waitingOnBuyer
             FROM refunds WHERE status NOT IN ('CLOSED', 'SUCCESS')`,
          )
          .get({ now: nowMs, window });
        expect(got.counts).toEqual({ ...(c as object), notCarriedOut: 0 });
        expect(got.counts.open).toBe(5 * 5 * 8);
      }
    db.close();
    store.close();
  });
});
