// Every --help in both languages: the English of each command, option, argument and examples block
// of the real program is what its command module says (the catalog keeps no second copy), each has
// a Chinese entry in the help catalog, and under LANG=zh_CN.UTF-8 no help and no common error has an
// English sentence left (option names, placeholders, IDs, command names and example commands aside).
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { afterTextOf, argumentKey, commandKey, MORNING_ORDER, optionKey } from '../../src/ui/help.js';
import { helpMessages } from '../../src/ui/messages/help.js';
import { reflow } from '../../src/ui/help.js';
import { widthOf } from '../../src/ui/width.js';
import { runCli } from '../helpers/cli.js';

interface Entry {
  key: string;
  english: string;
}

/** Every text a command module gives, with the catalog key it belongs to. */
function entries(cmd: Command): Entry[] {
  const key = commandKey(cmd);
  const out: Entry[] = [{ key: `help.${key}.description`, english: cmd.description() }];
  for (const a of cmd.registeredArguments) out.push({ key: argumentKey(cmd, a), english: a.description });
  for (const o of cmd.options) out.push({ key: optionKey(cmd, o), english: o.description });
  const after = afterTextOf(cmd);
  if (after) out.push({ key: `help.${key}.after`, english: after });
  return [...out, ...cmd.commands.flatMap(entries)];
}

function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

const ALLOWED = new Set(['refunds', 'help', ...MORNING_ORDER]);

/**
 * Runs of two or more English words in a text. Example command lines count only by their
 * trailing comment; options, <placeholders>, [placeholders], quoted text, and tokens with
 * digits, slashes, dots, underscores or the like (paths, IDs, times, enum values) are left out.
 */
function englishRuns(text: string): string[] {
  const runs: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    if (/^\s*(refunds|iconv|cat)\b/.test(line) || /^\s+--\w/.test(line)) line = line.includes(' # ') ? line.slice(line.indexOf(' # ') + 3) : '';
    line = line
      .replace(/--?[A-Za-z][\w-]*(=\S*)?/g, ' ')
      .replace(/<[^>]*>|\[[^\]]*\]/g, ' ')
      .replace(/"[^"]*"|'[^']*'/g, ' ')
      .replace(/\S*[/.@_=~$%*0-9\\|]\S*/g, ' ');
    for (const m of line.match(/[A-Za-z]+(?:[ \t]+[A-Za-z]+)+/g) ?? []) {
      if (m.split(/\s+/).every((w) => ALLOWED.has(w))) continue;
      runs.push(`${m}   ← ${raw.trim()}`);
    }
  }
  return runs;
}

