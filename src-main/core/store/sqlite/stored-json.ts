/** Parses JSON read back from a non-secret column; text that does not parse reads as absent (undefined). */
export function parseStoredJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not a secret and not ours to repair: treat as absent.
    return undefined;
  }
}
