// `refunds backup FILE` and `refunds purge --before DATE`: keeping the database safe and small.
import fs from 'node:fs';
import type { Command } from 'commander';
import { UserError, UsageError } from '../errors.js';
import { parseShopTime } from '../domain/time.js';
import { replaceAtomically } from '../lib/atomicFile.js';
import { isStoreBusy, StoreError } from '../app/ports/index.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import { maskUrl } from '../store/common/url.js';
import type { Context } from './context.js';

export function registerMaintenance(program: Command, ctx: () => Context): void {
  program
    .command('backup')
    .description('copy the database with SQLite\'s online backup (safe while others use it)')
    .argument('<file>', 'where to write the copy (must not exist unless --force; never a symlink); written to a temporary name beside it and renamed at the end')
    .option('--force', 'overwrite an existing file')
    .addHelpText('after', `\nExamples:\n  refunds backup ~/backups/refunds-$(date +%F).sqlite`)
    .action(async (file: string, flags: { force?: boolean }) => {
      const c = ctx();
      const shown = forTerminal(file);
      if (fs.existsSync(file) && !flags.force) throw new UserError(t('backup.exists', { file: shown }));
      if (!fs.existsSync(c.dbPath)) throw new UserError(t('backup.noDb', { db: forTerminal(maskUrl(c.dbPath)) }));
      const { admin } = (await c.ports({ readonly: true }));
      try {
        // To a temporary name beside FILE, renamed at the end: a killed backup leaves FILE as it was.
        await replaceAtomically(file, (tmp) => admin.backupTo(tmp), { overwrite: Boolean(flags.force) });
      } catch (e) {
        // Another writer holding the lock past the busy timeout: said as every busy store is (main.ts).
        if (isStoreBusy(e)) throw e;
        const code = e instanceof StoreError && e.kind === 'full' ? 'ENOSPC' : ((e as NodeJS.ErrnoException).code ?? '');
        if (code === 'symlink') throw new UserError(t('write.symlink', { file: shown }));
        if (code === 'exists' || code === 'EEXIST') throw new UserError(t('backup.exists', { file: shown }));
        const reason = code === 'ENOSPC' || code === 'EDQUOT' || /SQLITE_FULL|disk is full/i.test(String((e as Error).message)) ? t('write.full') : (e as Error).message;
        throw new UserError(t('backup.failed', { file: shown, reason: forTerminal(reason) }));
      }
      c.io.err(t('backup.done', { file: shown }));
    });

  program
    .command('purge')
    .description('remove buyers\' personal data from refunds finished before a date')
    .requiredOption('--before <date>', 'purge cases finished before this date (YYYY-MM-DD, shop time)')
    .option('--dry-run', 'count what would be purged, change nothing')
    .option('--json', 'one JSON document on stdout')
    .addHelpText(
      'after',
      `
Examples:
  refunds purge --before 2025-01-01 --dry-run
  refunds purge --before 2025-01-01

Closed and refunded cases keep their IDs, states, amounts and decisions (the shop's metrics need
them); buyer names, notes, phones, addresses and messages are erased, in refunds and orders.`,
    )
    .action(async (flags: { before: string; dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      const ms = parseShopTime(flags.before, c.zone);
      if (ms === null) throw new UsageError(t('purge.badDate', { value: flags.before }));
      const result = await (await c.ports()).admin.purgePersonalData(c.zone.iso(ms), Boolean(flags.dryRun), c.zone.iso(c.nowMs));
      if (flags.json) c.io.out(JSON.stringify({ before: c.zone.iso(ms), dryRun: Boolean(flags.dryRun), ...result }, null, 2));
      else c.io.out(t(flags.dryRun ? 'purge.wouldPurge' : 'purge.purged', { refunds: result.refunds, orders: result.orders, before: c.zone.short(ms) }));
    });
}
