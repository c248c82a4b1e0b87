import Database from 'better-sqlite3';
import fs from 'node:fs';
import { MIGRATIONS } from '../../dist/store/schema.js';
function fresh(variant) {
  const f = '/tmp/raw.sqlite'; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
  const db = new Database(f); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('cache_size = -65536');
  let sql = MIGRATIONS[0];
  if (variant.includes('noidx')) sql = sql.replace(/CREATE INDEX refunds_[^;]+;/g, '');
  if (variant.includes('worowid')) sql = sql.replace('source_file        TEXT\n  );', 'source_file        TEXT\n  ) WITHOUT ROWID;');
  db.exec(sql);
  if (variant.includes('trig')) db.exec(`CREATE TRIGGER h AFTER INSERT ON refunds BEGIN INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file) VALUES (NEW.refund_id, NEW.status, NEW.status_text, NEW.status_since, NEW.source_file); END;`);
  return db;
}
const cols = ['platform','order_id','status','status_text','amount_cents','paid_cents','applied_at','export_deadline','refund_type','return_required','goods_status','shipped','phase','dispute_state','dispute_text','evidence_deadline','buyer_nick','item_title','sku','reason','buyer_note','return_waybill','return_waybill_key','return_carrier','returned_at','finished_at','seller_note','extra_json','row_hash','updated_at','source_file','refund_id','status_since','first_seen_at'];
for (const variant of process.argv.slice(2)) {
  const db = fresh(variant);
  const ins = db.prepare(`INSERT INTO refunds (${cols.join(',')}) VALUES (${cols.map(()=>'?').join(',')})`);
  const sel = db.prepare('SELECT row_hash, status, status_text FROM refunds WHERE refund_id = ?');
  const hist = db.prepare('INSERT INTO refund_history (refund_id, status, status_text, seen_at, source_file) VALUES (?,?,?,?,?)');
  const t = Date.now();
  db.exec('BEGIN');
  for (let i = 0; i < 200000; i++) {
    const id = String(1000000000000000 + ((i * 7919) % 200000) * 13);
    if (!variant.includes('nosel')) sel.get(id);
    ins.run('taobao', String(4000000000000000000n + BigInt(i)), 'SUCCESS', '退款成功', 5990, 5990, '2025-04-20T10:31:05+08:00', null, 'refund_only', 0, '买家未收到货', 1, '售后', 'none', '不需客服介入', null, '买家昵称', '宝贝标题很长很长的标题', 'SKU-1', '七天无理由退换货', '说明', null, null, null, null, '2025-04-21T10:31:05+08:00', null, null, 'hhhhhhhhhhhhhhhhhhhhhhhhhhhh'+i, '2025-04-21T09:00:00+08:00', 'x.csv', id, '2025-04-21T09:00:00+08:00', '2025-04-21T09:00:00+08:00');
    if (!variant.includes('nohist')) hist.run(id, 'SUCCESS', '退款成功', '2025-04-21T09:00:00+08:00', 'x.csv');
  }
  db.exec('COMMIT');
  console.log(variant, Date.now() - t, 'ms');
  db.close();
}
