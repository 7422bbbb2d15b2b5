import { join } from 'node:path';
import type { KeyProvider } from '../key-provider.js';
import { EnvKeyProvider } from './env-key-provider.js';
import { FileKeyProvider, MASTER_KEY_FILE } from './file-key-provider.js';

/**
 * The command line's protection: `THE_MAESTRO_MASTER_KEY` when it is set (a malformed value is
 * AuthError `config_invalid`), otherwise a 0600 key file `<dataDir>/master.key`.
 */
export function defaultCliKeyProviders(
  dataDir: string,
  env: Readonly<Record<string, string | undefined>>,
): KeyProvider[] {
  const fromEnv = EnvKeyProvider.fromEnvironment(env);
  return fromEnv !== null ? [fromEnv] : [new FileKeyProvider(join(dataDir, MASTER_KEY_FILE))];
}
