import Database from 'better-sqlite3';
import { headerLooksValid } from './corrupt-database.js';

/** What could be read back from a damaged database. */
export interface SalvageReport {
  /** Credential rows copied into the new database. */
  readonly credentialsKept: number;
  /** Credential rows the damaged file still showed a trace of (in the table or one of its indexes). */
  readonly credentialsSeen: number;
}

/** Copied in this order (a credential's user before the credential); leases are not worth keeping. */
const TABLES = ['users', 'data_keys', 'provider_credentials', 'model_cache', 'app_state'] as const;

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name);
}

/** Every rowid the table or any of its indexes still shows; each source that fails to read is skipped. */
function rowidsOf(db: Database.Database, table: string): number[] {
  const indexes = (db.pragma(`index_list(${table})`) as { name: string }[]).map((index) => index.name);
  const sources = [
    `SELECT rowid FROM ${table} NOT INDEXED`,
    ...indexes.map((i) => `SELECT rowid FROM ${table} INDEXED BY "${i}"`),
  ];
  const found = new Set<number>();
  for (const sql of sources) {
    try {
      for (const rowid of db.prepare(sql).pluck().iterate()) found.add(Number(rowid));
    } catch {
      // A damaged page ends this scan; what it returned before still counts.
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Copies every row that can still be read from the damaged database `damagedFile` (opened read
 * only, never changed) into `fresh`, row by row, so one damaged page loses only the rows on it.
 * Rows are copied by column name, so a damaged file of an older schema fills what it has. Best
 * effort: a file SQLite cannot open at all yields nothing.
 */
export function salvageInto(fresh: Database.Database, damagedFile: string, nativeBinding?: string): SalvageReport {
  if (!headerLooksValid(damagedFile)) return { credentialsKept: 0, credentialsSeen: 0 };
  let damaged: Database.Database;
  try {
    damaged = new Database(damagedFile, {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding !== undefined ? { nativeBinding } : {}),
    });
  } catch {
    return { credentialsKept: 0, credentialsSeen: 0 };
  }
  let credentialsKept = 0;
  let credentialsSeen = 0;
  try {
    const copy = fresh.transaction(() => {
      for (const table of TABLES) {
        let columns: string[];
        let rowids: number[];
        try {
          const present = new Set(columnsOf(damaged, table));
          columns = columnsOf(fresh, table).filter((column) => present.has(column));
          rowids = columns.length > 0 ? rowidsOf(damaged, table) : [];
        } catch {
          continue;
        }
        const list = columns.map((column) => `"${column}"`).join(', ');
        const read = damaged.prepare(`SELECT ${list} FROM ${table} NOT INDEXED WHERE rowid = ?`);
        const write = fresh.prepare(
          `INSERT OR IGNORE INTO ${table} (${list}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        if (table === 'provider_credentials') credentialsSeen = rowids.length;
        for (const rowid of rowids) {
          try {
            const row = read.raw().get(rowid) as unknown[] | undefined;
            if (row === undefined) continue;
            const changes = write.run(...row).changes;
            if (table === 'provider_credentials') credentialsKept += changes;
          } catch {
            // This row sits on a damaged page (or breaks a constraint): it is lost.
          }
        }
      }
    });
    copy.immediate();
  } catch {
    // Salvage is a bonus: the new database is usable whatever happened here.
  } finally {
    damaged.close();
  }
  return { credentialsKept, credentialsSeen };
}
