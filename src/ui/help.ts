// Every --help and every commander message in the user's language, applied once to the whole
// command tree after all commands are registered. The English of a command, option, argument or
// examples block is what its module gives commander (the one copy); the help catalog
// (messages/help.ts) holds their Chinese under help.<command>.description, help.<command>.opt.<long-name>,
// help.<command>.arg.<name> and help.<command>.after, with <command> = "refunds" for the program.
// A text is replaced only where the active language has an entry, so under en every command keeps
// its module's text (test/ui/help.test.ts fails while a Chinese entry is missing).
import { Help, type Argument, type Command, type Option } from 'commander';
import { hasText, t } from './i18n.js';
import { widthOf } from './width.js';

// A wrap may fall between any two CJK characters (Chinese has no spaces), not before closing
// punctuation and not after opening punctuation.
const CJK = '\u2e80-\u9fff\uf900-\ufaff\uff01-\uff60';
const NO_BREAK_BEFORE = '，。、；：？！）》」』】～';
const NO_BREAK_AFTER = '（《「『【“‘';
const CHUNK = new RegExp(`\\s*[${NO_BREAK_AFTER}]*(?:[${CJK}][${NO_BREAK_BEFORE}]*|[^\\s${CJK}]+[${NO_BREAK_BEFORE}]*)`, 'gu');

/** The morning's order of the top-level commands; commands not listed follow in their own order. */
export const MORNING_ORDER = ['import', 'today', 'triage', 'receive', 'summary', 'show', 'decide', 'evidence', 'decisions', 'returns', 'stats', 'profiles', 'backup', 'purge', 'copy'];

export function commandKey(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.length ? names.join('.') : 'refunds';
}

export function optionKey(cmd: Command, o: Option): string {
  return `help.${commandKey(cmd)}.opt.${(o.long ?? o.short ?? o.flags).replace(/^-+/, '')}`;
}

export function argumentKey(cmd: Command, a: Argument): string {
  return `help.${commandKey(cmd)}.arg.${a.name()}`;
}

// Commander's Command is a Node EventEmitter; its typings leave that out.
const emitter = (cmd: Command) => cmd as unknown as NodeJS.EventEmitter;

/** The "after" text a module gave with addHelpText('after', …), as commander would print it. */
export function afterTextOf(cmd: Command): string {
  let text = '';
  for (const listener of emitter(cmd).listeners('afterHelp')) {
    (listener as (ctx: { error: boolean; command: Command; write: (s: string) => void }) => void)({
      error: false,
      command: cmd,
      write: (s) => (text += s),
    });
  }
  return text.replace(/\n$/, '');
}

const from = (key: string, fallback: string): string => (hasText(key) ? t(key) : fallback);

/** Wraps each line to `width` display columns, at spaces or between CJK characters. */
export function wrapText(str: string, width: number): string {
  const wrapped: string[] = [];
  for (const line of str.split(/\r\n|\n/)) {
    const chunks = line.match(CHUNK);
    if (!chunks) {
      wrapped.push('');
      continue;
    }
    let current = chunks.shift()!;
    for (const chunk of chunks) {
      if (widthOf(current) + widthOf(chunk) <= width) current += chunk;
      else {
        wrapped.push(current);
        current = chunk.trimStart();
      }
    }
    wrapped.push(current);
  }
  return wrapped.join('\n');
}

const CJK_END = new RegExp(`[${CJK}]$`, 'u');
const CJK_START = new RegExp(`^[${CJK}]`, 'u');
// Full-width punctuation carries its own space: no ASCII space after it, whatever follows.
const FULL_WIDTH_PUNCT_END = /[，。、；：？！）》」』】]$/u;

/**
 * An "after" text laid out for the terminal: runs of unindented lines are prose, joined and
 * wrapped to the width (Chinese lines join without a space); indented lines (examples, lists)
 * stay as written.
 */
export function reflow(text: string, width: number): string {
  const out: string[] = [];
  let prose: string | null = null;
  const flush = () => {
    if (prose !== null) out.push(wrapText(prose, width));
    prose = null;
  };
  for (const line of text.split('\n')) {
    if (line === '' || /^\s/.test(line)) {
      flush();
      out.push(line);
    } else if (prose === null) prose = line;
    else prose += (CJK_END.test(prose) && CJK_START.test(line)) || FULL_WIDTH_PUNCT_END.test(prose) ? line : ` ${line}`;
  }
  flush();
  return out.join('\n');
}

/** Commander's own words: titles, usage placeholders, "(default: …)". */
class LocalHelp extends Help {
  override displayWidth(str: string): number {
    return widthOf(str);
  }
  override boxWrap(str: string, width: number): string {
    return width < this.minWidthToWrap ? str : wrapText(str, width);
  }
  override styleTitle(str: string): string {
    const key = `help.title.${str.replace(/:$/, '').toLowerCase().replace(/ /g, '-')}`;
    return from(key, str);
  }
  override commandUsage(cmd: Command): string {
    return localUsage(super.commandUsage(cmd));
  }
  override subcommandTerm(cmd: Command): string {
    return localUsage(super.subcommandTerm(cmd));
  }
  override optionDescription(option: Option): string {
    return withExtras(option.description, [
      option.argChoices ? t('help.extra.choices', { choices: option.argChoices.join(', ') }) : null,
      option.required || option.optional ? defaultExtra(option.defaultValue, option.defaultValueDescription) : null,
    ]);
  }
  override argumentDescription(argument: Argument): string {
    return withExtras(argument.description, [
      argument.argChoices ? t('help.extra.choices', { choices: argument.argChoices.join(', ') }) : null,
      defaultExtra(argument.defaultValue, argument.defaultValueDescription),
    ]);
  }
}

