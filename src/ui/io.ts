// Where output goes and how it looks: data to stdout, messages to stderr, colour only on a TTY
// (and never with NO_COLOR or --no-color). Kept free of text-width code so every command starts fast.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Output {
  color: boolean;
  chalk: ChalkInstance;
  out(text: string): void;
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

export function makeOutput(opts: { color: boolean }): Output {
  const chalk = new Chalk({ level: opts.color ? 3 : 0 });
  let progressShown = false;
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  return {
    color: opts.color,
    chalk,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY,
    width: process.stdout.columns || 100,
    out(text) {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
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

