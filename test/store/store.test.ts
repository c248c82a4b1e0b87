import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError, defaultDbPath } from '../../src/store/store.js';
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
      expect((e as StoreError).code).toBe('newer');
      expect((e as StoreError).detail.found).toBe(SCHEMA_VERSION + 5);
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
