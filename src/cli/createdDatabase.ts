// An import that writes nothing (every file refused, or --dry-run) must not leave a new, empty
// database behind (store/unusedDatabase.ts says why), asked through the ports.
import type { Ports } from '../app/ports/index.js';
import { removeCreated, type DatabaseBirth } from '../store/unusedDatabase.js';

/**
 * Removes the database this run created, if it holds nothing and nobody else has opened it since
 * (a server backend never answers yes). `close` closes the store first. Returns whether it was removed.
 */
export async function removeIfCreatedEmpty(birth: DatabaseBirth, ports: Pick<Ports, 'admin'>, close: () => void): Promise<boolean> {
  if (birth.existed) return false;
  const c = await ports.admin.counts();
  if (c.refunds + c.orders + c.decisions + c.warehouse_receipts > 0) return false;
  if (!(await ports.admin.emptyAndAlone())) return false;
  close();
  removeCreated(birth);
  return true;
}
