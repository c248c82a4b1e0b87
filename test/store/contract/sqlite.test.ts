// The store contract on SQLite: a new database file per test.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Ports } from '../../../src/app/ports/index.js';
import type { Clock } from '../../../src/domain/time.js';
import { openStore } from '../../../src/store/store.js';
import { portsOf } from '../../../src/store/legacyPorts.js';
import { tmpDir } from '../../helpers/cli.js';
import { describeStore, type OpenedStore } from './suite.js';

/** THE backend under test: today the legacy Store behind the ports adapter; the native SQLite backend replaces this one line. */
const openSqlite = async (file: string, clock: Clock): Promise<Ports> => portsOf(openStore(file), clock);

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
      backupFile: {
        open: async (backup) => {
          const p = await openSqlite(backup, clock);
          return { ports: p, close: () => p.close() };
        },
      },
      firstLoadJournal: { journalMode: async () => peek(file, (db) => db.pragma('journal_mode', { simple: true }) as string) },
    },
    cleanup: async () => {
      for (const p of opened.reverse()) await p.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
