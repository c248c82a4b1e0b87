// Finding the refund a user typed, for every command that takes an ID: a refund ID, an order ID
// with one refund, a row number of the last `refunds today`, and (for show) a return waybill.
import { resolveRefundId } from '../app/caseFile.js';
import { refundForRow, ROW_NUMBERS_MAX_AGE_MS } from '../app/rowNumbers.js';
import { UserError } from '../errors.js';
import type { ShopZone } from '../domain/time.js';
import type { TxPorts } from '../app/ports/index.js';
import { waybillKey } from '../domain/waybill.js';
import { t } from '../ui/i18n.js';
import { forTerminal } from '../ui/sanitize.js';
import { maskUrl } from '../store/common/url.js';

export interface LookupOptions {
  zone: ShopZone;
  nowMs: number;
  /** Also a return waybill (show). */
  waybill?: boolean;
}

/**
 * The refund ID for what was typed, else exit 1 with suggestions. Without `where`, only refund
 * and order IDs; with it, also the row numbers of the last `today` (and waybills when asked).
 */
export async function refundIdOrFail(ports: Pick<TxPorts, 'cases' | 'meta'>, typed: string, dbPath: string, where?: LookupOptions): Promise<string> {
  const { cases } = ports;
  const { id, suggestions } = await resolveRefundId(cases, typed);
  if (id) return id;
  const shown = forTerminal(typed);
  if (where) {
    const row = await refundForRow(ports, typed, where.nowMs);
    if (row.kind === 'found') {
      if (!(await cases.refund(row.refundId))) throw new UserError(t('rows.gone', { n: typed.trim(), id: row.refundId, db: maskUrl(dbPath) }), { hint: t('rows.staleHint') });
      return row.refundId;
    }
    if (row.kind === 'none') throw new UserError(t('rows.none', { typed: shown, db: maskUrl(dbPath) }), { hint: t('rows.noneHint') });
    if (row.kind !== 'not-a-number') {
      const printedAt = Number.isFinite(Date.parse(row.printedAt)) ? where.zone.short(Date.parse(row.printedAt)) : forTerminal(row.printedAt);
      const key = row.kind === 'after-import' ? 'rows.afterImport' : row.kind === 'too-old' ? 'rows.tooOld' : 'rows.outOfRange';
      throw new UserError(t(key, { n: row.n, printedAt, max: row.max, hours: ROW_NUMBERS_MAX_AGE_MS / 3600_000 }), { hint: t('rows.staleHint') });
    }
    if (where.waybill) {
      const key = waybillKey(typed.trim());
      const refunds = key ? await cases.refundsByWaybill(key) : [];
      if (refunds.length === 1) return refunds[0]!.refundId;
      if (refunds.length > 1) {
        throw new UserError(t('lookup.severalWaybill', { waybill: shown, ids: refunds.map((r) => r.refundId).sort().join(', ') }));
      }
    }
  }
  const hint = suggestions.length ? t('show.didYouMean', { ids: suggestions.join(', ') }) : undefined;
  throw new UserError(t('show.notFound', { id: shown, db: maskUrl(dbPath) }), { hint });
}
