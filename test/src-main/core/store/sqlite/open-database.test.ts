import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../support/manual-clock.js';
import {
  DEFAULT_USER_ID,
  MIGRATIONS,
  runMigrations,
  userVersion,
  type Migration,
} from '../../../../../src-main/core/store/sqlite/migrations.js';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { BUSY_TIMEOUT_MS } from '../../../../../src-main/core/store/sqlite/pragmas.js';
import { isAuthError } from '../../../../../src-main/core/auth-error.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';
import { credentialListQuery } from '../../../../../src-main/core/store/sqlite/credential-list-query.js';

const LATEST = MIGRATIONS.at(-1)?.version ?? 0;

function tables(db: Database.Database): string[] {
  return db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
}

/** A real database with some pages, so truncation cuts through data. */
function writeHealthyDatabase(file: string): void {
  const { db } = openDatabase({ file });
  const insert = db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?)');
  for (let i = 0; i < 200; i += 1) insert.run(`key-${i}`, JSON.stringify('x'.repeat(200)));
  db.close();
}

describe('openDatabase', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 12, 0, 0));
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, 'maestro.db');
  });
  afterEach(() => temp.remove());

  it('sets WAL, synchronous=FULL, secure_delete, foreign keys and a busy timeout', () => {
    const { db, warnings } = openDatabase({ file, clock });
    expect(warnings).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    db.close();
  });

  it.skipIf(process.platform === 'win32')('keeps the database and its -wal/-shm readable by their owner alone', () => {
    const { db } = openDatabase({ file, clock });
    db.prepare('INSERT INTO app_state (key, value) VALUES (?, ?)').run('k', '1');
    for (const name of ['maestro.db', 'maestro.db-wal', 'maestro.db-shm']) {
      expect((statSync(join(temp.dir, name)).mode & 0o777).toString(8)).toBe('600');
    }
    db.close();
    chmodSync(file, 0o644);
    openDatabase({ file, clock }).db.close();
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  });

  it('creates the schema and the default local user once', () => {
    const first = openDatabase({ file, clock }).db;
    expect(tables(first)).toEqual(['app_state', 'data_keys', 'leases', 'model_cache', 'provider_credentials', 'users']);
    expect(userVersion(first)).toBe(MIGRATIONS.at(-1)?.version);
    first.close();
    const again = openDatabase({ file, clock }).db;
    expect(again.prepare('SELECT id, name, created_at FROM users').all()).toEqual([
      { id: DEFAULT_USER_ID, name: 'Local user', created_at: clock.now() },
    ]);
    again.close();
  });

  it('enforces the method check and the foreign key to users', () => {
    const { db } = openDatabase({ file, clock });
    const insert = db.prepare(
      `INSERT INTO provider_credentials (id, user_id, provider, auth_method, account_label, credentials, generation, key_id, created_at, updated_at)
       VALUES (?, ?, 'anthropic', ?, 'default', x'00', 1, 'k', 0, 0)`,
    );
    expect(() => insert.run('a', DEFAULT_USER_ID, 'password')).toThrow(/CHECK/);
    expect(() => insert.run('b', 'nobody', 'api_key')).toThrow(/FOREIGN KEY/);
    insert.run('c', DEFAULT_USER_ID, 'api_key');
    expect(() => insert.run('d', DEFAULT_USER_ID, 'api_key')).toThrow(/UNIQUE/);
    db.close();
  });

  it('runs each migration atomically: a failing step leaves no trace and the version unchanged', () => {
    const failing: Migration[] = [
      ...MIGRATIONS,
      {
        version: LATEST + 1,
        description: 'half done then fails',
        up: (db) => {
          db.exec('CREATE TABLE half_done (x INTEGER)');
          db.exec("INSERT INTO app_state (key, value) VALUES ('migrated', 'true')");
          throw new Error('power cut');
        },
      },
    ];
    const db = new Database(file);
    expect(() => runMigrations(db, clock.now(), failing)).toThrow('power cut');
    expect(userVersion(db)).toBe(LATEST);
    expect(tables(db)).not.toContain('half_done');
    expect(db.prepare("SELECT count(*) FROM app_state WHERE key = 'migrated'").pluck().get()).toBe(0);
    db.close();
  });

  it('lists credential metadata from a covering index, never reading the rows that hold the sealed secrets', () => {
    const { db } = openDatabase({ file, clock });
    for (const filter of [{}, { provider: 'openai' }, { provider: 'openai', accountLabel: 'work' }]) {
      const { sql, params } = credentialListQuery(DEFAULT_USER_ID, filter);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join('; ');
      expect(plan).toMatch(/USING COVERING INDEX provider_credentials_listing/);
    }
    db.close();
  });

  it('upgrades a version 1 database in place, keeping its rows', () => {
    const v1 = new Database(file);
    runMigrations(v1, clock.now(), MIGRATIONS.slice(0, 1));
    v1.prepare(
      `INSERT INTO provider_credentials (id, user_id, provider, auth_method, account_label, credentials, generation, key_id, created_at, updated_at)
       VALUES ('c1', ?, 'openai', 'oauth', 'work', x'0102', 1, 'k', 5, 6)`,
    ).run(DEFAULT_USER_ID);
    v1.close();
    const { db } = openDatabase({ file, clock });
    expect(userVersion(db)).toBe(LATEST);
    expect(db.prepare('SELECT id, account_label, credentials FROM provider_credentials').all()).toEqual([
      { id: 'c1', account_label: 'work', credentials: Buffer.from([1, 2]) },
    ]);
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'provider_credentials' AND sql IS NOT NULL",
      )
      .pluck()
      .all();
    expect([...indexes].sort()).toEqual(['provider_credentials_legacy_aad', 'provider_credentials_listing']);
    db.close();
  });

  it('refuses, without touching it, a database written by a newer version of the app', () => {
    openDatabase({ file, clock }).db.close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const before = readFileSync(file);
    let error: unknown;
    try {
      openDatabase({ file, clock });
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error, 'storage_error')).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(temp.dir).filter((n) => n.includes('corrupt'))).toEqual([]);
  });

  it('moves a file that is not a database aside, starts fresh and says where the old file is', () => {
    const garbage = Buffer.from('this is not a database, it is a shopping list '.repeat(200));
    writeFileSync(file, garbage);
    writeFileSync(`${file}-wal`, 'stale wal');
    const { db, warnings } = openDatabase({ file, clock });
    const movedTo = `${file}.corrupt-20261124T120000000Z`;
    expect(readFileSync(movedTo).equals(garbage)).toBe(true);
    expect(readFileSync(`${movedTo}-wal`, 'utf8')).toBe('stale wal');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(movedTo);
    expect(warnings[0]).toMatch(/damaged/);
    expect(tables(db)).toContain('provider_credentials');
    db.close();
  });

  it('moves a truncated database aside and keeps earlier corrupt copies', () => {
    writeHealthyDatabase(file);
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));
    const truncated = readFileSync(file);
    const first = openDatabase({ file, clock });
    expect(first.warnings).toHaveLength(1);
    first.db.close();
    writeFileSync(file, 'garbage again'.repeat(100));
    const second = openDatabase({ file, clock });
    second.db.close();
    const moved = readdirSync(temp.dir)
      .filter((n) => n.includes('.corrupt-') && !n.endsWith('-wal') && !n.endsWith('-shm'))
      .sort();
    expect(moved).toEqual(['maestro.db.corrupt-20261124T120000000Z', 'maestro.db.corrupt-20261124T120000000Z-1']);
    expect(readFileSync(join(temp.dir, moved[0] ?? '')).equals(truncated)).toBe(true);
    expect(second.warnings[0]).toContain('corrupt-20261124T120000000Z-1');
  });

  it('reports an unopenable path as storage_error and moves nothing', () => {
    const blocked = join(temp.dir, 'blocked.db');
    mkdirSync(blocked);
    let error: unknown;
    try {
      openDatabase({ file: blocked, clock });
    } catch (e) {
      error = e;
    }
    expect(isAuthError(error, 'storage_error')).toBe(true);
    expect(readdirSync(temp.dir)).toEqual(['blocked.db']);
  });

  it('keeps an in-memory database off the disk', () => {
    const { db } = openDatabase({ file: ':memory:', clock });
    expect(db.memory).toBe(true);
    expect(tables(db)).toContain('provider_credentials');
    db.close();
    expect(existsSync(join(temp.dir, ':memory:'))).toBe(false);
  });
});
