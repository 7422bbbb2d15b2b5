import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { maskSecret, PROVIDER_ID_PATTERN } from '../../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../../src-shared/errors.js';
import { parseAccountLabel } from '../../account-label.js';
import { AuthError, isAuthError } from '../../auth-error.js';
import type { Clock } from '../../clock.js';
import type { Credential } from '../../credentials.js';
import { checkCredential, openCredential, sealCredential } from '../credential-sealing.js';
import type {
  CredentialKey,
  CredentialListFilter,
  CredentialMeta,
  CredentialStore,
  ListPage,
  PutCredentialInput,
  RotateCredentialInput,
  RotateOutcome,
  SealedCredential,
} from '../credential-store.js';
import { CREDENTIAL_AAD_VERSION, type CredentialRowIdentity, type DataKey } from '../envelope.js';
import { credentialCountQuery, credentialListQuery } from './credential-list-query.js';
import { META_COLUMNS, toMeta, type CredentialMetaRow, type CredentialRow } from './credential-row.js';
import { ExactVersion } from './change-version.js';
import { StatementCache } from './statement-cache.js';

/** What `put` writes once its input is checked: the label as parsed, the secret as validated. */
interface CheckedPut {
  readonly input: PutCredentialInput;
  readonly accountLabel: string;
  readonly credential: Credential;
}

/**
 * The `provider_credentials` table of one user: every credential SQL statement of the store.
 * Secrets are sealed on the way in and opened only inside `get` (or a found row's `open`).
 */
export class CredentialTable implements CredentialStore {
  private readonly statements: StatementCache;
  /** `put`'s transaction (see `put`). */
  private putTransaction: Database.Transaction<(checked: CheckedPut) => CredentialMeta> | undefined;

  private readonly version: ExactVersion;
  /** `find`'s answers at `foundAt` (see `find`). */
  private readonly found = new Map<string, SealedCredential | null>();
  private foundAt = '';

  constructor(
    private readonly db: Database.Database,
    private readonly dataKey: DataKey,
    private readonly clock: Clock,
    private readonly userId: string,
  ) {
    this.statements = new StatementCache(db);
    this.version = new ExactVersion(db);
  }

  put(input: PutCredentialInput): CredentialMeta {
    checkProvider(input.provider);
    const accountLabel = parseAccountLabel(input.accountLabel, input.provider);
    const credential = checkCredential(input.authMethod, input.credential);
    // One transaction function per store, made on first use: better-sqlite3's `transaction()`
    // builds four wrapper functions on every call, which each sign-in's completion paid for.
    this.putTransaction ??= this.db.transaction((checked: CheckedPut): CredentialMeta => {
      this.assertDataKeyCurrent();
      return this.upsert(checked);
    });
    return this.putTransaction.immediate({ input, accountLabel, credential });
  }

  get(id: string): { readonly meta: CredentialMeta; readonly credential: Credential } | null {
    const row = this.statements
      .get<[string, string], CredentialRow>('SELECT * FROM provider_credentials WHERE id = ? AND user_id = ?')
      .get(id, this.userId);
    if (row === undefined) return null;
    const meta = toMeta(row);
    if (meta.keyId !== this.dataKey.id) this.assertDataKeyCurrent();
    return { meta, credential: openCredential(this.dataKey, meta, row.credentials, row.aad_version) };
  }

  /**
   * The credential of (provider, method, account), opened just in time. Found rows and what they
   * opened to are kept while the database stays exactly as it was (ExactVersion: any write here or
   * commit elsewhere drops them all), so the agent's thousand requests for one token cost one
   * SELECT and one decryption, and a credential another process refreshed is read anew.
   */
  find(query: CredentialKey): SealedCredential | null {
    // Inside a transaction a row may be one that is rolled back afterwards: read, never kept.
    if (this.db.inTransaction) return this.findRow(query);
    const version = this.version.current();
    if (version !== this.foundAt) this.forgetFound(version);
    const key = `${query.provider}\u0000${query.authMethod}\u0000${query.accountLabel}`;
    const cached = this.found.get(key);
    if (cached !== undefined) return cached;
    const row = this.findRow(query);
    let opened: Credential | null = null;
    const kept =
      row === null
        ? null
        : {
            meta: Object.freeze(row.meta),
            // Shared by every caller until the next change: frozen, so none can alter it for the others.
            open: () => (opened ??= Object.freeze(row.open())),
          };
    this.found.set(key, kept);
    return kept;
  }

