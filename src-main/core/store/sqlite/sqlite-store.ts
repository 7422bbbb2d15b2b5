import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ACCOUNT_LABEL_PATTERN, maskSecret, PROVIDER_ID_PATTERN, type ModelInfo, type StoredAuthMethod } from '../../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../../src-shared/errors.js';
import { systemClock, type Clock } from '../../clock.js';
import { credentialCountQuery, credentialListQuery, type CredentialListFilter, type ListPage } from './credential-list-query.js';
import { META_COLUMNS, toMeta, type CredentialMetaRow, type CredentialRow } from './credential-row.js';
import { LeaseTable } from './lease-table.js';
import { StatementCache } from './statement-cache.js';
import { DEFAULT_USER_ID } from './migrations.js';
import { StateTables } from './state-tables.js';
import { silentLogger, type Logger } from '../../../log/logger.js';
import { AuthError } from '../../auth-error.js';
import type {
  CachedModels,
  CredentialMeta,
  CredentialStore,
  Lease,
  PutCredentialInput,
  RotateCredentialInput,
  RotateOutcome,
  SealedCredential,
} from '../credential-store.js';
import { credentialSchema, type Credential } from '../../credentials.js';
import { credentialAad, EnvelopeError, openBytes, sealBytes, type CredentialRowIdentity, type DataKey } from '../envelope.js';

/** How stale another process's change to derived state (session, settings) may be seen: a few ms. */
export const EXTERNAL_VERSION_TTL_MS = 10;

export interface SqliteCredentialStoreOptions {
  /** The database for non-secret state (model cache, app state, leases) and, by default, credentials. */
  readonly db: Database.Database;
  /** A separate database for credentials and data keys (an in-memory one in memory-only mode). */
  readonly secretDb?: Database.Database;
  /** The unwrapped data key; the store takes ownership and wipes it on close. */
  readonly dataKey: DataKey;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly userId?: string;
}

/**
 * CredentialStore over SQLite with envelope encryption. Each row's credential JSON is sealed
 * with AES-256-GCM under the data key, bound to the row identity (see `credentialAad`), and
 * opened only inside `get`; nothing here keeps plaintext after a call returns.
 */
export class SqliteCredentialStore implements CredentialStore {
  private readonly db: Database.Database;
  private readonly secrets: Database.Database;
  private readonly dataKey: DataKey;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly userId: string;
  private readonly state: StateTables;
  private readonly leases: LeaseTable;
  /** Prepared statements of the credentials' connection. */
  private readonly statements: StatementCache;
  /** Prepared statements of the state connection (the same one unless credentials live in memory). */
  private readonly stateStatements: StatementCache;
  /** Writes made through this store, for `changeVersion`. */
  private localWrites = 0;
  private externalVersion: string | null = null;
  private externalVersionAt = 0;
  /** `put`'s transaction (see `put`). */
  private putTransaction: Database.Transaction<(input: PutCredentialInput, credential: Credential) => CredentialMeta> | undefined;

  constructor(options: SqliteCredentialStoreOptions) {
    this.db = options.db;
    this.secrets = options.secretDb ?? options.db;
    this.statements = new StatementCache(this.secrets);
    this.stateStatements = this.secrets === this.db ? this.statements : new StatementCache(this.db);
    this.dataKey = options.dataKey;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.userId = options.userId ?? DEFAULT_USER_ID;
    this.state = new StateTables(this.db, this.logger);
    this.leases = new LeaseTable(this.db, this.clock);
  }

  /** Whether credentials live in a database that is never written to disk. */
  get isMemoryOnly(): boolean {
    return this.secrets.memory;
  }

