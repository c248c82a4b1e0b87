// Worker thread: reads, decodes, parses and normalizes one file, and posts the rows in batches to
// the main thread, which writes them to SQLite. At most a few batches are in flight, so memory
// stays flat whatever the file size.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { produceRows, ImportFailure, type ProduceOptions, type ProducedWarning } from './produce.js';
import { packBatch, type PackedBatch } from './transport.js';

export type WorkerMessage =
  | { type: 'header'; kind: string; sheet?: string }
  | { type: 'warning'; warning: ProducedWarning }
  | { type: 'batch'; items: PackedBatch; bytes: number }
  | { type: 'done'; rows: number; bytes: number }
  | { type: 'fatal'; failure: ReturnType<ImportFailure['toData']> }
  | { type: 'crash'; message: string };

const MAX_IN_FLIGHT = 2;

const opts = workerData as ProduceOptions & { path: string; fd?: number | null };
const port = parentPort!;
let inFlight = 0;
// The producer waits (every pending batch call) until the main thread is back within the limit.
const waiters: (() => void)[] = [];
port.on('message', (m: { type: 'ack' }) => {
  if (m.type === 'ack') {
    inFlight--;
    if (inFlight <= MAX_IN_FLIGHT) for (const w of waiters.splice(0)) w();
  }
});

let bytes = 0;
// The main thread's descriptor when it has one (threads share them): the file is opened once, and
// what the worker parses is the file the main thread sampled, even if a new one took its name since.
const input =
  typeof opts.fd === 'number'
    ? fs.createReadStream(opts.path, {
        fd: opts.fd,
        start: 0,
        autoClose: false,
        highWaterMark: 256 * 1024,
        // destroy() closes a stream's fd whatever autoClose says; this one belongs to the main thread.
        fs: { open: fs.open, read: fs.read, close: (_fd: number, cb: (e: null) => void) => cb(null) },
      })
    : fs.createReadStream(opts.path, { highWaterMark: 256 * 1024 });
input.on('data', (c) => {
  bytes += c.length;
});

produceRows(input, opts, {
  header(kind, info) {
    port.postMessage({ type: 'header', kind, sheet: info?.sheet } satisfies WorkerMessage);
  },
  warning(warning) {
    port.postMessage({ type: 'warning', warning } satisfies WorkerMessage);
  },
  batch(items) {
    inFlight++;
    port.postMessage({ type: 'batch', items: packBatch(items), bytes } satisfies WorkerMessage);
    if (inFlight <= MAX_IN_FLIGHT) return;
    return new Promise<void>((resolve) => waiters.push(resolve));
  },
}).then(
  ({ rows }) => port.postMessage({ type: 'done', rows, bytes } satisfies WorkerMessage),
  (e) => {
    if (e instanceof ImportFailure) port.postMessage({ type: 'fatal', failure: e.toData() } satisfies WorkerMessage);
    else port.postMessage({ type: 'crash', message: (e as Error)?.message ?? String(e) } satisfies WorkerMessage);
  },
);
