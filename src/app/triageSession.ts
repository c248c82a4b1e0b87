// The triage queue: which case an agent gets next, and the claims that keep two agents apart.
// Store in, plain data out; no prompts and no terminal (src/cli/triage.ts drives the dialogue).
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
//   · claimed by another live session (claim not expired);
//   · skipped in this session (the caller passes them in `exclude`).
// - Claims: a case is claimed (atomically, store.claim) before its card is shown; the claim lasts
//   `claimTtlMs` (config.claimMinutes, default 15) and is renewed on every answer; a session holds
//   one claim at a time and releases its claims when it moves on and when it ends.
// - Recording happens in one write transaction that first re-takes the claim and checks that no
//   other decision was recorded on the case since its card was loaded: two sessions never decide
//   the same case, even when one of them sat idle past its claim's expiry.
// - The claim clock runs in real time from "now" (`--now` fixed or not): claims expire after real
//   minutes of inactivity, while deadlines and decidedAt use the command's "now".
import { parseDuration, parseShopTime, type ShopZone } from '../domain/time.js';
import type { Platform } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { CaseFile } from './caseFile.js';
import type { SweepEnv, SweepItem } from './sweep.js';
// The Store twins of the read side until the desk moves to the ports (issue 15, P-D).
import { caseFileFromStore, ensureDeadlinesOnStore as ensureDeadlines, sweepOnStore as sweep } from './storeTwins.js';
import { isDoneForNow, needsSeller } from '../domain/decisionState.js';
import { StoreBusy } from './ports/errors.js';
// Moved to domain/decisionState.ts (issue 15); re-exported for the callers not moved yet.
export { isDoneForNow, needsSeller };

export const DEFAULT_CLAIM_MINUTES = 15;

