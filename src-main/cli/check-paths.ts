import { statSync } from 'node:fs';
import { AuthError } from '../core/auth-error.js';

function kindOf(path: string): 'missing' | 'file' | 'folder' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

/**
 * Checks the paths a person named on the command line before anything is opened: a `--config`
 * that does not exist is a mistake to report (the default file may be absent, a named one not),
 * and a `--data-dir` must be a folder or not exist yet.
 */
export function checkNamedPaths(named: { readonly dataDir?: string; readonly configFile?: string }): void {
  if (named.configFile !== undefined) {
    const kind = kindOf(named.configFile);
    if (kind === 'missing')
      throw AuthError.of(
        'invalid_input',
        `The configuration file ${named.configFile} (given with --config) does not exist.`,
      );
    if (kind === 'folder')
      throw AuthError.of('invalid_input', `--config ${named.configFile} names a folder; it must name a JSON file.`);
  }
  if (named.dataDir !== undefined && kindOf(named.dataDir) === 'file')
    throw AuthError.of(
      'invalid_input',
      `--data-dir ${named.dataDir} names a file; it must name a folder (one that does not exist yet is created).`,
    );
}
