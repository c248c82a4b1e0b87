// The store contract on PostgreSQL (issue 19): a fresh database per test, copied from a template this
// file migrates once (CREATE DATABASE … TEMPLATE: milliseconds, where migrating each would take longer).
// Claims expire on the server's clock (caps.clock 'server'). Needs REFUNDS_TEST_PG (test/helpers/pg.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import type { Ports } from '../../../src/app/ports/index.js';
import { ShopZone } from '../../../src/domain/time.js';
import { openPostgresPorts } from '../../../src/store/pg/index.js';
import { adminQuery, pgTestServer, withDatabase } from '../../helpers/pg.js';
import { describeStore, type OpenedStore } from './suite.js';

const server = await pgTestServer();
const zone = new ShopZone();
const stamp = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const template = `refunds_t_contract_tmpl_${stamp}`;
let made = 0;

describe.runIf(server)('PostgreSQL', () => {
  beforeAll(async () => {
    await adminQuery(server!.url, `CREATE DATABASE "${template}"`);
    const p = await openPostgresPorts(withDatabase(server!.url, template), { zone });
    await p.close();
  });
  afterAll(async () => {
    await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  });

  describeStore('postgres', async (): Promise<OpenedStore> => {
    const name = `refunds_t_contract_${stamp}_${++made}`;
    await adminQuery(server!.url, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    const url = withDatabase(server!.url, name);
    const opened: Ports[] = [];
    const connect = async () => {
      const p = await openPostgresPorts(url, { zone });
      opened.push(p);
      return p;
    };
    const ports = await connect();
    return {
      ports,
      connect,
      extrasByName: async (target) => {
        const q =
          target === 'orders'
            ? 'SELECT order_id AS id, extra_json::text AS extra_json FROM orders LEFT JOIN orders_extra USING (order_id)'
            : 'SELECT refund_id AS id, extra_json::text AS extra_json FROM refunds LEFT JOIN refunds_extra USING (refund_id)';
        const rows = await adminQuery<{ id: string; extra_json: string | null }>(url, q);
        return new Map(rows.map((r) => [r.id, r.extra_json === null ? null : (JSON.parse(r.extra_json) as Record<string, string>)]));
      },
      caps: { clock: 'server', readUnitsRefuseWrites: true },
      cleanup: async () => {
        for (const p of opened.reverse()) await p.close();
        await adminQuery(server!.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  });
});
