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

  it('rebuilt rows have the lists\' keys in order, and texts survive whatever they hold', async () => {
    const items = (await produced('taobao-refunds-2017-gbk.csv')).filter((i) => 'target' in i.result && !('warnings' in i.result && i.result.warnings));
    const orders = (await produced('taobao-orders-gbk.csv')).filter((i) => 'target' in i.result && !('warnings' in i.result && i.result.warnings));
    const refund = items[0]!.result as { row: Record<string, unknown> };
    // A NUL, a lone surrogate, an empty text, the same text twice running, and -0 come back as they went.
    const odd = { ...refund, row: { ...refund.row, buyerNote: 'a\u0000b\uD800', sku: '', reason: refund.row.itemTitle, paidCents: -0 } };
    // Texts longer than a piece, before and after an empty one, and enough rows for several pieces.
    const long = { ...refund, row: { ...refund.row, buyerNote: '长'.repeat(40_000), sku: '', reason: 'x'.repeat(33_000) } };
    const many = Array.from({ length: 400 }, (_, k) => ({ line: 200 + k, result: { ...refund, row: { ...refund.row, buyerNote: `第${k}行`.repeat(30) } } }) as Produced);
    const batch = [items[0]!, { line: 99, result: odd } as Produced, { line: 100, result: odd } as Produced, orders[0]!, items[1]!, { line: 101, result: long } as Produced, ...many];
    const back = unpackBatch(structuredClone(packBatch(batch)));
    expect(back).toEqual(batch);
    expect(Object.is((back[1]!.result as { row: { paidCents: number } }).row.paidCents, -0)).toBe(true);
    expect(Object.keys((back[0]!.result as { row: object }).row)).toEqual([...REFUND_FIELDS]);
    expect(Object.keys((back[3]!.result as { row: object }).row)).toEqual([...ORDER_FIELDS]);
  });
});
