import { join } from 'node:path';

/**
 * Where the agent for a data directory listens: a Unix domain socket inside the directory (whose
 * 0700 permissions keep everyone else out), or on Windows a named pipe whose name is derived from
 * the directory (pipes live in their own namespace).
 */
export function agentEndpoint(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\the-maestro-${fnv1a(dataDir.toLowerCase())}`;
  return join(dataDir, 'agent.sock');
}

/** Unix socket paths are limited to 104 bytes (macOS) / 108 (Linux), the terminating NUL included. */
export const MAX_SOCKET_PATH_BYTES = 103;

/** A short, stable, non-cryptographic hash (FNV-1a, 32 bits): the pipe name only needs to differ per directory. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
