// Imports files into an open Store through the import use case (app/importFiles.ts) on the ports
// over that Store: the call tests made before the use case moved to the ports, unchanged.
import { importFiles as importOnPorts, ImportFailure, type FileReport, type ImportEnv, type ImportInput, type ImportSource } from '../../src/app/importFiles.js';
import { storePorts as portsOf } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';

export type StoreImportOptions = Omit<ImportInput, 'sources'> & Pick<ImportEnv, 'zone' | 'nowMs' | 'deadlines'>;

export function importFiles(store: Store, sources: ImportSource[], opts: StoreImportOptions): Promise<FileReport[]> {
  const { zone, nowMs, deadlines, ...input } = opts;
  return importOnPorts(portsOf(store, { now: () => nowMs }), { zone, nowMs, deadlines }, { ...input, sources });
}

export { ImportFailure };
export type { FileReport };