  put(input: PutCredentialInput): CredentialMeta {
    checkProvider(input.provider);
    checkAccountLabel(input.accountLabel);
    const credential = checkCredential(input.authMethod, input.credential);
    // One transaction function per store, made on first use: better-sqlite3's `transaction()`
    // builds four wrapper functions on every call, which each sign-in's completion paid for.
    this.putTransaction ??= this.secrets.transaction((input: PutCredentialInput, credential: Credential): CredentialMeta => {
      const now = this.clock.now();
      const existing = this.statements
        .get<[string, string, string, string], { id: string }>(
          'SELECT id FROM provider_credentials WHERE user_id = ? AND provider = ? AND auth_method = ? AND account_label = ?',
        )
        .get(this.userId, input.provider, input.authMethod, input.accountLabel);
      const id = existing?.id ?? randomUUID();
      const sealed = this.seal({ id, userId: this.userId, provider: input.provider, authMethod: input.authMethod }, credential);
      const masked = credential.kind === 'api_key' ? maskSecret(credential.apiKey) : null;
      if (existing === undefined) {
        this.statements
          .get(
            `INSERT INTO provider_credentials (id, user_id, provider, auth_method, account_label, credentials, expires_at,
               generation, key_id, masked_secret, identity, invalid_reason, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, NULL, ?, ?)`,
          )
          .run(id, this.userId, input.provider, input.authMethod, input.accountLabel, sealed, input.expiresAt,
            this.dataKey.id, masked, input.identity ?? null, now, now);
      } else {
        this.updateSecret(id, sealed, input.expiresAt, masked, input.identity, now);
      }
      return this.requireMeta(id);
    });
    this.localWrites += 1;
    return this.putTransaction.immediate(input, credential);
  }

  get(id: string): { readonly meta: CredentialMeta; readonly credential: Credential } | null {
    const row = this.statements
      .get<[string, string], CredentialRow>('SELECT * FROM provider_credentials WHERE id = ? AND user_id = ?')
      .get(id, this.userId);
    if (row === undefined) return null;
    const meta = toMeta(row);
    return { meta, credential: this.open(meta, row.credentials) };
  }

  find(query: { readonly provider: string; readonly authMethod: StoredAuthMethod; readonly accountLabel: string }): SealedCredential | null {
    const row = this.statements
      .get<[string, string, string, string], CredentialRow>(
        'SELECT * FROM provider_credentials WHERE user_id = ? AND provider = ? AND auth_method = ? AND account_label = ?',
      )
      .get(this.userId, query.provider, query.authMethod, query.accountLabel);
    if (row === undefined) return null;
    const meta = toMeta(row);
    const sealed = row.credentials;
    return { meta, open: () => this.open(meta, sealed) };
  }

  /**
   * Our own writes are counted here, exactly. Another process's commits move `data_version`,
   * which costs a query to read (≈1.7 µs, as much as the rest of a resolve); it is read again
   * when the last reading is older than EXTERNAL_VERSION_TTL_MS, so derived state such as the
   * active account follows a change made by the command line within that bound.
   */
  changeVersion(): string {
    // Date.now(), not performance.now(): the global `performance` loads perf_hooks on first use,
    // a millisecond of every start-up. A wall clock set back re-reads at once instead of waiting.
    const now = Date.now();
    if (this.externalVersion === null || now - this.externalVersionAt >= EXTERNAL_VERSION_TTL_MS || now < this.externalVersionAt) {
      const read = (cache: StatementCache): string => String(cache.get<[], number>('PRAGMA data_version').pluck().get());
      this.externalVersion = this.secrets === this.db ? read(this.statements) : `${read(this.stateStatements)}/${read(this.statements)}`;
      this.externalVersionAt = now;
    }
    return `${this.externalVersion}.${this.localWrites}`;
  }

  getMeta(id: string): CredentialMeta | null {
    const row = this.statements
      .get<[string, string], CredentialMetaRow>(`SELECT ${META_COLUMNS} FROM provider_credentials WHERE id = ? AND user_id = ?`)
      .get(id, this.userId);
    return row === undefined ? null : toMeta(row);
  }

  list(filter: CredentialListFilter = {}, page?: ListPage): CredentialMeta[] {
    const { sql, params } = credentialListQuery(this.userId, filter, page);
    return this.statements.get<(string | number)[], CredentialMetaRow>(sql).all(...params).map(toMeta);
  }