/** SQLite could not get the write lock within busy_timeout (another process is writing); StoreBusy from the ports. */
export function isBusy(e: unknown): boolean {
  if (e instanceof StoreBusy) return true;
  const code = (e as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED';
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

export function triageQueue(store: Store, env: SweepEnv, o: QueueOptions & { clockMs: number; exclude?: ReadonlySet<string> }): QueueState {
  const all = sweep(store, env, o.platform ? { platform: o.platform } : {});
  const lastImports = store.lastRefundImports();
  const snoozes = store.snoozedUntil(o.agent);
  const claimed = store.claimedByOthers(o.session, o.clockMs);
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

export type CommitResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'claimed'; }
  | { ok: false; reason: 'decided'; by: string; at: string };

/** One agent's pass through the queue. */
export class TriageDesk {
  readonly session: string;
  readonly agent: string;
  private readonly startWall = Date.now();

  constructor(
    private readonly store: Store,
    private readonly env: SweepEnv,
    private readonly opts: QueueOptions & { claimTtlMs: number; wallClock?: () => number; startWith?: string },
  ) {
    this.session = opts.session;
    this.agent = opts.agent;
  }

  /** "now" advancing in real time (claims). */
  clock(): number {
    const wall = this.opts.wallClock ?? Date.now;
    return this.env.nowMs + (wall() - this.startWall);
  }

  queue(exclude?: ReadonlySet<string>): QueueState {
    return triageQueue(this.store, this.env, { ...this.opts, clockMs: this.clock(), exclude });
  }

  /**
   * Releases this session's claim and claims the most urgent case still free; returns its case
   * file, or null when nothing is left. A case another session claims first is passed over.
   */
  next(exclude?: ReadonlySet<string>): CaseFile | null {
    this.store.releaseClaims(this.session);
    this.leftAfterCard = null;
    const passed = new Set(exclude ?? []);
    // `triage --from N`: the case asked for comes first, once, if no other session holds it.
    const first = this.opts.startWith;
    if (first !== undefined && !passed.has(first)) {
      this.opts.startWith = undefined;
      if (this.store.claim(first, this.agent, this.session, this.clock(), this.opts.claimTtlMs)) {
        const cf = caseFileFromStore(this.store, this.env, first);
        if (cf && cf.refund.status !== 'CLOSED' && cf.refund.status !== 'SUCCESS') return cf;
        this.store.releaseClaims(this.session);
      }
    }
    let head = true;
    // The queue's head comes from SQL (the same rules as triageQueue), a page at a time: the next
    // card must not wait for a sweep of every open refund.
    for (;;) {
      const { ids, total } = this.candidates(passed, 20);
      if (ids.length === 0) return null;
      for (const id of ids) {
        const wasHead = head;
        head = false;
        passed.add(id);
        if (!this.store.claim(id, this.agent, this.session, this.clock(), this.opts.claimTtlMs)) continue;
        // Re-read after claiming: another session may have decided it since the queue was read.
        const cf = caseFileFromStore(this.store, this.env, id);
        const lastImport = cf ? (this.store.lastRefundImports().get(cf.refund.platform) ?? null) : null;
        if (!cf || !needsSeller(cf, this.opts.includeBuyerSide) || isDoneForNow(cf, lastImport)) {
          this.store.releaseClaims(this.session);
          continue;
        }
        if (wasHead) this.leftAfterCard = { card: id, exclude: new Set(exclude ?? []), n: total - 1 };
        return cf;
      }
    }
  }

  /**
   * When the last card was the queue's head: how many cases the same read left beside it, for the
   * usual remaining(passed + that card) that follows (the queue read once per card, not twice).
   */
  private leftAfterCard: { card: string; exclude: ReadonlySet<string>; n: number } | null = null;

  /** How many cases are left in the queue (for "n left"), without a full sweep. */
  remaining(exclude?: ReadonlySet<string>): number {
    const given = new Set(exclude ?? []);
    const last = this.leftAfterCard;
    this.leftAfterCard = null;
    if (last && given.size === last.exclude.size + 1 && given.has(last.card) && [...last.exclude].every((id) => given.has(id))) return last.n;
    return this.candidates(given, 0).total;
  }

  private candidates(exclude: ReadonlySet<string>, limit: number): { ids: string[]; total: number } {
    if (!ensureDeadlines(this.store, this.env, { reader: true })) {
      // Stored deadlines are stale and the database is busy: the slow, in-memory queue.
      const items = this.queue(exclude).items;
      return { ids: items.slice(0, limit || undefined).map((i) => i.refund.refundId), total: items.length };
    }
    return this.store.triageCandidates({
      platform: this.opts.platform,
      nowMs: this.env.nowMs,
      nowIso: this.env.zone.iso(this.env.nowMs),
      dueSoonMs: this.env.dueSoonMs,
      agent: this.agent,
      session: this.session,
      clockMs: this.clock(),
      includeBuyerSide: Boolean(this.opts.includeBuyerSide),
      exclude: [...exclude],
      limit,
    });
  }

  /** Renews the claim (activity). False when another session holds it now, or when the database
   * is busy (the claim is then renewed at the next activity or re-taken when recording). */
  touch(refundId: string): boolean {
    try {
      return this.store.claim(refundId, this.agent, this.session, this.clock(), this.opts.claimTtlMs);
    } catch (e) {
      if (isBusy(e)) return false;
      throw e;
    }
  }

  snooze(refundId: string, untilMs: number): string {
    const iso = this.env.zone.iso(untilMs);
    this.store.snooze(refundId, this.agent, iso);
    return iso;
  }

  /**
   * Runs `write` in one write transaction after re-taking the claim and checking that no decision
   * was recorded on the case since `cf` was loaded.
   */
  commit<T>(cf: CaseFile, write: () => T): CommitResult<T> {
    const id = cf.refund.refundId;
    const seenLast = cf.decisions.at(-1)?.id ?? null;
    this.store.begin();
    try {
      const latest = this.store.decisions(id).at(-1) ?? null;
      if ((latest?.id ?? null) !== seenLast && latest) {
        this.store.rollback();
        return { ok: false, reason: 'decided', by: latest.agent, at: latest.decidedAt };
      }
      if (!this.store.claim(id, this.agent, this.session, this.clock(), this.opts.claimTtlMs)) {
        this.store.rollback();
        return { ok: false, reason: 'claimed' };
      }
      const value = write();
      this.store.commit();
      return { ok: true, value };
    } catch (e) {
      this.store.rollback();
      throw e;
    }
  }

  release(): void {
    try {
      this.store.releaseClaims(this.session);
    } catch {
      /* the database may already be closed at exit; claims expire anyway */
    }
  }
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
