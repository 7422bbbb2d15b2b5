import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_TYPES } from '../renderer-policy.js';

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Maps a URL path to a file inside `root`, refusing anything that could leave it: encoded
 * separators, `..` segments, NUL bytes, dot-files, unknown file types. Returns null for all of
 * these and for files that do not exist.
 */
export async function readStaticFile(root: string, urlPath: string, indexFile: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const relative = segments.length === 0 ? indexFile : segments.join('/');
  const base = resolve(root);
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) return null;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (contentType === undefined) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
    return { body: await readFile(file), contentType };
  } catch {
    return null;
  }
}