  count(filter: CredentialListFilter = {}): number {
    const { sql, params } = credentialCountQuery(this.userId, filter);
    return this.statements.get<string[], number>(sql).pluck().get(...params) ?? 0;
  }

  hasAccount(provider: string, accountLabel?: string): boolean {
    const found =
      accountLabel === undefined
        ? this.statements.get<[string, string], number>('SELECT 1 FROM provider_credentials WHERE user_id = ? AND provider = ? LIMIT 1').pluck().get(this.userId, provider)
        : this.statements
            .get<[string, string, string], number>('SELECT 1 FROM provider_credentials WHERE user_id = ? AND provider = ? AND account_label = ? LIMIT 1')
            .pluck()
            .get(this.userId, provider, accountLabel);
    return found !== undefined;
  }

  newestAccount(provider: string): string | null {
    return (
      this.statements
        .get<[string, string], string>('SELECT account_label FROM provider_credentials WHERE user_id = ? AND provider = ? ORDER BY updated_at DESC, account_label LIMIT 1')
        .pluck()
        .get(this.userId, provider) ?? null
    );
  }

  delete(id: string): boolean {
    this.localWrites += 1;
    return this.statements.get('DELETE FROM provider_credentials WHERE id = ? AND user_id = ?').run(id, this.userId).changes > 0;
  }

  rotate(input: RotateCredentialInput): RotateOutcome {
    const swap = this.secrets.transaction((): RotateOutcome => {
      const current = this.getMeta(input.id);
      if (current === null) return { ok: false, reason: 'missing', current: null };
      if (current.generation !== input.expectedGeneration) return { ok: false, reason: 'stale', current };
      const credential = checkCredential(current.authMethod, input.credential);
      const sealed = this.seal(current, credential);
      const masked = credential.kind === 'api_key' ? maskSecret(credential.apiKey) : null;
      this.updateSecret(current.id, sealed, input.expiresAt, masked, input.identity, this.clock.now());
      return { ok: true, meta: this.requireMeta(current.id) };
    });
    // IMMEDIATE: the generation read and the write happen under one write lock, across processes.
    this.localWrites += 1;
    return swap.immediate();
  }

  markInvalid(id: string, reason: ErrorInfo): void {
    this.localWrites += 1;
    this.statements
      .get('UPDATE provider_credentials SET invalid_reason = ?, updated_at = ? WHERE id = ? AND user_id = ?')
      .run(JSON.stringify(reason), this.clock.now(), id, this.userId);
  }

  /**
   * Renames an account (every method stored under it). Ciphertexts are not touched: the label is
   * not part of their additional data. Refuses when the target label is already in use.
   */
  renameAccount(provider: string, from: string, to: string): number {
    checkAccountLabel(to);
    const rename = this.secrets.transaction((): number => {
      if (from !== to && this.list({ provider, accountLabel: to }).length > 0) {
        throw AuthError.of('invalid_input', `There is already a ${provider} account called "${to}".`, { provider });
      }
      return this.statements
        .get('UPDATE provider_credentials SET account_label = ?, updated_at = ? WHERE user_id = ? AND provider = ? AND account_label = ?')
        .run(to, this.clock.now(), this.userId, provider, from).changes;
    });
    this.localWrites += 1;
    return rename.immediate();
  }

  saveModels(provider: string, models: readonly ModelInfo[], fetchedAt: number): void {
    this.localWrites += 1;
    this.state.saveModels(provider, models, fetchedAt);
  }

  loadModels(provider: string): CachedModels | null {
    return this.state.loadModels(provider);
  }

  getState<T>(key: string): T | null {
    return this.state.getState<T>(key);
  }

  updateState(key: string, update: (current: unknown) => unknown): void {
    // IMMEDIATE: the read and the write happen under one write lock, so a change another process
    // makes to the same key in between cannot be lost.
    this.localWrites += 1;
    this.db.transaction(() => this.state.setState(key, update(this.state.getState(key)))).immediate();
  }

  setState(key: string, value: unknown): void {
    this.localWrites += 1;
    this.state.setState(key, value);
  }