/** "(default: …)", unless there is nothing to show: a repeatable option's empty start list is no default. */
function defaultExtra(value: unknown, description: string | undefined): string | null {
  if (value === undefined || (Array.isArray(value) && value.length === 0 && description === undefined)) return null;
  return t('help.extra.default', { value: description ?? String(value) });
}

function withExtras(description: string, extras: (string | null)[]): string {
  const shown = extras.filter((x): x is string => x !== null);
  return shown.length ? `${description} ${t('help.extra.wrap', { extras: shown.join(t('help.extra.separator')) })}`.trim() : description;
}

function localUsage(usage: string): string {
  return usage.replace('[options]', t('help.usage.options')).replace('[command]', t('help.usage.command'));
}

/**
 * Commander's error messages in the user's language. Commander writes them in English from fixed
 * templates (commander/lib/command.js); each is matched and said again from the catalog.
 */
export function localizeCommanderError(message: string): string {
  const text = message.replace(/\n$/, '');
  const [first, ...rest] = text.split('\n');
  let out = first!;
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^error: unknown option '(.*)'$/, (m) => t('cmdr.unknownOption', { option: m[1]! })],
    [/^error: unknown command '(.*)'$/, (m) => t('cmdr.unknownCommand', { command: m[1]! })],
    [/^error: missing required argument '(.*)'$/, (m) => t('cmdr.missingArgument', { argument: m[1]! })],
    [/^error: option '(.*)' argument missing$/, (m) => t('cmdr.optionMissingArgument', { option: m[1]! })],
    [/^error: required option '(.*)' not specified$/, (m) => t('cmdr.missingMandatoryOption', { option: m[1]! })],
    [
      /^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (m) => t(m[1] ? 'cmdr.excessArgumentsFor' : 'cmdr.excessArguments', { command: m[1] ?? '', expected: m[2]!, got: m[3]!, s: m[2] === '1' ? '' : 's' }),
    ],
    [
      /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/,
      (m) => t('cmdr.invalidChoice', { option: m[1]!, value: m[2]!, choices: m[3]! }),
    ],
    [/^error: option '(.*)' argument '(.*)' is invalid\.(.*)$/, (m) => t('cmdr.invalidOptionArgument', { option: m[1]!, value: m[2]!, reason: m[3]!.trim() })],
    [/^error: (.*) cannot be used with (.*)$/, (m) => t('cmdr.conflictingOption', { option: m[1]!, other: m[2]! })],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(first!);
    if (m) {
      out = say(m);
      break;
    }
  }
  const lines = [out];
  for (const line of rest) {
    const dym = /^\(Did you mean (.*)\?\)$/.exec(line);
    lines.push(dym ? t('cmdr.didYouMean', { suggestion: dym[1]! }) : line);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Puts the catalog's texts on every command, option and argument, the morning's order on the
 * top-level commands, and commander's own messages through the catalog. Call once, after every
 * command is registered, with the language already chosen.
 */
export function localizeProgram(program: Command): void {
  const rank = (c: Command) => {
    const i = MORNING_ORDER.indexOf(c.name());
    return i < 0 ? MORNING_ORDER.length : i;
  };
  // A stable sort: commands outside MORNING_ORDER keep their registration order at the end.
  (program.commands as Command[]).sort((a, b) => rank(a) - rank(b));
  program.helpCommand('help [command]', from('help.common.helpCommand', 'display help for command'));
  const walk = (cmd: Command) => {
    const key = commandKey(cmd);
    cmd.description(from(`help.${key}.description`, cmd.description()));
    for (const o of cmd.options) o.description = from(optionKey(cmd, o), o.description);
    for (const a of cmd.registeredArguments) a.description = from(argumentKey(cmd, a), a.description);
    cmd.helpOption('-h, --help', from('help.common.opt.help', 'display help for command'));
    const after = from(`help.${key}.after`, afterTextOf(cmd));
    if (after) {
      emitter(cmd).removeAllListeners('afterHelp');
      // Prose fits the terminal (80 columns when piped), as commander's own part does.
      cmd.addHelpText('after', () => reflow(after, (process.stdout.isTTY && process.stdout.columns) || 80));
    }
    cmd.createHelp = () => Object.assign(new LocalHelp(), cmd.configureHelp());
    cmd.configureOutput({
      ...cmd.configureOutput(),
      outputError: (str, write) => write(localizeCommanderError(str)),
    });
    for (const sub of cmd.commands) walk(sub);
  };
  walk(program);
}
