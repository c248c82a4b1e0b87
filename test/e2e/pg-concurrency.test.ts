// Issue 19, "claims and decisions without races", on a real PostgreSQL server with real processes:
// the built CLI started several times at once (no mocks, no in-process pools), then the database
// read back. Concurrent decides all land; two decides of one refund give one winner and one clear
// refusal; two triage sessions in two tmux terminals hold different cases; five claimFirst
// sessions in five processes never share a case; two imports of one export at once end where one
// import ends.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, NOW, ROOT, fixture, runCli, tmpDir, type CliResult } from '../helpers/cli.js';
import { adminQuery, freshDatabase, pgTestServer, type FreshDatabase } from '../helpers/pg.js';
import { toolAvailable } from '../helpers/tools.js';

const server = await pgTestServer();

const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];
const D7 = '7360123456789012307';
const R06 = '158700112233445506';
/** The 16 open refunds of the demo fixtures, most urgent first (today --json --all at NOW). */
const OPEN = [
  D7, R06, '7360123456789012303', '158700112233445502', '15870011223344550404', '1587001122334455001',
  '7360123456789012301', '158700112233445505', '158700112233445507', '158700112233445513', '7360123456789012306',
  '158700112233445510', '158700112233445511', '158700112233445514', '1587001122334455', '7360123456789012302',
];

/** The CLI as a process that runs beside the others (runCli's environment, without waiting). */
function startCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), LANG: 'en_US.UTF-8', TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function rows<T>(db: FreshDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await adminQuery(db.url, sql, params)) as T[];
}

function importDemo(url: string): void {
  const r = runCli(['--db', url, '--now', NOW, 'import', ...DEMO.map(fixture)]);
  expect(r.code, r.stderr).toBe(0);
}

