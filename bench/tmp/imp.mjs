import { importFiles } from '../../dist/import/pipeline.js';
import { openStore } from '../../dist/store/store.js';
import { ShopZone } from '../../dist/domain/time.js';
import fs from 'node:fs';
const f = '/tmp/imp.sqlite'; for (const s of ['', '-wal', '-shm']) fs.rmSync(f + s, { force: true });
const store = openStore(f);
const mode = process.argv[2];
const t = Date.now();
const nowMs = Date.parse('2025-04-21T09:00:00+08:00');
if (mode === 'noop') {
  // measure parse+normalize only: swap store writes for no-ops
  for (const k of ['upsertRefund', 'upsertOrder', 'addReceipt']) store[k] = () => 'inserted';
}
const [r] = await importFiles(store, [{ name: process.argv[3] }], { zone: new ShopZone(), nowMs, worker: mode !== 'inproc' && mode !== 'noop' });
console.log(mode, r.inserted, Date.now() - t, 'ms', Math.round(process.memoryUsage().rss / 1e6), 'MB');
