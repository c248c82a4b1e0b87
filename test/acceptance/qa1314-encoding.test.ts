// Acceptance run of issues 13/14: a GBK export whose later part is UTF-8 (two exports joined, or a
// tool that switched) was decoded as GB18030 into valid-looking garbage (「退款成功」 → 「閫€娆炬垚鍔」)
// and stored with exit 0. It must be refused like the reverse case (a UTF-8 file turning GBK).
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { NOW, runCli, tmpDir } from '../helpers/cli.js';

const HEADER = '退款编号,订单编号,退款状态,买家退款金额,退款的申请时间,超时时间,货物状态,买家退款说明';
const row = (id: string, note: string) => `${id},4123456789012345678,买家已经申请退款，等待卖家同意,59.90,2025-04-20 10:00:00,2025-04-22 10:00:00,买家未收到货,${note}`;
const dir = tmpDir('refunds-qa1314-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const cli = (db: string, args: string[]) => runCli(['--db', db, '--now', NOW, ...args]);

/** Deterministic GB2312 hanzi (lead B0–F7, trail A1–FE): what GBK exports are made of. */
function hanzi(seed: number, count: number): string {
  let s = seed >>> 0;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const lead = 0xb0 + ((s >>> 8) % 0x47); // B0–F6
    const trail = 0xa1 + ((s >>> 16) % 94);
    out.push(Buffer.from([lead, trail]));
  }
  return iconv.decode(Buffer.concat(out), 'gb18030').replace(/\uFFFD/g, '好');
}

describe('encoding decided on the whole file: GBK, then UTF-8', () => {
  it('a UTF-8 line after the first 64 KB of a GBK file refuses the file and stores nothing', () => {
    const gbk: string[] = [HEADER];
    for (let i = 0; i < 2000; i++) gbk.push(row(String(1000000000000000 + i), `质量问题，商品与描述不符${i}`));
    const content = Buffer.concat([iconv.encode(gbk.join('\r\n') + '\r\n', 'gbk'), Buffer.from(row('1000000000009999', '收到的商品有破损，申请退款') + '\r\n', 'utf8')]);
    expect(content.length).toBeGreaterThan(64 * 1024);
    const file = path.join(dir, 'joined.csv');
    fs.writeFileSync(file, content);
    const db = path.join(dir, 'a.sqlite');
    const r = cli(db, ['import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `refunds: ${file}:2002: this line is UTF-8 although the file before it is GBK/GB18030 (files joined from two exports, or a damaged file); read as GBK it would be stored as garbage; export it again as one file, or name the encoding with --encoding`,
    );
    expect(fs.existsSync(db)).toBe(false); // nothing written, not even an empty database
  });

  it('the same file with --encoding gbk is read as the user says (mojibake and all), exit 0', () => {
    const content = Buffer.concat([iconv.encode(`${HEADER}\n${row('1000000000000001', '好')}\n`, 'gbk'), Buffer.from(row('1000000000000002', '收到的商品有破损，申请退款') + '\n', 'utf8')]);
    const file = path.join(dir, 'forced.csv');
    fs.writeFileSync(file, content);
    const r = cli(path.join(dir, 'b.sqlite'), ['import', '--json', '--encoding', 'gbk', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].inserted).toBe(2);
  });

  it('20,000 GBK lines of varied hanzi never look like UTF-8 (no false refusal)', () => {
    const lines = [HEADER];
    for (let i = 0; i < 20000; i++) lines.push(row(String(2000000000000000 + i), hanzi(i + 1, 4 + (i % 40))));
    const file = path.join(dir, 'gbk-varied.csv');
    fs.writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'));
    const r = cli(path.join(dir, 'c.sqlite'), ['import', '--json', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect([f.encoding, f.inserted, f.rejected]).toEqual(['gb18030', 20000, 0]);
  });
});
