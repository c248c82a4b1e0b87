// The store contract on SQLite: a new database file per test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Ports } from '../../../src/app/ports/index.js';
import type { Clock } from '../../../src/domain/time.js';
import { openSqlitePorts } from '../../../src/store/sqlite/index.js';
import { ROOT, tmpDir } from '../../helpers/cli.js';
import { describeStore, type OpenedStore } from './suite.js';

/** THE backend under test: the native SQLite backend (src/store/sqlite). */
const openSqlite = async (file: string, clock: Clock): Promise<Ports> => openSqlitePorts(file, { clock });

/** A short-lived second connection of our own, for what users' SQL sees (closed at once: SQLite's first load needs to be alone). */
function peek<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describeStore('sqlite', async ({ clock }): Promise<OpenedStore> => {
  const dir = tmpDir('refunds-contract-');
  const file = path.join(dir, 'refunds.sqlite');
  const opened: Ports[] = [];
  const connect = async () => {
    const p = await openSqlite(file, clock);
    opened.push(p);
    return p;
  };
  const ports = await connect();
  return {
    ports,
    connect,
    extrasByName: async (target) =>
      peek(file, (db) => {
        const q =
          target === 'orders'
            ? 'SELECT order_id AS id, extra_json FROM orders LEFT JOIN orders_extra USING (order_id)'
            : 'SELECT refund_id AS id, extra_json FROM refunds LEFT JOIN refunds_extra USING (refund_id)';
        const rows = db.prepare(q).all() as { id: string; extra_json: string | null }[];
        return new Map(rows.map((r) => [r.id, r.extra_json === null ? null : (JSON.parse(r.extra_json) as Record<string, string>)]));
      }),
    caps: {
      clock: 'injected',
      // The native backend runs a read unit under PRAGMA query_only.
      readUnitsRefuseWrites: true,
      backupFile: {
        open: async (backup) => {
          const p = await openSqlite(backup, clock);
          return { ports: p, close: () => p.close() };
        },
      },
      otherProcess: { holdWriteLock: (ms) => holdWriteLock(file, ms) },
      firstLoadJournal: { journalMode: async () => peek(file, (db) => db.pragma('journal_mode', { simple: true }) as string) },
    },
    cleanup: async () => {
      for (const p of opened.reverse()) await p.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** Another process takes the write lock (BEGIN IMMEDIATE), says so, and lets go after `ms`. */
function holdWriteLock(file: string, ms: number): Promise<{ done: Promise<void> }> {
  const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('held')) resolve({ done });
    });
    done.catch(reject);
  });
}
