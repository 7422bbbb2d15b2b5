import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../clock.js';
import { silentLogger, type Logger } from '../../../log/logger.js';
import { AuthError } from '../../auth-error.js';
import {
  DatabaseCorruptError,
  fileIdentity,
  headerLooksValid,
  isCorruptionError,
  moveAside,
} from './corrupt-database.js';
import { MIGRATIONS, NewerSchemaError, runMigrations, type Migration } from './migrations.js';
import { applyPragmas, passesQuickCheck } from './pragmas.js';
import { chooseSqliteAddon, isMuslProcess } from './sqlite-addon.js';
import { salvageInto } from './salvage.js';
import { pendingStorageNotices, recordStorageNotice } from './storage-notices.js';
import { passedUnchanged, rememberPassed } from './integrity-stamp.js';

export interface OpenDatabaseOptions {
  /** The database file, or `:memory:` for a database that never touches the disk. */
  readonly file: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Tests only: another schema history. */
  readonly migrations?: readonly Migration[];
}

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** Things the person should be told, e.g. that a damaged database was moved aside. */
  readonly warnings: string[];
}

/**
 * Makes the database file (and so its -wal and -shm, which SQLite creates with the same mode)
 * readable by its owner alone: it holds sealed secrets and, in clear, metadata such as masked
 * keys and account e-mails.
 */
function restrictToOwner(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

let addonPath: string | undefined;

/**
 * better-sqlite3's native addon for the running platform (chooseSqliteAddon says in which order
 * it is looked for), opened by path: its JavaScript is bundled into the app (loading it through
 * Node's module loader cost more than everything else at start-up), and inside a bundle its own
 * lookup would search beside the bundle instead.
 */
export function sqliteAddonPath(): string {
  if (addonPath !== undefined) return addonPath;
  const root =
    installedPackage('better-sqlite3') ??
    dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  addonPath = chooseSqliteAddon({
    // Set by Electron (the app, and the command line run by the app's executable); not by Node.
    resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
    platform: process.platform,
    arch: process.arch,
    musl: process.platform === 'linux' && isMuslProcess(() => readFileSync('/proc/self/maps', 'latin1')),
    packageRoot: root,
    exists: existsSync,
  });
  return addonPath;
}

/**
 * The folder of an installed package, found as Node's resolution would find it (the nearest
 * node_modules up from this module) but with a few stat calls: resolving through the CommonJS
 * loader costs a millisecond at start-up. Null when not found (the caller then asks the loader).
 */
function installedPackage(name: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Opens, configures, checks and migrates; closes the connection again if any step fails. */
function openChecked(file: string, now: number, migrations: readonly Migration[]): Database.Database {
  if (file !== ':memory:' && !headerLooksValid(file))
    throw new DatabaseCorruptError('the file is not a SQLite database');
  if (file !== ':memory:') restrictToOwner(file);
  const db = new Database(file, { nativeBinding: sqliteAddonPath() });
  try {
    applyPragmas(db);
    // A file unchanged since it last passed is not read through again (integrity-stamp.ts).
    if (!db.memory && !passedUnchanged(file)) {
      if (!passesQuickCheck(db)) throw new DatabaseCorruptError('the database failed its integrity check');
      rememberPassed(file);
    }
    runMigrations(db, now, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function storageError(file: string, error: unknown): AuthError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AuthError(
    { code: 'storage_error', message: `The credential database ${file} cannot be opened: ${reason}.` },
    { cause: error },
  );
}

/**
 * Builds the database that replaces a damaged one: migrated, holding every row that can still be
 * read from the damaged file, and the notice that every process repeats until it is
 * acknowledged. Null (nothing left behind) when it cannot be built.
 */
function buildReplacement(
  damaged: string,
  target: string,
  reason: string,
  now: number,
  migrations: readonly Migration[],
  logger: Logger,
): string | null {
  const replacement = `${damaged}.salvage-${randomBytes(6).toString('hex')}`;
  try {
    const db = openChecked(replacement, now, migrations);
    try {
      const { credentialsKept, credentialsSeen } = salvageInto(db, damaged, sqliteAddonPath());
      const kept =
        credentialsKept > 0
          ? `${credentialsKept} of the ${Math.max(credentialsSeen, credentialsKept)} stored credentials could still be read and were kept. Sign in again to any provider that is missing.`
          : 'No stored credential could be read from it. Sign in again to your providers.';
      recordStorageNotice(db, `The credential database was damaged (${reason}); it was moved to ${target}. ${kept}`);
      logger.warn('salvaged a damaged credential database', { credentialsKept, credentialsSeen });
    } finally {
      db.close();
    }
    return replacement;
  } catch (error) {
    logger.warn('could not salvage a damaged credential database', { error });
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(replacement + suffix, { force: true });
    return null;
  }
}

/**
 * Opens the credential database. A file that is not a database, is truncated or fails
 * `quick_check` is moved aside to `<file>.corrupt-<timestamp>` (never deleted) and replaced by a
 * new one holding every row that could still be read. Until the person acknowledges it, every
 * open returns the notice saying so (`warnings`). Other failures (busy, permissions, a newer
 * schema) leave the file alone and throw AuthError `storage_error`.
 */
export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const migrations = options.migrations ?? MIGRATIONS;
  // Which file was examined: a process starting at the same moment may replace it meanwhile.
  const examined = options.file === ':memory:' ? null : fileIdentity(options.file);
  try {
    const db = openChecked(options.file, clock.now(), migrations);
    return { db, warnings: db.memory ? [] : pendingStorageNotices(db) };
  } catch (error) {
    if (error instanceof NewerSchemaError || !isCorruptionError(error) || options.file === ':memory:') {
      throw storageError(options.file, error);
    }
    const reason = error instanceof Error ? error.message : String(error);
    const movedTo = moveAside(options.file, clock.now(), examined, (target) =>
      buildReplacement(options.file, target, reason, clock.now(), migrations, logger),
    );
    logger.warn('credential database moved aside', { file: options.file, movedTo: movedTo ?? 'by another process' });
    let db: Database.Database;
    try {
      db = openChecked(options.file, clock.now(), migrations);
    } catch (second) {
      throw storageError(options.file, second);
    }
    const warnings = pendingStorageNotices(db);
    if (warnings.length === 0) {
      // Moved aside without a salvaged replacement (or by another process that could not record it).
      const notice =
        movedTo !== null
          ? `The credential database was damaged (${reason}); it was moved to ${movedTo} and a new, empty one was created. Sign in again to your providers.`
          : `The credential database was damaged (${reason}); another The Maestro process starting at the same time moved it aside ` +
            `(${options.file}.corrupt-…) and a new one is in use. Sign in again to any provider that is missing.`;
      recordStorageNotice(db, notice);
      warnings.push(notice);
    }
    return { db, warnings };
  }
}
