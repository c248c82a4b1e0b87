// Deadlines are a pure function of a refund's data, its order's shipping state, the rule tables,
// the holiday calendar and the shop's zone — never of "now". So they are computed by the domain
// (deadlineFor) when data changes and kept beside each open refund; the sweep then ranks in SQL.
// A fingerprint of the rules, calendar and zone says when every stored deadline must be redone.
import { deadlineFor, type Deadline } from '../domain/deadlines.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { RuleSet } from '../domain/rules.js';
import type { ShopZone } from '../domain/time.js';
import type { Refund } from '../domain/types.js';
import type { DeadlineRow, Store, StoredDeadline } from '../store/store.js';
import type { TxPorts } from './ports/index.js';

export interface DeadlineEnv {
  rules: RuleSet;
  calendar: WorkCalendar;
  zone: ShopZone;
}

const FINGERPRINT_KEY = 'deadlines.basis';
const PAGE = 2000;

export function deadlineFingerprint(env: DeadlineEnv): string {
  const calendar = env.calendar.id ?? 'weekdays';
  // The basis itself (about 6 KB), not a hash of it: comparing it costs nothing, and hashing would
  // make every sweep load node:crypto.
  return JSON.stringify([env.rules, calendar, env.zone.name, 1]);
}

export function toStored(refundId: string, d: Deadline): DeadlineRow {
  return { refundId, at: d.at, source: d.source, rule: d.rule?.id ?? null, actor: d.actor, atTimeout: d.atTimeout };
}

/**
 * Computes and stores the deadline of every open refund that lacks one (or all, after a rules
 * change). Inside an import's transaction it just writes. From a reading command it writes only if
 * nobody else is writing: returns false when it could not, and the caller computes in memory.
 */
export function ensureDeadlines(store: Store, env: DeadlineEnv, opts: { all?: boolean; reader?: boolean } = {}): boolean {
  const fingerprint = deadlineFingerprint(env);
  const all = opts.all || store.meta(FINGERPRINT_KEY) !== fingerprint;
  const work = () => {
    if (all) {
      // Every open refund again (new rules, or an order export that may say what shipped), in
      // pages; only the deadlines that come out different are written, usually few.
      const ids = store.openRefundIds();
      for (let i = 0; i < ids.length; i += PAGE) {
        const changed: DeadlineRow[] = [];
        for (const { refund, deadline } of store.refundsWithDeadlines(ids.slice(i, i + PAGE))) {
          const fresh = toStored(refund.refundId, deadlineFor(refund, env.rules, env.zone, env.calendar));
          if (!sameDeadline(fresh, deadline)) changed.push(fresh);
        }
        store.saveDeadlines(changed);
      }
      store.setMeta(FINGERPRINT_KEY, fingerprint);
    }
    // Rows written without a deadline (or changed since): in pages, so memory stays flat.
    for (let page = store.refundsNeedingDeadlines(PAGE); page.length; page = store.refundsNeedingDeadlines(PAGE)) {
      store.saveDeadlines(page.map((r) => toStored(r.refundId, deadlineFor(r, env.rules, env.zone, env.calendar))));
    }
  };
  if (!opts.reader) {
    work();
    return true;
  }
  if (!all && store.refundsNeedingDeadlines(1).length === 0) return true;
  return store.tryWrite(work);
}

function sameDeadline(a: StoredDeadline, b: StoredDeadline): boolean {
  return a.at === b.at && a.source === b.source && a.rule === b.rule && a.actor === b.actor && a.atTimeout === b.atTimeout;
}

/** A stored deadline in the domain's shape, enough for urgency and the sweep's JSON. */
export function fromStored(d: StoredDeadline, rules: RuleSet, refund: Refund): Deadline {
  const rule = d.rule ? (rules[refund.platform]?.rules.find((r) => r.id === d.rule) ?? null) : null;
  return {
    at: d.at,
    source: d.source,
    rule,
    anchor: null,
    actor: d.actor,
    atTimeout: (d.atTimeout as Deadline['atTimeout']) ?? null,
    ruleAt: null,
    calendarKnown: true,
  };
}

/**
 * ensureDeadlines on the ports, inside the caller's unit of work (an import's): the same pass, a
 * page at a time, one await per port call. (The reader's `tryWrite` path stays with ensureDeadlines
 * until the read side moves.)
 */
export async function ensureDeadlinesIn(
  tx: Pick<TxPorts, 'deadlines' | 'sweep' | 'meta'>,
  env: DeadlineEnv,
  opts: { all?: boolean } = {},
): Promise<void> {
  const fingerprint = deadlineFingerprint(env);
  const all = opts.all || (await tx.meta.get(FINGERPRINT_KEY)) !== fingerprint;
  if (all) {
    const ids = await tx.deadlines.openRefundIds();
    for (let i = 0; i < ids.length; i += PAGE) {
      const changed: DeadlineRow[] = [];
      for (const { refund, deadline } of await tx.sweep.refundsWithDeadlines(ids.slice(i, i + PAGE))) {
        const fresh = toStored(refund.refundId, deadlineFor(refund, env.rules, env.zone, env.calendar));
        if (!sameDeadline(fresh, deadline)) changed.push(fresh);
      }
      await tx.deadlines.save(changed);
    }
    await tx.meta.set(FINGERPRINT_KEY, fingerprint);
  }
  for (let page = await tx.deadlines.needing(PAGE); page.length; page = await tx.deadlines.needing(PAGE)) {
    await tx.deadlines.save(page.map((r) => toStored(r.refundId, deadlineFor(r, env.rules, env.zone, env.calendar))));
  }
}
