// THE prompt adapter: the only module that imports @inquirer/prompts. Callers pass labels already
// translated; every label is made terminal-safe here. Ctrl-C inside a prompt (inquirer's
// ExitPromptError) becomes PromptExit, which the command turns into a clean exit 130 — by then
// every confirmed decision is already committed (each is its own transaction).
import { Writable } from 'node:stream';
import { confirm as inqConfirm, input as inqInput, number as inqNumber, select as inqSelect, Separator } from '@inquirer/prompts';
import { forTerminal } from './sanitize.js';
import { keySelect, textAsk, type KeyAction, type KeyChoice } from './keyPrompts.js';

export type { KeyAction, KeyChoice };

/** Ctrl-C (or the terminal closing) inside a prompt. */
export class PromptExit extends Error {
  readonly exitCode = 130;
  constructor(cause?: unknown) {
    super('prompt interrupted');
    this.name = 'PromptExit';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

export interface PromptChoice<V> {
  value: V;
  label: string;
  description?: string;
}
/** A divider line between groups of choices. */
export interface PromptSeparator {
  separator: true;
  label?: string;
}

export interface Prompter {
  select<V>(o: { message: string; choices: readonly (PromptChoice<V> | PromptSeparator)[]; default?: V }): Promise<V>;
  /** `validate` returns true or the (translated) reason to type again. */
  input(o: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
  number(o: { message: string; default?: number; min?: number; max?: number; step?: number | 'any' }): Promise<number | undefined>;
  /** One key answers: number keys pick an answer, letter keys an action, Enter the highlighted
   * answer (the cursor starts on `default`). `header` lines are drawn above the question. */
  choose<V>(o: { header?: readonly string[]; message: string; choices: readonly KeyChoice<V>[]; actions?: readonly KeyAction<V>[]; default?: V; help?: string }): Promise<V>;
  /** Text with its rule shown under it; `validate` refuses on Enter, before anything goes on.
   * With `cancel` (its key help, e.g. "Esc back"), Esc answers null: the caller goes back. */
  ask(o: AskOptions & { cancel: string }): Promise<string | null>;
  ask(o: AskOptions): Promise<string>;
  /** The terminal's width in columns. */
  width(): number;
}

export interface AskOptions {
  header?: readonly string[];
  message: string;
  hint?: string;
  default?: string;
  validate?: (value: string) => true | string;
  cancel?: string;
}

export interface PrompterOptions {
  /** Defaults to process.stdin / process.stdout (inquirer's defaults). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Translated words for the select key help: "↑↓ navigate • ⏎ select". */
  help?: { navigate: string; select: string };
}

function isSeparator<V>(c: PromptChoice<V> | PromptSeparator): c is PromptSeparator {
  return (c as PromptSeparator).separator === true;
}

function isExit(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

/** One-line, control-free label. */
const safe = (s: string): string => forTerminal(s);

export function createPrompter(opts: PrompterOptions = {}): Prompter {
  // inquirer ends the output stream it is given when a prompt is done; a shared custom stream
  // (tests) must outlive each prompt, so each prompt gets its own forwarding stream.
  const context = (): { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } => {
    const ctx: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {};
    if (opts.input) ctx.input = opts.input;
    if (opts.output) {
      const shared = opts.output as NodeJS.WritableStream & { columns?: number; rows?: number };
      const forward = new Writable({
        write(chunk, _enc, cb) {
          shared.write(chunk as Buffer);
          cb();
        },
      });
      // Line wrapping follows the real stream's width when it has one.
      Object.defineProperty(forward, 'columns', { get: () => shared.columns });
      Object.defineProperty(forward, 'rows', { get: () => shared.rows });
      ctx.output = forward;
    }
    return ctx;
  };
  const run = async <T>(p: () => Promise<T>): Promise<T> => {
    try {
      return await p();
    } catch (e) {
      if (isExit(e)) throw new PromptExit(e);
      throw e;
    }
  };
  const help = opts.help;
  const selectTheme = help
    ? {
        style: {
          keysHelpTip: (keys: [string, string][]) =>
            keys.map(([k, action]) => `${k} ${action === 'navigate' ? help.navigate : action === 'select' ? help.select : action}`).join(' • '),
        },
      }
    : undefined;

  const width = (): number => {
    const out = (opts.output ?? process.stdout) as NodeJS.WritableStream & { columns?: number };
    return out.columns && out.columns > 0 ? out.columns : 80;
  };

  return {
    width,
    choose<V>(o: { header?: readonly string[]; message: string; choices: readonly KeyChoice<V>[]; actions?: readonly KeyAction<V>[]; default?: V; help?: string }): Promise<V> {
      const config = {
        ...(o.header ? { header: o.header.map(safe) } : {}),
        message: safe(o.message),
        choices: o.choices.map((c) => ({ value: c.value, label: safe(c.label) })),
        actions: (o.actions ?? []).map((a) => ({ value: a.value, key: a.key, label: safe(a.label) })),
        ...(o.default !== undefined ? { default: o.default } : {}),
        ...(o.help ? { help: safe(o.help) } : {}),
        width: width(),
      };
      return run(() => keySelect(config as never, context()) as Promise<V>);
    },
    ask(o: AskOptions): Promise<string> {
      return run(async () => {
        const answer = await textAsk(
          {
            ...(o.header ? { header: o.header.map(safe) } : {}),
            message: safe(o.message),
            ...(o.hint ? { hint: safe(o.hint) } : {}),
            ...(o.default !== undefined ? { default: o.default } : {}),
            ...(o.validate ? { validate: o.validate } : {}),
            ...(o.cancel ? { cancel: safe(o.cancel) } : {}),
            width: width(),
          },
          context(),
        );
        return answer as string;
      });
    },
    select<V>(o: { message: string; choices: readonly (PromptChoice<V> | PromptSeparator)[]; default?: V }): Promise<V> {
      const choices = o.choices.map((c) =>
        isSeparator(c)
          ? new Separator(c.label === undefined ? undefined : safe(c.label))
          : { value: c.value, name: safe(c.label), ...(c.description ? { description: safe(c.description) } : {}) },
      );
      const config = {
        message: safe(o.message),
        choices,
        // Every option visible at once: agents read them all before choosing.
        pageSize: Math.max(7, choices.length),
        loop: false,
        ...(o.default !== undefined ? { default: o.default } : {}),
        ...(selectTheme ? { theme: selectTheme } : {}),
      };
      return run(() => inqSelect<V>(config as Parameters<typeof inqSelect<V>>[0], context()));
    },
    input(o) {
      return run(() =>
        inqInput(
          {
            message: safe(o.message),
            ...(o.default !== undefined ? { default: o.default } : {}),
            ...(o.validate ? { validate: o.validate } : {}),
          },
          context(),
        ),
      );
    },
    confirm(o) {
      return run(() => inqConfirm({ message: safe(o.message), ...(o.default !== undefined ? { default: o.default } : {}) }, context()));
    },
    number(o) {
      return run(() =>
        inqNumber(
          {
            message: safe(o.message),
            ...(o.default !== undefined ? { default: o.default } : {}),
            ...(o.min !== undefined ? { min: o.min } : {}),
            ...(o.max !== undefined ? { max: o.max } : {}),
            ...(o.step !== undefined ? { step: o.step } : {}),
          },
          context(),
        ),
      );
    },
  };
}
