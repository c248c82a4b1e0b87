// Finding the refund a user typed, for every command that takes an ID.
import { resolveRefundId } from '../app/caseFile.js';
import { UserError } from '../errors.js';
import type { Store } from '../store/store.js';
import { t } from '../ui/i18n.js';

/** The refund ID for what was typed (refund ID, or an order ID with one refund), else exit 1 with suggestions. */
export function refundIdOrFail(store: Store, typed: string, dbPath: string): string {
  const { id, suggestions } = resolveRefundId(store, typed);
  if (id) return id;
  const hint = suggestions.length ? t('show.didYouMean', { ids: suggestions.join(', ') }) : undefined;
  throw new UserError(t('show.notFound', { id: typed, db: dbPath }), { hint });
}
