// `refunds decisions`: what was decided, by whom, when — on screen, as JSON, or as a CSV that a
// spreadsheet opens safely (UTF-8 with BOM for Excel; formula-looking cells neutralized).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseShopTime } from '../domain/time.js';
import { t } from '../ui/i18n.js';
import type { Context } from './context.js';

interface DecisionsFlags {
  since?: string;
  agent?: string;
  csv?: boolean;
  json?: boolean;
}

export function registerDecisions(program: Command, ctx: () => Context): void {
  program
    .command('decisions')
    .description('list recorded decisions (screen, --json, or --csv for a spreadsheet)')
    .option('--since <time>', 'only decisions at or after a time (2025-04-21 09:00, or 08:00 today) or within a duration back from now (24h, 7d)')
    .option('--agent <name>', 'only this agent\'s decisions')
    .option('--csv', 'CSV for Excel/WPS: UTF-8 with BOM, header row, formula-looking cells neutralized')
    .option('--json', 'one JSON document on stdout')
    .addHelpText(
      'after',
      `
Examples:
  refunds decisions --since 24h
  refunds decisions --since 08:00               # today's
  refunds decisions --since "2025-04-21 00:00" --agent alice
  refunds decisions --since 7d --csv > decisions.csv`,
    )
    .action(async (flags: DecisionsFlags) => {
      process.exitCode = await runDecisions(ctx(), flags);
    });
}

function sinceMs(value: string, c: Context): number {
  const trimmed = value.trim();
  const hm = /^(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (hm && Number(hm[1]) < 24 && Number(hm[2]) < 60) {
    // HH:mm: today in shop time
    const p = c.zone.toLocal(c.nowMs);
    return c.zone.fromLocal({ year: p.year, month: p.month, day: p.day, hour: Number(hm[1]), minute: Number(hm[2]), second: 0 });
  }
  if (/^\d+\s*[dhms]/i.test(trimmed)) {
    try {
      return c.nowMs - c.duration(trimmed);
    } catch {
      throw new UsageError(t('decisions.badSince', { value }));
    }
  }
  const ms = parseShopTime(trimmed, c.zone);
  if (ms === null) throw new UsageError(t('decisions.badSince', { value }));
  return ms;
}

const yuanPlain = (cents: number | null): string => {
  if (cents === null) return '';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

async function runDecisions(c: Context, flags: DecisionsFlags): Promise<number> {
  if (flags.csv && flags.json) throw new UsageError(t('error.usage', { message: '--csv and --json exclude each other' }));
  const since = flags.since !== undefined ? sinceMs(flags.since, c) : null;
  const sinceIso = since === null ? null : c.zone.iso(since);
  // One snapshot: the decisions and their refunds (order, platform) of the same moment.
  const { list, refunds } = await (await c.ports({ readonly: true })).unitOfWork(
    async (tx) => {
      let list = await tx.decisions.since(sinceIso);
      if (flags.agent !== undefined) list = list.filter((d) => d.agent === flags.agent);
      const found = await tx.sweep.refundsWithDeadlines([...new Set(list.map((d) => d.refundId))]);
      return { list, refunds: new Map(found.map(({ refund: r }) => [r.refundId, { orderId: r.orderId, platform: r.platform }])) };
    },
    { mode: 'read' },
  );
  const refundOf = (id: string) => refunds.get(id) ?? null;
  const statusAt = new Map(list.map((d) => [d.id, d.statusAtDecision]));

  if (flags.json) {
    c.io.out(
      JSON.stringify(
        {
          asOf: c.zone.iso(c.nowMs),
          since: sinceIso,
          decisions: list.map((d) => ({ ...d, statusAtDecision: statusAt.get(d.id) ?? null, orderId: refundOf(d.refundId)?.orderId ?? null, platform: refundOf(d.refundId)?.platform ?? null })),
        },
        null,
        2,
      ),
    );
    return 0;
  }

  if (flags.csv) {
    const { csvCell } = await import('../ui/sanitize.js');
    const cols = ['decidedAt', 'refundId', 'orderId', 'platform', 'action', 'amount', 'agent', 'source', 'note', 'evidence', 'expected', 'checklist', 'buyerMessage'];
    const rows = [cols.map((k) => csvCell(t(`decisions.col.${k}`))).join(',')];
    for (const d of list) {
      const r = refundOf(d.refundId);
      rows.push(
        [
          d.decidedAt,
          d.refundId,
          r?.orderId ?? '',
          r?.platform ?? '',
          d.action,
          yuanPlain(d.amountCents),
          d.agent,
          d.source,
          d.note ?? '',
          d.evidence.join(' | '),
          (d.expectedStatus ?? []).join(' | '),
          d.checklist.join('\n'),
          d.buyerMessage ?? '',
        ]
          .map((v) => csvCell(v))
          .join(','),
      );
    }
    await c.io.write(`\ufeff${rows.join('\r\n')}\r\n`);
    return 0;
  }

  if (list.length === 0) {
    c.io.out(t('decisions.none'));
    return 0;
  }
  const { forTerminal, truncateTo } = await import('../ui/sanitize.js');
  const { padEnd, widthOf, yuan } = await import('../ui/output.js');
  const head = ['decidedAt', 'refundId', 'action', 'amount', 'agent', 'source', 'note'].map((k) => t(`decisions.col.${k}`));
  const table = list.map((d) => [
    c.zone.short(Date.parse(d.decidedAt)),
    d.refundId,
    t(`action.${d.action}`),
    d.amountCents === null ? '—' : yuan(d.amountCents),
    truncateTo(forTerminal(d.agent), 16, widthOf),
    t(`source.${d.source}`),
    truncateTo(forTerminal(d.note ?? ''), 40, widthOf),
  ]);
  const widths = head.map((h, i) => Math.max(widthOf(h), ...table.map((r) => widthOf(r[i]!))));
  const line = (cells: string[]) => cells.map((s, i) => (i === cells.length - 1 ? s : padEnd(s, widths[i]!))).join('  ').trimEnd();
  c.io.out([c.io.chalk.bold(t('decisions.title', { count: list.length })), c.io.chalk.dim(line(head)), ...table.map(line)].join('\n'));
  return 0;
}