describe('the help catalog covers the real program', () => {
  const program = buildProgram({ ctx: null }, { localize: false });
  const all = entries(program);

  it('walks every command, option, argument and examples block', () => {
    // Guards the walk itself: a walk that found nothing would pass everything below.
    expect(all.length).toBeGreaterThan(75);
    expect(all.map((e) => e.key)).toEqual(expect.arrayContaining(['help.refunds.opt.no-color', 'help.import.arg.files', 'help.decide.opt.action', 'help.today.after', 'help.refunds.after']));
  });

  it('has every entry in Chinese', () => {
    // A failure lists what to add to the zh half of src/ui/messages/help.ts, with the module's English.
    const missing = all.filter((e) => !helpMessages.zh[e.key]).map((e) => `zh ${e.key}: ${JSON.stringify(e.english)}`);
    expect(missing).toEqual([]);
  });

  it('declares exactly these keys Chinese-only, and keeps no English copy of a module text', () => {
    const fromModules = helpMessages.englishFromModules!;
    expect(all.filter((e) => !fromModules.test(e.key)).map((e) => e.key)).toEqual([]);
    expect(Object.keys(helpMessages.en).filter((k) => fromModules.test(k))).toEqual([]);
    // Commander's own words stay in both languages.
    for (const k of ['help.title.usage', 'help.usage.options', 'help.extra.default', 'help.common.opt.help', 'cmdr.unknownOption']) {
      expect(fromModules.test(k), k).toBe(false);
      expect(helpMessages.en[k], k).toBeDefined();
    }
  });

  it('keeps no Chinese entry for a command, option or argument that is gone', () => {
    const known = new Set(all.map((e) => e.key));
    const stale = Object.keys(helpMessages.zh).filter((k) => /^help\.(?!title\.|usage\.|extra\.|common\.)/.test(k) && !known.has(k));
    expect(stale).toEqual([]);
  });

  it('in English shows what the command modules say', () => {
    const r = runCli(['decide', '--help']);
    const decide = program.commands.find((c) => c.name() === 'decide')!;
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    expect(flat(r.stdout)).toContain(flat(decide.description()));
    expect(flat(r.stdout)).toContain('--force decide a case another agent holds (in triage, or decided by them moments ago); recorded as source "decide-forced"');
    expect(r.stdout).toContain('  refunds decide 6 --action approve          # row 6 of the last "refunds today"\n');
  });

  it('the detector finds English sentences (the English help has plenty)', () => {
    expect(englishRuns(runCli(['today', '--help']).stdout).length).toBeGreaterThan(5);
    expect(englishRuns('  refunds today --at 18:00     # what will be overdue by 18:00')).toHaveLength(1);
    expect(englishRuns('  refunds today --at 18:00     # 如果没人处理，到 18:00 哪些会超时')).toEqual([]);
  });
});

