// Recording decisions (src/app/decide.ts) and the triage queue (src/app/triage/) on the
// demo fixtures at 2025-04-21 09:00 +08:00, through the library (no terminal, no prompts).
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { ensureDeadlinesOnStore as ensureDeadlines } from '../../src/app/storeTwins.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
// The Store twin until these tests move to the ports (issue 15).
import { caseFileFromStore as caseFile } from '../../src/app/storeTwins.js';
import type { SweepEnv } from '../../src/app/sweep.js';
import {
  GENERIC_OUTCOMES,
  caseContext,
  outcomeForAction,
  parseYuanToCents,
  recordDecision,
  thresholdCents,
  type DecisionConfig,
  type DecisionRequest,
} from '../../src/app/decide.js';
import { parseSnoozeUntil, triageQueue } from '../../src/app/triage/queue.js';
import { isDoneForNow } from '../../src/domain/decisionState.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { clockFrom, deskOn, storeReads } from '../helpers/desk.js';
import { setLang, t } from '../../src/ui/i18n.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const HOUR = 3_600_000;
const DEMO = ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv', 'douyin-aftersales.csv', 'warehouse-returns.csv'];

// Demo refunds by fixture key.
const R01 = '1587001122334455001'; // unshipped, WAIT_SELLER_AGREE, ¥59.90
const R02 = '158700112233445502'; // return + refund, merchant reason, ¥1,299.00
const R04 = '15870011223344550404'; // orange, warehouse: received OK
const R05 = '158700112233445505'; // orange, no receipt, 七天无理由
const R06 = '158700112233445506'; // orange, overdue, warehouse: empty parcel
const R10 = '158700112233445510'; // UNKNOWN state
const R11 = '158700112233445511'; // shipped, refund only, buyer received, ¥45.50
const R13 = '158700112233445513'; // unshipped, ¥1,050.00
const D7 = '7360123456789012307'; // douyin, overdue, shipped refund only, ¥1,580.00

const envAt = (nowMs: number): SweepEnv => ({ zone, nowMs, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * HOUR });
const env = envAt(NOW);
const tr = (k: string, p?: Record<string, string | number>) => t(k, p);

let store: Store;
let dir: string;

async function load(files = DEMO, nowMs = NOW): Promise<void> {
  await importFiles(store, files.map((f) => ({ name: fixture(f) })), { zone, nowMs });
}

beforeEach(async () => {
  setLang('en');
  dir = tmpDir();
  store = openStore(path.join(dir, 'r.sqlite'));
  await load();
});
afterEach(() => store.close());

const cf = (id: string, e: SweepEnv = env) => caseFile(store, e, id)!;
/** Records as the library does, the claim it takes released at once (the tests below look at claims of their own). */
const record = async (req: Partial<DecisionRequest> & Pick<DecisionRequest, 'refundId' | 'action'>, config: DecisionConfig = {}, e: SweepEnv = env) => {
  const ports = portsOf(store, clockFrom(e.nowMs));
  const r = await recordDecision(ports, { sweep: e, config, tr }, cf(req.refundId, e), { agent: 'alice', source: 'decide', ...req }, { session: 'record', force: false, ttlMs: 60_000 });
  await ports.locks.release('record');
  return r;
};
const rows = () => store.sql<Record<string, unknown>>('SELECT * FROM decisions ORDER BY id');
/** The queue in memory, claims judged on the store's clock at `clockMs`. */
const queueAt = (e: SweepEnv, o: Omit<Parameters<typeof triageQueue>[3], 'clockMs'> & { clockMs: number }) =>
  triageQueue(portsOf(store, { now: () => o.clockMs }), storeReads(store), e, o);

