// The triage desk's composition: the ports, and the sweep's reads that are still on the Store
// (app/sweep.ts sweep, app/deadlines.ts ensureDeadlines, app/evidence.ts evidencePack; package C
// moves them to the ports). When they take ports, `storeReads`/`storeAppeal` become one-line
// calls with `ports` and the Store parameter goes.
import type { SweepEnv } from '../app/sweep.js';
import type { Ports } from '../app/ports/index.js';
import type { QueueReads } from '../app/triage/queue.js';
import { TriageDesk, type DeskOptions } from '../app/triage/session.js';
import type { AppealPack } from '../ui/triageEvidence.js';
import type { Store } from '../store/store.js';
import { portErrorOf } from '../store/legacyPorts.js';
import { ensureDeadlines } from '../app/deadlines.js';
import { sweep } from '../app/sweep.js';
import { evidencePack, PackError, writePack } from '../app/evidence.js';

/** A Store call as a port call: SQLite's lock errors become StoreBusy, as the ports throw them. */
async function asPort<T>(store: Store, op: string, f: () => T): Promise<T> {
  try {
    return f();
  } catch (e) {
    throw portErrorOf(e, op, store.path);
  }
}

export function storeReads(store: Store): QueueReads {
  return {
    sweep: (env, filter) => asPort(store, 'sweep', () => sweep(store, env, filter)),
    freshDeadlines: (env) => asPort(store, 'ensureDeadlines', () => ensureDeadlines(store, env, { reader: true })),
  };
}

export function storeAppeal(store: Store, env: SweepEnv): AppealPack {
  return {
    pack: (refundId) => asPort(store, 'evidencePack', () => evidencePack(store, env, refundId)),
    write(dir, files) {
      try {
        writePack(dir, files);
        return null;
      } catch (e) {
        if (!(e instanceof PackError)) throw e;
        return { code: e.code, where: e.where, message: e.message };
      }
    },
  };
}

/** A desk on `ports` (opened on `store`, the same connection). */
export function openTriageDesk(ports: Ports, store: Store, env: SweepEnv, opts: DeskOptions): { desk: TriageDesk; appeal: AppealPack } {
  return { desk: new TriageDesk(ports, storeReads(store), env, opts), appeal: storeAppeal(store, env) };
}
