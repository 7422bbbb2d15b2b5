import type Database from 'better-sqlite3';
import type { Clock } from '../../clock.js';
import {
  countCredentialRows,
  insertDataKeyWrappings,
  listDataKeyWrappings,
  replaceDataKeyWrapping,
  replaceDataKeyWrappings,
  type DataKeyWrapping,
} from '../sqlite/data-key-table.js';
import type { Logger } from '../../../log/logger.js';
import { AuthError } from '../../auth-error.js';
import { generateDataKey, KEY_BYTES, type DataKey } from '../envelope.js';
import type { KeyProvider } from '../key-provider.js';
import { rekeyCredentials } from '../sqlite/rekey.js';
import { withTimeout } from './with-timeout.js';

export interface UnlockOptions {
  readonly db: Database.Database;
  /** All the providers the person allows; the first is the primary. At least one. */
  readonly providers: readonly KeyProvider[];
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * The providers are the complete list of protections allowed (the app, which owns the
   * settings): wrappings of the data key by any other protection are removed once it is open.
   * The command line never sets this: it does not know what the app allows.
   */
  readonly exclusive?: boolean;
}

export interface UnlockedDataKey {
  readonly dataKey: DataKey;
  /** The allowed providers that now hold a wrapping of the data key. */
  readonly sealedBy: readonly KeyProvider[];
  /** Every protection id that holds a wrapping of the data key now, allowed or not. */
  readonly wrappedBy: readonly string[];
  readonly warnings: string[];
}

function reasonOf(error: unknown): string {
  return error instanceof AuthError ? error.message : 'it failed unexpectedly';
}

function wrapTimed(provider: KeyProvider, key: Buffer, ms: number): Promise<Uint8Array> {
  return withTimeout(
    Promise.resolve().then(() => provider.wrap(key)),
    ms,
    `Sealing the data key with ${provider.description}`,
  );
}

async function unwrapTimed(
  provider: KeyProvider,
  wrapped: Buffer,
  ms: number,
): Promise<{ readonly key: Buffer; readonly rewrap: boolean }> {
  const opened = await withTimeout(
    Promise.resolve().then(async () =>
      provider.unwrapChecked !== undefined
        ? provider.unwrapChecked(wrapped)
        : { key: await provider.unwrap(wrapped), rewrap: false },
    ),
    ms,
    `Opening the data key with ${provider.description}`,
  );
  if (opened.key.byteLength !== KEY_BYTES)
    throw AuthError.of('encryption_unavailable', `${provider.description} returned a damaged data key.`);
  return { key: Buffer.from(opened.key), rewrap: opened.rewrap };
}

/**
 * Wraps the data key anew with the provider that asked for it (safeStorage's `shouldReEncrypt`
 * after an OS key rotation) and replaces the stored wrapping; on failure the old one stays.
 */
async function renewWrapping(
  options: UnlockOptions,
  provider: KeyProvider,
  keyId: string,
  key: Buffer,
  warnings: string[],
): Promise<void> {
  try {
    const wrapped = await wrapTimed(provider, key, options.timeoutMs);
    replaceDataKeyWrapping(options.db, {
      keyId,
      keyProviderId: provider.id,
      wrapped: Buffer.from(wrapped),
      createdAt: options.clock.now(),
    });
    options.logger.info('renewed the data key wrapping', { keyId, keyProvider: provider.id });
  } catch (error) {
    warnings.push(
      `${provider.description} asked to renew its protection of your credentials, which failed: ${reasonOf(error)}`,
    );
  }
}

/**
 * Creates the store's data key and wraps it with every provider. The primary must succeed; the
 * others add a warning when they fail. Returns null when another process created a data key
 * first (the caller then unlocks that one: two data keys must never coexist).
 */
