// docs/interface.md documents every --json document by a real example. Here each example is
// parsed out of the file and compared with what the command prints on the bundled fixtures: the
// same fields at every level (nothing undocumented printed, nothing documented missing), and the
// same JSON type wherever both sides have a value.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, fixture, runCli, tmpDir } from '../helpers/cli.js';
import { BUYER_FILES, BUYERS_NOW } from '../helpers/buyers.js';

const DOC = fs.readFileSync(path.join(ROOT, 'docs/interface.md'), 'utf8');

/** The JSON examples of docs/interface.md, by their `<!-- json:NAME -->` tag. */
function examples(): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const m of DOC.matchAll(/<!-- json:([\w-]+) -->\n```json\n([\s\S]*?)\n```/g)) out.set(m[1]!, JSON.parse(m[2]!));
  return out;
}

type Shape = { kind: 'object'; keys: Map<string, Shape> } | { kind: 'array'; of: Shape | null } | { kind: 'null' } | { kind: 'string' | 'number' | 'boolean' };

function shapeOf(v: unknown): Shape {
  if (v === null) return { kind: 'null' };
  if (Array.isArray(v)) return { kind: 'array', of: v.map(shapeOf).reduce<Shape | null>((a, b) => (a ? merge(a, b) : b), null) };
  if (typeof v === 'object') return { kind: 'object', keys: new Map(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)])) };
  return { kind: typeof v as 'string' | 'number' | 'boolean' };
}

/** Two values' shapes as one: keys of either, null giving way to a value. */
function merge(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'object' && b.kind === 'object') {
    const keys = new Map(a.keys);
    for (const [k, s] of b.keys) keys.set(k, keys.has(k) ? merge(keys.get(k)!, s) : s);
    return { kind: 'object', keys };
  }
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', of: a.of && b.of ? merge(a.of, b.of) : (a.of ?? b.of) };
  return a;
}

/** Where documented and printed differ, as "path: what" lines. */
function differences(doc: Shape, got: Shape, at = '$'): string[] {
  if (doc.kind === 'null' || got.kind === 'null') return [];
  if (doc.kind !== got.kind) return [`${at}: documented ${doc.kind}, printed ${got.kind}`];
  if (doc.kind === 'object' && got.kind === 'object') {
    const out: string[] = [];
    for (const k of got.keys.keys()) if (!doc.keys.has(k)) out.push(`${at}.${k}: printed, not documented`);
    for (const k of doc.keys.keys()) if (!got.keys.has(k)) out.push(`${at}.${k}: documented, not printed`);
    for (const [k, s] of doc.keys) if (got.keys.has(k)) out.push(...differences(s, got.keys.get(k)!, `${at}.${k}`));
    return out;
  }
  if (doc.kind === 'array' && got.kind === 'array' && doc.of && got.of) return differences(doc.of, got.of, `${at}[]`);
  return [];
}

const printed = new Map<string, unknown>();
const BY_KEYS = ['product', 'reason', 'agent', 'platform'];

