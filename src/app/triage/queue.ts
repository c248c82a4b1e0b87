// The triage queue: which cases an agent has in front of them. Ports in, plain data out; no
// prompts, no terminal, no clock of its own (claims are judged on the store's clock).
//
// Queue rules
// - Order: the sweep's (most urgent first: overdue, due soon, orange, other seller cases).
// - In the queue: open refunds the platform is waiting on the SELLER for (urgency sections
//   overdue, dueSoon, orange, seller), and any case flagged "decided, not carried out". With
//   `includeBuyerSide` also the cases waiting on the buyer (and on nobody).
// - Left out:
//   · done for now — the latest decision was recorded at or after the latest refund import of its
//     platform (the next import brings it back if the platform state did not follow: then it is
//     "not carried out" and in the queue again). So a session resumes where the last one stopped:
//     decided cases have left the queue;
//   · snoozed by this agent until a time still in the future (snoozes are per agent);
//   · claimed by another live session (claim not expired, on the store's clock);
//   · skipped in this session (the caller passes them in `exclude`).
import { parseDuration, parseShopTime, type ShopZone } from '../../domain/time.js';
import type { Platform } from '../../domain/types.js';
import { isDoneForNow, needsSeller } from '../../domain/decisionState.js';
import type { TxPorts } from '../ports/index.js';
import type { SweepEnv, SweepFilter, SweepItem } from '../sweep.js';

export const DEFAULT_CLAIM_MINUTES = 15;

/**
 * The sweep's reads the desk needs (app/sweep.ts, app/deadlines.ts), handed in by the
 * composition root so that the desk depends on what they answer, not on how they read.
 */
export interface QueueReads {
  /** Every open refund assessed, most urgent first (app/sweep.ts `sweep`). */
  sweep(env: SweepEnv, filter: SweepFilter): Promise<SweepItem[]>;
  /**
   * Every open refund's stored deadline is current (written now when it had to be and nobody else
   * was writing): the queue may be read from SQL. False: stale, and the store is busy.
   */
  freshDeadlines(env: SweepEnv): Promise<boolean>;
}

export interface QueueOptions {
  agent: string;
  /** This session's id (claims). */
  session: string;
  platform?: Platform;
  /** Also cases waiting on the buyer. */
  includeBuyerSide?: boolean;
}

export interface QueueState {
  /** Cases to triage now, most urgent first. */
  items: SweepItem[];
  /** Cases that need the seller but are left out now, by reason. */
  snoozed: number;
  claimedByOthers: number;
  excluded: number;
  /** Decided, waiting for the next import. */
  done: number;
}

/** The whole queue in memory, with what it leaves out (the session's start and end screens). */
export async function triageQueue(
  ports: Pick<TxPorts, 'cases' | 'locks'>,
  reads: QueueReads,
  env: SweepEnv,
  o: QueueOptions & { exclude?: ReadonlySet<string> },
): Promise<QueueState> {
  const [all, lastImports, snoozes, claimed] = await Promise.all([
    reads.sweep(env, o.platform ? { platform: o.platform } : {}),
    ports.cases.lastRefundImports(),
    ports.locks.snoozedUntil(o.agent),
    ports.locks.claimedByOthers(o.session),
  ]);
  const state: QueueState = { items: [], snoozed: 0, claimedByOthers: 0, excluded: 0, done: 0 };
  for (const item of all) {
    if (!needsSeller(item, o.includeBuyerSide)) continue;
    const id = item.refund.refundId;
    if (isDoneForNow(item, lastImports.get(item.refund.platform) ?? null)) {
      state.done++;
      continue;
    }
    const until = snoozes.get(id);
    if (until !== undefined && Date.parse(until) > env.nowMs) {
      state.snoozed++;
      continue;
    }
    if (claimed.has(id)) {
      state.claimedByOthers++;
      continue;
    }
    if (o.exclude?.has(id)) {
      state.excluded++;
      continue;
    }
    state.items.push(item);
  }
  return state;
}

/**
 * "Snooze until": HH:mm (today, or tomorrow when already past), a duration (2h, 90m, 1d), or a
 * shop time ("2025-04-22 09:00", ISO). Returns epoch ms in the future, or null.
 */
export function parseSnoozeUntil(text: string, nowMs: number, zone: ShopZone): number | null {
  const s = text.trim();
  if (s === '') return null;
  const hm = /^(\d{1,2})[:：](\d{2})$/.exec(s);
  if (hm) {
    const hour = Number(hm[1]);
    const minute = Number(hm[2]);
    if (hour > 23 || minute > 59) return null;
    const p = zone.toLocal(nowMs);
    let at = zone.fromLocal({ year: p.year, month: p.month, day: p.day, hour, minute, second: 0 });
    if (at <= nowMs) at = zone.addDays(at, 1);
    return at;
  }
  const d = parseDuration(s);
  if (d !== null) return d > 0 ? nowMs + d : null;
  const at = parseShopTime(s, zone);
  return at !== null && at > nowMs ? at : null;
}