  /** Drops what `find` kept (the opened secrets with it); `version` is the database's from now on. */
  forgetFound(version = ''): void {
    this.found.clear();
    this.foundAt = version;
  }

  private findRow(query: CredentialKey): SealedCredential | null {
    const row = this.statements
      .get<[string, string, string, string], CredentialRow>(
        'SELECT * FROM provider_credentials WHERE user_id = ? AND provider = ? AND auth_method = ? AND account_label = ?',
      )
      .get(this.userId, query.provider, query.authMethod, query.accountLabel);
    if (row === undefined) return null;
    const meta = toMeta(row);
    const sealed = row.credentials;
    const aadVersion = row.aad_version;
    return {
      meta,
      open: () => {
        if (meta.keyId !== this.dataKey.id) this.assertDataKeyCurrent();
        return openCredential(this.dataKey, meta, sealed, aadVersion);
      },
    };
  }

  getMeta(id: string): CredentialMeta | null {
    const row = this.statements
      .get<[string, string], CredentialMetaRow>(
        `SELECT ${META_COLUMNS} FROM provider_credentials WHERE id = ? AND user_id = ?`,
      )
      .get(id, this.userId);
    return row === undefined ? null : toMeta(row);
  }

  list(filter: CredentialListFilter = {}, page?: ListPage): CredentialMeta[] {
    const { sql, params } = credentialListQuery(this.userId, filter, page);
    return this.statements
      .get<(string | number)[], CredentialMetaRow>(sql)
      .all(...params)
      .map(toMeta);
  }

  count(filter: CredentialListFilter = {}): number {
    const { sql, params } = credentialCountQuery(this.userId, filter);
    return (
      this.statements
        .get<string[], number>(sql)
        .pluck()
        .get(...params) ?? 0
    );
  }

  hasAccount(provider: string, accountLabel?: string): boolean {
    const found =
      accountLabel === undefined
        ? this.statements
            .get<[string, string], number>(
              'SELECT 1 FROM provider_credentials WHERE user_id = ? AND provider = ? LIMIT 1',
            )
            .pluck()
            .get(this.userId, provider)
        : this.statements
            .get<[string, string, string], number>(
              'SELECT 1 FROM provider_credentials WHERE user_id = ? AND provider = ? AND account_label = ? LIMIT 1',
            )
            .pluck()
            .get(this.userId, provider, accountLabel);
    return found !== undefined;
  }

  newestAccount(provider: string): string | null {
    return (
      this.statements
        .get<[string, string], string>(
          'SELECT account_label FROM provider_credentials WHERE user_id = ? AND provider = ? ORDER BY updated_at DESC, account_label LIMIT 1',
        )
        .pluck()
        .get(this.userId, provider) ?? null
    );
  }

  delete(id: string): boolean {
    return (
      this.statements.get('DELETE FROM provider_credentials WHERE id = ? AND user_id = ?').run(id, this.userId)
        .changes > 0
    );
  }

  rotate(input: RotateCredentialInput): RotateOutcome {
    const swap = this.db.transaction((): RotateOutcome => {
      this.assertDataKeyCurrent();
      const current = this.getMeta(input.id);
      if (current === null) return { ok: false, reason: 'missing', current: null };
      if (current.generation !== input.expectedGeneration) return { ok: false, reason: 'stale', current };
      const credential = checkCredential(current.authMethod, input.credential);
      this.updateSecret(current, credential, input.expiresAt, input.identity, this.clock.now());
      return { ok: true, meta: this.requireMeta(current.id) };
    });
    // IMMEDIATE: the generation read and the write happen under one write lock, across processes.
    return swap.immediate();
  }

