// One agent's pass through the triage queue (queue.ts): the case they get next, the claims that
// keep two agents apart, and the decision recorded at the end of a case. Ports in, plain data
// out; the dialogue (ui/triageDialogue.ts) gets a desk from the cli and drives it.
//
// - Claims: a case is claimed (atomically, TriageLocks.claim) before its card is shown; the claim
//   lasts `claimTtlMs` (config.claimMinutes, default 15) and is renewed on every answer; a session
//   holds one claim at a time and releases its claims when it moves on and when it ends. Expiry
//   is judged on the store's clock (ports/locks.ts), never on "now" (--now) nor on this process's.
// - Recording is one call, DecisionLog.record: it re-takes the claim, checks that no other
//   decision was recorded on the case since its card was loaded, and inserts, atomically in the
//   store. So two sessions never decide the same case, even when one of them sat idle past its
//   claim's expiry.
import { isDoneForNow, needsSeller } from '../../domain/decisionState.js';
import { codePointLength, REFUSAL_TEXT_MAX, REFUSAL_TEXT_MIN } from '../../domain/buyerMessages.js';
import { looksLikeImage } from '../../domain/decisionRules.js';
import { applyThreshold, type CaseContext, type Outcome, type Translate } from '../../domain/decisionTree.js';
import { caseFile, type CaseFile } from '../caseFile.js';
import {
  caseContext,
  escalationNote,
  prepareDecision,
  recordDecision,
  type DecisionConfig,
  type DecisionEnv,
  type DecisionRequest,
  type PreparedDecision,
  type RecordResult,
} from '../decide.js';
import { isStoreBusy, type TxPorts } from '../ports/index.js';
import type { SweepEnv } from '../sweep.js';
import { parseSnoozeUntil, triageQueue, type QueueOptions, type QueueReads, type QueueState } from './queue.js';

export { DEFAULT_CLAIM_MINUTES, parseSnoozeUntil, triageQueue, type QueueOptions, type QueueReads, type QueueState } from './queue.js';

export type CommitResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'claimed' }
  | { ok: false; reason: 'decided'; by: string; at: string };

export interface DeskOptions extends QueueOptions {
  claimTtlMs: number;
  /** `triage --from`: the refund to start with, once. */
  startWith?: string;
}

/** The ports a desk uses. */
export type DeskPorts = Pick<TxPorts, 'cases' | 'sweep' | 'locks' | 'decisions'>;

/** One agent's pass through the queue. */
export class TriageDesk {
  readonly session: string;
  readonly agent: string;
  private startWith: string | undefined;

  constructor(
    private readonly ports: DeskPorts,
    private readonly reads: QueueReads,
    readonly env: SweepEnv,
    private readonly opts: DeskOptions,
  ) {
    this.session = opts.session;
    this.agent = opts.agent;
    this.startWith = opts.startWith;
  }

  queue(exclude?: ReadonlySet<string>): Promise<QueueState> {
    return triageQueue(this.ports, this.reads, this.env, { ...this.opts, exclude });
  }

  private claim(id: string): Promise<boolean> {
    return this.ports.locks.claim(id, this.agent, this.session, this.opts.claimTtlMs);
  }

