import type Database from 'better-sqlite3';

/** One wrapped copy of a data key, as stored in `data_keys`. */
export interface DataKeyWrapping {
  readonly keyId: string;
  readonly keyProviderId: string;
  readonly wrapped: Buffer;
  readonly createdAt: number;
}

interface DataKeyRow {
  key_id: string;
  key_provider_id: string;
  wrapped: Buffer;
  created_at: number;
}

/** Every wrapping, newest data key first (a key id appears once per key provider). */
export function listDataKeyWrappings(db: Database.Database): DataKeyWrapping[] {
  const rows = db
    .prepare<[], DataKeyRow>(
      'SELECT key_id, key_provider_id, wrapped, created_at FROM data_keys ORDER BY created_at DESC, key_id, key_provider_id',
    )
    .all();
  return rows.map((row) => ({
    keyId: row.key_id,
    keyProviderId: row.key_provider_id,
    wrapped: row.wrapped,
    createdAt: row.created_at,
  }));
}

/**
 * Stores wrappings in one transaction. Existing (key id, provider) pairs are kept as they are:
 * a second process that raced us to the same wrapping loses quietly and both copies open.
 */
export function insertDataKeyWrappings(db: Database.Database, wrappings: readonly DataKeyWrapping[]): void {
  const insert = db.prepare(
    'INSERT INTO data_keys (key_id, key_provider_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id, key_provider_id) DO NOTHING',
  );
  db.transaction(() => {
    for (const w of wrappings) insert.run(w.keyId, w.keyProviderId, w.wrapped, w.createdAt);
  }).immediate();
}

/** Replaces one provider's wrapping of a data key (the same key, wrapped anew). */
export function replaceDataKeyWrapping(db: Database.Database, wrapping: DataKeyWrapping): void {
  db.prepare('UPDATE data_keys SET wrapped = ? WHERE key_id = ? AND key_provider_id = ?').run(
    wrapping.wrapped,
    wrapping.keyId,
    wrapping.keyProviderId,
  );
}

/**
 * Adds `added` and removes the wrappings of `keyId` by `removedProviderIds`, in one transaction:
 * either the data key is sealed by exactly the new set of protections or nothing changed.
 * Refuses (and changes nothing) when no wrapping of the key would remain.
 */
export function replaceDataKeyWrappings(
  db: Database.Database,
  keyId: string,
  added: readonly DataKeyWrapping[],
  removedProviderIds: readonly string[],
): void {
  const insert = db.prepare(
    'INSERT INTO data_keys (key_id, key_provider_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id, key_provider_id) DO NOTHING',
  );
  const remove = db.prepare('DELETE FROM data_keys WHERE key_id = ? AND key_provider_id = ?');
  const remaining = db.prepare('SELECT count(*) FROM data_keys WHERE key_id = ?').pluck();
  db.transaction(() => {
    for (const w of added) insert.run(w.keyId, w.keyProviderId, w.wrapped, w.createdAt);
    for (const id of removedProviderIds) remove.run(keyId, id);
    if (Number(remaining.get(keyId)) === 0) throw new Error('refusing to remove the last wrapping of the data key');
  }).immediate();
}

/** Number of stored credential rows (any user), to tell "new install" from "data we cannot open". */
export function countCredentialRows(db: Database.Database): number {
  return Number(db.prepare('SELECT count(*) FROM provider_credentials').pluck().get());
}
