// Deadlines are a pure function of a refund's data, its order's shipping state, the rule tables,
// the holiday calendar and the shop's zone — never of "now". So they are computed by the domain
// (deadlineFor) when data changes and kept beside each open refund; the sweep then ranks in SQL.
// A fingerprint of the rules, calendar and zone says when every stored deadline must be redone.
import { deadlineFor, type Deadline } from '../domain/deadlines.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { RuleSet } from '../domain/rules.js';
import type { ShopZone } from '../domain/time.js';
import type { Refund } from '../domain/types.js';
import type { DeadlineRow, StoredDeadline } from '../domain/inputs.js';
import { isStoreBusy, type Ports, type TxPorts } from './ports/index.js';

export interface DeadlineEnv {
  rules: RuleSet;
  calendar: WorkCalendar;
  zone: ShopZone;
}

export const FINGERPRINT_KEY = 'deadlines.basis';
export const DEADLINE_PAGE = 2000;

export function deadlineFingerprint(env: DeadlineEnv): string {
  const calendar = env.calendar.id ?? 'weekdays';
  // The basis itself (about 6 KB), not a hash of it: comparing it costs nothing, and hashing would
  // make every sweep load node:crypto.
  return JSON.stringify([env.rules, calendar, env.zone.name, 1]);
}

export function toStored(refundId: string, d: Deadline): DeadlineRow {
  return { refundId, at: d.at, source: d.source, rule: d.rule?.id ?? null, actor: d.actor, atTimeout: d.atTimeout };
}

/** The ports the deadlines are kept with: a unit of work's `tx`, or the Ports (then `unitOfWork` too). */
export type DeadlinePorts = Pick<TxPorts, 'meta' | 'deadlines' | 'sweep'>;

/**
 * Computes and stores the deadline of every open refund that lacks one (or all, after a rules
 * change). Inside an import's unit of work (`ports` is its `tx`) it just writes. From a reading
 * command (`reader`, `ports` the Ports) it writes only if nobody else is writing: returns false
 * when it could not, and the caller computes in memory.
 */
export async function ensureDeadlines(
  ports: DeadlinePorts & Partial<Pick<Ports, 'unitOfWork'>>,
  env: DeadlineEnv,
  opts: { all?: boolean; reader?: boolean } = {},
): Promise<boolean> {
  const fingerprint = deadlineFingerprint(env);
  const all = opts.all || (await ports.meta.get(FINGERPRINT_KEY)) !== fingerprint;
  if (!opts.reader) {
    await refreshDeadlines(ports, env, all, fingerprint);
    return true;
  }
  if (!all && (await ports.deadlines.needing(1)).length === 0) return true;
  if (!ports.unitOfWork) throw new Error('ensureDeadlines: a reader needs the Ports (unitOfWork), not a tx');
  try {
    await ports.unitOfWork((tx) => refreshDeadlines(tx, env, all, fingerprint), { wait: 'none' });
    return true;
  } catch (e) {
    if (isStoreBusy(e)) return false;
    throw e;
  }
}

async function refreshDeadlines(ports: DeadlinePorts, env: DeadlineEnv, all: boolean, fingerprint: string): Promise<void> {
  if (all) {
    // Every open refund again (new rules, or an order export that may say what shipped), in
    // pages; only the deadlines that come out different are written, usually few.
    const ids = await ports.deadlines.openRefundIds();
    for (let i = 0; i < ids.length; i += DEADLINE_PAGE) {
      const changed: DeadlineRow[] = [];
      for (const { refund, deadline } of await ports.sweep.refundsWithDeadlines(ids.slice(i, i + DEADLINE_PAGE))) {
        const fresh = toStored(refund.refundId, deadlineFor(refund, env.rules, env.zone, env.calendar));
        if (!sameDeadline(fresh, deadline)) changed.push(fresh);
      }
      await ports.deadlines.save(changed);
    }
    await ports.meta.set(FINGERPRINT_KEY, fingerprint);
  }
  // Rows written without a deadline (or changed since): in pages, so memory stays flat.
  for (let page = await ports.deadlines.needing(DEADLINE_PAGE); page.length; page = await ports.deadlines.needing(DEADLINE_PAGE)) {
    await ports.deadlines.save(page.map((r) => toStored(r.refundId, deadlineFor(r, env.rules, env.zone, env.calendar))));
  }
}

export function sameDeadline(a: StoredDeadline, b: StoredDeadline): boolean {
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
