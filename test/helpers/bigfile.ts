// A large, valid Taobao refund export made from the fixture's own rows, for crash and
// concurrency tests: the fixture's data lines repeated with fresh refund IDs.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { fixture } from './cli.js';

export function bigRefundExport(dir: string, rows: number): string {
  const text = iconv.decode(fs.readFileSync(fixture('taobao-refunds-2017-gbk.csv')), 'gb18030');
  const lines = text.split('\r\n').filter((l) => l !== '');
  const header = lines[0]!;
  // Line 2 is a clean row whose refund ID is the second cell, written ="1587001122334455001".
  const template = lines[1]!;
  const idCell = '="1587001122334455001"';
  if (!template.includes(idCell)) throw new Error('fixture changed: update bigRefundExport');
  const out = [header];
  for (let i = 0; i < rows; i++) out.push(template.replace(idCell, `="${(9000000000000000000n + BigInt(i)).toString()}"`));
  const file = path.join(dir, `big-${rows}.csv`);
  fs.writeFileSync(file, iconv.encode(out.join('\r\n') + '\r\n', 'gb18030'));
  return file;
}
