import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

const ROWS = 40;
const label = (n: number): string => `acct-${String(n).padStart(2, '0')}`;
const keyOf = (n: number): string => `sk-ant-api03-${String(n).padStart(2, '0')}-${'k'.repeat(300)}`;

describe('a database with one damaged page', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });
  const open = () => openCredentialStore({ dataDir: temp.dir, keyProviders: [keyProvider] });
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('keeps every row that can still be read, and says so on every open until acknowledged', async () => {
    const first = await open();
    const ids = new Map<string, number>();
    for (let n = 0; n < ROWS; n += 1) {
      const meta = first.store.put({
        provider: 'anthropic',
        authMethod: 'api_key',
        accountLabel: label(n),
        credential: { kind: 'api_key', apiKey: keyOf(n) },
        expiresAt: null,
      });
      ids.set(meta.id, n);
    }
    first.store.close();

    // Damage the table page that holds the row of acct-20: find its ciphertext in the file.
    const file = join(temp.dir, 'maestro.db');
    const db = new Database(file, { readonly: true });
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const sealed = db
      .prepare<[string], Buffer>('SELECT credentials FROM provider_credentials WHERE account_label = ?')
      .pluck()
      .get(label(20));
    db.close();
    const offset = readFileSync(file).indexOf(sealed ?? Buffer.alloc(1));
    expect(offset).toBeGreaterThan(0);
    const page = Math.floor(offset / pageSize);
    const fd = openSync(file, 'r+');
    writeSync(fd, randomBytes(pageSize), 0, pageSize, page * pageSize);
    closeSync(fd);

    const second = await open();
    const kept = second.store.list();
    expect(kept.length).toBeGreaterThan(ROWS / 2);
    expect(kept.length).toBeLessThan(ROWS);
    expect(kept.map((meta) => meta.accountLabel)).not.toContain(label(20));
    // What was kept is whole: every row opens to its own key.
    for (const meta of kept) {
      expect(second.store.get(meta.id)?.credential).toEqual({ kind: 'api_key', apiKey: keyOf(ids.get(meta.id) ?? -1) });
    }
    const notice = new RegExp(`moved to .*maestro\\.db\\.corrupt-.*${kept.length} of the ${ROWS} stored credentials`);
    expect(second.warnings).toEqual([expect.stringMatching(notice)]);
    expect(second.protection.warnings).toEqual(second.warnings);
    expect(readdirSync(temp.dir).filter((name) => /\.corrupt-\w+$/.test(name))).toHaveLength(1);
    expect(readdirSync(temp.dir).filter((name) => name.includes('.salvage-'))).toEqual([]);
    second.store.close();

    const third = await open();
    expect(third.warnings).toEqual([expect.stringMatching(notice)]);
    expect(third.store.storageNotices()).toHaveLength(1);
    expect(third.store.acknowledgeStorageNotices()).toBe(1);
    third.store.close();
    const fourth = await open();
    expect(fourth.warnings).toEqual([]);
    expect(fourth.store.list()).toHaveLength(kept.length);
    fourth.store.close();
  });
});
