import { join } from 'node:path';
import type { ProtectionLevel, StorageProtectionView } from '../../../src-shared/view-models.js';
import { systemClock, type Clock } from '../clock.js';
import { prepareDataDir } from './data-dir.js';
import { countCredentialRows, listDataKeyWrappings } from './sqlite/data-key-table.js';
import { resealLegacyRows } from './sqlite/credential-table.js';
import { openDatabase } from './sqlite/open-database.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import { generateDataKey } from './envelope.js';
import type { KeyProvider } from './key-provider.js';
import { unlockDataKey } from './key-providers/data-key-unlock.js';
import { SqliteCredentialStore } from './sqlite/sqlite-store.js';

export { defaultCliKeyProviders } from './key-providers/default-cli-key-providers.js';

/** The database file inside the data directory. */
export const DATABASE_FILE = 'maestro.db';

export interface OpenStoreOptions {
  /** Created with mode 0700 if missing. */
  readonly dataDir: string;
  /** Every protection the person allows; the first is the primary. */
  readonly keyProviders: readonly KeyProvider[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Upper bound for each key provider call (a hanging keyring). Default 5000 ms. */
  readonly keyProviderTimeoutMs?: number;
  /** Keep credentials in an in-memory database only (no persistent protection available or wanted). */
  readonly memoryOnly?: boolean;
  /**
   * `keyProviders` is everything the person allows (the app, which owns the settings): wrappings
   * of the data key by any other protection are removed when the store opens.
   */
  readonly exclusiveKeyProviders?: boolean;
}

export interface OpenedStore {
  readonly store: SqliteCredentialStore;
  readonly protection: StorageProtectionView;
  readonly warnings: string[];
}

const STRENGTH: Readonly<Record<ProtectionLevel, number>> = {
  weak: 0,
  memory_only: 1,
  env_key: 2,
  key_file: 2,
  os_keychain: 3,
};

/** What a wrapping by a protection this process was not given is worth, judged by its id alone. */
function wrappingProtection(id: string): { readonly protection: ProtectionLevel; readonly description: string } {
  if (id === 'file') return { protection: 'key_file', description: 'the command line’s key file (master.key)' };
  if (id === 'env') return { protection: 'env_key', description: 'the THE_MAESTRO_MASTER_KEY variable' };
  if (id.startsWith('safe-storage:')) {
    const backend = id.slice('safe-storage:'.length);
    const weak = backend === 'basic_text' || backend === 'unknown';
    return { protection: weak ? 'weak' : 'os_keychain', description: `the system secret storage (${backend})` };
  }
  // Not a protection this program knows: assume the worst.
  return { protection: 'weak', description: `an unknown protection (${id})` };
}

/**
 * The weakest of the protections holding a copy of the data key is what the data is worth: every
 * wrapping in the database counts, not only the ones the settings allow now.
 */
function persistentProtection(
  sealedBy: readonly KeyProvider[],
  wrappedBy: readonly string[],
  warnings: readonly string[],
): StorageProtectionView {
  const holders = wrappedBy.map((id) => sealedBy.find((p) => p.id === id) ?? wrappingProtection(id));
  const weakest = [...holders].sort((a, b) => STRENGTH[a.protection] - STRENGTH[b.protection])[0];
  return {
    level: weakest?.protection ?? 'weak',
    persistent: true,
    description: `Credentials are encrypted on disk; their key is protected by ${holders.map((p) => p.description).join(' and by ')}.`,
    warnings,
  };
}

/**
 * Opens the credential store in `dataDir`: the database (moving a damaged one aside), the data
 * key (opened with the first allowed provider that can, created when none exists, never replaced
 * while data sealed with it exists), and a description of the protection credentials have.
 * With `memoryOnly` or no key providers, credentials live in an in-memory database only; the
 * non-secret state (model cache, preferences, leases) stays on disk.
 */
export async function openCredentialStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  prepareDataDir(options.dataDir);
  const { db, warnings } = openDatabase({ file: join(options.dataDir, DATABASE_FILE), clock, logger });
  try {
    if (options.memoryOnly === true || options.keyProviders.length === 0) {
      const secretDb = openDatabase({ file: ':memory:', clock, logger }).db;
      const earlier = countCredentialRows(db);
      if (earlier > 0) {
        const onDisk = [...new Set(listDataKeyWrappings(db).map((w) => w.keyProviderId))].map(wrappingProtection);
        const weak = onDisk.filter((p) => p.protection === 'weak').map((p) => p.description);
        const exposed =
          weak.length > 0
            ? ` They stay on disk protected only by ${weak.join(' and ')}, which does not keep them secret.`
            : '';
        warnings.push(
          `${earlier} credential(s) saved earlier with disk protection are not available while credentials are kept in memory only; they are kept unchanged.${exposed}`,
        );
      }
      const store = new SqliteCredentialStore({ db, secretDb, dataKey: generateDataKey(), clock, logger });
      const protection: StorageProtectionView = {
        level: 'memory_only',
        persistent: false,
        description: 'Credentials are kept in memory only and are forgotten when The Maestro quits.',
        warnings,
      };
      return { store, protection, warnings };
    }
    const unlocked = await unlockDataKey({
      db,
      providers: options.keyProviders,
      timeoutMs: options.keyProviderTimeoutMs ?? 5000,
      clock,
      logger,
      ...(options.exclusiveKeyProviders === true ? { exclusive: true } : {}),
    });
    warnings.push(...unlocked.warnings);
    const resealed = resealLegacyRows(db, unlocked.dataKey);
    if (resealed > 0) logger.info('re-sealed credentials bound the old way', { rows: resealed });
    const store = new SqliteCredentialStore({ db, dataKey: unlocked.dataKey, clock, logger });
    const protection = persistentProtection(unlocked.sealedBy, unlocked.wrappedBy, warnings);
    logger.info('credential store opened', {
      level: protection.level,
      keyProviders: unlocked.wrappedBy,
      warnings: warnings.length,
    });
    return { store, protection, warnings };
  } catch (error) {
    db.close();
    throw error;
  }
}
