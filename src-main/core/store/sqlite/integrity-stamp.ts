import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * Remembers that the database passed `quick_check`, so that opening a file nobody changed since
 * does not read all of it again: the check reads every page, so start-up grew with the number of
 * credentials (10,000 of them: a 16 MB file, tens of milliseconds on every `the-maestro token`).
 * A change to the file or a non-empty write-ahead log (a write, a crash, damage) gives another
 * fingerprint, and the next open checks again. File timestamps are coarse (a few milliseconds), so
 * — like git's "racily clean" rule — a pass is remembered only for a file that had not changed for
 * SETTLED_MS before the check: a later change can then never keep the same timestamp.
 */
const SETTLED_MS = 2_000;

interface Fingerprint {
  readonly dev: string;
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  /** The write-ahead log's, when it holds anything (SQLite creates an empty one on open). */
  readonly wal: { readonly size: string; readonly mtimeNs: string } | null;
}

function stampFile(file: string): string {
  return `${file}.checked`;
}

function fingerprint(file: string): { readonly print: Fingerprint; readonly changedAtMs: number } | null {
  try {
    const db = statSync(file, { bigint: true });
    const wal = statSync(`${file}-wal`, { bigint: true, throwIfNoEntry: false });
    const walPrint =
      wal !== undefined && wal.size > 0n ? { size: String(wal.size), mtimeNs: String(wal.mtimeNs) } : null;
    const latest = [db.mtimeNs, db.ctimeNs, ...(wal !== undefined && wal.size > 0n ? [wal.mtimeNs] : [])].reduce(
      (a, b) => (a > b ? a : b),
    );
    return {
      print: {
        dev: String(db.dev),
        ino: String(db.ino),
        size: String(db.size),
        mtimeNs: String(db.mtimeNs),
        ctimeNs: String(db.ctimeNs),
        wal: walPrint,
      },
      changedAtMs: Number(latest / 1_000_000n),
    };
  } catch {
    return null;
  }
}

/** True when the file is exactly as it was when it last passed the check. */
export function passedUnchanged(file: string): boolean {
  const current = fingerprint(file);
  if (current === null) return false;
  try {
    return readFileSync(stampFile(file), 'utf8') === JSON.stringify(current.print);
  } catch {
    return false;
  }
}

/** Records a pass (best effort: without a stamp the next open simply checks again). */
export function rememberPassed(file: string, nowMs: number = Date.now()): void {
  const current = fingerprint(file);
  const stamp = stampFile(file);
  try {
    if (current === null || current.changedAtMs > nowMs - SETTLED_MS) {
      rmSync(stamp, { force: true });
      return;
    }
    const next = `${stamp}.next-${process.pid}`;
    writeFileSync(next, JSON.stringify(current.print), { mode: 0o600 });
    renameSync(next, stamp);
  } catch {
    // A read-only data directory or a race with another process: the next open checks again.
  }
}
