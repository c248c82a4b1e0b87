// `refunds stats`: the shop's refund metrics over a window, from the database.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseDuration, parseShopTime } from '../domain/time.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

interface StatsFlags {
  since: string;
  until?: string;
  json?: boolean;
  by?: string;
}

export function registerStats(program: Command, ctx: () => Context): void {
  program
    .command('stats')
    .description('shop metrics: 自主完结率, time to finish, timeouts, disputes, refunds / sales, reasons, products, per-day trend')
    .option('--since <when>', 'start of the window: a duration back from now (28d, 7d, 36h) or a time (2025-04-01)', '28d')
    .option('--until <time>', 'end of the window, excluded (default: now), e.g. 2025-04-21 or "2025-04-21 09:00"')
    .option('--by <key>', 'break the refunds down by product, reason, agent or platform, with the trend against the previous window')
    .option('--json', 'one JSON document on stdout')
    .addHelpText(
      'after',
      `
Examples:
  refunds stats                          # the last 28 days
  refunds stats --since 7d
  refunds stats --since 2025-04-01 --until 2025-05-01
  refunds stats --json | jq .selfFinished
  refunds stats --by product             # advice for merchant-side products
  refunds stats --by agent --json

The window is [now - since, until) in shop time. A refund is finished when SUCCESS or CLOSED, at
退款完结时间 (or when refunds first saw it finished); it was finished by the platform when it
finished after the export's deadline (a timeout) or had 客服介入; 自主完结率 is the rest over all
finished. Refunds / sales: SUCCESS amounts over the paid amount of orders paid in the window,
for platforms whose order export was imported. The README ("refunds stats") gives every
definition and the SQL that re-derives each figure.

With --by, one row per product, reason, agent or platform: the refunds applied in the window and
their amount, the same over the previous window of the same length, and the trend. The rows add
up to the window's totals; agents also get decisions, median hours to decision and the share
carried out. The README ("refunds stats --by") gives every field.`,
    )
    .action(async (flags: StatsFlags) => {
      process.exitCode = await runStats(ctx(), flags);
    });
}

function parseSince(value: string, c: Context): number {
  const ms = parseDuration(value);
  if (ms !== null) return c.nowMs - ms;
  const at = parseShopTime(value, c.zone);
  if (at === null) throw new UsageError(t('stats.badSince', { value }));
  return at;
}

async function runStats(c: Context, flags: StatsFlags): Promise<number> {
  const sinceMs = parseSince(flags.since, c);
  let untilMs = c.nowMs;
  if (flags.until !== undefined) {
    const at = parseShopTime(flags.until, c.zone);
    if (at === null) throw new UsageError(t('stats.badUntil', { value: flags.until }));
    untilMs = at;
  }
  if (untilMs <= sinceMs) throw new UsageError(t('stats.emptyWindow', { since: c.zone.short(sinceMs), until: c.zone.short(untilMs) }));
  if (flags.by !== undefined) return runStatsBy(c, flags, sinceMs, untilMs);
  const { computeStats } = await import('../app/stats.js');
  // One snapshot: the figures of one moment, whatever an import commits meanwhile.
  // The previous window's days are listed in the JSON only (the text shows no comparison).
  const stats = await (await c.ports({ readonly: true })).unitOfWork((tx) => computeStats(tx.reports, c.zone, sinceMs, untilMs, { previousWindow: flags.json === true }), { mode: 'read' });
  if (flags.json) {
    c.io.out(JSON.stringify(stats, null, 2));
    return 0;
  }
  const view = await import('../ui/summaryView.js');
  const { statsSections, statsTitle } = await import('../ui/statsView.js');
  c.io.out(view.renderText({ title: statsTitle(stats, c.zone), subtitle: [], sections: statsSections(stats, c.zone), footer: [t('stats.definitions')] }));
  return 0;
}

async function runStatsBy(c: Context, flags: StatsFlags, sinceMs: number, untilMs: number): Promise<number> {
  const { computeStatsBy, statsByJson, STATS_BY_KEYS } = await import('../app/statsBy.js');
  const by = flags.by as (typeof STATS_BY_KEYS)[number];
  if (!STATS_BY_KEYS.includes(by)) throw new UsageError(t('statsBy.badBy', { value: flags.by ?? '' }));
  const s = await (await c.ports({ readonly: true })).unitOfWork((tx) => computeStatsBy(tx.reports, c.zone, by, sinceMs, untilMs), { mode: 'read' });
  if (flags.json) {
    c.io.out(JSON.stringify(statsByJson(s), null, 2));
    return 0;
  }
  const [{ renderText }, { statsByPage }] = await Promise.all([import('../ui/summaryView.js'), import('../ui/statsByView.js')]);
  c.io.out(renderText(statsByPage(s, c.zone)));
  return 0;
}