  /**
   * Releases this session's claim and claims the most urgent case still free; returns its case
   * file, or null when nothing is left. A case another session claims first is passed over.
   */
  async next(exclude?: ReadonlySet<string>): Promise<CaseFile | null> {
    await this.ports.locks.release(this.session);
    this.leftAfterCard = null;
    const passed = new Set(exclude ?? []);
    // `triage --from N`: the case asked for comes first, once, if no other session holds it.
    const first = this.startWith;
    if (first !== undefined && !passed.has(first)) {
      this.startWith = undefined;
      if (await this.claim(first)) {
        const cf = await caseFile(this.ports, this.env, first);
        if (cf && cf.refund.status !== 'CLOSED' && cf.refund.status !== 'SUCCESS') return cf;
        await this.ports.locks.release(this.session);
      }
    }
    let head = true;
    // The queue's head comes from SQL (the same rules as triageQueue), a page at a time: the next
    // card must not wait for a sweep of every open refund.
    for (;;) {
      const { ids, total } = await this.candidates(passed, 20);
      if (ids.length === 0) return null;
      for (const id of ids) {
        const wasHead = head;
        head = false;
        passed.add(id);
        if (!(await this.claim(id))) continue;
        // Re-read after claiming: another session may have decided it since the queue was read.
        const [cf, lastImports] = await Promise.all([caseFile(this.ports, this.env, id), this.ports.cases.lastRefundImports()]);
        const lastImport = cf ? (lastImports.get(cf.refund.platform) ?? null) : null;
        if (!cf || !needsSeller(cf, this.opts.includeBuyerSide) || isDoneForNow(cf, lastImport)) {
          await this.ports.locks.release(this.session);
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
  async remaining(exclude?: ReadonlySet<string>): Promise<number> {
    const given = new Set(exclude ?? []);
    const last = this.leftAfterCard;
    this.leftAfterCard = null;
    if (last && given.size === last.exclude.size + 1 && given.has(last.card) && [...last.exclude].every((id) => given.has(id))) return last.n;
    return (await this.candidates(given, 0)).total;
  }

  private async candidates(exclude: ReadonlySet<string>, limit: number): Promise<{ ids: string[]; total: number }> {
    if (!(await this.reads.freshDeadlines(this.env))) {
      // Stored deadlines are stale and the database is busy: the slow, in-memory queue.
      const items = (await this.queue(exclude)).items;
      return { ids: items.slice(0, limit || undefined).map((i) => i.refund.refundId), total: items.length };
    }
    return this.ports.sweep.triageCandidates({
      platform: this.opts.platform,
      nowMs: this.env.nowMs,
      nowIso: this.env.zone.iso(this.env.nowMs),
      dueSoonMs: this.env.dueSoonMs,
      agent: this.agent,
      session: this.session,
      // Ignored by the port: claims are judged on the store's clock.
      clockMs: this.env.nowMs,
      includeBuyerSide: Boolean(this.opts.includeBuyerSide),
      exclude: [...exclude],
      limit,
    });
  }

  /** Renews the claim (activity). False when another session holds it now, or when the database
   * is busy (the claim is then renewed at the next activity or re-taken when recording). */
  async touch(refundId: string): Promise<boolean> {
    try {
      return await this.claim(refundId);
    } catch (e) {
      if (isStoreBusy(e)) return false;
      throw e;
    }
  }

  async snooze(refundId: string, untilMs: number): Promise<string> {
    const iso = this.env.zone.iso(untilMs);
    await this.ports.locks.snooze(refundId, this.agent, iso);
    return iso;
  }

  /** "Snooze until" typed by the agent, as epoch ms in the future, or null (queue.ts parseSnoozeUntil). */
  snoozeUntil(text: string): number | null {
    return parseSnoozeUntil(text, this.env.nowMs, this.env.zone);
  }

  /** The decision tree's view of the case for this agent. */
  context(cf: CaseFile, config: DecisionConfig): CaseContext {
    return caseContext(cf, { nowMs: this.env.nowMs, agent: this.agent, config });
  }

  /** Validates and renders a decision without writing anything (app/decide.ts). */
  prepare(cf: CaseFile, denv: DecisionEnv, req: DecisionRequest): PreparedDecision {
    return prepareDecision(cf, denv, req);
  }

  /**
   * What is wrong with an amount typed for an outcome, or null: not a positive amount; a partial
   * refund not below the requested amount (that is a full refund); more than was requested.
   */
  amountProblem(cf: CaseFile, action: Outcome['action'], cents: number | null): 'not-an-amount' | 'partial-not-below' | 'above-requested' | null {
    const requested = cf.refund.amountCents;
    if (cents === null || cents <= 0) return 'not-an-amount';
    if (action === 'partial' && cents >= requested) return 'partial-not-below';
    if (action !== 'partial' && cents > requested) return 'above-requested';
    return null;
  }

  /** A note's length against the platforms' limits (a refusal's reason is shown to the buyer: 2–200 characters). */
  noteProblem(refusing: boolean, text: string): { length: number; problem: 'refusal-length' | 'too-long' | null } {
    const length = codePointLength(text.trim());
    if (refusing && (length < REFUSAL_TEXT_MIN || length > REFUSAL_TEXT_MAX)) return { length, problem: 'refusal-length' };
    if (!refusing && length > REFUSAL_TEXT_MAX) return { length, problem: 'too-long' };
    return { length, problem: null };
  }

  /** Whether the evidence listed so far may end here: a refusal needs an item, a Tmall refusal a photo. */
  evidenceProblem(refusing: boolean, tmall: boolean, evidence: readonly string[]): 'needed' | 'photo-needed' | null {
    if (refusing && evidence.length === 0) return 'needed';
    if (tmall && !evidence.some(looksLikeImage)) return 'photo-needed';
    return null;
  }

  /**
   * The decision an outcome and what the agent typed for it make. A partial is held against the
   * shop threshold on the typed amount (domain applyThreshold): above it, the case is escalated
   * (`escalated`), recording the amount and the tree's note before the agent's. An escalation the
   * tree proposed on the requested amount records that amount when none was typed.
   */
  decisionFor(
    cf: CaseFile,
    ctx: CaseContext,
    working: Outcome,
    typed: { amountCents: number | null; note: string | null; evidence: string[] },
    tr: Translate,
  ): { final: Outcome; req: DecisionRequest; escalated: boolean } {
    let final = working;
    let noteOverride: string | null | undefined;
    if (working.action === 'partial' && typed.amountCents !== null) {
      final = applyThreshold(working, ctx, typed.amountCents);
      if (final.action === 'escalate') {
        const esc = escalationNote(final, ctx, tr, typed.amountCents);
        noteOverride = [esc, typed.note?.trim()].filter(Boolean).join(' ') || null;
      }
    }
    const amountCents =
      final.action === 'escalate' ? (typed.amountCents ?? (final.proposed ? cf.refund.amountCents : null)) : typed.amountCents;
    const req: DecisionRequest = {
      refundId: cf.refund.refundId,
      action: final.action,
      amountCents,
      note: typed.note,
      evidence: typed.evidence,
      agent: this.agent,
      source: 'triage',
      outcome: final,
      ...(noteOverride !== undefined ? { noteOverride } : {}),
    };
    return { final, req, escalated: noteOverride !== undefined };
  }

  /**
   * Records the decision (validated again) in one DecisionLog.record: the claim re-taken for this
   * session and no decision recorded on the case since `cf` was loaded, or nothing is written.
   */
  async commit(cf: CaseFile, denv: DecisionEnv, req: DecisionRequest): Promise<CommitResult<RecordResult>> {
    const guard = { session: this.session, seenLastId: cf.decisions.at(-1)?.id ?? null, force: false, ttlMs: this.opts.claimTtlMs };
    const res = await recordDecision(this.ports, denv, cf, req, guard);
    if (!res.ok && res.refused) {
      return res.refused.reason === 'decided'
        ? { ok: false, reason: 'decided', by: res.refused.agent, at: res.refused.decidedAt }
        : { ok: false, reason: 'claimed' };
    }
    return { ok: true, value: res };
  }

  /** StoreBusy: another process holds the write lock longer than the store waits (a big import). */
  isBusy(e: unknown): boolean {
    return isStoreBusy(e);
  }

  async release(): Promise<void> {
    try {
      await this.ports.locks.release(this.session);
    } catch {
      /* the database may already be closed at exit; claims expire anyway */
    }
  }
}
