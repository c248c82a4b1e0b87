// `decide(ports, env, input)`, the use case behind `refunds decide`, on the ports over a real
// SQLite file with a hand-moved store clock: claims of other agents refuse (or are forced), the
// agent's own triage claim does not, a refused decision or an escalation leaves the case free.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles } from '../helpers/importFiles.js';
import { openStore, type Store } from '../../src/store/store.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import { ShopZone } from '../../src/domain/time.js';
import { builtinRules } from '../../src/domain/rules.js';
import { chinaCalendar } from '../../src/app/calendarData.js';
import { decide, decideSession, type DecideInput } from '../../src/app/decide.js';
import type { Ports } from '../../src/app/ports/index.js';
import { setLang, t } from '../../src/ui/i18n.js';
import { fixture, tmpDir } from '../helpers/cli.js';

const zone = new ShopZone('Asia/Shanghai');
const NOW = Date.parse('2025-04-21T09:00:00+08:00');
const TTL = 15 * 60_000;
const R01 = '1587001122334455001'; // unshipped, WAIT_SELLER_AGREE, ¥59.90
const env = { zone, nowMs: NOW, rules: builtinRules, calendar: chinaCalendar(), dueSoonMs: 24 * 3_600_000 };
const denv = { sweep: env, config: {}, tr: (k: string, p?: Record<string, string | number>) => t(k, p) };

let store: Store;
let ports: Ports;
let clock = NOW;
beforeEach(async () => {
  setLang('en');
  clock = NOW;
  store = openStore(path.join(tmpDir(), 'r.sqlite'));
  await importFiles(store, ['taobao-refunds-2017-gbk.csv', 'taobao-orders-gbk.csv'].map((f) => ({ name: fixture(f) })), { zone, nowMs: NOW });
  ports = portsOf(store, { now: () => clock });
});
afterEach(() => store.close());

const input = (over: Partial<DecideInput> = {}): DecideInput => ({
  refundId: R01, action: 'approve', amountCents: null, note: null, evidence: [], agent: 'alice', force: false, claimTtlMs: TTL, ...over,
});
const rows = () => store.sql<{ agent: string; action: string; source: string }>('SELECT agent, action, source FROM decisions ORDER BY id');
const claims = () => store.sql<{ agent: string; session: string; expires_at: number }>('SELECT agent, session, expires_at FROM claims ORDER BY refund_id');

describe('decide: claims', () => {
  it('another agent\'s live claim refuses, naming them and until when; nothing is written', async () => {
    expect(await ports.locks.claim(R01, 'bob', 'triage-1', TTL)).toBe(true);
    expect(await decide(ports, denv, input())).toEqual({ kind: 'held', agent: 'bob', expiresAt: NOW + TTL });
    expect(rows()).toEqual([]);
    expect(claims()).toEqual([{ agent: 'bob', session: 'triage-1', expires_at: NOW + TTL }]);
  });

  it('force decides over it, recorded as decide-forced, and takes the claim', async () => {
    await ports.locks.claim(R01, 'bob', 'triage-1', TTL);
    clock = NOW + 60_000;
    const r = await decide(ports, denv, input({ force: true }));
    expect(r).toMatchObject({ kind: 'recorded', forcedOver: { agent: 'bob', expiresAt: NOW + TTL } });
    expect(rows()).toEqual([{ agent: 'alice', action: 'approve', source: 'decide-forced' }]);
    expect(claims()).toEqual([{ agent: 'alice', session: decideSession('alice', R01), expires_at: NOW + 60_000 + TTL }]);
  });

  it('the agent\'s own triage claim, or another\'s expired one, does not stand in the way (source decide)', async () => {
    await ports.locks.claim(R01, 'alice', 'triage-1', TTL);
    expect(await decide(ports, denv, input())).toMatchObject({ kind: 'recorded', forcedOver: null });
    const other = store.sql<{ refund_id: string }>("SELECT refund_id FROM refunds WHERE refund_id <> ? AND status = 'WAIT_SELLER_AGREE' ORDER BY refund_id LIMIT 1", [R01])[0]!.refund_id;
    await ports.locks.claim(other, 'bob', 'triage-2', TTL);
    clock = NOW + TTL; // bob's claim ends now
    expect(await decide(ports, denv, input({ refundId: other, action: 'contact-buyer' }))).toMatchObject({ kind: 'recorded', forcedOver: null });
    expect(rows()).toEqual([
      { agent: 'alice', action: 'approve', source: 'decide' },
      { agent: 'alice', action: 'contact-buyer', source: 'decide' },
    ]);
  });

  it('a decision the rules refuse takes no claim and writes nothing', async () => {
    const r = await decide(ports, denv, input({ action: 'refuse', note: '不想退', evidence: ['chat.png'] }));
    expect(r?.kind === 'rejected' && r.violations.map((v) => v.code)).toEqual(['refuse-unshipped']);
    expect(rows()).toEqual([]);
    expect(claims()).toEqual([]);
  });

  it('a recorded decision keeps the case claimed until the claim expires; an escalation leaves it free', async () => {
    await decide(ports, denv, input());
    expect(await ports.locks.holder(R01)).toEqual({ agent: 'alice', session: decideSession('alice', R01), expiresAt: NOW + TTL });
    expect(await decide(ports, denv, input({ agent: 'bob', action: 'escalate', note: 'please check' }))).toEqual({ kind: 'held', agent: 'alice', expiresAt: NOW + TTL });
    clock = NOW + TTL + 1;
    expect(await decide(ports, denv, input({ agent: 'bob', action: 'escalate', note: 'please check' }))).toMatchObject({ kind: 'recorded' });
    expect(await ports.locks.holder(R01)).toBeNull();
    expect(rows().map((r) => [r.agent, r.action])).toEqual([['alice', 'approve'], ['bob', 'escalate']]);
  });

  it('an unknown refund is null', async () => {
    expect(await decide(ports, denv, input({ refundId: '999' }))).toBeNull();
  });
});
