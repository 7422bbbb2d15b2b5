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
 * How long the agent reuses the notices it read for the answers that follow: a burst of a thousand
 * answers costs a handful of reads instead of one each (each read asks SQLite whether the database
 * changed). A notice recorded or acknowledged by another process is on the answers within this
 * bound — the core's own for another process's change to derived state (EXTERNAL_VERSION_TTL_MS);
 * an `acknowledge` answered here is seen at once, and `status` warnings are read from the store.
 */
export const NOTICES_REUSE_MS = 10;

/**
 * What the agent tells its clients about storage notices, so a command it answers says what a
 * direct run would: `notices` on every answer, and `acknowledge`. (`status` needs nothing here:
 * the core's status reads the pending notices each time.) Without a source (credentials kept in
 * memory) there is never a notice.
 */
export class ForwardedNotices {
  private read: { readonly at: number; readonly notices: readonly string[] } | null = null;

  constructor(
    private readonly source: StorageNoticeSource | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The notices still to be told: read from the database, at most NOTICES_REUSE_MS ago. */
  pending(): readonly string[] {
    if (this.source === undefined) return [];
    const now = this.now();
    const read = this.read;
    if (read !== null && now >= read.at && now - read.at < NOTICES_REUSE_MS) return read.notices;
    const notices = this.source.storageNotices();
    this.read = { at: now, notices };
    return notices;
  }

  /** Forgets them for every process; returns how many there were. */
  acknowledge(): number {
    this.read = null;
    return this.source?.acknowledgeStorageNotices() ?? 0;
  }
}