describe('under LANG=zh_CN.UTF-8', () => {
  const zh = (args: string[]) => runCli(args, { env: { LANG: 'zh_CN.UTF-8' } });
  const paths = commandPaths(buildProgram({ ctx: null }, { localize: false }));

  it('every command\'s --help is Chinese', () => {
    expect(paths.length).toBeGreaterThanOrEqual(12);
    for (const p of [[], ...paths]) {
      const r = zh([...p, '--help']);
      expect(r.code, p.join(' ')).toBe(0);
      expect(r.stdout, p.join(' ')).toContain('用法：');
      expect(englishRuns(r.stdout), `refunds ${p.join(' ')} --help`).toEqual([]);
      // Fits 80 columns (Chinese characters count two), example command lines aside.
      const wide = r.stdout.split('\n').filter((l) => widthOf(l) > 80 && !/^ {2}(refunds|cat|iconv)\b/.test(l));
      expect(wide, `refunds ${p.join(' ')} --help`).toEqual([]);
    }
  });

  it('help titles, placeholders and extras are Chinese', () => {
    const r = zh(['summary', '--help']);
    expect(r.stdout).toContain('用法： refunds summary [选项]');
    expect(r.stdout).toContain('选项：');
    expect(r.stdout.replace(/\s+/g, '')).toContain('（可选：text,markdown,json,html；默认：text）');
    expect(r.stdout).toContain('-h, --help');
    expect(r.stdout).toContain('显示此命令的帮助');
    expect(zh(['help', 'today']).stdout).toContain('早间概览：所有进行中的退款，最紧急的在前');
  });

  it('the desk commands\' --help (triage, receive, decide) fits 80 columns in both languages, examples included', () => {
    for (const cmd of ['triage', 'receive', 'decide']) {
      for (const out of [zh([cmd, '--help']).stdout, runCli([cmd, '--help']).stdout]) {
        const wide = out.split('\n').filter((l) => widthOf(l) > 80);
        expect(wide, `${cmd} --help`).toEqual([]);
      }
    }
  });

  it('a repeatable option (decide --evidence) shows no empty default, in either language', () => {
    const zhHelp = zh(['decide', '--help']).stdout;
    const enHelp = runCli(['decide', '--help']).stdout;
    expect(zhHelp.replace(/\s+/g, '')).toContain('--evidence<text>凭证（照片文件或链接、截图、聊天记录）；可重复多次--agent');
    expect(enHelp.replace(/\s+/g, ' ')).toContain('--evidence <text> evidence item (photo file or URL, screenshot, chat record); repeat for more --agent');
    // Defaults that are there are still shown.
    expect(zh(['summary', '--help']).stdout.replace(/\s+/g, '')).toContain('默认：text');
  });

  it('commander\'s errors and suggestions are Chinese, exit 2', () => {
    const cases: [string[], string][] = [
      [['tody'], '错误：未知命令 tody\n（您是不是要用 today？）\n'],
      [['today', '--jsn'], '错误：未知选项 --jsn\n（您是不是要用 --json？）\n'],
      [['show'], '错误：缺少必填参数 id\n'],
      [['decide'], '错误：缺少必填参数 id\n'],
      [['summary', '--format', 'pdf'], '错误：选项 --format <format> 的取值 pdf 无效，可选：text, markdown, json, html。\n'],
      [['today', 'extra'], '错误：today 的参数过多，应为 0 个，实际 1 个。\n'],
      [['today', '--platform'], '错误：选项 --platform <name> 缺少取值\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = zh(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toBe(stderr);
      expect(englishRuns(r.stderr)).toEqual([]);
    }
    // --lang zh wins over an English LANG.
    expect(runCli(['--lang', 'zh', 'today', '--jsn']).stderr).toBe('错误：未知选项 --jsn\n（您是不是要用 --json？）\n');
  });

  it('in English the same errors read as commander wrote them', () => {
    expect(runCli(['today', '--jsn']).stderr).toBe("error: unknown option '--jsn'\n(Did you mean --json?)\n");
    expect(runCli(['today', 'extra']).stderr).toBe("error: too many arguments for 'today'. Expected 0 arguments but got 1.\n");
    expect(runCli(['show']).stderr).toBe("error: missing required argument 'id'\n");
  });
});

describe('reflow', () => {
  it('joins and wraps prose to the width, Chinese lines without a space, and keeps indented lines', () => {
    const text = 'First line of prose\ncontinues here.\n\n示例：\n  refunds today --json    # a comment stays\n分组按紧急\n程度排列，终端较窄时先省去订单编号。';
    expect(reflow(text, 20)).toBe(
      'First line of prose\ncontinues here.\n\n示例：\n  refunds today --json    # a comment stays\n分组按紧急程度排列，\n终端较窄时先省去订单\n编号。',
    );
    // No ASCII space after full-width punctuation, even before a Latin word.
    expect(reflow('退款金额除以实付金额。\nREADME 给出 SQL。', 80)).toBe('退款金额除以实付金额。README 给出 SQL。');
    // No line ends with opening punctuation: it goes down with what it opens.
    expect(reflow('没有终端时从标准输入逐行读取运单号（跳过空行）。', 36)).toBe('没有终端时从标准输入逐行读取运单号\n（跳过空行）。');
    expect(reflow('match（"matched"|"ambiguous"）', 12)).toBe('match\n（"matched"|"ambiguous"）');
  });
});

describe('the top-level help', () => {
  it('lists the commands in the morning\'s order, with three examples', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    const commands = r.stdout
      .split('Commands:\n')[1]!
      .split('\n\n')[0]!
      .split('\n')
      .map((l) => /^ {2}(\w+)/.exec(l)?.[1])
      .filter(Boolean);
    expect(commands.slice(0, 5)).toEqual(['import', 'today', 'triage', 'receive', 'summary']);
    expect(commands).toEqual([...MORNING_ORDER, 'help']);
    const examples = r.stdout.split('Examples:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(examples).toEqual([
      '  refunds import ~/Downloads/ExportRefundList*.csv ~/Downloads/ExportOrderList*.csv',
      '  refunds today',
      '  refunds triage --from 3',
    ]);
    expect(r.stdout).not.toMatch(/shared\/|CONTRACT\.md|seeds/);
  });
});
