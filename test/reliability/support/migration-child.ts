/**
 * Child process of the migration crash test: opens a credential database with the real schema
 * history plus one artificial slow step (slow-migration.ts) and prints `migrating`
 * when the step begins; the test kills it halfway, or lets it finish (`done <version>`).
 * Usage: migration-child.ts <databaseFile> <rows>
 */
import { MIGRATIONS } from '../../../src-main/core/store/sqlite/migrations.js';
import { openDatabase } from '../../../src-main/core/store/sqlite/open-database.js';
import { slowMigration } from './slow-migration.js';

const [file, rows] = process.argv.slice(2);
if (file === undefined || rows === undefined) throw new Error('usage: migration-child.ts <databaseFile> <rows>');
const { db } = openDatabase({
  file,
  migrations: [...MIGRATIONS, slowMigration(Number(rows), () => process.stdout.write('migrating\n'))],
});
process.stdout.write(`done ${String(db.pragma('user_version', { simple: true }))}\n`);
db.close();
