import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callAgent } from '../../../src-main/agent/agent-client.js';
import type { RunningAgent } from '../../../src-main/agent/agent-server.js';
import { startAgent } from '../../../src-main/agent/agent-server.js';
import type { ResolvedCredential } from '../../../src-main/core/auth-service.js';
import type { Core } from '../../../src-main/core/create-core.js';
import { createCore } from '../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../src-main/core/store/key-providers/memory-key-provider.js';
import { completeInBrowser } from '../../fakes/browser-login.js';
import type { OidcServer } from '../../fakes/oauth-server.js';
import { PUBLIC_CLIENT_ID, startOidcServer } from '../../fakes/oauth-server.js';
import { ManualClock } from '../../support/manual-clock.js';

/**
 * The agent over a real core and store, as `the-maestro agent` runs it: the store keeps what it
 * found and opened between changes (the agent's hot path), and still a token that is due is
 * refreshed once for a crowd of clients, and a token another process refreshed is answered at once.
 */
let oidc: OidcServer;
let dataDir: string;
let clock: ManualClock;
let core: Core;
let agent: RunningAgent;
const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });

function open(): Promise<Core> {
  return createCore({
    dataDir,
    env: {
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
      THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
    },
    keyProviders: [keyProvider],
    clock,
    purpose: 'test',
  });
}

async function tokens(count: number): Promise<string[]> {
  const calls = await Promise.all(
    Array.from({ length: count }, () => callAgent(agent.endpoint, { op: 'token', provider: 'openai' })),
  );
  return calls.map((call) => {
    if (call.kind !== 'answered') throw new Error(`the agent did not answer: ${call.kind}`);
    if (!call.response.ok) throw new Error(call.response.error.message);
    return (call.response.value as ResolvedCredential).secret;
  });
}

beforeAll(async () => {
  oidc = await startOidcServer({ accessTokenTtlSeconds: 3600 });
});
afterAll(() => oidc.close());

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-agent-core-'));
  clock = new ManualClock(Date.now());
  core = await open();
  const flow = await core.auth.startOAuth({ provider: 'openai', account: 'default' });
  if (!flow.ok) throw new Error(flow.error.message);
  const redirect = await completeInBrowser(flow.value.authorizationUrl);
  const done = await core.auth.submitPastedCode({ flowId: flow.value.flowId, pasted: redirect.href });
  if (!done.ok) throw new Error(done.error.message);
  agent = await startAgent({ dataDir, auth: core.auth });
  oidc.resetCounters();
});
afterEach(async () => {
  await agent.close();
  await core.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the agent over the real core', () => {
  it('refreshes a token that is due once for 200 concurrent clients, and answers the new one after', async () => {
    const [before] = await tokens(1);
    clock.advance(2 * 3600_000);
    const during = await tokens(200);
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
    expect(new Set(during).size).toBe(1);
    expect(during[0]).not.toBe(before);
    expect(await tokens(50)).toEqual(Array.from({ length: 50 }, () => during[0]));
    expect(oidc.counters.byGrant['refresh_token']).toBe(1);
  });

  it('answers the token another process refreshed at once, never the one it had before', async () => {
    const [before] = await tokens(3);
    const other = await open();
    try {
      const refreshed = await other.auth.resolve('openai', { forceRefresh: true });
      if (!refreshed.ok) throw new Error(refreshed.error.message);
      expect(refreshed.value.secret).not.toBe(before);
      // No wait: the very next request after the other process committed.
      expect(await tokens(1)).toEqual([refreshed.value.secret]);
    } finally {
      await other.dispose();
    }
  });
});
