import type Database from 'better-sqlite3';
import type { ModelInfo } from '../../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../../src-shared/errors.js';
import { silentLogger, type Logger } from '../../../log/logger.js';
import { systemClock, type Clock } from '../../clock.js';
import type { Credential } from '../../credentials.js';
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
import type { DataKey } from '../envelope.js';
import type { Lease, LeaseStore } from '../lease-store.js';
import type { CachedModels, ModelCache } from '../model-cache.js';
import type { StateStore } from '../state-store.js';
import { ChangeVersion, ExactVersion } from './change-version.js';
import { CredentialTable } from './credential-table.js';
import { LeaseTable } from './lease-table.js';
import { DEFAULT_USER_ID } from './migrations.js';
import { ModelCacheTable } from './model-cache-table.js';
import { StateTable } from './state-table.js';
import { acknowledgeStorageNotices, pendingStorageNotices } from './storage-notices.js';

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
 * The whole store over SQLite, one object for the composition root: credentials with envelope
 * encryption (CredentialTable), state, the model cache and leases, each in its own table class.
 * Consumers receive it as the one interface they use. Every write is counted here, for
 * `changeVersion`.
 */
export class SqliteCredentialStore implements CredentialStore, StateStore, ModelCache, LeaseStore {
  private readonly db: Database.Database;
  private readonly secrets: Database.Database;
  private readonly dataKey: DataKey;
  private readonly credentials: CredentialTable;
  private readonly state: StateTable;
  private readonly models: ModelCacheTable;
  private readonly leases: LeaseTable;
  private readonly changes: ChangeVersion;
  private readonly dbVersion: ExactVersion;
  /** The storage notices as read at `version` (of `db`). */
  private notices: { readonly version: string; readonly notices: readonly string[] } | null = null;

  constructor(options: SqliteCredentialStoreOptions) {
    const clock = options.clock ?? systemClock;
    this.db = options.db;
    this.secrets = options.secretDb ?? options.db;
    this.dataKey = options.dataKey;
    this.credentials = new CredentialTable(this.secrets, this.dataKey, clock, options.userId ?? DEFAULT_USER_ID);
    this.state = new StateTable(this.db);
    this.models = new ModelCacheTable(this.db, options.logger ?? silentLogger);
    this.leases = new LeaseTable(this.db, clock);
    this.changes = new ChangeVersion(this.db, this.secrets);
    this.dbVersion = new ExactVersion(this.db);
  }

  /**
   * What every process must say until the person acknowledges it (e.g. a damaged database was
   * moved aside). Read again only when the database changed, here or in another process
   * (ExactVersion): the agent asks on every answer.
   */
  storageNotices(): string[] {
    if (this.db.inTransaction) return pendingStorageNotices(this.db);
    const version = this.dbVersion.current();
    if (this.notices?.version !== version) this.notices = { version, notices: pendingStorageNotices(this.db) };
    return [...this.notices.notices];
  }

  /** The person has read the storage notices; returns how many there were. */
  acknowledgeStorageNotices(): number {
    this.changes.noteWrite();
    return acknowledgeStorageNotices(this.db);
  }

  /** Whether credentials live in a database that is never written to disk. */
  get isMemoryOnly(): boolean {
    return this.secrets.memory;
  }

  put(input: PutCredentialInput): CredentialMeta {
    this.changes.noteWrite();
    return this.credentials.put(input);
  }

  get(id: string): { readonly meta: CredentialMeta; readonly credential: Credential } | null {
    return this.credentials.get(id);
  }

  getMeta(id: string): CredentialMeta | null {
    return this.credentials.getMeta(id);
  }

  find(query: CredentialKey): SealedCredential | null {
    return this.credentials.find(query);
  }

  list(filter?: CredentialListFilter, page?: ListPage): CredentialMeta[] {
    return this.credentials.list(filter, page);
  }

  count(filter?: CredentialListFilter): number {
    return this.credentials.count(filter);
  }

  hasAccount(provider: string, accountLabel?: string): boolean {
    return this.credentials.hasAccount(provider, accountLabel);
  }

  newestAccount(provider: string): string | null {
    return this.credentials.newestAccount(provider);
  }

  delete(id: string): boolean {
    this.changes.noteWrite();
    return this.credentials.delete(id);
  }

  rotate(input: RotateCredentialInput): RotateOutcome {
    this.changes.noteWrite();
    return this.credentials.rotate(input);
  }

  markInvalid(id: string, reason: ErrorInfo): void {
    this.changes.noteWrite();
    this.credentials.markInvalid(id, reason);
  }

  markVerified(id: string): void {
    if (this.credentials.markVerified(id)) this.changes.noteWrite();
  }

  renameAccount(provider: string, from: string, to: string): number {
    this.changes.noteWrite();
    return this.credentials.renameAccount(provider, from, to);
  }

  changeVersion(): string {
    return this.changes.current();
  }

  getState(key: string): unknown {
    return this.state.get(key);
  }

  setState(key: string, value: unknown): void {
    this.changes.noteWrite();
    this.state.set(key, value);
  }

  updateState(key: string, update: (current: unknown) => unknown): void {
    this.changes.noteWrite();
    this.state.update(key, update);
  }

  saveModels(provider: string, models: readonly ModelInfo[], fetchedAt: number): void {
    this.changes.noteWrite();
    this.models.save(provider, models, fetchedAt);
  }

  loadModels(provider: string): CachedModels | null {
    return this.models.load(provider);
  }

  tryAcquireLease(name: string, owner: string, ttlMs: number): Lease | null {
    return this.leases.tryAcquire(name, owner, ttlMs);
  }

  releaseLease(name: string, owner: string): void {
    this.leases.release(name, owner);
  }

  /** Closes the databases and wipes the data key from memory. Idempotent. */
  close(): void {
    this.credentials.forgetFound();
    if (this.secrets !== this.db && this.secrets.open) this.secrets.close();
    if (this.db.open) this.db.close();
    this.dataKey.key.fill(0);
  }
}
