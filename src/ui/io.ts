// Where output goes and how it looks: data to stdout, messages to stderr, colour only on a TTY
// (and never with NO_COLOR or --no-color). Kept free of text-width code so every command starts fast.
import type { ChalkInstance } from 'chalk';
import { writeStdout } from './stdout.js';

export interface Output {
  color: boolean;
  chalk: ChalkInstance;
  out(text: string): void;
  /**
   * Stdout as given, no newline added, for a document written in parts: resolves once stdout can
   * take more. (A pipe blocks by itself, but a socket, e.g. a parent Node process's 'pipe' stdio,
   * would queue the whole document in memory.)
   */
  write(text: string): Promise<void>;
  err(text: string): void;
  /** A progress line on stderr, redrawn in place; only on a TTY. */
  progress(text: string): void;
  endProgress(): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  width: number;
}

export function colorWanted(flag: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!flag) return false;
  if ('NO_COLOR' in env) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTTY;
}

/**
 * A stand-in for chalk when there is no colour: every style is the identity. It keeps chalk (and
 * its colour-support probing) out of start-up for output to pipes, files and cron.
 */
export function plainChalk(): ChalkInstance {
  const METHODS = new Set(['hex', 'rgb', 'ansi256', 'bgHex', 'bgRgb', 'bgAnsi256']);
  const join = (...args: unknown[]) => args.join(' ');
  const proxy: ChalkInstance = new Proxy(join, {
    get: (_t, prop) => (prop === 'level' ? 0 : typeof prop === 'string' && METHODS.has(prop) ? () => proxy : proxy),
    apply: (_t, _this, args: unknown[]) => join(...args),
  }) as unknown as ChalkInstance;
  return proxy;
}

/** Colour output needs chalk itself: load it only then. */
export async function colorChalk(): Promise<ChalkInstance> {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 3 });
}

export function makeOutput(opts: { color: boolean; chalk?: ChalkInstance }): Output {
  const chalk = opts.chalk ?? plainChalk();
  let progressShown = false;
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  return {
    color: opts.color,
    chalk,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY,
    width: process.stdout.columns || 100,
    out(text) {
      writeStdout(text.endsWith('\n') ? text : `${text}\n`);
    },
    write(text) {
      // Synchronous and checked; a slow reader (pipe, socket) makes it wait, so nothing queues in memory.
      writeStdout(text);
      return Promise.resolve();
    },
    err(text) {
      if (progressShown) this.endProgress();
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    progress(text) {
      if (!stderrIsTTY) return;
      progressShown = true;
      process.stderr.write(`\r\u001b[2K${text}`);
    },
    endProgress() {
      if (progressShown) process.stderr.write('\r\u001b[2K');
      progressShown = false;
    },
  };
}

