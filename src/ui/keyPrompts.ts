// The two prompts of the triage screen, built on @inquirer/core: a select answered by ONE key
// (number keys for answers, letter keys for skip/snooze/back/quit/details, Enter for the
// highlighted answer) and a text prompt that shows its rule and refuses a wrong value at once.
// Both draw the case's one-line header above the question, so the refund ID and amount are on
// the screen whatever has scrolled away, and both wrap at the terminal's width (never mid-word).
// Labels arrive translated and terminal-safe (prompts.ts cleans them).
import {
  createPrompt,
  isBackspaceKey,
  isDownKey,
  isEnterKey,
  isUpKey,
  makeTheme,
  useKeypress,
  usePrefix,
  useState,
  type KeypressEvent,
} from '@inquirer/core';
import { wrapToWidth } from './width.js';

export interface KeyChoice<V> {
  value: V;
  label: string;
}

/** A letter key shown on the screen, e.g. { key: 's', label: 'skip' }. */
export interface KeyAction<V> {
  value: V;
  key: string;
  label: string;
}

export interface KeySelectConfig<V> {
  /** Lines above the question (the case header). */
  header?: readonly string[];
  message: string;
  /** Answers, numbered 1…9 on the screen (the number key picks one at once). */
  choices: readonly KeyChoice<V>[];
  /** Letter keys; listed on one line under the answers. */
  actions?: readonly KeyAction<V>[];
  /** Where the cursor starts (the recommended answer); Enter takes it. */
  default?: V;
  /** Terminal width for wrapping. */
  width: number;
  /** The key help, e.g. "↑↓ move · ⏎ or number: answer". */
  help?: string;
}

export interface TextAskConfig {
  header?: readonly string[];
  message: string;
  /** The rule, shown under the prompt (e.g. "at most ¥1,580.00"). */
  hint?: string;
  default?: string;
  /** True, or the (translated) reason the value is refused; checked on Enter. */
  validate?: (value: string) => true | string;
  /** Esc answers null; this is its key help (e.g. "Esc back"). */
  cancel?: string;
  width: number;
}

const isLetter = (key: KeypressEvent): string | null => {
  const k = key as KeypressEvent & { sequence?: string; meta?: boolean };
  if (k.ctrl || k.meta) return null;
  const name = (k.name ?? '').toLowerCase();
  return /^[a-z]$/.test(name) ? name : null;
};

const digit = (key: KeypressEvent): number | null => {
  const k = key as KeypressEvent & { sequence?: string };
  const s = k.sequence ?? k.name ?? '';
  return /^[1-9]$/.test(s) ? Number(s) : null;
};

const wrapBlock = (text: string, width: number, first: string, rest: string): string[] =>
  wrapToWidth(text, width - Math.max(first.length, rest.length), '').map((l, i) => `${i === 0 ? first : rest}${l}`);

export const keySelect = createPrompt(<V>(config: KeySelectConfig<V>, done: (value: V) => void) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [answer, setAnswer] = useState<string>('');
  const prefix = usePrefix({ status, theme });
  const choices = config.choices;
  const start = Math.max(
    0,
    choices.findIndex((c) => c.value === config.default),
  );
  const [active, setActive] = useState(start);
  const actions = config.actions ?? [];

  const finish = (value: V, label: string) => {
    setAnswer(label);
    setStatus('done');
    done(value);
  };

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (isEnterKey(key)) {
      const c = choices[active];
      if (c) finish(c.value, c.label);
      return;
    }
    if (isUpKey(key)) {
      setActive(Math.max(0, active - 1));
      return;
    }
    if (isDownKey(key)) {
      setActive(Math.min(choices.length - 1, active + 1));
      return;
    }
    const n = digit(key);
    if (n !== null) {
      rl.clearLine(0);
      const c = choices[n - 1];
      if (c) finish(c.value, c.label);
      return;
    }
    // Anything else typed is dropped: a select has no text line.
    const letter = isLetter(key);
    rl.clearLine(0);
    const a = letter ? actions.find((x) => x.key === letter) : undefined;
    if (a) finish(a.value, a.label);
  });

  const w = config.width;
  if (status === 'done') return `${prefix} ${theme.style.message(config.message, 'done')} ${theme.style.answer(answer)}`;
  const lines: string[] = (config.header ?? []).map((h) => theme.style.message(h, 'idle'));
  const q = wrapBlock(config.message, w, '', '  ');
  lines.push(`${prefix} ${theme.style.message(q[0]!, 'idle')}`, ...q.slice(1).map((l) => theme.style.message(l, 'idle')));
  choices.forEach((c, i) => {
    const mark = i === active ? '❯' : ' ';
    const text = wrapBlock(c.label, w, `${mark} ${i + 1} `, '    ');
    lines.push(...(i === active ? text.map((l) => theme.style.highlight(l)) : text));
  });
  // The letter keys and the key help share one line (it wraps only on a very narrow terminal).
  const keys = [...actions.map((a) => `${a.key} ${a.label}`), ...(config.help ? [config.help] : [])].join(' · ');
  if (keys) lines.push(...wrapToWidth(keys, w - 2, '').map((l) => theme.style.help(`  ${l}`)));
  return lines.join('\n');
});

export const textAsk = createPrompt((config: TextAskConfig, done: (value: string | null) => void) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [fallback, setFallback] = useState<string | undefined>(config.default);
  const prefix = usePrefix({ status, theme });

  useKeypress((key, rl) => {
    if (status !== 'idle') return;
    if (config.cancel && key.name === 'escape') {
      setStatus('done');
      setValue('');
      done(null);
      return;
    }
    if (isEnterKey(key)) {
      const answer = value || fallback || '';
      const ok = config.validate ? config.validate(answer) : true;
      if (ok === true) {
        setValue(answer);
        setStatus('done');
        done(answer);
      } else {
        rl.write(value);
        setError(ok);
      }
      return;
    }
    if (isBackspaceKey(key) && !value) {
      setFallback(undefined);
      return;
    }
    setValue(rl.line);
    setError(undefined);
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') return `${prefix} ${message} ${theme.style.answer(value)}`;
  const head = (config.header ?? []).map((h) => theme.style.message(h, 'idle'));
  const shown = !value && fallback ? ` ${theme.style.defaultAnswer(fallback)}` : '';
  const below: string[] = [];
  const hint = [config.hint, config.cancel].filter(Boolean).join(' · ');
  if (hint) below.push(...wrapToWidth(hint, config.width - 2, '').map((l) => theme.style.help(`  ${l}`)));
  if (error) below.push(...wrapToWidth(error, config.width - 2, '').map((l) => theme.style.error(l)));
  return [[...head, `${prefix} ${message}${shown} ${value}`].join('\n'), below.join('\n')];
});