async function createDataKey(options: UnlockOptions): Promise<UnlockedDataKey | null> {
  const dataKey = generateDataKey();
  const wrappings: DataKeyWrapping[] = [];
  const sealedBy: KeyProvider[] = [];
  const warnings: string[] = [];
  for (const [index, provider] of options.providers.entries()) {
    try {
      const wrapped = await wrapTimed(provider, dataKey.key, options.timeoutMs);
      wrappings.push({
        keyId: dataKey.id,
        keyProviderId: provider.id,
        wrapped: Buffer.from(wrapped),
        createdAt: options.clock.now(),
      });
      sealedBy.push(provider);
    } catch (error) {
      if (index === 0) {
        dataKey.key.fill(0);
        throw new AuthError(
          {
            code: 'encryption_unavailable',
            message: `Credentials cannot be protected with ${provider.description}: ${reasonOf(error)}`,
          },
          { cause: error },
        );
      }
      warnings.push(`${provider.description} could not also protect your credentials: ${reasonOf(error)}`);
    }
  }
  const inserted = options.db
    .transaction(() => {
      if (listDataKeyWrappings(options.db).length > 0) return false;
      insertDataKeyWrappings(options.db, wrappings);
      return true;
    })
    .immediate();
  if (!inserted) {
    dataKey.key.fill(0);
    return null;
  }
  options.logger.info('created data key', { keyId: dataKey.id, keyProviders: sealedBy.map((p) => p.id) });
  const orphans = countCredentialRows(options.db);
  if (orphans > 0) {
    warnings.push(
      `${orphans} stored credential(s) were sealed with a data key that is missing from the database; they cannot be opened. Remove them and sign in again.`,
    );
  }
  return { dataKey, sealedBy, wrappedBy: sealedBy.map((p) => p.id), warnings };
}

/** Opens the newest data key with the first allowed provider that can, then adds missing wrappings. */
async function openDataKey(options: UnlockOptions, existing: readonly DataKeyWrapping[]): Promise<UnlockedDataKey> {
  const keyId = existing[0]?.keyId ?? '';
  const forKey = existing.filter((w) => w.keyId === keyId);
  const failures: string[] = [];
  let key: Buffer | null = null;
  let renewBy: KeyProvider | null = null;
  for (const provider of options.providers) {
    const wrapping = forKey.find((w) => w.keyProviderId === provider.id);
    if (wrapping === undefined) continue;
    try {
      const opened = await unwrapTimed(provider, wrapping.wrapped, options.timeoutMs);
      key = opened.key;
      if (opened.rewrap) renewBy = provider;
      break;
    } catch (error) {
      failures.push(failureSentence(provider, error));
    }
  }
  if (key === null) throw cannotOpen(forKey, options.providers, failures);
  const dataKey: DataKey = { id: keyId, key };
  const warnings = failures.map((failure) => `Opened your credentials another way; this protection failed: ${failure}`);
  if (renewBy !== null) await renewWrapping(options, renewBy, keyId, key, warnings);
  const allowed = new Set(options.providers.map((p) => p.id));
  const removed = options.exclusive === true ? forKey.map((w) => w.keyProviderId).filter((id) => !allowed.has(id)) : [];
  if (removed.length > 0) {
    const rekeyed = await rekeyWithout(options, dataKey, removed, warnings);
    if (rekeyed !== null) return rekeyed;
  }
  const sealedBy = options.providers.filter((p) => forKey.some((w) => w.keyProviderId === p.id));
  const added: DataKeyWrapping[] = [];
  for (const provider of options.providers.filter((p) => !sealedBy.includes(p))) {
    try {
      const wrapped = await wrapTimed(provider, key, options.timeoutMs);
      added.push({ keyId, keyProviderId: provider.id, wrapped: Buffer.from(wrapped), createdAt: options.clock.now() });
      sealedBy.push(provider);
    } catch (error) {
      warnings.push(`${provider.description} could not also protect your credentials: ${reasonOf(error)}`);
    }
  }
  if (added.length > 0 || removed.length > 0) replaceDataKeyWrappings(options.db, keyId, added, removed);
  if (removed.length > 0) options.logger.info('removed data key wrappings no longer allowed', { keyId, removed });
  const wrappedBy = [...new Set([...forKey.map((w) => w.keyProviderId), ...added.map((w) => w.keyProviderId)])].filter(
    (id) => !removed.includes(id),
  );
  return { dataKey, sealedBy, wrappedBy, warnings };
}

/**
 * A protection is no longer allowed: whoever copied it while it was (a `master.key` taken while
 * the command line shared the credentials) still holds a key that opens the data key. So the
 * data key itself is replaced: a new one, wrapped by every allowed protection that can, every row
 * re-sealed under it, the old one deleted, in one transaction (sqlite/rekey.ts). Returns null
 * when no allowed protection could wrap a new key; the caller then only removes the wrappings.
 */
