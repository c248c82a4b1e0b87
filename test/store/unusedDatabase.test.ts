// A refused first import removes the empty database it created — unless another process has the
// file open (a second first import at the same moment): removing it then would lose their rows.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../helpers/syncStore.js';
import { beforeCreating, removeIfCreatedEmpty } from '../../src/store/unusedDatabase.js';
import { tmpDir } from '../helpers/cli.js';

describe('removing a database an import created and left empty', () => {
  it('removes it, and the folders made for it, when this is the only connection', () => {
    const file = path.join(tmpDir(), 'new', 'deeper', 'r.sqlite');
    const birth = beforeCreating(file);
    const store = openStore(file);
    expect(removeIfCreatedEmpty(birth, store, () => store.close())).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(path.dirname(path.dirname(file)))).toBe(false);
  });

  it('keeps it while another connection has it open, and the file stays a sound database in WAL', () => {
    const file = path.join(tmpDir(), 'r.sqlite');
    const birth = beforeCreating(file);
    const mine = openStore(file);
    const theirs = openStore(file);
    try {
      expect(removeIfCreatedEmpty(birth, mine, () => mine.close())).toBe(false);
      expect(fs.existsSync(file)).toBe(true);
      expect(theirs.counts()).toEqual({ refunds: 0, orders: 0, decisions: 0, receipts: 0 });
    } finally {
      mine.close();
      theirs.close();
    }
    const again = openStore(file);
    expect(again.sql('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    again.close();
  });
});