  tryAcquireLease(name: string, owner: string, ttlMs: number): Lease | null {
    return this.leases.tryAcquire(name, owner, ttlMs);
  }

  releaseLease(name: string, owner: string): void {
    this.leases.release(name, owner);
  }

  /** Closes the databases and wipes the data key from memory. Idempotent. */
  close(): void {
    if (this.secrets !== this.db && this.secrets.open) this.secrets.close();
    if (this.db.open) this.db.close();
    this.dataKey.key.fill(0);
  }

  private updateSecret(id: string, sealed: Buffer, expiresAt: number | null, masked: string | null, identity: string | null | undefined, now: number): void {
    this.statements
      .get(
        `UPDATE provider_credentials SET credentials = ?, expires_at = ?, generation = generation + 1, key_id = ?,
           masked_secret = ?, identity = CASE WHEN ? THEN ? ELSE identity END, invalid_reason = NULL, updated_at = ?
         WHERE id = ?`,
      )
      .run(sealed, expiresAt, this.dataKey.id, masked, identity === undefined ? 0 : 1, identity ?? null, now, id);
  }

  private requireMeta(id: string): CredentialMeta {
    const meta = this.getMeta(id);
    if (meta === null) throw AuthError.of('storage_error', 'A credential vanished while it was being written.');
    return meta;
  }

  private seal(identity: CredentialRowIdentity, credential: Credential): Buffer {
    const plaintext = Buffer.from(JSON.stringify(credential), 'utf8');
    try {
      return sealBytes(this.dataKey.key, plaintext, credentialAad(identity));
    } finally {
      plaintext.fill(0);
    }
  }

  private open(meta: CredentialMeta, sealed: Buffer): Credential {
    const where = `The stored ${meta.authMethod === 'oauth' ? 'sign-in' : 'API key'} for ${meta.provider} (account "${meta.accountLabel}")`;
    const corrupt = (why: string, cause?: unknown): AuthError =>
      new AuthError(
        { code: 'credential_corrupt', message: `${where} cannot be opened: ${why}. Remove it and sign in again.`, provider: meta.provider },
        cause === undefined ? undefined : { cause },
      );
    if (meta.keyId !== this.dataKey.id) throw corrupt('it was sealed with a data key this installation no longer has');
    let plaintext: Buffer;
    try {
      plaintext = openBytes(this.dataKey.key, sealed, credentialAad(meta));
    } catch (cause) {
      if (!(cause instanceof EnvelopeError)) throw cause;
      throw corrupt('its encrypted data does not belong to this row or was altered', cause);
    }
    try {
      const parsed = credentialSchema.safeParse(parseJson(plaintext));
      if (!parsed.success || parsed.data.kind !== meta.authMethod) throw corrupt('its decrypted contents are not a valid credential');
      return parsed.data;
    } finally {
      plaintext.fill(0);
    }
  }
}

/** Parses decrypted JSON; a syntax error becomes an invalid value for the schema to reject. */
function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function checkProvider(provider: string): void {
  if (!PROVIDER_ID_PATTERN.test(provider)) throw AuthError.of('invalid_input', `"${provider}" is not a valid provider id.`);
}

function checkAccountLabel(label: string): void {
  if (!ACCOUNT_LABEL_PATTERN.test(label)) {
    throw AuthError.of('invalid_input', 'An account name starts with a letter or digit and has at most 64 letters, digits, spaces or . _ @ + -.');
  }
}

/** Validates the secret before sealing, so `get` can never meet something `put` accepted but the schema refuses. */
function checkCredential(authMethod: StoredAuthMethod, credential: Credential): Credential {
  const parsed = credentialSchema.safeParse(credential);
  if (!parsed.success) throw AuthError.of('invalid_input', 'The credential to store is incomplete or malformed.');
  if (parsed.data.kind !== authMethod) {
    throw AuthError.of('invalid_input', `A ${parsed.data.kind} credential cannot be stored as ${authMethod}.`);
  }
  return parsed.data;
}
