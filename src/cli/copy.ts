// `refunds copy --to TARGET`: the whole database into an empty one (issue 19, moving to team mode).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { StoreError, type Ports } from '../app/ports/index.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import { isPostgresUrl, maskUrl, storeTargetOf } from '../store/common/url.js';
import { storeErrorMessage, type Context } from './context.js';

/** Below this many rows a copy takes a moment: no progress line. */
const PROGRESS_FROM_ROWS = 10_000;

export function registerCopy(program: Command, ctx: () => Context): void {
  program
    .command('copy')
    .description('copy the whole database (refunds, history, decisions, receipts, imports log) into an empty one: a new SQLite file or a PostgreSQL database')
    .requiredOption('--to <target>', 'where to copy: a SQLite file (created if missing) or a postgres:// URL of an empty database; the source is --db')
    .option('--json', 'one JSON document on stdout (docs/interface.md)')
    .addHelpText(
      'after',
      `
Examples:
  refunds copy --to 'postgresql://refunds_lead@db.shop.lan/refunds?sslmode=verify-full'
  refunds --db 'postgresql://refunds_lead@db.shop.lan/refunds' copy --to ~/refunds-2025-04-21.sqlite
  refunds copy --to /mnt/usb/refunds.sqlite --json

The copy is one transaction: the target gets every row or, when anything fails, nothing. Before it
commits, the rows of every table are counted on both sides. The target must be empty (a new file,
or a database created for refunds); its schema is created first. A password in the URL is never
printed; prefer PGPASSWORD or ~/.pgpass. Moving to team mode: README "Team mode".`,
    )
    .action(async (flags: { to: string; json?: boolean }) => {
      process.exitCode = await runCopy(ctx(), flags);
    });
}

async function runCopy(c: Context, flags: { to: string; json?: boolean }): Promise<number> {
  const [{ copyStore, CopyMismatch }, { openPorts }, { beforeCreating }, view] = await Promise.all([
    import('../app/copy.js'),
    import('../store/open.js'),
    import('../store/unusedDatabase.js'),
    import('../ui/copyView.js'),
  ]);
  const shown = forTerminal(maskUrl(flags.to));
  const to = storeTargetOf(flags.to);
  if (sameDatabase(c.dbPath, flags.to)) throw new UserError(t('copy.sameTarget', { target: shown }));
  const open = { zone: c.zone, clock: { now: () => c.nowMs }, env: c.env };
  const said = (e: unknown, where: string): unknown => (e instanceof StoreError ? new UserError(storeErrorMessage(e, where)) : e);
  const ownSource = isPostgresUrl(c.dbPath);
  let source: Ports;
  try {
    source = ownSource ? await openPorts(c.dbPath, { ...open, readonly: true }) : (await c.ports({ readonly: true }));
  } catch (e) {
    throw said(e, forTerminal(maskUrl(c.dbPath)));
  }
  const birth = to.backend === 'sqlite' ? beforeCreating(to.path) : null;
  let target: Ports;
  try {
    target = await openPorts(flags.to, open);
  } catch (e) {
    if (ownSource) await source.close();
    throw said(e, shown);
  }
  let done = false;
  try {
    const big = c.io.stderrIsTTY;
    const result = await copyStore(source, target, {
      onProgress: (p) => {
        if (big && p.total >= PROGRESS_FROM_ROWS) c.io.progress(view.copyProgressLine(p));
      },
    });
    c.io.endProgress();
    done = true;
    c.io.out(flags.json ? view.copyJson(result) : view.renderCopy(result));
    return 0;
  } catch (e) {
    c.io.endProgress();
    if (e instanceof CopyMismatch) {
      throw new UserError(t('copy.mismatch', { table: e.table, source: e.sourceRows, target: e.targetRows, where: shown }));
    }
    throw said(e, shown);
  } finally {
    // A SQLite file this copy created and did not fill is removed, so that no empty database passes as a shop's.
    const removable = !done && birth && !birth.existed && (await target.admin.emptyAndAlone().catch(() => false));
    await target.close();
    if (removable) removeCreated(birth);
    if (ownSource) await source.close();
  }
}

/** Whether `to` is the very database `from` names (the same file, or the same URL). */
function sameDatabase(from: string, to: string): boolean {
  const a = storeTargetOf(from);
  const b = storeTargetOf(to);
  if (a.backend === 'postgres' && b.backend === 'postgres') return a.url === b.url;
  if (a.backend !== 'sqlite' || b.backend !== 'sqlite') return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a.path) === real(b.path);
}

function removeCreated(birth: { file: string; firstMissingDir: string | null }): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(birth.file + suffix, { force: true });
  if (!birth.firstMissingDir) return;
  for (let dir = path.dirname(birth.file); ; dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir); // only if empty
    } catch {
      return;
    }
    if (dir === birth.firstMissingDir) return;
  }
}