describe.runIf(server)('concurrent processes on one PostgreSQL database', () => {
  describe('refunds decide', () => {
    const db = freshDatabase(server, 'concurrent decide');
    beforeAll(() => importDemo(db.url));

    it('8 decide processes on 8 different refunds at once: all exit 0, 8 decisions', async () => {
      const ids = OPEN.slice(0, 8);
      const results = await Promise.all(
        ids.map((id, i) => startCli(['--db', db.url, '--now', NOW, 'decide', id, '--action', 'wait', '--agent', `agent${i}`, '--json'])),
      );
      for (const [i, r] of results.entries()) {
        expect(r.stderr, ids[i]).toBe('');
        expect(r.code, ids[i]).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ refundId: ids[i], action: 'wait', agent: `agent${i}`, decidedAt: '2025-04-21T09:00:00+08:00' });
      }
      const stored = await rows<{ refund_id: string; agent: string }>(db, 'SELECT refund_id, agent FROM decisions ORDER BY id');
      expect(stored.map((d) => `${d.refund_id} ${d.agent}`).sort()).toEqual(ids.map((id, i) => `${id} agent${i}`).sort());
      expect((await rows<{ id: number }>(db, 'SELECT id::int AS id FROM decisions ORDER BY id')).map((d) => d.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('two processes deciding the same refund at once: one wins, the other exits 1 naming the winner, one decision row', async () => {
      const id = OPEN[8]!;
      const [a, b] = await Promise.all([
        startCli(['--db', db.url, '--now', NOW, 'decide', id, '--action', 'contact-buyer', '--note', '请补充照片', '--agent', 'alice', '--json']),
        startCli(['--db', db.url, '--now', NOW, 'decide', id, '--action', 'wait', '--agent', 'bob', '--json']),
      ]);
      expect([a.code, b.code].sort()).toEqual([0, 1]);
      const [winner, loser, winnerName, loserName] = a.code === 0 ? [a, b, 'alice', 'bob'] : [b, a, 'bob', 'alice'];
      expect(JSON.parse(winner.stdout)).toMatchObject({ refundId: id, agent: winnerName });
      expect(loser.stdout).toBe('');
      // One line (a hint may follow), naming the case and who has it; no stack trace.
      const said = loser.stderr.trim().split('\n');
      expect(said.length, loser.stderr).toBeLessThanOrEqual(2);
      expect(said[0]).toContain(id);
      expect(said[0]).toContain(winnerName);
      expect(loser.stderr).not.toMatch(/\n\s+at |internal error/);
      const stored = await rows<{ agent: string; action: string }>(db, 'SELECT agent, action FROM decisions WHERE refund_id = $1', [id]);
      expect(stored).toEqual([{ agent: winnerName, action: winnerName === 'alice' ? 'contact-buyer' : 'wait' }]);
      expect(await rows(db, 'SELECT 1 FROM decisions WHERE agent = $1', [loserName])).toEqual([]);
    });
  });

  describe('claimFirst in five processes', () => {
    const db = freshDatabase(server, 'claim first');
    beforeAll(() => importDemo(db.url));

    it('five sessions taking three cases each at the same moment never hold the same case', async () => {
      // Each process opens the ports of the built backend, waits for the common start, then takes
      // three cases one after the other from the same queue, as the triage desk does (its own held
      // cases left out of the list it offers), and keeps them.
      const session = path.join(ROOT, 'dist/store/pg/index.js');
      expect(fs.existsSync(session), 'run npm run build first').toBe(true);
      const script = `
        const { openPostgresPorts } = await import(${JSON.stringify(session)});
        const { ShopZone } = await import(${JSON.stringify(path.join(ROOT, 'dist/domain/time.js'))});
        const [url, agent, startAt, queue] = [process.argv[1], process.argv[2], Number(process.argv[3]), JSON.parse(process.argv[4])];
        const ports = await openPostgresPorts(url, { zone: new ShopZone('Asia/Shanghai'), migrate: false });
        await ports.cases.refund(queue[0]); // connected and warm before the start
        while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 2));
        const held = [];
        for (let i = 0; i < 3; i++) {
          const id = await ports.locks.claimFirst(queue.filter((x) => !held.includes(x)), agent, 'S-' + agent, 600000);
          held.push(id);
        }
        await ports.close();
        process.stdout.write(JSON.stringify(held));
      `;
      const startAt = Date.now() + 3000;
      const agents = ['alice', 'bob', 'carol', 'dave', 'erin'];
      const results = await Promise.all(
        agents.map(
          (agent) =>
            new Promise<CliResult>((resolve) => {
              const child = spawn(process.execPath, ['--input-type=module', '-e', script, db.url, agent, String(startAt), JSON.stringify(OPEN)], { cwd: ROOT });
              let stdout = '';
              let stderr = '';
              child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
              child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
              child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
            }),
        ),
      );
      const held = results.map((r, i) => {
        expect(r.code, `${agents[i]}: ${r.stderr}`).toBe(0);
        return JSON.parse(r.stdout) as string[];
      });
      const all = held.flat();
      expect(all).toHaveLength(15);
      expect(all.every((id) => OPEN.includes(id))).toBe(true);
      expect(new Set(all).size).toBe(15);
      // The 15 most urgent cases went out, and the server's claims say who holds each.
      expect([...all].sort()).toEqual(OPEN.slice(0, 15).sort());
      const claims = await rows<{ refund_id: string; agent: string; session: string }>(db, 'SELECT refund_id, agent, session FROM claims');
      expect(claims.map((c) => `${c.refund_id} ${c.agent} ${c.session}`).sort()).toEqual(
        held.flatMap((ids, i) => ids.map((id) => `${id} ${agents[i]} S-${agents[i]}`)).sort(),
      );
    });
  });

  describe('refunds import', () => {
    const once = freshDatabase(server, 'import once');
    const twice = freshDatabase(server, 'import twice at once');

    const DATA_TABLES = ['refunds', 'orders', 'refund_history', 'warehouse_receipts', 'import_columns'];
    const counts = async (db: FreshDatabase) =>
      Object.fromEntries(await Promise.all(DATA_TABLES.map(async (t) => [t, Number((await rows<{ n: string }>(db, `SELECT count(*) AS n FROM ${t}`))[0]!.n)])));
    const inserted = (r: CliResult) => (JSON.parse(r.stdout) as { files: { inserted: number }[] }).files.map((f) => f.inserted);

    it('two processes importing the same export at once end with the counts of one import', async () => {
      const args = (url: string) => ['--db', url, '--now', NOW, 'import', '--json', ...DEMO.map(fixture)];
      const one = await startCli(args(once.url));
      expect(one.code, one.stderr).toBe(0);
      const [a, b] = await Promise.all([startCli(args(twice.url)), startCli(args(twice.url))]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const expected = await counts(once);
      expect(expected).toEqual({ refunds: 20, orders: 21, refund_history: 20, warehouse_receipts: 5, import_columns: 3 });
      expect(await counts(twice)).toEqual(expected);
      // Between them they inserted each row once: one of the two did it all, the other found it there.
      const both = [inserted(a), inserted(b)];
      expect(both.map((f) => f.reduce((x, y) => x + y, 0)).sort((x, y) => x - y)).toEqual([0, inserted(one).reduce((x, y) => x + y, 0)]);
      // The same rows, not just as many: every refund and its history are the single import's.
      const refundsOf = (db: FreshDatabase) => rows(db, 'SELECT refund_id, status, amount_cents, deadline_at, first_seen_at FROM refunds ORDER BY refund_id');
      expect(await refundsOf(twice)).toEqual(await refundsOf(once));
      const historyOf = (db: FreshDatabase) => rows(db, 'SELECT refund_id, status, seen_at FROM refund_history ORDER BY refund_id, seen_at, status');
      expect(await historyOf(twice)).toEqual(await historyOf(once));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Two agents in two real terminals on the same PostgreSQL database.

const HAVE_TMUX = toolAvailable(spawnSync('tmux', ['-V']).status === 0, 'tmux');
const SOCKET = `refunds-pg-test-${process.pid}`;
const WAIT_MS = 45_000;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe.runIf(server && HAVE_TMUX)('two triage sessions in two terminals on one PostgreSQL database', () => {
  const db = freshDatabase(server, 'two triage terminals');
  let home: string;
  beforeAll(() => {
    expect(fs.existsSync(path.join(ROOT, 'dist/cli/triage.js')), 'run npm run build first').toBe(true);
    home = tmpDir('refunds-pg-tmux-');
    importDemo(db.url);
    tmux('new-session', '-d', '-s', `keeper-${process.pid}`, 'sleep 3600');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      /* already gone */
    }
  });

  function startTriage(agent: string): { name: string; screen(): string; exited(): number | null } {
    const name = `pg-triage-${agent}-${process.pid}`;
    const exitFile = path.join(home, `${name}.exit`);
    const env = [`PATH=${process.env.PATH ?? ''}`, `HOME=${home}`, 'TERM=xterm-256color', 'LANG=en_US.UTF-8', 'TZ=UTC', 'NO_COLOR=1'];
    const cmd = `cd ${q(ROOT)} && env -i ${env.map(q).join(' ')} ${q(process.execPath)} ${q(BIN)} --db ${q(db.url)} --now ${q(NOW)} triage --agent ${agent}; echo EXIT=$? > ${q(exitFile)}; sleep 600`;
    tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, cmd);
    return {
      name,
      screen: () => tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-'),
      exited: () => (fs.existsSync(exitFile) ? Number(/EXIT=(\d+)/.exec(fs.readFileSync(exitFile, 'utf8'))?.[1] ?? -1) : null),
    };
  }

  async function caseOf(p: ReturnType<typeof startTriage>): Promise<string> {
    const until = Date.now() + WAIT_MS;
    for (;;) {
      // The case header line: "Refund <id> · …"
      const m = /Refund (\d+) · /.exec(p.screen());
      if (m) return m[1]!;
      if (p.exited() !== null || Date.now() > until) throw new Error(`${p.name}: no case card (exit ${p.exited()})\n${p.screen()}`);
      await sleep(100);
    }
  }

  it('started together, alice and bob are shown different cases, and the server holds one claim for each', async () => {
    const a = startTriage('alice');
    const b = startTriage('bob');
    const [ca, cb] = await Promise.all([caseOf(a), caseOf(b)]);
    expect(ca).not.toBe(cb);
    expect([ca, cb].sort()).toEqual([D7, R06].sort());
    const claims = await adminQuery(db.url, 'SELECT refund_id, agent FROM claims ORDER BY agent');
    expect(claims).toEqual([
      { refund_id: ca, agent: 'alice' },
      { refund_id: cb, agent: 'bob' },
    ]);
    for (const p of [a, b]) tmux('send-keys', '-t', p.name, 'C-c');
    const until = Date.now() + WAIT_MS;
    while ((a.exited() === null || b.exited() === null) && Date.now() < until) await sleep(100);
    expect([a.exited(), b.exited()]).toEqual([130, 130]);
    // Leaving gives the cases back.
    expect(await adminQuery(db.url, 'SELECT * FROM claims')).toEqual([]);
  });
});