async function rekeyWithout(
  options: UnlockOptions,
  old: DataKey,
  removed: readonly string[],
  warnings: string[],
): Promise<UnlockedDataKey | null> {
  const fresh = generateDataKey();
  const wrappings: DataKeyWrapping[] = [];
  const sealedBy: KeyProvider[] = [];
  const failures: string[] = [];
  for (const provider of options.providers) {
    try {
      const wrapped = await wrapTimed(provider, fresh.key, options.timeoutMs);
      wrappings.push({
        keyId: fresh.id,
        keyProviderId: provider.id,
        wrapped: Buffer.from(wrapped),
        createdAt: options.clock.now(),
      });
      sealedBy.push(provider);
    } catch (error) {
      failures.push(`${provider.description} could not also protect your credentials: ${reasonOf(error)}`);
    }
  }
  const outcome = sealedBy.length === 0 ? null : rekeyCredentials(options.db, old, fresh, wrappings);
  if (outcome === null) {
    fresh.key.fill(0);
    warnings.push(
      'Your credentials could not be moved to a new key after a protection was turned off; a copy of that protection made earlier can still open them.',
    );
    return null;
  }
  old.key.fill(0);
  warnings.push(...failures);
  options.logger.info('replaced the data key after a protection was turned off', {
    keyId: fresh.id,
    removed,
    keyProviders: sealedBy.map((p) => p.id),
    resealed: outcome.resealed,
    unopenable: outcome.unopenable,
  });
  return { dataKey: fresh, sealedBy, wrappedBy: sealedBy.map((p) => p.id), warnings };
}

/** When the app and the command line each hold the data under their own protection: how to share it. */
function sharingHint(forKey: readonly DataKeyWrapping[], providers: readonly KeyProvider[]): string {
  const isOs = (id: string): boolean => id.startsWith('safe-storage:');
  const sealedByApp = forKey.every((w) => isOs(w.keyProviderId));
  const openingAsApp = providers.some((p) => isOs(p.id));
  const setting = '“Let the command line use these credentials” in The Maestro’s Settings, then restart the app';
  if (sealedByApp && !openingAsApp)
    return ` They were saved by the desktop app under the system keychain; to use them here, turn on ${setting}.`;
  if (!sealedByApp && openingAsApp)
    return ` They were saved by the command line; to open them in the app, turn on ${setting}.`;
  return '';
}

/** A protection as a person knows it, for one that is not available here (so no description of it is at hand). */
function protectionName(keyProviderId: string): string {
  if (keyProviderId.startsWith('safe-storage:'))
    return `the system secret storage (${keyProviderId.slice('safe-storage:'.length)})`;
  if (keyProviderId === 'file') return 'a key file (master.key)';
  if (keyProviderId === 'env') return 'the key in THE_MAESTRO_MASTER_KEY';
  if (keyProviderId === 'memory') return 'a key held in memory';
  return keyProviderId;
}

/** One sentence per failed protection, ending with one period: a provider's own message names it already; anything else is prefixed with its name. */
function failureSentence(provider: KeyProvider, error: unknown): string {
  const reason = reasonOf(error).trim().replace(/\.+$/, '');
  const named = error instanceof AuthError ? reason : `${provider.description}: ${reason}`;
  return `${named.charAt(0).toUpperCase()}${named.slice(1)}.`;
}

function cannotOpen(
  forKey: readonly DataKeyWrapping[],
  providers: readonly KeyProvider[],
  failures: readonly string[],
): AuthError {
  const sealedWith = [...new Set(forKey.map((w) => protectionName(w.keyProviderId)))].join(' or ');
  const available = providers.map((p) => p.description).join(' or ');
  const keep = 'Nothing was changed.';
  // Lead with what went wrong when a protection was tried: it usually says what to do (e.g. chmod 600).
  const message =
    failures.length > 0
      ? `Your stored credentials cannot be opened. ${failures.join(' ')} ${keep}`
      : `Your stored credentials are protected by ${sealedWith}, which is not available here (available: ${available}). ${keep}${sharingHint(forKey, providers)}`;
  return AuthError.of('encryption_unavailable', message);
}

/**
 * Produces the store's data key: opens the existing one, or creates one when none exists.
 * Never creates a new key while an existing one cannot be opened: that is `encryption_unavailable`.
 */
export async function unlockDataKey(options: UnlockOptions): Promise<UnlockedDataKey> {
  if (options.providers.length === 0) throw AuthError.of('internal', 'unlockDataKey needs at least one key provider.');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const existing = listDataKeyWrappings(options.db);
    if (existing.length > 0) return openDataKey(options, existing);
    const created = await createDataKey(options);
    if (created !== null) return created;
  }
  throw AuthError.of('storage_error', 'The data key could not be set up: another process keeps changing it.');
}
