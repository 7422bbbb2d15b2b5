/**
 * Child process of the secrets test: composes the real core on the test's data directory, uses
 * the stored credentials (resolve, validate against a provider that fails), then crashes with an
 * uncaught error whose cause is the core's own last error, the way a bug would end the app. The
 * test scans what Node prints. Usage: crash-output-child.ts <dataDir> <envJson>
 */
import { createCore } from '../../../src-main/core/create-core.js';
import { AuthError } from '../../../src-main/core/auth-error.js';

const [dataDir, envJson] = process.argv.slice(2);
if (dataDir === undefined || envJson === undefined) throw new Error('usage: crash-output-child.ts <dataDir> <envJson>');
const core = await createCore({ dataDir, env: JSON.parse(envJson) as NodeJS.ProcessEnv, purpose: 'test' });
const resolved = await Promise.all(['anthropic', 'google', 'openai'].map((provider) => core.auth.resolve(provider)));
const validated = await core.auth.validate({ provider: 'google' });
const lastError = validated.ok ? validated.value.lastError : validated.error;
process.stdout.write(`resolved ${resolved.filter((result) => result.ok).length}\n`);
throw new Error('The Maestro crashed while using its credentials', {
  cause: new AuthError(lastError ?? { code: 'internal', message: 'no error' }),
});
