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
 * direct run would: `notices` on every answer, and `acknowledge`. (`status` needs nothing here:
 * the core's status reads the pending notices each time.) Without a source (credentials kept in
 * memory) there is never a notice.
 */
export class ForwardedNotices {
  constructor(private readonly source: StorageNoticeSource | undefined) {}

  /** The notices still to be told, read from the database (one indexed read). */
  pending(): readonly string[] {
    return this.source?.storageNotices() ?? [];
  }

  /** Forgets them for every process; returns how many there were. */
  acknowledge(): number {
    return this.source?.acknowledgeStorageNotices() ?? 0;
  }
}