  markInvalid(id: string, reason: ErrorInfo): void {
    this.statements
      .get('UPDATE provider_credentials SET invalid_reason = ?, updated_at = ? WHERE id = ? AND user_id = ?')
      .run(JSON.stringify(reason), this.clock.now(), id, this.userId);
  }

  /** Clears the unverified mark; true when there was one (an already verified row is not written). */
  markVerified(id: string): boolean {
    return (
      this.statements
        .get('UPDATE provider_credentials SET verified = 1 WHERE id = ? AND user_id = ? AND verified = 0')
        .run(id, this.userId).changes > 0
    );
  }

  /**
   * Renames an account (every method stored under it). The label is part of each ciphertext's
   * additional data, so every row is re-sealed under its new label in the same transaction; a row
   * that cannot be opened (already damaged) is renamed as it is and stays unopenable. Refuses when
   * the target label is already in use.
   */
  renameAccount(provider: string, from: string, to: string): number {
    const label = parseAccountLabel(to, provider);
    const rename = this.db.transaction((): number => {
      this.assertDataKeyCurrent();
      if (from !== label && this.hasAccount(provider, label)) {
        throw AuthError.of('invalid_input', `There is already a ${provider} account called "${label}".`, { provider });
      }
      const rows = this.statements
        .get<[string, string, string], CredentialRow>(
          'SELECT * FROM provider_credentials WHERE user_id = ? AND provider = ? AND account_label = ?',
        )
        .all(this.userId, provider, from);
      const now = this.clock.now();
      for (const row of rows) {
        const meta = toMeta(row);
        let sealed: Buffer = row.credentials;
        let aadVersion: number = row.aad_version;
        try {
          const credential = openCredential(this.dataKey, meta, row.credentials, row.aad_version);
          sealed = sealCredential(this.dataKey, { ...meta, accountLabel: label }, credential);
          aadVersion = CREDENTIAL_AAD_VERSION;
        } catch (error) {
          if (!isAuthError(error, 'credential_corrupt')) throw error;
        }
        this.statements
          .get(
            'UPDATE provider_credentials SET account_label = ?, credentials = ?, aad_version = ?, updated_at = ? WHERE id = ?',
          )
          .run(label, sealed, aadVersion, now, row.id);
      }
      return rows.length;
    });
    return rename.immediate();
  }

  /** Inserts the row of (provider, method, account) or replaces its secret; runs inside `put`'s transaction. */
  private upsert({ input, accountLabel, credential }: CheckedPut): CredentialMeta {
    const now = this.clock.now();
    const existing = this.statements
      .get<[string, string, string, string], { id: string; generation: number }>(
        'SELECT id, generation FROM provider_credentials WHERE user_id = ? AND provider = ? AND auth_method = ? AND account_label = ?',
      )
      .get(this.userId, input.provider, input.authMethod, accountLabel);
    if (existing !== undefined) {
      this.updateSecret(
        {
          id: existing.id,
          userId: this.userId,
          provider: input.provider,
          authMethod: input.authMethod,
          accountLabel,
          generation: existing.generation,
        },
        credential,
        input.expiresAt,
        input.identity,
        now,
        input.verified ?? true,
      );
      return this.requireMeta(existing.id);
    }
    const id = randomUUID();
    const sealed = sealCredential(
      this.dataKey,
      { id, userId: this.userId, provider: input.provider, authMethod: input.authMethod, accountLabel, generation: 1 },
      credential,
    );
    this.statements
      .get(
        `INSERT INTO provider_credentials (id, user_id, provider, auth_method, account_label, credentials, expires_at,
           generation, key_id, masked_secret, identity, invalid_reason, created_at, updated_at, aad_version, verified)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, NULL, ?, ?, ?, ?)`,
      )
      .run(
        id,
        this.userId,
        input.provider,
        input.authMethod,
        accountLabel,
        sealed,
        input.expiresAt,
        this.dataKey.id,
        maskedOf(credential),
        input.identity ?? null,
        now,
        now,
        CREDENTIAL_AAD_VERSION,
        input.verified === false ? 0 : 1,
      );
    return this.requireMeta(id);
  }