describe('amounts typed in yuan become exact cents', () => {
  it.each([
    ['59.90', 5990],
    ['59.9', 5990],
    ['¥59.90', 5990],
    ['￥59.90', 5990],
    ['59.90元', 5990],
    ['1,299.00', 129900],
    ['59', 5900],
    ['0.07', 7],
    [' 20.5 ', 2050],
    ['0.29', 29], // 0.29 * 100 = 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 = 114.99999999999999
  ])('%s → %d', (text, cents) => {
    expect(parseYuanToCents(text)).toBe(cents);
  });

  it.each(['', 'abc', '-5', '59.999', '1e3', '12,99', '5 9', '¥', '.5x', '59.90.1', '1,2345'])('rejects %j', (text) => {
    expect(parseYuanToCents(text)).toBeNull();
  });

  it('round-trips every amount written with two decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (cents) => {
        const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        expect(parseYuanToCents(text)).toBe(cents);
        expect(parseYuanToCents(`¥${text}`)).toBe(cents);
      }),
    );
  });

  it('config thresholds in yuan', () => {
    expect(thresholdCents({})).toBeNull();
    expect(thresholdCents({ amountThresholdYuan: 500 })).toBe(50000);
    expect(thresholdCents({ amountThresholdYuan: 0.29 })).toBe(29);
  });
});

describe('the case context', () => {
  it('carries threshold, supervisor, Tmall and the warehouse receipt', () => {
    const ctx = caseContext(cf(R04), { nowMs: NOW, agent: 'Boss', config: { amountThresholdYuan: 100, supervisors: ['boss'], tmall: true } });
    expect(ctx.amountThresholdCents).toBe(10000);
    expect(ctx.agent).toEqual({ name: 'Boss', isSupervisor: true });
    expect(ctx.platformIsTmall).toBe(true);
    expect(ctx.receipt).toMatchObject({ condition: 'ok' });
    expect(ctx.deadlineAt).toBe(Date.parse('2025-04-21T18:30:00+08:00'));
    // Tmall is a Taobao thing: a Douyin case is never Tmall.
    expect(caseContext(cf(D7), { nowMs: NOW, agent: 'x', config: { tmall: true } }).platformIsTmall).toBe(false);
  });
});

describe('which outcome `decide --action` records', () => {
  const pick = (id: string, action: Parameters<typeof outcomeForAction>[1], config: DecisionConfig = {}) =>
    outcomeForAction(caseContext(cf(id), { nowMs: NOW, agent: 'alice', config }), action).id;

  it('the one outcome of the case\'s branch the data leads to', () => {
    expect(pick(R01, 'approve')).toBe('unshipped.approve');
    expect(pick(R01, 'mark-shipped')).toBe('unshipped.markShipped');
    expect(pick(R01, 'contact-buyer')).toBe('unshipped.contactKeepSale');
    expect(pick(R04, 'approve')).toBe('orange.approve'); // warehouse: fine
    expect(pick(R06, 'refuse')).toBe('orange.refuseEmpty'); // warehouse: empty parcel
    expect(pick(R02, 'approve-return')).toBe('return.approveSellerPays'); // 质量问题: our side
    expect(pick(R02, 'partial')).toBe('return.partialNoReturn');
    expect(pick(R11, 'approve')).toBe('shippedOnly.approveReceived'); // buyer has the goods
    expect(pick(R05, 'approve')).toBe('orange.approve'); // fewest answers: received → fine
  });

  it('the generic outcome when the data cannot tell, rules it out, or the state is unknown', () => {
    expect(pick(D7, 'approve')).toBe('generic.approve'); // lost? coming back? equally likely
    expect(pick(R06, 'approve')).toBe('generic.approve'); // parcel was empty
    expect(pick(R10, 'approve')).toBe('generic.approve');
    expect(pick(R01, 'escalate')).toBe('generic.escalate');
    expect(pick(R01, 'wait')).toBe('generic.wait');
  });

  it('an escalated outcome counts by what it proposes', () => {
    expect(pick(R13, 'approve', { amountThresholdYuan: 100 })).toBe('unshipped.approve');
  });

  it('generic outcomes have a checklist and an expected state for every action', () => {
    for (const o of Object.values(GENERIC_OUTCOMES)) {
      expect(o.checklistKeys.length).toBeGreaterThan(0);
      for (const k of o.checklistKeys) expect(t(k)).not.toBe(k);
    }
    expect(GENERIC_OUTCOMES.approve.expectedStatus).toEqual(['SUCCESS']);
    expect(GENERIC_OUTCOMES.refuse.expectedStatus).toEqual(['SELLER_REFUSE_BUYER']);
  });
});

