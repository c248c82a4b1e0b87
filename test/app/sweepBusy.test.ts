// The read side on a busy database (app/deadlines.ts ensureDeadlines as a reader): when the stored
// deadlines are stale and another connection holds the write lock, nothing waits and nothing is
// written; `today` (both views), the summary and the row numbers still answer, computed in memory,
// exactly as they answer once the lock is gone and the deadlines are stored again.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ruleSetFor } from '../../src/app/rules.js';
import { refundForRow, saveRowNumbers } from '../../src/app/rowNumbers.js';
import { buildSummary, summaryJson } from '../../src/app/summary.js';
import { refundJson, sweepPages, sweepSections, type SweepEnv, type SweepItem } from '../../src/app/sweep.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { ShopZone } from '../../src/domain/time.js';
import { DEFAULT_DUE_SOON_MS } from '../../src/domain/urgency.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { fixture, runCli, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const env: SweepEnv = { zone, nowMs: NOW, rules: ruleSetFor({}, ''), calendar: chinaCalendar(), dueSoonMs: DEFAULT_DUE_SOON_MS };

let db: string;
beforeAll(() => {
  db = path.join(tmpDir(), 'demo.sqlite');
  const files = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
  expect(runCli(['--db', db, '--now', '2025-04-21T08:30:00+08:00', 'import', ...files.map(fixture)]).code).toBe(0);
  expect(runCli(['--db', db, '--now', '2025-04-21T08:40:00+08:00', 'decide', '7360123456789012307', '--action', 'approve', '--agent', 'a']).code).toBe(0);
});

async function flat(pages: AsyncIterable<SweepItem[]>): Promise<SweepItem[]> {
  const out: SweepItem[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/** Everything the read side shows, through the ports of a fresh connection. */
async function readSide(file: string) {
  const store = openStore(file, { readonly: true, busyTimeoutMs: 50 });
  const ports = portsOf(store, { now: () => NOW });
  try {
    const paged = await sweepPages(ports, env, {}, 4);
    const json = (await flat(paged.pages)).map((i) => refundJson(i, zone));
    const screen = await sweepSections(ports, env, {}, 2);
    const summary = summaryJson(await buildSummary(ports, env), { mask: true });
    const saved = await saveRowNumbers(ports, zone, NOW, screen.items.map((i) => i.refund.refundId));
    const row2 = await refundForRow(ports, '2', NOW);
    return {
      counts: paged.counts,
      json,
      screen: { ids: screen.items.map((i) => i.refund.refundId), sizes: [...screen.sectionSizes], counts: screen.counts },
      summary,
      saved,
      row2,
    };
  } finally {
    store.close();
  }
}

const basis = (file: string): string | null => {
  const raw = new Database(file, { readonly: true });
  try {
    return (raw.prepare("SELECT value FROM meta WHERE key = 'deadlines.basis'").pluck().get() as string | undefined) ?? null;
  } finally {
    raw.close();
  }
};

describe('stale deadlines on a busy database', () => {
  it('answer in memory, write nothing, and agree with the stored answer once the lock is gone', async () => {
    const file = path.join(tmpDir(), 'busy.sqlite');
    fs.copyFileSync(db, file);
    // Stale: a rules basis that is not this one, so every deadline must be redone.
    const raw = new Database(file);
    raw.prepare("UPDATE meta SET value = 'stale' WHERE key = 'deadlines.basis'").run();
    raw.exec('BEGIN IMMEDIATE'); // another process writing
    const busy = await readSide(file);
    raw.exec('ROLLBACK');
    raw.close();
    // Nothing was written while busy: the basis is still the stale one, no row numbers saved.
    expect(basis(file)).toBe('stale');
    expect(busy.saved).toBe(false);
    expect(busy.row2).toEqual({ kind: 'none' });

    const free = await readSide(file);
    expect(basis(file)).not.toBe('stale');
    expect(free.saved).toBe(true);
    expect(free.row2).toEqual({ kind: 'found', refundId: free.screen.ids[1] });
    // The in-memory answers are the stored ones, field for field.
    expect(busy.json).toEqual(free.json);
    expect(busy.counts).toEqual(free.counts);
    expect(busy.screen).toEqual(free.screen);
    expect(busy.summary).toEqual(free.summary);
    expect(free.counts.open).toBe(16);
    expect(free.json.map((r) => r.refundId).slice(0, 2)).toEqual(['7360123456789012307', '158700112233445506']);
  });
});