  /**
   * Seals and writes a new secret for an existing row (`row` as it is now), moving its generation
   * on. A refreshed token came from the provider: it is verified.
   */
  private updateSecret(
    row: CredentialRowIdentity,
    credential: Credential,
    expiresAt: number | null,
    identity: string | null | undefined,
    now: number,
    verified = true,
  ): void {
    const generation = row.generation + 1;
    const sealed = sealCredential(this.dataKey, { ...row, generation }, credential);
    this.statements
      .get(
        `UPDATE provider_credentials SET credentials = ?, expires_at = ?, generation = ?, aad_version = ?, key_id = ?,
           masked_secret = ?, identity = CASE WHEN ? THEN ? ELSE identity END, invalid_reason = NULL, updated_at = ?,
           verified = ?
         WHERE id = ?`,
      )
      .run(
        sealed,
        expiresAt,
        generation,
        CREDENTIAL_AAD_VERSION,
        this.dataKey.id,
        maskedOf(credential),
        identity === undefined ? 0 : 1,
        identity ?? null,
        now,
        verified ? 1 : 0,
        row.id,
      );
  }

  /**
   * Refuses to seal anything with a data key another process has replaced (it re-keyed after a
   * protection was turned off): a row written with it could never be opened again. Stores whose
   * key is not in `data_keys` at all (memory only) are never refused.
   */
  private assertDataKeyCurrent(): void {
    const row = this.statements
      .get<[string], { others: number; mine: number }>(
        'SELECT EXISTS(SELECT 1 FROM data_keys) AS others, EXISTS(SELECT 1 FROM data_keys WHERE key_id = ?) AS mine',
      )
      .get(this.dataKey.id);
    if (row !== undefined && row.others === 1 && row.mine === 0) {
      throw AuthError.of(
        'encryption_unavailable',
        'The Maestro moved your credentials to a new key while this command was running (a protection was turned off in its Settings). Nothing was changed; run the command again.',
      );
    }
  }

  private requireMeta(id: string): CredentialMeta {
    const meta = this.getMeta(id);
    if (meta === null) throw AuthError.of('storage_error', 'A credential vanished while it was being written.');
    return meta;
  }
}

function checkProvider(provider: string): void {
  if (!PROVIDER_ID_PATTERN.test(provider))
    throw AuthError.of('invalid_input', `"${provider}" is not a valid provider id.`);
}

/** What listing shows of a secret: the tail of an API key, nothing of an OAuth token. */
function maskedOf(credential: Credential): string | null {
  return credential.kind === 'api_key' ? maskSecret(credential.apiKey) : null;
}

/**
 * Re-seals, in one transaction, every row still bound the old way (`aad_version` 1: without its
 * account label and generation) under `dataKey` with today's binding. Rows that do not open are
 * left as they are (they report themselves when read). Returns how many rows were re-sealed.
 */
export function resealLegacyRows(db: Database.Database, dataKey: DataKey): number {
  const reseal = db.transaction((): number => {
    const rows = db
      .prepare<[string], CredentialRow>('SELECT * FROM provider_credentials WHERE aad_version = 1 AND key_id = ?')
      .all(dataKey.id);
    const update = db.prepare('UPDATE provider_credentials SET credentials = ?, aad_version = ? WHERE id = ?');
    let resealed = 0;
    for (const row of rows) {
      const meta = toMeta(row);
      let credential: Credential;
      try {
        credential = openCredential(dataKey, meta, row.credentials, 1);
      } catch (error) {
        if (isAuthError(error, 'credential_corrupt')) continue;
        throw error;
      }
      update.run(sealCredential(dataKey, meta, credential), CREDENTIAL_AAD_VERSION, row.id);
      resealed += 1;
    }
    return resealed;
  });
  // Cheap when there is nothing to do: one indexed count, no write lock.
  const pending = db.prepare('SELECT count(*) FROM provider_credentials WHERE aad_version = 1').pluck().get();
  return Number(pending) === 0 ? 0 : reseal.immediate();
}
