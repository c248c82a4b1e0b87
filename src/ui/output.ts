// Where output goes and how it looks: data to stdout, messages to stderr, colour only on a TTY
// (and never with NO_COLOR or --no-color).
import { Chalk, type ChalkInstance } from 'chalk';
import stringWidth from 'string-width';

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

/** Display width in terminal columns: CJK characters count two. */
export function widthOf(text: string): number {
  return stringWidth(text);
}

/** Pads to a display width (CJK-aware). */
export function padEnd(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}
export function padStart(text: string, width: number): string {
  const w = stringWidth(text);
  return w >= width ? text : ' '.repeat(width - w) + text;
}

export function yuan(cents: number | null): string {
  if (cents === null) return '—';
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}¥${whole}.${String(abs % 100).padStart(2, '0')}`;
}
