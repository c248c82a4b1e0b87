// Issue 19, "the same --json answers as SQLite": the built CLI runs the same morning on a SQLite file
// and on a fresh PostgreSQL database (same fixtures, same --now, same decisions and scans), and
// every command's output must be the same bytes. The database's own name is the one thing allowed to
// differ; it is replaced by <DB> before comparing. A difference is a bug of the PostgreSQL backend.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, fixture, runCli, tmpDir, type CliResult } from '../helpers/cli.js';
import { freshDatabase, pgTestServer } from '../helpers/pg.js';
import { maskUrl } from '../../src/store/common/url.js';

const server = await pgTestServer();

const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const D7 = '7360123456789012307';
const D3 = '7360123456789012303';

describe.runIf(server)('the same --json answers on SQLite and PostgreSQL', () => {
  const db = freshDatabase(server, 'pg compare');
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = tmpDir('refunds-pg-compare-');
    file = path.join(dir, 'shop.sqlite');
  });

  /** Runs `args` on both backends; {DIR} in an argument becomes a folder of each backend's own. */
  function both(args: string[], env: Record<string, string> = {}, now = NOW): { sqlite: CliResult; pg: CliResult } {
    const on = (target: string, side: string): CliResult => {
      const own = path.join(dir, side);
      const r = runCli(['--db', target, '--now', now, ...args.map((a) => a.replaceAll('{DIR}', own))], { env });
      const neutral = (s: string) => s.replaceAll(own, '{DIR}').replaceAll(target, '<DB>').replaceAll(maskUrl(target), '<DB>');
      return { code: r.code, stdout: neutral(r.stdout), stderr: neutral(r.stderr) };
    };
    return { sqlite: on(file, 'sqlite'), pg: on(db.url, 'pg') };
  }

  /** Both backends answer the same, successfully; the (shared) JSON document. */
  function same(args: string[], env: Record<string, string> = {}, now = NOW): unknown {
    const r = both(args, env, now);
    expect(r.sqlite.code, `${args.join(' ')} on SQLite: ${r.sqlite.stderr}`).toBe(0);
    expect(r.pg.stdout, args.join(' ')).toBe(r.sqlite.stdout);
    expect(r.pg.stderr, args.join(' ')).toBe(r.sqlite.stderr);
    expect(r.pg.code, args.join(' ')).toBe(0);
    return args.includes('--json') ? JSON.parse(r.sqlite.stdout) : r.sqlite.stdout;
  }

  it('import: the same report (warnings included)', () => {
    const report = same(['import', '--json', ...DEMO.map(fixture)]) as { files: { file: string }[] };
    expect(report.files.map((f) => path.basename(f.file))).toEqual(DEMO);
    // Importing again changes nothing, and says so the same way.
    same(['import', '--json', ...DEMO.map(fixture)]);
  });

  it('today: the sweep, a platform, states, a later hour, everything', () => {
    const today = same(['today', '--json']) as { asOf: string; counts: Record<string, number>; refunds: { refundId: string }[] };
    expect(today.asOf).toBe('2025-04-21T09:00:00+08:00');
    expect(today.counts).toEqual({ open: 16, overdue: 2, dueSoon: 6, orange: 4, sellerMustAct: 13, waitingOnBuyer: 3, notCarriedOut: 0 });
    expect(today.refunds[0]!.refundId).toBe(D7);
    const all = same(['today', '--json', '--all']) as { refunds: unknown[] };
    expect(all.refunds.length).toBeGreaterThanOrEqual(today.refunds.length);
    same(['today', '--json', '--platform', 'douyin']);
    same(['today', '--json', '--state', 'orange']);
    same(['today', '--json', '--due-within', '6h']);
    same(['today', '--json', '--at', '18:00']);
    same(['today']);
    same(['today', '--all'], { LANG: 'zh_CN.UTF-8' });
  });

  it('show, decide (the same decision on both), decisions', () => {
    const shown = same(['show', D7, '--json']) as { refund: { refundId: string } };
    expect(shown.refund.refundId).toBe(D7);
    same(['show', D3, '--json']);
    const decided = same(['decide', D7, '--action', 'approve', '--agent', 'xiaoli', '--json']) as { id: number; refundId: string; action: string; agent: string };
    expect({ id: decided.id, refundId: decided.refundId, action: decided.action, agent: decided.agent }).toEqual({ id: 1, refundId: D7, action: 'approve', agent: 'xiaoli' });
    same(['decide', D3, '--action', 'refuse', '--note', '买家已签收，商品完好', '--evidence', 'photo-1.jpg', '--agent', 'laowang', '--json']);
    // Deciding a case another agent decided moments ago: refused the same way on both.
    const again = both(['decide', D7, '--action', 'refuse', '--note', '重复的决定不应写入', '--agent', 'laowang', '--json']);
    expect(again.pg).toEqual(again.sqlite);
    expect(again.sqlite.code).toBe(1);
    const decisions = same(['decisions', '--json']) as { decisions: { refundId: string }[] };
    expect(decisions.decisions.map((d) => d.refundId).sort()).toEqual([D3, D7]);
    same(['decisions']);
    same(['show', D7, '--json']);
    same(['today', '--json']);
  });

  it('receive (a scan) and returns', () => {
    const scan = same(['receive', 'SF1234567890123', '--carrier', '顺丰', '--inspector', 'laowang', '--json']) as { scans: unknown[] };
    expect(scan.scans).toHaveLength(1);
    same(['receive', 'YT9999999999999', '--condition', 'damaged', '--note', '外箱破损', '--inspector', 'laowang', '--json']);
    const returns = same(['returns', '--json']) as { counts: { receipts: number } };
    expect(returns.counts.receipts).toBe(7);
    same(['returns']);
  });

  it('summary, stats, stats --by, evidence, purge --dry-run', () => {
    same(['summary', '--json']);
    same(['summary']);
    const stats = same(['stats', '--json']) as { days: number };
    expect(stats.days).toBe(28);
    same(['stats', '--since', '7d', '--json']);
    for (const by of ['product', 'reason', 'agent', 'platform']) same(['stats', '--by', by, '--json']);
    same(['stats', '--by', 'agent']);
    const evidence = same(['evidence', D3, '--out', '{DIR}/appeal', '--json']) as { files: string[] };
    expect(evidence.files).toEqual([`{DIR}/appeal/appeal-${D3}.html`, `{DIR}/appeal/appeal-${D3}.md`]);
    for (const f of evidence.files.map((x) => path.basename(x))) {
      expect(fs.readFileSync(path.join(dir, 'pg', 'appeal', f), 'utf8'), f).toBe(fs.readFileSync(path.join(dir, 'sqlite', 'appeal', f), 'utf8'));
    }
    same(['purge', '--dry-run', '--json', '--before', '2025-04-20']);
    same(['purge', '--dry-run', '--json', '--before', '2025-05-01']);
  });

  it('the next day: a changed export and a new one, then the history, the sweep and the reports, and a real purge', () => {
    const NEXT = '2025-04-22T09:00:00+08:00';
    const report = same(['import', '--json', fixture('taobao-refunds-2017-gbk-v2.csv'), fixture('taobao-refunds-2024-utf8bom.csv')], {}, NEXT) as {
      files: { updated: number; inserted: number }[];
    };
    expect(report.files.map((f) => f.updated + f.inserted).every((n) => n > 0)).toBe(true);
    for (const id of ['1587001122334455001', '1587001122334455', '158700112233445502', '15870011223344550404', '158700112233445601']) same(['show', id, '--json'], {}, NEXT);
    same(['today', '--json', '--all'], {}, NEXT);
    same(['summary', '--json'], {}, NEXT);
    same(['stats', '--json', '--since', '7d'], {}, NEXT);
    same(['stats', '--by', 'product', '--json'], {}, NEXT);
    same(['decisions', '--json'], {}, NEXT);
    same(['returns', '--json'], {}, NEXT);
    const purged = same(['purge', '--before', '2025-04-23', '--json'], {}, NEXT);
    expect(purged).toEqual({ before: '2025-04-23T00:00:00+08:00', dryRun: false, refunds: 7, orders: 5 });
    // Done once: nothing is left to purge, on either.
    expect(same(['purge', '--before', '2025-04-23', '--json'], {}, NEXT)).toEqual({ before: '2025-04-23T00:00:00+08:00', dryRun: false, refunds: 0, orders: 0 });
    same(['show', '1587001122334455001', '--json'], {}, NEXT);
    same(['today', '--json'], {}, NEXT);
  });
});
