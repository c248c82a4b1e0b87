// Peak memory of importing a 200,000-row Douyin after-sale workbook (.xlsx), the same 200 MB limit as
// a CSV (BENCHMARKS.md). The workbook is generated here, with exceljs's streaming writer and shared
// strings (as Excel writes them: every distinct text once, which the reader must hold), never
// committed. Usage: node bench/xlsx-memory.mjs [rows]   (needs `npm run build` first)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROWS = Number(process.argv[2] ?? 200_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refunds-xlsx-bench-'));
const file = path.join(dir, 'douyin-200k.xlsx');

// BENCH_WIDE=1: 30 more columns, as in 抖店's 50-column 售后表, with times written as text (as the
// platform writes them, so each is a shared string) and more per-row texts.
const WIDE = process.env.BENCH_WIDE === '1';
const EXTRA = ['同意售后申请时间', '商家退款时间', '用户到账时间', '售后关闭时间', '退货发货时间', '协商记录', '发货物流单号', '换货物流单号', '售后备注', '订单备注',
  '商品运费（元）', '支付优惠（元）', '商品税费（元）', '退运费金额（元）', '退支付优惠（元）', '退税费金额（元）', '退款方式', '是否已上传退款凭证', '售后原因标签', '退货异常',
  '商家退货地址', '商家退货联系人姓名', '商家退货联系人电话', '纠纷责任方', '是否极速退款', '是否拒签后退款', '发货物流状态', '退货物流状态', '操作人', '门店名称'];
const HEADER = ['售后单号', '订单号', '商品单号', '商品名称', '商品ID', '应付金额（元）', '售后类型', '退商品金额（元）', '售后状态', '售后申请时间', '售后原因', '用户售后说明', '买家昵称', '退货物流单号', '退货物流公司', '自动处理截止时间', '仲裁状态', '商品发货状态', '售后完结时间', '商家编码'];
const STATES = ['待商家处理', '待买家退货', '待商家收货', '同意退款，退款成功', '售后关闭', '换货成功', '售后成功', '拒绝售后'];
const TYPES = ['退货退款', '已发货仅退款', '未发货仅退款', '换货'];

const t0 = Date.now();
const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
const notes = writer.addWorksheet('说明');
notes.addRow(['抖店售后导出（测试数据）']).commit();
notes.commit();
const ws = writer.addWorksheet('售后列表');
ws.addRow(WIDE ? [...HEADER, ...EXTRA] : HEADER).commit();
let seed = 7;
const rnd = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
for (let i = 0; i < ROWS; i++) {
  const day = 1 + (i % 20);
  ws.addRow([
    String(7360000000000000000n + BigInt(i)),
    String(6928000000000000000n + BigInt(i)),
    String(6929000000000000000n + BigInt(i)),
    `商品 ${rnd(500)} 号 陶瓷杯 350ml`,
    String(3600000000000 + rnd(500)),
    (rnd(50000) + 100) / 100,
    TYPES[rnd(TYPES.length)],
    (rnd(20000) + 100) / 100,
    STATES[rnd(STATES.length)],
    `2025-04-${String(day).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')}:05`,
    '质量问题',
    `买家说明 ${i}：杯子有裂纹，请尽快处理`,
    `抖音用户${i}`,
    i % 3 === 0 ? `YT${String(2345678901234 + i)}` : '',
    i % 3 === 0 ? '圆通速递' : '',
    `2025-04-${String(day + 2).padStart(2, '0')} 10:00:00`,
    '',
    i % 4 === 0 ? '未发货' : '已发货',
    '',
    `SKU-${rnd(500)}`,
    ...(WIDE
      ? [
          `2025-04-${String(day).padStart(2, '0')} 11:${String(i % 60).padStart(2, '0')}:${String(i % 59).padStart(2, '0')}`,
          i % 2 ? `2025-04-${String(day).padStart(2, '0')} 12:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}` : '',
          i % 2 ? `2025-04-${String(day).padStart(2, '0')} 13:${String(i % 60).padStart(2, '0')}:${String((i * 11) % 60).padStart(2, '0')}` : '',
          '',
          i % 3 === 0 ? `2025-04-${String(day).padStart(2, '0')} 14:${String(i % 60).padStart(2, '0')}:00` : '',
          `买家申请售后；商家同意；第${i}单协商`,
          `ZT${String(7000000000000 + i)}`,
          '',
          i % 5 === 0 ? `备注${i}` : '',
          '',
          0, 0, 0, i % 7 === 0 ? 8 : 0, 0, 0, '原路退回', '否', '商品问题', '', '浙江省杭州市余杭区某仓库', '仓库收', '0571-00000000', '', '否', '否', '已签收', i % 3 === 0 ? '已签收' : '', `客服${rnd(20)}`, '旗舰店',
        ]
      : []),
  ]).commit();
}
ws.commit();
await writer.commit();
const size = fs.statSync(file).size;
console.error(`generated ${ROWS.toLocaleString('en-US')} rows, ${(size / 1048576).toFixed(1)} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const db = path.join(dir, 'bench.sqlite');
const start = Date.now();
const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), path.join(ROOT, 'bin/refunds.js'), '--db', db, '--now', '2025-04-21 09:00', 'import', file, '--json'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const ms = Date.now() - start;
const rssKiB = Number(r.stderr.trim().split('\n').pop());
const report = JSON.parse(r.stdout).files[0];
console.log(JSON.stringify({ rows: ROWS, bytes: size, exit: r.status, inserted: report.inserted, rejected: report.rejected, seconds: ms / 1000, peakRssMiB: +(rssKiB / 1024).toFixed(1), limitMiB: 200 }));
if (r.status !== 0) console.error(r.stdout.slice(0, 2000));
if (process.env.BENCH_KEEP) console.error("kept", file); else fs.rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 || rssKiB / 1024 > 200) process.exitCode = 1;
