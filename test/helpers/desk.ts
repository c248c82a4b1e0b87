// A triage desk on a test's Store, as the cli opens one (src/cli/triageDesk.ts): the ports over
// the same connection, claims judged on `clock` (the store's clock; default: real time counted
// from the env's "now", so that claims a test writes at "now" are live).
import type { SweepEnv } from '../../src/app/sweep.js';
import type { DeskOptions } from '../../src/app/triage/session.js';
import { openTriageDesk, portReads } from '../../src/cli/triageDesk.js';
import type { Clock } from '../../src/domain/time.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';

/**
 * The queue's reads on the test's Store (the ports over its connection). No clock by default: the
 * ports over one Store share its connection's clock (storePorts sets it), so a default here would
 * re-clock the ports a test made just before (the claims of `queueAt` judged on real time).
 */
export function storeReads(store: Store, clock?: Clock) {
  return portReads(portsOf(store, clock));
}

/** Real time counted from `nowMs`. */
export function clockFrom(nowMs: number): Clock {
  const start = Date.now();
  return { now: () => nowMs + (Date.now() - start) };
}

export function deskOn(store: Store, env: SweepEnv, opts: DeskOptions, clock: Clock = clockFrom(env.nowMs)) {
  return openTriageDesk(portsOf(store, clock), env, opts);
}
