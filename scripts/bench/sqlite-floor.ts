/**
 * The floor of any start-up that reads this database: load better-sqlite3 (bundled, as the core
 * is), open the file in WAL mode, run one SELECT, exit. The cold-start benchmark times it beside
 * the core to show how much of a start-up is SQLite's own price.
 */
import Database from 'better-sqlite3';

// argv: <dataDir> <addon>: the native addon's path, found by the parent (the floor pays nothing for it).
const [dataDir, addon] = process.argv.slice(2);
if (dataDir === undefined || addon === undefined) throw new Error('usage: sqlite-floor <dataDir> <addon>');
const db = new Database(`${dataDir}/maestro.db`, { nativeBinding: addon });
db.pragma('journal_mode = WAL');
db.prepare('SELECT count(*) FROM provider_credentials').pluck().get();
db.close();
