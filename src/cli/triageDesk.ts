// The triage desk's composition: the ports, the sweep's reads the queue needs, and the appeal pack.
import type { SweepEnv } from '../app/sweep.js';
import type { Ports } from '../app/ports/index.js';
import type { QueueReads } from '../app/triage/queue.js';
import { TriageDesk, type DeskOptions } from '../app/triage/session.js';
import type { AppealPack } from '../ui/triageEvidence.js';
import { ensureDeadlines } from '../app/deadlines.js';
import { sweep } from '../app/sweep.js';
import { evidencePack, PackError, writePack } from '../app/evidence.js';

export function portReads(ports: Ports): QueueReads {
  return {
    sweep: (env, filter) => sweep(ports, env, filter),
    freshDeadlines: (env) => ensureDeadlines(ports, env, { reader: true }),
  };
}

export function portAppeal(ports: Ports, env: SweepEnv): AppealPack {
  return {
    pack: (refundId) => evidencePack(ports, env, refundId),
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

export function openTriageDesk(ports: Ports, env: SweepEnv, opts: DeskOptions): { desk: TriageDesk; appeal: AppealPack } {
  return { desk: new TriageDesk(ports, portReads(ports), env, opts), appeal: portAppeal(ports, env) };
}
