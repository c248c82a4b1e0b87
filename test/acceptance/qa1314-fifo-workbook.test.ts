// Acceptance run of issue 14 (class 7) with issue 13's workbooks: an .xlsx arriving through a FIFO
// hung for ever — the workbook reader opened the path a second time for its zip directory, and a
// FIFO's second open waits for a writer that has gone. Read once, as a stream, like "-".
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { BIN, NOW, tmpDir } from '../helpers/cli.js';

async function workbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('说明').addRow(['本表由抖店导出']);
  const ws = wb.addWorksheet('售后单');
  ws.addRow(['售后单号', '订单号', '商品单号', '售后类型', '售后状态', '售后申请时间', '退商品金额（元）', '自动处理截止时间', '商品发货状态']);
  ws.addRow(['7301234567890123001', '6912345678901234501', '6922345678901234501', '退货退款', '待商家处理', '2025-04-20 10:10:00', 59.9, '2025-04-23 10:00:00', '已发货']);
  await wb.xlsx.writeFile(file);
}

function throughFifo(source: string, args: string[]) {
  const dir = tmpDir();
  const fifo = path.join(dir, 'export.fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const db = path.join(dir, 'r.sqlite');
  const quoted = args.map((a) => `"${a}"`).join(' ');
  return spawnSync('sh', ['-c', `cat "${source}" > "${fifo}" & "${process.execPath}" "${BIN}" --db "${db}" --now ${NOW} ${quoted} "${fifo}"; s=$?; wait; exit $s`], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), LANG: 'en_US.UTF-8' },
  });
}

describe('a workbook through a FIFO is read once', () => {
  it('import --json: the sheet after the notes sheet is imported, no hang', async () => {
    const book = path.join(tmpDir(), 'aftersales.xlsx');
    await workbook(book);
    const r = throughFifo(book, ['import', '--json']);
    expect(r.signal).toBe(null); // killed by the timeout before the fix
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ kind: 'douyin-aftersales', format: 'xlsx', sheet: '售后单', inserted: 1, rejected: 0 });
  });

  it('import --explain names the sheets and the profile', async () => {
    const book = path.join(tmpDir(), 'aftersales.xlsx');
    await workbook(book);
    const r = throughFifo(book, ['import', '--explain']);
    expect(r.signal).toBe(null);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(1, 3)).toEqual(['Sheets: 说明, 售后单', 'Recognised as douyin-aftersales (platform douyin, built in); header on line 1, sheet "售后单".']);
  });
});
