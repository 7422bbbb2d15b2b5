import type Database from 'better-sqlite3';

/** The local user every install has; the app is single-user today, the schema is not. */
export const DEFAULT_USER_ID = 'local';

/** One schema step. `version` is the `user_version` after it; steps run in order, each atomically. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database.Database, now: number) => void;
}

const V1_SCHEMA = `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE provider_credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider TEXT NOT NULL,
  auth_method TEXT NOT NULL CHECK (auth_method IN ('oauth', 'api_key')),
  account_label TEXT NOT NULL,
  credentials BLOB NOT NULL,
  expires_at INTEGER NULL,
  generation INTEGER NOT NULL CHECK (generation >= 1),
  key_id TEXT NOT NULL,
  masked_secret TEXT NULL,
  identity TEXT NULL,
  invalid_reason TEXT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, provider, auth_method, account_label)
);
CREATE INDEX provider_credentials_by_provider ON provider_credentials (user_id, provider, account_label);
CREATE TABLE data_keys (
  key_id TEXT NOT NULL,
  key_provider_id TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (key_id, key_provider_id)
);
CREATE TABLE model_cache (
  provider TEXT PRIMARY KEY,
  models TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE app_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

/** The schema's history. Append only: never edit a released step. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'users, provider credentials, data keys, model cache, app state, leases',
    up: (db, now) => {
      db.exec(V1_SCHEMA);
      db.prepare('INSERT INTO users (id, name, created_at) VALUES (?, ?, ?)').run(DEFAULT_USER_ID, 'Local user', now);
    },
  },
  {
    version: 2,
    description: 'listing reads a covering index, never the rows that hold the sealed secrets',
    // A row's sealed credential (~3.5 KB for an OAuth token set) sits before the metadata columns,
    // so listing metadata from the table read every row's whole page: 14 MiB for 10,000 rows. An
    // index holding every metadata column answers the listing on its own (and replaces the
    // (user_id, provider, account_label) index, which is its prefix).
    up: (db) => {
      db.exec(`
        DROP INDEX provider_credentials_by_provider;
        CREATE INDEX provider_credentials_listing ON provider_credentials (
          user_id, provider, account_label, auth_method, id, expires_at, generation, key_id,
          masked_secret, identity, invalid_reason, created_at, updated_at
        );
      `);
    },
  },
  {
    version: 3,
    description: 'each row says how its ciphertext is bound (2: also to its account label and generation)',
    // Existing rows keep 1 until the store, which holds the data key, re-seals them (all in one
    // transaction, right after the data key is opened): a migration never sees a secret.
    up: (db) => {
      db.exec(
        'ALTER TABLE provider_credentials ADD COLUMN aad_version INTEGER NOT NULL DEFAULT 1 CHECK (aad_version IN (1, 2))',
      );
    },
  },
  {
    version: 4,
    description: 'each row says whether the provider has accepted it (a key stored without a check is unverified)',
    // Rows stored before keep 1: earlier versions showed them as valid, and nothing says otherwise.
    // The listing index holds every metadata column, so it is rebuilt with the new one.
    up: (db) => {
      db.exec(`
        ALTER TABLE provider_credentials ADD COLUMN verified INTEGER NOT NULL DEFAULT 1 CHECK (verified IN (0, 1));
        DROP INDEX provider_credentials_listing;
        CREATE INDEX provider_credentials_listing ON provider_credentials (
          user_id, provider, account_label, auth_method, id, expires_at, generation, key_id,
          masked_secret, identity, invalid_reason, created_at, updated_at, verified
        );
      `);
    },
  },
  {
    version: 5,
    description: 'finding rows still to re-seal reads an index of those rows, not the whole table',
    // Every open asks whether any row is still bound the old way (resealLegacyRows); without an
    // index that count read every row's page — start-up grew with the number of credentials
    // (16 MiB for 10,000). A partial index holds only such rows, so once they are re-sealed it is
    // empty and the question costs nothing.
    up: (db) => {
      db.exec('CREATE INDEX provider_credentials_legacy_aad ON provider_credentials (id) WHERE aad_version = 1');
    },
  },
];

/** Thrown when the file was written by a newer version of the app: it is left exactly as it is. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}

export function userVersion(db: Database.Database): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Brings the schema up to date. Each step runs with its `user_version` bump in one IMMEDIATE
 * transaction: a crash or an error leaves the previous version intact, and a second process
 * starting at the same time waits, re-reads the version, and skips what is done.
 */
export function runMigrations(
  db: Database.Database,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): { readonly from: number; readonly to: number } {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = userVersion(db);
  if (from > latest) {
    throw new NewerSchemaError(`the database has schema version ${from}, newer than this app understands (${latest})`);
  }
  for (const migration of migrations) {
    const step = db.transaction(() => {
      if (userVersion(db) >= migration.version) return;
      migration.up(db, now);
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return { from, to: userVersion(db) };
}
