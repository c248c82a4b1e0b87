// The appeal pack (申诉材料) of one refund: what the platform's staff need to see when the shop
// appeals — the case timeline, the buyer's history and flags, the platform's own words, the
// checklist of what to attach — and the writing of it, owner-only, as one printable HTML page and
// a Markdown copy. The pages are laid out by ui/evidenceView.ts; this module gathers and writes.
import fs from 'node:fs';
import path from 'node:path';
import { parseShopTime, type ShopZone } from '../domain/time.js';
import type { Platform } from '../domain/types.js';
import { caseFile, type CaseFile } from './caseFile.js';
import type { TxPorts } from './ports/index.js';
import { computeStats, DEFAULT_STATS_WINDOW_MS, type Stats } from './stats.js';
import type { SweepEnv } from './sweep.js';

export type TimelineKind = 'created' | 'paid' | 'shipped' | 'delivered' | 'orderMessage' | 'applied' | 'refundNote' | 'status' | 'returned' | 'receipt' | 'decision';

export interface TimelineEvent {
  /** ISO time; null when the exports do not say (placed after the event before it). */
  at: string | null;
  kind: TimelineKind;
  /** Raw values for the view (untrusted text is sanitized there). */
  fields: Record<string, string>;
}

export interface EvidencePack {
  case: CaseFile;
  /** When the pack was made (shop time). */
  madeAt: string;
  timeline: TimelineEvent[];
  /** The shop over the last 28 days, for the charts. */
  shop: Stats;
  platform: Platform;
  zone: ShopZone;
}

/** The appeal pack of one refund, or null when no such refund: its case file, the timeline, the shop's 28 days. */
export async function evidencePack(ports: Pick<TxPorts, 'cases' | 'reports'>, env: SweepEnv, refundId: string): Promise<EvidencePack | null> {
  const cf = await caseFile(ports, env, refundId);
  if (!cf) return null;
  const received = (await ports.cases.buyerIdentity(cf.refund.refundId))?.received_text ?? null;
  const shop = await computeStats(ports.reports, env.zone, env.nowMs - DEFAULT_STATS_WINDOW_MS, env.nowMs);
  return packFrom(cf, received, shop, env);
}

/** The pack from what was read (pure): `received` is the order's 确认收货时间 as exported. */
export function packFrom(cf: CaseFile, received: string | null, shop: Stats, env: SweepEnv): EvidencePack {
  const r = cf.refund;
  const o = cf.order;
  const events: TimelineEvent[] = [];
  const push = (at: string | null, kind: TimelineKind, fields: Record<string, string> = {}) => events.push({ at, kind, fields });
  if (o?.createdAt) push(o.createdAt, 'created');
  if (o?.paidAt) push(o.paidAt, 'paid');
  if (o?.buyerMessage) push(o.paidAt ?? o.createdAt, 'orderMessage', { text: o.buyerMessage });
  if (o?.waybill || o?.shipped) push(null, 'shipped', { carrier: o?.carrier ?? '', waybill: o?.waybill ?? '' });
  const receivedMs = received ? parseShopTime(received, env.zone) : null;
  if (receivedMs !== null) push(env.zone.iso(receivedMs), 'delivered');
  push(r.appliedAt ?? r.firstSeenAt, 'applied', { reason: r.reason ?? '' });
  if (r.buyerNote) push(r.appliedAt ?? r.firstSeenAt, 'refundNote', { text: r.buyerNote });
  for (const h of cf.history) push(h.seenAt, 'status', { statusText: h.statusText, status: h.status });
  if (r.returnWaybill || r.returnedAt) push(r.returnedAt, 'returned', { carrier: r.returnCarrier ?? '', waybill: r.returnWaybill ?? '' });
  for (const rec of cf.receipts) {
    push(rec.receivedAt, 'receipt', {
      condition: rec.condition,
      note: rec.note ?? '',
      inspector: rec.inspector ?? '',
      quantity: rec.quantity === null ? '' : String(rec.quantity),
      waybill: rec.waybill,
    });
  }
  for (const d of cf.decisions) {
    push(d.decidedAt, 'decision', { action: d.action, agent: d.agent, note: d.note ?? '', evidence: d.evidence.join(', ') });
  }
  return {
    case: cf,
    madeAt: env.zone.iso(env.nowMs),
    timeline: ordered(events),
    shop,
    platform: r.platform,
    zone: env.zone,
  };
}

/** By time; an undated event keeps its place after the event before it. */
function ordered(events: TimelineEvent[]): TimelineEvent[] {
  let last = -Infinity;
  const keyed = events.map((e, i) => {
    const ms = e.at ? Date.parse(e.at) : NaN;
    if (Number.isFinite(ms)) last = ms;
    return { e, key: Number.isFinite(ms) ? ms : last, i };
  });
  return keyed.sort((a, b) => a.key - b.key || a.i - b.i).map((k) => k.e);
}

export class PackError extends Error {
  constructor(
    readonly code: 'exists' | 'symlink' | 'io',
    readonly where: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes `files` into `dir`, owner-only: the folder is created 0700 (or must be an empty folder,
 * then set to 0700), never through a symbolic link; each file is written to a temporary name
 * (created exclusively, 0600) and renamed into place, so a reader never sees half a page.
 * Nothing is left behind on failure.
 */
export function writePack(dir: string, files: { name: string; content: string }[]): string[] {
  const target = path.resolve(dir);
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PackError('io', target, (e as Error).message);
  }
  let created = false;
  if (st) {
    if (st.isSymbolicLink()) throw new PackError('symlink', target, 'symbolic link');
    if (!st.isDirectory() || fs.readdirSync(target).length > 0) throw new PackError('exists', target, 'not an empty folder');
  } else {
    const parent = path.dirname(target);
    try {
      if (fs.lstatSync(parent).isSymbolicLink()) throw new PackError('symlink', parent, 'symbolic link');
    } catch (e) {
      if (e instanceof PackError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new PackError('io', parent, (e as Error).message);
    }
    try {
      fs.mkdirSync(target, { recursive: true, mode: 0o700 });
      created = true;
    } catch (e) {
      throw new PackError('io', target, (e as Error).message);
    }
  }
  const written: string[] = [];
  try {
    fs.chmodSync(target, 0o700);
    for (const f of files) {
      const final = path.join(target, f.name);
      const tmp = path.join(target, `.${f.name}.${process.pid}.tmp`);
      // 'wx': O_CREAT|O_EXCL — fails on anything already there, a symbolic link included.
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, f.content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, final);
      written.push(final);
    }
  } catch (e) {
    for (const f of files) {
      for (const p of [path.join(target, f.name), path.join(target, `.${f.name}.${process.pid}.tmp`)]) fs.rmSync(p, { force: true });
    }
    if (created) fs.rmSync(target, { recursive: true, force: true });
    throw e instanceof PackError ? e : new PackError('io', target, (e as Error).message);
  }
  return written;
}
