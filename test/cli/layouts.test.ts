// The real-layout fixtures through the CLI as a spawned process: `today` after a Douyin/Pinduoduo
// export of finished and open cases, a user profile from the config file alone, batches with
// refused files, `--explain`, `refunds profiles`.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir } from '../helpers/cli.js';

const layout = (f: string) => fixture(path.join('layouts', f));
const expected = JSON.parse(fs.readFileSync(layout('expected.json'), 'utf8'));
const db = () => path.join(tmpDir(), 'r.sqlite');
const FINISHED = ['CLOSED', 'SUCCESS'];

describe.each(['douyin-aftersales-50col.csv', 'douyin-aftersales-50col.xlsx', 'pdd-aftersales-gbk.csv', 'pdd-aftersales.xlsx'])('%s then today', (file) => {
  const spec = expected.files[file];
  it('gives the open set, the counts and every deadline with its source', () => {
    const d = db();
    const imp = runCli(['--db', d, '--now', NOW, 'import', '--json', layout(file)]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout).files[0]).toMatchObject({ kind: spec.kind, format: spec.format, inserted: spec.inserted, rejected: spec.rejected });
    const r = runCli(['--db', d, '--now', NOW, 'today', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const today = JSON.parse(r.stdout);
    const { open, overdue, dueSoon, orange } = today.counts;
    expect({ open, overdue, dueSoon, orange }).toEqual(spec.today);
    const openIds = spec.rows.filter((x: any) => !FINISHED.includes(x.status)).map((x: any) => x.refundId).sort();
    expect(today.refunds.map((x: any) => x.refundId).sort()).toEqual(openIds);
    for (const x of today.refunds) {
      expect({ deadline: x.deadline, deadlineSource: x.deadlineSource, deadlineRule: x.deadlineRule ?? null }, x.refundId).toEqual(spec.deadlines[x.refundId]);
    }
  });
});

describe('a layout the tool has never seen, from the config file alone', () => {
  it('imports exactly through the user profile and counts on today', () => {
    const d = db();
    const env = { REFUNDS_CONFIG: layout('kuaishou-config.json') };
    const imp = runCli(['--db', d, '--now', NOW, 'import', '--json', layout('kuaishou-aftersales.csv')], { env });
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout).files[0]).toMatchObject({ kind: 'kuaishou-aftersales', inserted: 3, rejected: 0, warnings: [] });
    const today = JSON.parse(runCli(['--db', d, '--now', NOW, 'today', '--json'], { env }).stdout);
    expect(today.counts).toMatchObject(expected.files['kuaishou-aftersales.csv'].today);
    const byId = Object.fromEntries(today.refunds.map((x: any) => [x.refundId, x]));
    expect(byId['2504210000000001']).toMatchObject({ platform: 'kuaishou', status: 'WAIT_SELLER_AGREE', amountCents: 3990, deadline: '2025-04-22T12:00:00+08:00', deadlineSource: 'export' });
    expect(byId['2504210000000003']).toMatchObject({ status: 'WAIT_BUYER_RETURN_GOODS', deadline: '2025-04-25T10:00:00+08:00', deadlineSource: 'export' });
  });

  it('a profile may extend a built-in one: extra header aliases and state texts, nothing copied', () => {
    const dir = tmpDir();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ profiles: [{ name: 'my-douyin', extends: 'douyin-aftersales', columns: { buyerNote: ['买家补充说明'] }, statuses: { 等商家看看: 'WAIT_SELLER_AGREE' } }] }),
    );
    const file = path.join(dir, 'douyin.csv');
    fs.writeFileSync(
      file,
      '售后单号,订单号,商品单号,售后类型,退商品金额（元）,售后状态,售后申请时间,自动处理截止时间,仲裁状态,买家补充说明\n' +
        '7360000000000000001,6920000000000000001,6920000000000000002,退货退款,12.30,等商家看看,2025-04-20 10:00:00,2025-04-22 10:00:00,,快点\n',
    );
    const d = db();
    const imp = runCli(['--db', d, '--now', NOW, 'import', '--json', file], { env: { REFUNDS_CONFIG: config } });
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout).files[0]).toMatchObject({ kind: 'my-douyin', inserted: 1, warnings: [] });
    const show = JSON.parse(runCli(['--db', d, '--now', NOW, 'show', '--json', '7360000000000000001'], { env: { REFUNDS_CONFIG: config } }).stdout);
    expect(show.refund).toMatchObject({ platform: 'douyin', status: 'WAIT_SELLER_AGREE', amountCents: 1230, deadline: '2025-04-22T10:00:00+08:00' });
    // Without the profile the state text is unknown: kept, flagged.
    const d2 = db();
    const plain = JSON.parse(runCli(['--db', d2, '--now', NOW, 'import', '--json', file]).stdout).files[0];
    expect(plain.warnings).toEqual([{ line: 2, column: '售后状态', message: expect.stringContaining('"等商家看看" is new to refunds') }]);
  });

  it('a wrong profile is a config error naming the key; nothing runs', () => {
    const dir = tmpDir();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ profiles: [{ name: 'ks', platform: 'kuaishou', records: 'refunds', signature: ['a'], columns: { refundId: [] } }] }));
    const r = runCli(['--db', db(), 'import', layout('kuaishou-aftersales.csv')], { env: { REFUNDS_CONFIG: config } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('profiles[0].columns.refundId: must be a header name or a non-empty list of header names');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    fs.writeFileSync(config, JSON.stringify({ profiles: [{ name: 'ks', platform: 'kuaishou', records: 'refunds', signature: ['a'], columns: { refundId: ['a'], orderId: ['b'], amount: ['c'], statusText: ['d'] }, statuses: { 待处理: 'OPEN' } }] }));
    const r2 = runCli(['--db', db(), 'import', layout('kuaishou-aftersales.csv')], { env: { REFUNDS_CONFIG: config } });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('profiles[0].statuses.待处理: must be one of "WAIT_SELLER_AGREE"');
  });
});

