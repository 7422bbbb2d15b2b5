/** The artificial, slow schema step the migration crash test kills halfway (the version after the real ones). */
import { MIGRATIONS, type Migration } from '../../../src-main/core/store/sqlite/migrations.js';
import { sleepSync } from '../../support/storage/child-process.js';

/** The schema version the app's own migrations reach: what a killed slow step must leave. */
export const LATEST_REAL_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Name of the table the slow step fills. */
export const FILLER_TABLE = 'reliability_filler';

/** A step that creates and fills a table row by row, with pauses, then alters a real table. */
export function slowMigration(rows: number, announce: () => void = () => undefined): Migration {
  return {
    version: LATEST_REAL_VERSION + 1,
    description: 'reliability test: a slow step that writes many rows',
    up: (db) => {
      announce();
      db.exec(`CREATE TABLE ${FILLER_TABLE} (n INTEGER PRIMARY KEY, payload BLOB NOT NULL)`);
      const insert = db.prepare(`INSERT INTO ${FILLER_TABLE} (n, payload) VALUES (?, randomblob(2048))`);
      for (let n = 0; n < rows; n += 1) {
        insert.run(n);
        if (n % 50 === 0) sleepSync(10);
      }
      db.exec('ALTER TABLE provider_credentials ADD COLUMN reliability_note TEXT NULL');
    },
  };
}
