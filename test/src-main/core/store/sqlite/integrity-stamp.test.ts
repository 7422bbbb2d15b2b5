import { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../../../../src-main/core/store/sqlite/open-database.js';
import { passedUnchanged } from '../../../../../src-main/core/store/sqlite/integrity-stamp.js';
import { makeTempDir } from '../../../../support/storage/temp-dir.js';

let temp: ReturnType<typeof makeTempDir>;
let file: string;

/** A database with some rows, closed, its timestamps a minute in the past (a file at rest). */
function databaseAtRest(): void {
  const { db } = openDatabase({ file });
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let row = 0; row < 500; row += 1) insert.run('x'.repeat(200));
  })();
  db.close();
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(file, minuteAgo, minuteAgo);
}

beforeEach(() => {
  temp = makeTempDir('maestro-stamp-');
  file = join(temp.dir, 'maestro.db');
});
afterEach(() => {
  vi.useRealTimers();
  temp.remove();
});

describe('the integrity check at open', () => {
  it('is remembered for a file at rest, so an unchanged file is not read through again', () => {
    databaseAtRest();
    // utimes moved ctime to now: the file counts as at rest only a while later.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10_000 });
    openDatabase({ file }).db.close();
    expect(passedUnchanged(file)).toBe(true);
    expect(statSync(`${file}.checked`).mode & 0o777).toBe(0o600);
  });

  it('is not remembered for a file changed moments ago (timestamps are too coarse to trust)', () => {
    databaseAtRest();
    openDatabase({ file }).db.close();
    expect(passedUnchanged(file)).toBe(false);
    expect(existsSync(`${file}.checked`)).toBe(false);
  });

  it('runs again when a page was damaged in place, even with the old modification time put back', () => {
    databaseAtRest();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10_000 });
    openDatabase({ file }).db.close();
    expect(passedUnchanged(file)).toBe(true);
    vi.useRealTimers();

    const { mtime } = statSync(file);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3);
    closeSync(fd);
    utimesSync(file, mtime, mtime);
    expect(passedUnchanged(file)).toBe(false);

    const reopened = openDatabase({ file });
    reopened.db.close();
    expect(reopened.warnings).toEqual([expect.stringContaining('damaged')]);
    expect(readdirSync(temp.dir).some((name) => name.startsWith('maestro.db.corrupt-'))).toBe(true);
  });
});
