import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PkceFlowManager } from '../../../../src-main/core/oauth/flow-manager.js';
import { startOidcServer, type OidcServer } from '../../../fakes/oauth-server.js';
import { expireAccessToken, oauthSecretOf, openaiStyle, openTestStore, signIn } from './support/oauth-test-kit.js';

/**
 * Two real processes sharing one data directory refresh the same expired credential at the same
 * moment: one token request in total, and both end with the same new access token.
 */

const CHILD = fileURLToPath(new URL('./support/refresh-child.ts', import.meta.url));
const ROUNDS = process.env['THE_MAESTRO_LONG'] === '1' ? 10 : 2;
let oidc: OidcServer;

beforeAll(async () => {
  oidc = await startOidcServer();
});
afterAll(async () => {
  await oidc.close();
});

interface ChildResult {
  readonly ok: boolean;
  readonly accessTokenSha256?: string;
  readonly generation?: number;
  readonly error?: string;
}

async function startChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let buffer = '';
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const waiter = waiters.shift();
      if (waiter !== undefined) waiter(line);
      else queue.push(line);
    }
  });
  const lines: AsyncIterator<string> = {
    next: () =>
      new Promise((resolve) => {
        const queued = queue.shift();
        if (queued !== undefined) resolve({ value: queued, done: false });
        else waiters.push((line) => resolve({ value: line, done: false }));
      }),
  };
  return { child, lines };
}

it('two processes sharing a data directory make one refresh and both get the new token', async () => {
  const masterKey = randomBytes(32);
  const kit = await openTestStore({ masterKey });
  try {
    const manager = new PkceFlowManager({ store: kit.store });
    const id = await signIn(manager, openaiStyle(oidc));
    await manager.dispose();
    for (let round = 0; round < ROUNDS; round += 1) {
      expireAccessToken(kit.store, id);
      oidc.resetCounters();
      const env = {
        CHILD_DATA_DIR: kit.dataDir,
        CHILD_MASTER_KEY: masterKey.toString('hex'),
        CHILD_ISSUER: oidc.issuer,
        CHILD_CREDENTIAL_ID: id,
      };
      const children = await Promise.all([startChild(env), startChild(env)]);
      for (const { lines } of children) expect((await lines.next()).value).toBe('ready');
      for (const { child } of children) child.stdin.write('go\n');
      const results = await Promise.all(
        children.map(async ({ lines }) => JSON.parse((await lines.next()).value as string) as ChildResult),
      );
      await Promise.all(
        children.filter(({ child }) => child.exitCode === null).map(({ child }) => once(child, 'exit')),
      );

      expect(results.map((result) => result.ok)).toEqual([true, true]);
      expect(oidc.counters.tokenRequests).toBe(1);
      const stored = oauthSecretOf(kit.store, id);
      const storedDigest = createHash('sha256').update(stored.accessToken).digest('hex');
      expect(results.map((result) => result.accessTokenSha256)).toEqual([storedDigest, storedDigest]);
      expect(await oidc.accessTokenWorks(stored.accessToken)).toBe(true);
    }
  } finally {
    kit.dispose();
  }
}, 60_000);
