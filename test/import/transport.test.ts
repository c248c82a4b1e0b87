// The worker's compact transport (import/transport.ts): rows go over as positional arrays. A field
// missing from the fixed lists would be dropped silently on the way, so the lists are checked
// against rows the normalizer really makes, and a mixed batch must come back exactly.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { produceRows, type Produced } from '../../src/import/produce.js';
import { ORDER_FIELDS, REFUND_FIELDS, packBatch, unpackBatch } from '../../src/import/transport.js';
import { fixture } from '../helpers/cli.js';

async function produced(name: string): Promise<Produced[]> {
  const items: Produced[] = [];
  await produceRows(Readable.from(fs.readFileSync(fixture(name))), { file: name, encoding: name.includes('gbk') ? 'gb18030' : 'utf-8', zoneName: 'Asia/Shanghai' }, {
    header() {},
    batch(b) {
      items.push(...b);
    },
  });
  return items;
}

describe('rows cross the worker boundary whole', () => {
  it('the field lists name every field of a normalized refund and order', async () => {
    const refund = (await produced('taobao-refunds-2017-gbk.csv')).find((i) => 'target' in i.result)!.result as { row: object };
    const order = (await produced('taobao-orders-gbk.csv')).find((i) => 'target' in i.result)!.result as { row: object };
    expect([...REFUND_FIELDS].sort()).toEqual(Object.keys(refund.row).sort());
    expect([...ORDER_FIELDS].sort()).toEqual(Object.keys(order.row).sort());
  });

  it('a batch of refunds, orders, receipts and rejected rows comes back equal, in order', async () => {
    const mixed = [
      ...(await produced('taobao-refunds-2017-gbk.csv')),
      ...(await produced('warehouse-returns.csv')),
      ...(await produced('taobao-orders-gbk.csv')),
      ...(await produced('douyin-aftersales.csv')),
    ];
    expect(mixed.some((i) => !('target' in i.result))).toBe(true); // the 2017 export has a rejected row
    expect(new Set(mixed.map((i) => ('target' in i.result ? i.result.target : 'rejected')))).toEqual(new Set(['refunds', 'orders', 'receipts', 'rejected']));
    const wire = structuredClone(packBatch(mixed));
    expect(unpackBatch(wire)).toEqual(mixed);
  });
});
