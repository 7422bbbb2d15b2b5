import type { StatusView } from '../../src-shared/view-models.js';

/**
 * Where the agent reads the storage notices (issue 15's "the database was damaged and moved
 * aside"): the credential store the agent serves. The notices live in the database, so every
 * process sees the same ones until one acknowledges them.
 */
export interface StorageNoticeSource {
  storageNotices(): readonly string[];
  acknowledgeStorageNotices(): number;
}

/**
 * What the agent tells its clients about storage notices, so a command it answers says what a
 * direct run would: `notices` on every answer, `status` with the notices as they are now, and
 * `acknowledge`. Without a source (credentials kept in memory) there is never a notice.
 */
export class ForwardedNotices {
  /** The notices the core put into its status when it opened; they leave it once acknowledged. */
  private readonly atOpen: ReadonlySet<string>;

  constructor(private readonly source: StorageNoticeSource | undefined) {
    this.atOpen = new Set(source?.storageNotices() ?? []);
  }

  /** The notices still to be told, read from the database (one indexed read). */
  pending(): readonly string[] {
    return this.source?.storageNotices() ?? [];
  }

  /** Forgets them for every process; returns how many there were. */
  acknowledge(): number {
    return this.source?.acknowledgeStorageNotices() ?? 0;
  }

  /** The status with its storage warnings as they are now: acknowledged notices gone, new ones added. */
  liveStatus(status: StatusView, pending: readonly string[]): StatusView {
    const kept = status.storage.warnings.filter((warning) => !this.atOpen.has(warning) || pending.includes(warning));
    const added = pending.filter((notice) => !kept.includes(notice));
    if (added.length === 0 && kept.length === status.storage.warnings.length) return status;
    return { ...status, storage: { ...status.storage, warnings: [...kept, ...added] } };
  }
}
