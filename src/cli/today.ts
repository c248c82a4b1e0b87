// `refunds today`: the morning sweep.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseShopTime } from '../domain/time.js';
import type { RefundStatus } from '../domain/types.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

interface TodayFlags {
  json?: boolean;
  all?: boolean;
  platform?: string;
  state?: string[];
  dueWithin?: string;
  at?: string;
}

const STATE_ALIASES: Record<string, RefundStatus> = {
  orange: 'WAIT_SELLER_CONFIRM_GOODS',
  'wait-seller-agree': 'WAIT_SELLER_AGREE',
  'wait-buyer-return': 'WAIT_BUYER_RETURN_GOODS',
  'wait-seller-confirm': 'WAIT_SELLER_CONFIRM_GOODS',
  refused: 'SELLER_REFUSE_BUYER',
  unknown: 'UNKNOWN',
};
const STATES: RefundStatus[] = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'UNKNOWN'];

export function registerToday(program: Command, ctx: () => Context): void {
  program
    .command('today')
    .description('the morning sweep: every open refund, most urgent first')
    .option('--json', 'one JSON document on stdout (docs/interface.md)')
    .option('--all', 'show every refund in every section (default: the first few per section)')
    .option('--platform <name>', 'only taobao, douyin or pdd')
    .option('--state <state...>', `only these states: ${STATES.join(', ')} (or orange, refused, unknown)`)
    .option('--due-within <duration>', 'only refunds due within this time (overdue included), e.g. 6h')
    .option('--at <time>', 'project the sweep to a later time, e.g. 18:00 (what will be overdue by the end of my shift)')
    .addHelpText(
      'after',
      `
Examples:
  refunds today
  refunds today --due-within 6h
  refunds today --at 18:00            # what will be overdue by 18:00 if nobody acts
  refunds today --state orange --platform taobao
  refunds today --json | jq '.refunds[] | select(.overdue)'

Sections, most urgent first: overdue, due soon (24h unless alertWindow is set in the config),
orange (buyer returned the goods), other cases waiting on the seller, cases waiting on the buyer.

Rows are numbered: "refunds show 3", "refunds decide 3 ..." and "refunds triage --from 3" mean
row 3 of the last list, for 12 hours and until the next import. On a narrow terminal the order ID
makes way first, then the buyer, then the next step is shortened; piped output keeps every column.`,
    )
    .action(async (flags: TodayFlags) => {
      process.exitCode = await runToday(ctx(), flags);
    });
}

function parseAt(value: string, c: Context): number {
  const hm = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (hm) {
    const p = c.zone.toLocal(c.nowMs);
    let at = c.zone.fromLocal({ year: p.year, month: p.month, day: p.day, hour: Number(hm[1]), minute: Number(hm[2]), second: 0 });
    if (Number(hm[1]) > 23 || Number(hm[2]) > 59) throw new UsageError(t('today.badAt', { value }));
    // A time already passed today means tomorrow's.
    if (at < c.nowMs) at = c.zone.addDays(at, 1);
    return at;
  }
  const ms = parseShopTime(value, c.zone);
  if (ms === null) throw new UsageError(t('today.badAt', { value }));
  return ms;
}

async function runToday(c: Context, flags: TodayFlags): Promise<number> {
  if (flags.platform && flags.platform !== 'taobao' && flags.platform !== 'douyin' && flags.platform !== 'pdd') {
    throw new UsageError(t('today.badPlatform', { value: flags.platform }));
  }
  const statuses = flags.state?.map((s) => {
    const st = STATE_ALIASES[s.toLowerCase()] ?? (STATES.includes(s.toUpperCase() as RefundStatus) ? (s.toUpperCase() as RefundStatus) : null);
    if (!st) throw new UsageError(t('today.badState', { value: s, states: STATES.join(', ') }));
    return st;
  });
  const dueWithinMs = flags.dueWithin ? c.duration(flags.dueWithin) : null;
  const asOfMs = flags.at ? parseAt(flags.at, c) : c.nowMs;
  const [{ sweepPages, sweepSections, refundJson }, { sweepEnv }] = await Promise.all([import('../app/sweep.js'), import('./sweepEnv.js')]);
  const env = sweepEnv(c, { nowMs: asOfMs });
  const ports = (await c.ports({ readonly: true }));
  const filter = { platform: flags.platform as never, statuses, dueWithinMs };
  if (flags.json) {
    // Streamed a page at a time (20,000 open refunds would otherwise sit in memory twice, as
    // objects and as one string), byte for byte what JSON.stringify(document, null, 2) prints.
    const { counts, pages } = await sweepPages(ports, env, filter);
    const { open, overdue, dueSoon, orange, sellerMustAct, waitingOnBuyer, notCarriedOut } = counts;
    const head = JSON.stringify(
      { asOf: env.zone.iso(asOfMs), counts: { open, overdue, dueSoon, orange, sellerMustAct, waitingOnBuyer, notCarriedOut } },
      null,
      2,
    );
    await c.io.write(`${head.slice(0, -2)},\n  "refunds": [`);
    let first = true;
    for await (const page of pages) {
      let chunk = '';
      for (const item of page) {
        chunk += `${first ? '\n' : ',\n'}    ${JSON.stringify(refundJson(item, env.zone), null, 2).replace(/\n/g, '\n    ')}`;
        first = false;
      }
      await c.io.write(chunk);
    }
    await c.io.write(first ? ']\n}\n' : '\n  ]\n}\n');
    return 0;
  }
  // On screen only the first rows of each section are shown: rank in SQL, assess only those.
  const perSection = flags.all ? null : (c.config.todayRowsPerSection ?? 8);
  const { items, counts, sectionSizes } = await sweepSections(ports, env, filter, perSection);
  const [{ renderToday }, { formatDuration }, { saveRowNumbers }] = await Promise.all([
    import('../ui/todayView.js'),
    import('../ui/duration.js'),
    import('../app/rowNumbers.js'),
  ]);
  const screen = renderToday(items, counts, c.io, {
    asOfMs,
    nowMs: c.nowMs,
    projected: asOfMs !== c.nowMs,
    zone: env.zone,
    windowText: formatDuration(env.dueSoonMs, c.lang),
    perSection,
    filtered: Boolean(flags.platform || statuses || dueWithinMs !== null),
    sectionSizes,
    // On a terminal every row fits its width; piped output (files, mail, grep) keeps every column.
    width: c.io.stdoutIsTTY ? c.io.width : null,
  });
  c.io.out(screen.text);
  // `show 3`, `decide 3 …`, `triage --from 3` mean the rows just printed.
  if (screen.ids.length && !(await saveRowNumbers(ports, env.zone, c.nowMs, screen.ids))) c.io.err(t('today.rowsNotSaved'));
  return 0;
}
