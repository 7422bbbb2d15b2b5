import type Database from 'better-sqlite3';
import { parseStoredJson } from './stored-json.js';

/** The `app_state` key holding what the person must be told until they acknowledge it. */
const NOTICES_KEY = 'storage.notices';

/** Notices recorded in the database (e.g. "the database was damaged and moved aside"), oldest first. */
export function pendingStorageNotices(db: Database.Database): string[] {
  const value = db.prepare<[string], string>('SELECT value FROM app_state WHERE key = ?').pluck().get(NOTICES_KEY);
  const parsed = value === undefined ? undefined : parseStoredJson(value);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

/** Records a notice every process opening this database repeats until it is acknowledged. */
export function recordStorageNotice(db: Database.Database, notice: string): void {
  db.transaction(() => {
    const notices = pendingStorageNotices(db);
    if (notices.includes(notice)) return;
    db.prepare(
      'INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(NOTICES_KEY, JSON.stringify([...notices, notice]));
  }).immediate();
}

/** Forgets the notices (the person has read them); returns how many there were. */
export function acknowledgeStorageNotices(db: Database.Database): number {
  const count = pendingStorageNotices(db).length;
  db.prepare('DELETE FROM app_state WHERE key = ?').run(NOTICES_KEY);
  return count;
}
