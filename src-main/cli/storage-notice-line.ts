/** How every command but `status` repeats a storage notice on stderr, one line each, until acknowledged. */
export function storageNoticeLine(notice: string): string {
  return `the-maestro: warning: ${notice} (\`the-maestro status --acknowledge\` stops this message)\n`;
}

/** What `status --acknowledge` prints, whether the store was opened here or an agent acknowledged. */
export function acknowledgedLine(count: number): string {
  return count > 0 ? 'Storage notice acknowledged.\n' : 'There was no storage notice.\n';
}
