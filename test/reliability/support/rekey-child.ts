/**
 * Child process of the re-key crash test: opens the credential store the way the app does
 * (the given protections are everything allowed) with an environment master key as the app's own
 * protection, with or without the command line's key file. `share` adds the key file's wrapping;
 * `stop` removes it, which re-keys every row. Prints `opening` just before the store opens and
 * `done` once it has. Usage: rekey-child.ts <dataDir> <masterKeyHex> <share|stop>
 */
import { join } from 'node:path';
import { EnvKeyProvider } from '../../../src-main/core/store/key-providers/env-key-provider.js';
import { FileKeyProvider } from '../../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../../src-main/core/store/open-store.js';

const [dataDir, masterKey, mode] = process.argv.slice(2);
if (dataDir === undefined || masterKey === undefined || (mode !== 'share' && mode !== 'stop'))
  throw new Error('usage: rekey-child.ts <dataDir> <masterKeyHex> <share|stop>');
const app = new EnvKeyProvider(Buffer.from(masterKey, 'hex'));
const keyProviders = mode === 'share' ? [app, new FileKeyProvider(join(dataDir, 'master.key'))] : [app];
process.stdout.write('opening\n');
const opened = await openCredentialStore({ dataDir, keyProviders, exclusiveKeyProviders: true });
opened.store.close();
process.stdout.write(`done ${JSON.stringify(opened.warnings)}\n`);