describe('recordDecision', () => {
  it('records the outcome\'s checklist, expected state and buyer message, at "now"', async () => {
    const r = await record({ refundId: R01, action: 'approve' });
    expect(r.ok).toBe(true);
    expect(rows()).toEqual([
      expect.objectContaining({
        refund_id: R01,
        action: 'approve',
        amount_cents: 5990,
        note: null,
        evidence_json: '[]',
        agent: 'alice',
        decided_at: '2025-04-21T09:00:00+08:00',
        status_at_decision: 'WAIT_SELLER_AGREE',
        expected_status_json: '["SUCCESS"]',
        buyer_message: null,
        source: 'decide',
      }),
    ]);
    const checklist = JSON.parse(rows()[0]!.checklist_json as string);
    expect(checklist).toEqual([
      'In 退款管理, open the refund and click 同意退款 (¥59.90).',
      'Make sure the warehouse does not ship the order.',
      'Check that the refund shows 退款成功.',
    ]);
  });

  it('refuses what the platform forbids, with the reason, and writes nothing', async () => {
    const r = await record({ refundId: R01, action: 'refuse', note: '不想退', evidence: ['chat.png'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.violations.map((v) => v.code)).toEqual(['refuse-unshipped']);
    const seven = await record({ refundId: R05, action: 'refuse', note: '不同意', evidence: ['a.jpg'] });
    expect(seven.ok).toBe(true); // orange: a returned parcel may be refused, even 七天无理由
    const bare = await record({ refundId: R06, action: 'refuse' });
    expect(!bare.ok && bare.violations.map((v) => v.code)).toEqual(['refuse-note-missing', 'refuse-evidence-missing']);
    expect(rows().filter((x) => x.refund_id !== R05)).toEqual([]);
  });

  it('a refusal keeps the note and evidence, and fills the buyer message with the note', async () => {
    const r = await record({ refundId: R06, action: 'refuse', note: '退回的是空包裹', evidence: [' parcel.jpg ', '', 'weight.png'] });
    expect(r.ok).toBe(true);
    const row = rows()[0]!;
    expect(row).toMatchObject({ action: 'refuse', note: '退回的是空包裹', evidence_json: '["parcel.jpg","weight.png"]', expected_status_json: '["SELLER_REFUSE_BUYER"]', amount_cents: null });
    expect(row.buyer_message).toContain('原因：退回的是空包裹');
    expect(JSON.parse(row.checklist_json as string)[0]).toBe('Photograph the empty parcel and its label; keep the weight record if any.');
  });

  it('Tmall refusals need a proof image', async () => {
    const r = await record({ refundId: R06, action: 'refuse', note: '空包裹', evidence: ['chat record'] }, { tmall: true });
    expect(!r.ok && r.violations.map((v) => v.code)).toEqual(['refuse-image-required']);
  });

  it('partial amounts: below the requested amount, recorded in cents', async () => {
    expect((await record({ refundId: R11, action: 'partial' })).ok).toBe(false);
    const tooMuch = await record({ refundId: R11, action: 'partial', amountCents: 4550 });
    expect(!tooMuch.ok && tooMuch.violations[0]!.code).toBe('partial-amount-range');
    const r = await record({ refundId: R11, action: 'partial', amountCents: 2050, note: 'agreed in chat' });
    expect(r.ok).toBe(true);
    expect(rows()[0]).toMatchObject({ action: 'partial', amount_cents: 2050, expected_status_json: '["SUCCESS"]' });
    expect(rows()[0]!.buyer_message).toContain('20.50元');
  });

  it('above the threshold only a supervisor gives money back; others escalate', async () => {
    const config = { amountThresholdYuan: 500, supervisors: ['boss'] };
    const no = await record({ refundId: R13, action: 'approve' }, config);
    expect(!no.ok && no.violations.map((v) => v.code)).toEqual(['threshold-needs-supervisor']);
    expect((await record({ refundId: R13, action: 'escalate', note: 'please check' }, config)).ok).toBe(true);
    expect((await record({ refundId: R13, action: 'approve', agent: 'boss' }, config)).ok).toBe(true);
    expect(rows().map((r) => [r.action, r.agent, r.expected_status_json])).toEqual([
      ['escalate', 'alice', null],
      ['approve', 'boss', '["SUCCESS"]'],
    ]);
  });

  it('checklists are recorded in the agent\'s language; buyer messages are always Chinese', async () => {
    setLang('zh');
    await record({ refundId: R04, action: 'approve' });
    setLang('en');
    const row = rows()[0]!;
    expect(JSON.parse(row.checklist_json as string)[0]).toContain('确认收货');
    expect(row.expected_status_json).toBe('["SUCCESS"]');
  });

  it('finished refunds take no decision', async () => {
    const r = await record({ refundId: '158700112233445508', action: 'approve' });
    expect(!r.ok && r.violations.map((v) => v.code)).toEqual(['refund-finished']);
  });
});

describe('the triage queue', () => {
  type QueueOver = Partial<Parameters<typeof queueAt>[1]>;
  const q = (over: QueueOver = {}) => queueAt(env, { agent: 'alice', session: 's1', clockMs: NOW, ...over });
  const ids = async (over: QueueOver = {}) => (await q(over)).items.map((i) => i.refund.refundId);
  // The order of `refunds today` (test/cli/today.test.ts) without the cases waiting on the buyer.
  const SELLER_QUEUE = [
    '7360123456789012307', '158700112233445506', '7360123456789012303', '158700112233445502', '15870011223344550404',
    '1587001122334455001', '7360123456789012301', '158700112233445505', '158700112233445507', '158700112233445513',
    '7360123456789012306', '158700112233445510', '158700112233445511',
  ];
  const BUYER_SIDE = ['158700112233445514', '1587001122334455', '7360123456789012302'];

  it('is the sweep order, cases that need the seller only', async () => {
    expect(await ids()).toEqual(SELLER_QUEUE);
    expect(await ids({ platform: 'douyin' })).toEqual(['7360123456789012307', '7360123456789012303', '7360123456789012301', '7360123456789012306']);
    // --all adds the cases waiting on the buyer, at the end
    expect(await ids({ includeBuyerSide: true })).toEqual([...SELLER_QUEUE, ...BUYER_SIDE]);
  });

  it('leaves out snoozed cases until their time, per agent', async () => {
    store.snooze(D7, 'alice', '2025-04-21T14:30:00+08:00');
    store.snooze(R06, 'alice', '2025-04-21T08:00:00+08:00'); // already past
    expect(await ids()).not.toContain(D7);
    expect(await ids()).toContain(R06);
    expect((await q()).snoozed).toBe(1);
    expect(await ids({ agent: 'bob' })).toContain(D7);
    expect((await queueAt(envAt(Date.parse('2025-04-21T14:30:00+08:00')), { agent: 'alice', session: 's1', clockMs: NOW })).items.map((i) => i.refund.refundId)).toContain(D7);
  });

  it('leaves out cases claimed by another live session', async () => {
    expect(store.claim(D7, 'bob', 'other', NOW, 15 * 60_000)).toBe(true);
    expect(await ids()).not.toContain(D7);
    expect((await q()).claimedByOthers).toBe(1);
    expect(await ids({ session: 'other' })).toContain(D7);
    // an expired claim frees the case
    expect(await ids({ clockMs: NOW + 16 * 60_000 })).toContain(D7);
  });

  it('a decided case is done until the next import; if the platform did not follow, it is back', async () => {
    expect((await record({ refundId: R01, action: 'approve' })).ok).toBe(true);
    expect(await ids()).not.toContain(R01);
    expect((await q()).done).toBe(1);
    // Re-importing the same export an hour later: R01 still waits for the seller.
    const later = NOW + HOUR;
    await load(['taobao-refunds-2017-gbk.csv'], later);
    const items = (await queueAt(envAt(later), { agent: 'alice', session: 's1', clockMs: later })).items;
    const r01 = items.find((i) => i.refund.refundId === R01);
    expect(r01).toMatchObject({ notCarriedOut: true, next: 'decided-not-carried-out' });
    // A decision expecting no state change (contact the buyer) is simply due again after an import.
    expect(isDoneForNow({ refund: r01!.refund, decision: { ...r01!.decision!, expectedStatus: null }, notCarriedOut: false }, '2025-04-21T10:00:00+08:00')).toBe(false);
    expect(isDoneForNow({ refund: r01!.refund, decision: { ...r01!.decision!, expectedStatus: null }, notCarriedOut: false }, '2025-04-21T09:00:00+08:00')).toBe(true);
  });
});

describe('the queue in SQL (store.triageCandidates, what TriageDesk reads) = the queue in memory (triageQueue)', () => {
  const both = async (e: SweepEnv, o: { agent: string; session: string; clockMs: number; platform?: 'taobao' | 'douyin'; includeBuyerSide?: boolean }) => {
    const memory = (await queueAt(e, o)).items.map((i) => i.refund.refundId);
    const q = { ...o, nowMs: e.nowMs, nowIso: e.zone.iso(e.nowMs), dueSoonMs: e.dueSoonMs, includeBuyerSide: Boolean(o.includeBuyerSide), exclude: [] };
    const sql = store.triageCandidates({ ...q, limit: 1000 }).ids;
    expect(sql).toEqual(memory);
    expect(store.triageCandidates({ ...q, limit: 0 }).total).toBe(memory.length);
    return sql;
  };

  it('with snoozes, claims, a decision, and a decision the platform did not follow (any section)', async () => {
    const base = { agent: 'alice', session: 's1', clockMs: NOW };
    expect((await both(env, base)).length).toBeGreaterThan(5);
    await both(env, { ...base, platform: 'douyin' });
    await both(env, { ...base, includeBuyerSide: true });
    store.snooze(D7, 'alice', '2025-04-21T14:30:00+08:00');
    expect(store.claim(R06, 'bob', 'other', NOW, 15 * 60_000)).toBe(true);
    expect((await record({ refundId: R01, action: 'approve' })).ok).toBe(true);
    // A decision on a case waiting on the buyer (a section the queue leaves out unless not carried out).
    expect((await record({ refundId: '158700112233445514', action: 'contact-buyer' })).ok).toBe(true);
    await both(env, base);
    await both(env, { ...base, includeBuyerSide: true });
    const later = NOW + HOUR;
    await load(['taobao-refunds-2017-gbk.csv'], later);
    const after = await both(envAt(later), { ...base, clockMs: later });
    expect(after).toContain(R01); // not carried out: back in the queue
    await both(envAt(later), { ...base, clockMs: later, includeBuyerSide: true });
    await both(envAt(NOW + 30 * HOUR), { ...base, clockMs: NOW + 30 * HOUR });
  });

  it('the queue in SQL keeps a not-carried-out case waiting on the buyer, and an orange case the platform holds', async () => {
    expect((await record({ refundId: R01, action: 'approve' })).ok).toBe(true);
    ensureDeadlines(store, env); // stored, so the hand-made states below stay as written
    const raw = new Database(path.join(dir, 'r.sqlite'));
    // The next export shows R01 waiting for the buyer's parcel instead: not carried out, in the buyer's section.
    raw.prepare("UPDATE refunds SET status = 'WAIT_BUYER_RETURN_GOODS', waiting_on = 'buyer' WHERE refund_id = ?").run(R01);
    raw
      .prepare("INSERT INTO imports (file, kind, encoding, imported_at, inserted, updated, unchanged, rejected) VALUES ('x.csv', 'taobao-refunds', 'utf-8', ?, 0, 1, 0, 0)")
      .run('2025-04-21T10:00:00+08:00');
    // An orange case whose far-off deadline the platform holds: the orange section, in the queue.
    const ORANGE = '158700112233445505';
    raw.prepare("UPDATE refunds SET waiting_on = 'platform', deadline_at = ? WHERE refund_id = ?").run(NOW + 100 * HOUR, ORANGE);
    // A case the platform decides within the alert window (due soon, not overdue): in the queue.
    const PLATFORM_SOON = '7360123456789012301';
    raw.prepare("UPDATE refunds SET waiting_on = 'platform', deadline_at = ? WHERE refund_id = ?").run(NOW + 7 * HOUR, PLATFORM_SOON);
    raw.close();
    const later = NOW + 2 * HOUR;
    const queue = await both(envAt(later), { agent: 'alice', session: 's1', clockMs: later });
    expect(queue).toContain(R01);
    expect(queue).toContain(ORANGE);
    expect(queue).toContain(PLATFORM_SOON);
    expect(store.sql('SELECT waiting_on FROM refunds WHERE refund_id = ?', [ORANGE])).toEqual([{ waiting_on: 'platform' }]);
  });
});

describe('two agents at once', () => {
  const desk = (agent: string, session: string, ttl = 15 * 60_000, wall = () => 0) =>
    deskOn(store, env, { agent, session, claimTtlMs: ttl }, { now: () => NOW + wall() }).desk;

  it('never get the same case: each claims before it shows the card', async () => {
    const a = desk('alice', 'A');
    const b = desk('bob', 'B');
    const first = (await a.next())!;
    const second = (await b.next())!;
    expect(first.refund.refundId).toBe(D7);
    expect(second.refund.refundId).toBe(R06);
    expect(store.sql('SELECT refund_id, agent, session FROM claims ORDER BY agent')).toEqual([
      { refund_id: D7, agent: 'alice', session: 'A' },
      { refund_id: R06, agent: 'bob', session: 'B' },
    ]);
    // Moving on releases the previous claim; the end of a session releases everything.
    await a.next(new Set([D7]));
    expect(store.sql('SELECT refund_id FROM claims WHERE session = ?', ['A'])).toEqual([{ refund_id: '7360123456789012303' }]);
    await a.release();
    await b.release();
    expect(store.sql('SELECT * FROM claims')).toEqual([]);
  });

  it('a session idle past its claim cannot record over another agent\'s decision', async () => {
    let wall = 0;
    const a = desk('alice', 'A', 15 * 60_000, () => wall);
    const b = desk('bob', 'B', 15 * 60_000, () => wall);
    const card = (await a.next())!;
    expect(card.refund.refundId).toBe(D7);
    wall = 20 * 60_000; // alice went for tea; her claim expired
    const bobs = (await b.next())!;
    expect(bobs.refund.refundId).toBe(D7);
    const dec = { sweep: env, config: {}, tr };
    expect((await b.commit(bobs, dec, { refundId: D7, action: 'contact-buyer', agent: 'bob', source: 'triage' })).ok).toBe(true);
    await b.release();
    // Alice comes back and confirms her decision on the card she still sees.
    const res = await a.commit(card, dec, { refundId: D7, action: 'contact-buyer', agent: 'alice', source: 'triage' });
    expect(res).toEqual({ ok: false, reason: 'decided', by: 'bob', at: '2025-04-21T09:00:00+08:00' });
    expect(rows().map((r) => r.agent)).toEqual(['bob']);
  });

  it('a claim renewed by activity stays with its session', async () => {
    let wall = 0;
    const a = desk('alice', 'A', 15 * 60_000, () => wall);
    const b = desk('bob', 'B', 15 * 60_000, () => wall);
    await a.next();
    wall = 10 * 60_000;
    expect(await a.touch(D7)).toBe(true);
    wall = 20 * 60_000; // 20 min after the claim, 10 after the renewal
    expect((await b.next())!.refund.refundId).not.toBe(D7);
    const res = await b.commit(cf(D7), { sweep: env, config: {}, tr }, { refundId: D7, action: 'contact-buyer', agent: 'bob', source: 'triage' });
    expect(res).toEqual({ ok: false, reason: 'claimed' });
  });
});

describe('snooze times', () => {
  it.each([
    ['14:30', '2025-04-21T14:30:00+08:00'],
    ['8:15', '2025-04-22T08:15:00+08:00'], // already past today → tomorrow
    ['2h', '2025-04-21T11:00:00+08:00'],
    ['1h30m', '2025-04-21T10:30:00+08:00'],
    ['1d', '2025-04-22T09:00:00+08:00'],
    ['2025-04-23 10:00', '2025-04-23T10:00:00+08:00'],
  ])('%s → %s', (text, iso) => {
    expect(zone.iso(parseSnoozeUntil(text, NOW, zone)!)).toBe(iso);
  });
  it.each(['', 'soon', '25:00', '0m', '2025-04-20 10:00'])('rejects %j', (text) => {
    expect(parseSnoozeUntil(text, NOW, zone)).toBeNull();
  });
});
