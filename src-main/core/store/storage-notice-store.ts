/**
 * What happened to the stored data that the person must be told until they say they have read
 * it (e.g. a damaged database moved aside), kept in the store so every process — the window, the
 * command line, another app instance — repeats it until one of them acknowledges it.
 */
export interface StorageNoticeStore {
  /** The pending notices, oldest first. */
  storageNotices(): string[];
  /** Forgets every pending notice; returns how many there were. */
  acknowledgeStorageNotices(): number;
}
