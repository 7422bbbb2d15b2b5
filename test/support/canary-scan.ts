import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every encoding a careless write could leave a secret in. */
function encodings(secret: string): Buffer[] {
  const utf8 = Buffer.from(secret, 'utf8');
  return [
    utf8,
    Buffer.from(secret, 'utf16le'),
    Buffer.from(utf8.toString('base64')),
    Buffer.from(utf8.toString('base64url')),
    Buffer.from(utf8.toString('hex')),
  ];
}

/** Files under `dir` (recursively) that contain any canary in any encoding; `skip` names files to leave out (e.g. the master key). */
export function findCanaries(dir: string, canaries: readonly string[], skip: readonly string[] = []): string[] {
  const hits: string[] = [];
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      if (skip.includes(name)) continue;
      const bytes = readFileSync(full);
      for (const canary of canaries) {
        if (encodings(canary).some((needle) => bytes.includes(needle))) hits.push(`${full}: ${canary.slice(0, 12)}…`);
      }
    }
  };
  walk(dir);
  return hits;
}
