import type Database from 'better-sqlite3';
import { isAuthError } from '../../auth-error.js';
import { openCredential, sealCredential } from '../credential-sealing.js';
import { CREDENTIAL_AAD_VERSION, type DataKey } from '../envelope.js';
import { toMeta, type CredentialRow } from './credential-row.js';
import type { DataKeyWrapping } from './data-key-table.js';

/** What a re-key did. */
export interface RekeyOutcome {
  /** Rows now sealed under the new data key. */
  readonly resealed: number;
  /** Rows that did not open under the old key (already damaged): left as they were, still unopenable. */
  readonly unopenable: number;
}

/**
 * Replaces the data key `from` by `to` in one IMMEDIATE transaction: every credential row sealed
 * with `from` (every user; the gateway key is such a row) is opened and sealed again under `to`
 * with today's additional data, `to` is stored with `wrappings`, and every wrapping of `from` is
 * deleted. A crash leaves either the old key with its rows and wrappings or the new ones, never a
 * mix. Anyone who kept a copy of a protection that wrapped `from` (a copied `master.key`) opens
 * nothing written from now on. Returns null, changing nothing, when `from` is no longer stored
 * (another process changed the key first).
 */
export function rekeyCredentials(
  db: Database.Database,
  from: DataKey,
  to: DataKey,
  wrappings: readonly DataKeyWrapping[],
): RekeyOutcome | null {
  const rekey = db.transaction((): RekeyOutcome | null => {
    const stored = db.prepare('SELECT count(*) FROM data_keys WHERE key_id = ?').pluck().get(from.id);
    if (Number(stored) === 0) return null;
    const rows = db
      .prepare<[string], CredentialRow>('SELECT * FROM provider_credentials WHERE key_id = ?')
      .all(from.id);
    const update = db.prepare(
      'UPDATE provider_credentials SET credentials = ?, key_id = ?, aad_version = ? WHERE id = ?',
    );
    let resealed = 0;
    let unopenable = 0;
    for (const row of rows) {
      const meta = toMeta(row);
      try {
        const credential = openCredential(from, meta, row.credentials, row.aad_version);
        update.run(sealCredential(to, meta, credential), to.id, CREDENTIAL_AAD_VERSION, row.id);
        resealed += 1;
      } catch (error) {
        if (!isAuthError(error, 'credential_corrupt')) throw error;
        unopenable += 1;
      }
    }
    const insert = db.prepare(
      'INSERT INTO data_keys (key_id, key_provider_id, wrapped, created_at) VALUES (?, ?, ?, ?)',
    );
    for (const w of wrappings) insert.run(w.keyId, w.keyProviderId, w.wrapped, w.createdAt);
    db.prepare('DELETE FROM data_keys WHERE key_id = ?').run(from.id);
    return { resealed, unopenable };
  });
  const outcome = rekey.immediate();
  // The write-ahead log still holds the pages as they were (the old wrapping among them) until a
  // checkpoint copies the new ones over them; do it now, best effort (a reader may hold it back).
  if (outcome !== null && !db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
  return outcome;
}
