// pg, loaded without the cost of its Cloudflare probe. At load time pg (lib/stream.js) asks whether it
// runs in a Cloudflare Worker: where there is no `navigator` (Node 20) it builds a `new Response()`,
// and that makes Node load its whole fetch implementation (undici) — 20–35 ms of every command on a
// postgres:// URL, whose whole `refunds today` is ~155 ms on SQLite. A navigator that is not
// Cloudflare's answers the probe first; it is removed as soon as pg is loaded.
import { createRequire } from 'node:module';
import type pg from 'pg';

const require = createRequire(import.meta.url);

let loaded: typeof pg | undefined;
export function pgDriver(): typeof pg {
  if (loaded) return loaded;
  const lent = !('navigator' in globalThis);
  if (lent) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true, writable: true });
  try {
    return (loaded = require('pg') as typeof pg);
  } finally {
    if (lent) delete (globalThis as { navigator?: unknown }).navigator;
  }
}
