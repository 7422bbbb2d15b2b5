import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { StateTable } from '../../../../../src-main/core/store/sqlite/state-table.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

describe('StateTable.update', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('writes a changed value, and nothing (so nothing to sync) when the value comes back the same', () => {
    const { db } = openDatabase({ file: join(temp.dir, 'maestro.db') });
    try {
      const state = new StateTable(db);
      const writes = (): number => Number(db.prepare('SELECT total_changes()').pluck().get());
      const session = { activeProvider: 'openai', providers: { openai: { activeAccount: 'default' } } };
      state.update('session', () => session);
      const afterFirst = writes();
      expect(afterFirst).toBeGreaterThan(0);
      // The same account set again (a returning sign-in): read, compared, not written.
      state.update('session', (current) => JSON.parse(JSON.stringify(current)) as unknown);
      expect(writes()).toBe(afterFirst);
      state.update('missing', () => null);
      expect(writes()).toBe(afterFirst);
      state.update('session', () => ({ ...session, activeProvider: 'google' }));
      expect(writes()).toBe(afterFirst + 1);
      expect(state.get('session')).toMatchObject({ activeProvider: 'google' });
      state.update('session', () => undefined);
      expect(state.get('session')).toBeNull();
    } finally {
      db.close();
    }
  });
});