beforeAll(() => {
  const db = path.join(tmpDir(), 'interface.sqlite');
  const at = (now: string, ...args: string[]) => {
    const r = runCli(['--db', db, '--now', now, ...args]);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  const N = '2025-04-21T09:00:00+08:00';
  printed.set('import', at(N, 'import', '--json', ...['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'].map(fixture)));
  // A decision yesterday (for the summary's "yesterday"), a parcel at the desk and a decision today.
  at('2025-04-20T18:00:00+08:00', 'decide', '7360123456789012306', '--action', 'approve', '--agent', 'li.na', '--json');
  printed.set('receive', at('2025-04-21T09:10:00+08:00', 'receive', 'sf 1234 5678 90123', '--inspector', 'wang.fang', '--json'));
  printed.set('decide', at('2025-04-21T09:12:00+08:00', 'decide', '15870011223344550404', '--action', 'approve', '--agent', 'li.na', '--json'));
  const later = '2025-04-21T09:20:00+08:00';
  printed.set('today', at(later, 'today', '--json'));
  printed.set('show', at(later, 'show', '15870011223344550404', '--json'));
  printed.set('decisions', at(later, 'decisions', '--json'));
  printed.set('returns', at(later, 'returns', '--json'));
  printed.set('summary', at(later, 'summary', '--format', 'json'));
  printed.set('stats', at(later, 'stats', '--json'));
  for (const key of BY_KEYS) printed.set(`stats-by-${key}`, at(later, 'stats', '--by', key, '--json'));
  printed.set('evidence', at(later, 'evidence', '15870011223344550404', '--out', path.join(tmpDir(), 'appeal-404'), '--json'));
  printed.set('purge', at(later, 'purge', '--before', '2025-01-01', '--dry-run', '--json'));
  printed.set('copy', at(later, 'copy', '--to', path.join(tmpDir(), 'copy.sqlite'), '--json'));

  // The bundled exports decode cleanly: a warning needs a damaged byte (line 4 of the warehouse
  // log, in its 备注) and --encoding.
  const log = fs.readFileSync(fixture('warehouse-returns.csv'));
  const cut = log.indexOf(Buffer.from('两只盘子碎裂，已拍照')) + Buffer.byteLength('两只盘子碎裂，已拍照');
  const damaged = Buffer.concat([log.subarray(0, cut), Buffer.from([0xff]), log.subarray(cut)]);
  const damagedFile = path.join(tmpDir(), 'warehouse-returns-damaged.csv');
  fs.writeFileSync(damagedFile, damaged);
  const warned = at(N, 'import', '--json', '--encoding', 'utf-8', damagedFile);
  expect(warned.files[0].warnings).toEqual([
    { line: 4, column: '备注', message: 'the 备注 cell held bytes that are not utf-8; they were replaced by "�": check the value in the seller backend' },
  ]);
  printed.set('import-warnings', warned);

  // Issue 13's batch: a workbook goes in, a file whose header matches nothing is refused, exit 1,
  // still one JSON document.
  const batchDb = path.join(tmpDir(), 'batch.sqlite');
  const batchFiles = [fixture('layouts/pdd-aftersales.xlsx'), fixture('broken/header-only-unknown.csv')];
  const batch = runCli(['--db', batchDb, '--now', N, 'import', '--json', ...batchFiles]);
  expect(batch.code).toBe(1);
  const refusal = `${batchFiles[1]}:1: headers match no known export (姓名, 年龄); is this a refund, order or after-sale export? Use --kind to force one`;
  expect(batch.stderr).toBe(`refunds: ${refusal}\n1 of 2 files were refused and nothing of them was written; the other files were imported.\n`);
  const batchDoc = JSON.parse(batch.stdout);
  expect(batchDoc.files.map((f: any) => [f.kind, f.format, f.sheet, f.inserted, f.refused, f.error])).toEqual([
    ['pdd-aftersales', 'xlsx', '售后列表', 12, undefined, undefined],
    [null, undefined, undefined, 0, true, refusal],
  ]);
  printed.set('import-batch', batchDoc);

  // --explain reads the same two files and opens no database.
  const explainDb = path.join(tmpDir(), 'explain.sqlite');
  const explained = runCli(['--db', explainDb, 'import', '--explain', '--json', ...batchFiles]);
  expect(explained.code, explained.stderr).toBe(0);
  expect(fs.existsSync(explainDb)).toBe(false);
  const explainDoc = JSON.parse(explained.stdout);
  expect(explainDoc.files.map((f: any) => [f.matched, f.kind, f.sheet, f.signature, f.missingRequired.map((m: any) => m.field)])).toEqual([
    [true, 'pdd-aftersales', '售后列表', { hits: 15, of: 15 }, []],
    [false, 'taobao-refunds', undefined, { hits: 0, of: 9 }, ['refundId', 'orderId', 'amount', 'statusText']],
  ]);
  printed.set('import-explain', explainDoc);

  // profiles --json: the built-in ones in order; the documented one is compared field by field,
  // the others must have the same keys (their columns name fields of their own).
  const profiles = at(N, 'profiles', '--json');
  expect(profiles.profiles.map((p: any) => [p.kind, p.platform, p.records, p.source])).toEqual([
    ['taobao-refunds', 'taobao', 'refunds', 'built-in'],
    ['taobao-orders', 'taobao', 'orders', 'built-in'],
    ['douyin-aftersales', 'douyin', 'refunds', 'built-in'],
    ['pdd-aftersales', 'pdd', 'refunds', 'built-in'],
    ['warehouse-returns', null, 'receipts', 'built-in'],
  ]);
  for (const p of profiles.profiles) expect(Object.keys(p)).toEqual(['kind', 'platform', 'records', 'source', 'signature', 'columns', 'required']);
  printed.set('profiles', { profiles: profiles.profiles.filter((p: any) => p.kind === 'pdd-aftersales') });

  // No buyer of the bundled fixtures has a flag: the flags' shape comes from the test shop.
  const shop = path.join(tmpDir(), 'buyers.sqlite');
  const inShop = (...args: string[]) => {
    const r = runCli(['--db', shop, '--now', BUYERS_NOW, ...args]);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  inShop('import', ...BUYER_FILES);
  inShop('decide', '2900000000000000302', '--action', 'contact-buyer', '--agent', 'li.na', '--note', '已联系买家');
  const flagged = JSON.parse(inShop('show', '2900000000000000302', '--json'));
  // Real flags on both sides, else the comparison would have nothing to compare.
  expect(flagged.buyerHistory.flags.map((f: { id: string }) => f.id)).toEqual(['late-request', 'bad-return']);
  expect(flagged.decisions.map((d: { flags: { id: string }[] | null }) => d.flags?.map((f) => f.id))).toEqual([['late-request', 'bad-return']]);
  printed.set('flags', { buyerHistory: { flags: flagged.buyerHistory.flags }, decisions: flagged.decisions.map((d: { flags: unknown }) => ({ flags: d.flags })) });
});


describe('docs/interface.md', () => {
  const docs = examples();

  it('has an example for every command with --json', () => {
    expect([...docs.keys()].sort()).toEqual([
      'copy', 'decide', 'decisions', 'evidence', 'flags', 'import', 'import-batch', 'import-explain', 'import-warnings', 'profiles', 'purge', 'receive', 'returns', 'show', 'stats',
      'stats-by-agent', 'stats-by-platform', 'stats-by-product', 'stats-by-reason', 'summary', 'today',
    ]);
  });

  it.each(['import', 'import-warnings', 'import-batch', 'import-explain', 'today', 'show', 'decide', 'decisions', 'receive', 'returns', 'stats', ...BY_KEYS.map((k) => `stats-by-${k}`), 'evidence', 'flags', 'profiles', 'purge', 'copy'])('%s --json prints exactly the documented fields', (name) => {
    expect(differences(shapeOf(docs.get(name)), shapeOf(printed.get(name)))).toEqual([]);
  });

  it('summary --format json: its lists share the overdue item, metrics is the stats document', () => {
    const doc = structuredClone(docs.get('summary')) as Record<string, unknown>;
    const item = (doc.overdue as unknown[])[0];
    for (const list of ['dueToday', 'orange', 'notCarriedOut']) {
      expect(doc[list], list).toEqual([]);
      doc[list] = [item];
    }
    expect(doc.metrics).toEqual({});
    doc.metrics = docs.get('stats');
    expect(differences(shapeOf(doc), shapeOf(printed.get('summary')))).toEqual([]);
  });

  it('the comparison fails on a field documented but not printed, or printed but not documented', () => {
    const today = printed.get('today') as { refunds: Record<string, unknown>[] };
    const fewer = structuredClone(today);
    for (const r of fewer.refunds) delete r.decision;
    expect(differences(shapeOf(docs.get('today')), shapeOf(fewer))).toEqual(['$.refunds[].decision: documented, not printed']);
    const more = structuredClone(today);
    more.refunds[0]!.extra = 1;
    expect(differences(shapeOf(docs.get('today')), shapeOf(more))).toEqual(['$.refunds[].extra: printed, not documented']);
    expect(differences(shapeOf({ a: 1 }), shapeOf({ a: 'x' }))).toEqual(['$.a: documented number, printed string']);
  });

  it('points nowhere outside the repository', () => {
    expect(DOC).not.toMatch(/\.\.\/shared|CONTRACT\.md|seeds\//);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\.\.\/shared|CONTRACT\.md|seeds\//);
  });
});
