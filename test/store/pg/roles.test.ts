// The roles README "Team mode" tells a shop to create, run as written on a real server: the
// superuser block (database, owner, refunds_agent, refunds_lead, one login each), the schema migrated
// as the owner, then the owner's GRANT block. An agent may read and decide, receive, claim and save
// deadlines, and nothing else (no refund written, no import logged); the lead may also import and
// purge. A refused write is StoreError 'forbidden' in one line, naming the user and never a password.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/app/ports/errors.js';
import { ShopZone } from '../../../src/domain/time.js';
import { connectPg, type PgConnection } from '../../../src/store/pg/connect.js';
import { migratePg } from '../../../src/store/pg/migrate.js';
import { pgQuery } from '../../../src/store/pg/transaction.js';
import { ROOT } from '../../helpers/cli.js';
import { adminQuery, pgTestServer, withDatabase } from '../../helpers/pg.js';

const zone = new ShopZone();
const server = await pgTestServer();
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The SQL between <!-- sql:NAME --> markers of the README, one statement per entry. */
function readmeStatements(name: string): string[] {
  const m = new RegExp(`<!-- sql:${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\`\\s*<!-- /sql:${name} -->`).exec(readme);
  if (!m) throw new Error(`README has no sql:${name} block`);
  return m[1]!
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// Roles are the cluster's, not one database's: every name gets this run's suffix, so runs and files
// in parallel never meet. Nothing else of the README's text changes.
const tag = `_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const NAMES = ['refunds_owner', 'refunds_agent', 'refunds_lead', 'wang_fang', 'li_lei'];
const own = (sql: string) =>
  sql
    .replace(new RegExp(`\\b(${NAMES.join('|')})\\b`, 'g'), `$1${tag}`)
    .replace(/\bDATABASE refunds\b/g, `DATABASE refunds${tag}`);
const database = `refunds${tag}`;

describe.runIf(server)('README "Team mode" roles on a real server', () => {
  const urlOf = (role: string) => withDatabase(server!.url, database).replace(/^postgresql:\/\/[^@]*@/, `postgresql://${role}${tag}@`);
  const conns: PgConnection[] = [];
  const as = async (role: string) => {
    const c = await connectPg(urlOf(role), { zone });
    conns.push(c);
    return c;
  };
  let agent: PgConnection;
  let lead: PgConnection;
  /** The error a statement fails with (StoreError from pgStoreError), or null when it succeeds. */
  const refusal = async (c: PgConnection, sql: string, params: unknown[] = []): Promise<StoreError | null> => {
    try {
      await pgQuery(c, sql, params);
      return null;
    } catch (e) {
      if (e instanceof StoreError) return e;
      throw e;
    }
  };

  beforeAll(async () => {
    // The superuser block, statement by statement (CREATE DATABASE cannot run inside a transaction).
    for (const sql of readmeStatements('team-roles')) await adminQuery(server!.url, own(sql));
    const owner = await as('refunds_owner');
    await migratePg(owner.pool, owner.errorContext);
    for (const sql of readmeStatements('team-grants')) await pgQuery(owner, own(sql));
    // A shop's data, as the owner's import would have written it.
    await pgQuery(
      owner,
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, status_since, first_seen_at, updated_at, buyer_nick)
       VALUES ('158700112233445506', 'taobao', '4123456789012345606', 'WAIT_SELLER_CONFIRM_GOODS', '买家已经退货，等待卖家确认收货', 12900,
               '2025-04-20T10:00:00+08:00', '2025-04-20T10:00:00+08:00', '2025-04-20T10:00:00+08:00', '小明')`,
    );
    agent = await as('wang_fang');
    lead = await as('li_lei');
  });

  afterAll(async () => {
    for (const c of conns) await c.close();
    if (!server) return;
    await adminQuery(server.url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    for (const r of ['wang_fang', 'li_lei', 'refunds_lead', 'refunds_agent', 'refunds_owner']) await adminQuery(server.url, `DROP ROLE IF EXISTS ${r}${tag}`);
  });

  it('the README blocks are the ones the test runs', () => {
    expect(readmeStatements('team-roles')).toHaveLength(8);
    expect(readmeStatements('team-grants')).toHaveLength(9);
    expect(readmeStatements('team-grants').join('\n')).toContain('GRANT INSERT ON decisions, warehouse_receipts TO refunds_agent');
  });

  it('an agent reads everything and records decisions', async () => {
    for (const t of ['refunds', 'orders', 'refund_history', 'decisions', 'warehouse_receipts', 'claims', 'snoozes', 'imports', 'meta', 'import_columns', 'refunds_extra', 'refunds_schema_migrations']) {
      expect(await refusal(agent, `SELECT count(*) FROM ${t}`), t).toBeNull();
    }
    const before = (await pgQuery(agent, 'SELECT count(*)::int AS n FROM decisions')).rows[0]!.n;
    const inserted = await pgQuery<{ id: number; agent: string; decided_at: string }>(
      agent,
      `INSERT INTO decisions (refund_id, action, amount_cents, agent, decided_at, status_at_decision, source)
       VALUES ($1, 'approve', 12900, 'wang_fang', '2025-04-21T09:00:00+08:00', 'WAIT_SELLER_CONFIRM_GOODS', 'triage') RETURNING id, agent, decided_at`,
      ['158700112233445506'],
    );
    expect(inserted.rows).toEqual([{ id: 1, agent: 'wang_fang', decided_at: '2025-04-21T09:00:00+08:00' }]);
    expect((await pgQuery(agent, 'SELECT count(*)::int AS n FROM decisions')).rows[0]!.n).toBe(before + 1);
  });

  it('an agent receives parcels, claims and snoozes cases, keeps meta and saves deadlines', async () => {
    const ok = [
      [
        `INSERT INTO warehouse_receipts (waybill, waybill_key, received_at, condition, source, row_hash, recorded_at)
         VALUES ('YT2345678901234', 'YT2345678901234', '2025-04-21T10:00:00+08:00', 'intact', 'receive', 'h1', '2025-04-21T10:00:00+08:00')`,
      ],
      [`INSERT INTO claims (refund_id, agent, session, expires_at) VALUES ('158700112233445506', 'wang_fang', 's1', refunds_epoch_ms(clock_timestamp()) + 600000)`],
      [`UPDATE claims SET expires_at = expires_at + 1 WHERE refund_id = '158700112233445506'`],
      [`DELETE FROM claims WHERE session = 's1'`],
      [`INSERT INTO snoozes (refund_id, agent, until) VALUES ('158700112233445506', 'wang_fang', '2025-04-22T09:00:00+08:00')`],
      [`INSERT INTO meta (key, value) VALUES ('rows.wang_fang', '[]') ON CONFLICT (key) DO UPDATE SET value = excluded.value`],
      [`UPDATE refunds SET deadline_at = 1745600000000, deadline_source = 'rule', deadline_rule = 'taobao.wait-seller-confirm-goods.express', waiting_on = 'seller', at_timeout = 'auto_refund' WHERE refund_id = '158700112233445506'`],
      // decisions.record and the triage claim lock the refund's row.
      [`SELECT refund_id FROM refunds WHERE refund_id = '158700112233445506' FOR UPDATE`],
    ];
    for (const [sql] of ok) expect(await refusal(agent, sql!), sql).toBeNull();
  });

  it('an agent cannot write refunds, orders, history, imports or layouts, nor change a decision', async () => {
    const refused = [
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, status_since, first_seen_at, updated_at)
       VALUES ('1', 'taobao', '2', 'SUCCESS', '退款成功', 1, now(), now(), now())`,
      `UPDATE refunds SET status = 'SUCCESS' WHERE refund_id = '158700112233445506'`,
      `UPDATE refunds SET buyer_nick = NULL WHERE refund_id = '158700112233445506'`,
      `INSERT INTO orders (order_id, platform, first_seen_at, updated_at) VALUES ('2', 'taobao', now(), now())`,
      `INSERT INTO refund_history (refund_id, status, status_text, seen_at) VALUES ('158700112233445506', 'SUCCESS', 'x', now())`,
      `INSERT INTO imports (file, kind, encoding, imported_at, inserted, updated, unchanged, rejected) VALUES ('f', 'k', 'utf-8', now(), 0, 0, 0, 0)`,
      `INSERT INTO import_columns (columns_json, slots_json, constants_json) VALUES ('[]', '[]', '[]')`,
      `UPDATE decisions SET action = 'refuse'`,
      `DELETE FROM decisions`,
      `DELETE FROM warehouse_receipts`,
      `CREATE TABLE agent_scratch (x int)`,
    ];
    for (const sql of refused) {
      const e = await refusal(agent, sql);
      expect(e, sql).toBeInstanceOf(StoreError);
      expect(e!.kind, sql).toBe('forbidden');
      expect(e!.message, sql).toMatch(new RegExp(`^user "wang_fang${tag}" lacks a privilege on postgresql://wang_fang${tag}@/${database}\\?host=`));
      expect(e!.message.split('\n'), sql).toHaveLength(1);
    }
    const row = (await pgQuery(agent, `SELECT status, buyer_nick FROM refunds WHERE refund_id = '158700112233445506'`)).rows;
    expect(row).toEqual([{ status: 'WAIT_SELLER_CONFIRM_GOODS', buyer_nick: '小明' }]);
  });

  it('the lead imports, purges and copies into the empty database too', async () => {
    const ok = [
      `INSERT INTO import_columns (columns_json, slots_json, constants_json) VALUES ('["店铺"]', '[0]', '[null]')`,
      `INSERT INTO refunds (refund_id, platform, order_id, status, status_text, amount_cents, status_since, first_seen_at, updated_at)
       VALUES ('158700112233445507', 'taobao', '4123456789012345607', 'WAIT_SELLER_AGREE', '买家已经申请退款，等待卖家同意', 5990, now(), now(), now())`,
      `UPDATE refunds SET status_text = '退款成功', status = 'SUCCESS' WHERE refund_id = '158700112233445507'`,
      `INSERT INTO orders (order_id, platform, first_seen_at, updated_at) VALUES ('4123456789012345607', 'taobao', now(), now())`,
      `INSERT INTO refund_history (refund_id, status, status_text, seen_at) VALUES ('158700112233445507', 'SUCCESS', '退款成功', now())`,
      `INSERT INTO imports (file, kind, encoding, imported_at, inserted, updated, unchanged, rejected) VALUES ('ExportRefundList.csv', 'taobao-refunds', 'gb18030', now(), 1, 0, 0, 0)`,
      // purge: personal data erased, unused layouts removed
      `UPDATE refunds SET buyer_nick = NULL, purged_at = now() WHERE refund_id = '158700112233445507'`,
      `DELETE FROM import_columns WHERE id NOT IN (SELECT extra_columns FROM refunds WHERE extra_columns IS NOT NULL)`,
      // copy keeps ids, then moves the sequences past them
      `INSERT INTO decisions (id, refund_id, action, agent, decided_at, source) OVERRIDING SYSTEM VALUE VALUES (100, '158700112233445507', 'approve', 'li_lei', now(), 'copy')`,
      `SELECT setval(pg_get_serial_sequence('decisions', 'id'), 100)`,
    ];
    for (const sql of ok) expect(await refusal(lead, sql), sql).toBeNull();
    // Migrations stay the owner's.
    expect((await refusal(lead, 'CREATE TABLE lead_scratch (x int)'))?.kind).toBe('forbidden');
  });
});