describe('batches', () => {
  it('a refused file never stops the others; --json is one document listing every file; exit 1', () => {
    const d = db();
    const unknown = path.join(tmpDir(), 'notes.csv');
    fs.writeFileSync(unknown, '姓名,年龄\n张三,30\n');
    const r = runCli(['--db', d, '--now', NOW, 'import', '--json', layout('pdd-aftersales.xlsx'), fixture('broken/old-excel.xls'), unknown, layout('douyin-aftersales-50col.csv')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: any) => [path.basename(f.file), Boolean(f.refused), f.inserted])).toEqual([
      ['pdd-aftersales.xlsx', false, 12],
      ['old-excel.xls', true, 0],
      ['notes.csv', true, 0],
      ['douyin-aftersales-50col.csv', false, 20],
    ]);
    expect(doc.files[1].error).toContain('an old Excel .xls workbook, which refunds cannot read; open it in Excel or WPS and save it as .xlsx');
    expect(doc.files[2].error).toContain('headers match no known export (姓名, 年龄)');
    expect(r.stderr).toContain('2 of 4 files were refused');
    const today = JSON.parse(runCli(['--db', d, '--now', NOW, 'today', '--json']).stdout);
    expect(today.counts.open).toBe(6 + 15);
  });

  it('the .xls message is in Chinese too', () => {
    const r = runCli(['--db', db(), 'import', fixture('broken/old-excel.xls')], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('这是旧版 Excel .xls 工作簿，refunds 无法读取；请用 Excel 或 WPS 打开，另存为 .xlsx（Excel 工作簿）或 CSV 后再导入');
  });
});

describe('--explain and profiles', () => {
  it('--explain --json says which profile matched, header by header, and what stays in extra_json', () => {
    const d = db();
    const r = runCli(['--db', d, 'import', '--explain', '--json', layout('douyin-aftersales-50col.xlsx')]);
    expect(r.code, r.stderr).toBe(0);
    const [x] = JSON.parse(r.stdout).files;
    expect(x).toMatchObject({ format: 'xlsx', sheet: '售后单', sheets: ['导出说明', '售后单'], matched: true, kind: 'douyin-aftersales', platform: 'douyin', headerLine: 1, missingRequired: [] });
    expect(x.columns).toHaveLength(50);
    expect(x.columns[0]).toEqual({ column: 1, header: '售后单号', field: 'refundId' });
    expect(x.columns.find((c: any) => c.header === '退商品金额（元）').field).toBe('amount');
    expect(x.extraJson).toContain('协商记录');
    expect(fs.existsSync(d)).toBe(false); // nothing written, not even a database
  });

  it('--explain shows how a near layout is read, and with the user profile which one wins', () => {
    const r = runCli(['--db', db(), 'import', '--explain', layout('kuaishou-aftersales.csv')]);
    expect(r.code).toBe(0);
    // Without the profile a near built-in layout reads it (订单编号, 售后状态, 申请时间, 退款原因, 退款金额 are
    // Pinduoduo's too: 5 of its 15 signature headers), and says which of its headers the file lacks.
    expect(r.stdout).toContain('Recognised as pdd-aftersales (platform pdd, built in)');
    expect(r.stdout).toContain('Signature headers found: 5 of 15; missing: 售后编号, 退款类型, 订单状态');
    const x = JSON.parse(runCli(['--db', db(), 'import', '--explain', '--json', layout('kuaishou-aftersales.csv')], { env: { REFUNDS_CONFIG: layout('kuaishou-config.json') } }).stdout).files[0];
    expect(x).toMatchObject({ matched: true, kind: 'kuaishou-aftersales', profile: 'user' });
  });

  it('refunds profiles lists built-in and user profiles with their signatures', () => {
    const r = runCli(['profiles', '--json'], { env: { REFUNDS_CONFIG: layout('kuaishou-config.json') } });
    expect(r.code, r.stderr).toBe(0);
    const { profiles } = JSON.parse(r.stdout);
    expect(profiles.map((p: any) => p.kind)).toEqual(['kuaishou-aftersales', 'taobao-refunds', 'taobao-orders', 'douyin-aftersales', 'pdd-aftersales', 'warehouse-returns']);
    expect(profiles[0]).toMatchObject({ source: 'user', platform: 'kuaishou', signature: ['售后单号', '订单编号', '售后状态'] });
    expect(profiles[4]).toMatchObject({ source: 'built-in', platform: 'pdd', records: 'refunds', required: ['refundId', 'orderId', 'statusText', 'amount'] });
    const human = runCli(['profiles']);
    expect(human.stdout).toContain('pdd-aftersales  platform pdd, refunds, built in');
  });
});
