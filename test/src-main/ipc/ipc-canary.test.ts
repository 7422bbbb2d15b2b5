/**
 * The promise "no view model ever carries a secret", tested end to end: a real core (real store,
 * real provider API against the fakes, real OAuth against the local authorization server) holds
 * canary credentials — stored API keys, an environment key, OAuth access and refresh tokens —
 * and every IPC channel is called while every pushed event is collected. None of the canaries
 * may appear in any reply or event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, type ChannelInput, type ChannelName } from '../../../src-shared/ipc-contract.js';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { forwardIpcEvents } from '../../../src-main/ipc/ipc-events.js';
import { createIpcHandlers, type IpcHandlers } from '../../../src-main/ipc/ipc-handlers.js';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import { SealedGatewayKey } from '../../../src-main/gateway/gateway-key.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { completeInBrowser, deliverToLoopback } from '../../fakes/browser-login.js';
import {
  startAnthropicApi,
  startGoogleApi,
  startOpenAiApi,
  type FakeAnthropicApi,
  type FakeGoogleApi,
  type FakeOpenAiApi,
} from '../../fakes/index.js';
import {
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  startOidcServer,
  type OidcServer,
} from '../../fakes/oauth-server.js';

const CANARY = {
  anthropicDefault: 'sk-ant-api03-CANARY-default-7f3c9a1b2d4e',
  anthropicWork: 'sk-ant-api03-CANARY-work-5e8d7c6b4a3f',
  openaiEnv: 'sk-proj-CANARY-environment-1a2b3c4d5e6f',
} as const;

/** A secret leaks if it appears whole, or all but the last four characters (which masks may show). */
function leaks(haystack: string, secret: string): boolean {
  return haystack.includes(secret) || haystack.includes(secret.slice(0, -4));
}

describe('no secret crosses IPC', () => {
  let dir: string;
  let core: Core;
  let handlers: IpcHandlers;
  let gateway: GatewayController;
  let gatewayKey: SealedGatewayKey;
  /** What main wrote to the clipboard ("Copy gateway key"): the key goes there, never into a reply. */
  const clipboard: string[] = [];
  const gatewayKeys: string[] = [];
  let fakes: [FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi];
  let oidc: OidcServer;
  const events: unknown[] = [];
  const replies: unknown[] = [];
  const called = new Set<ChannelName>();
  let stopEvents: () => void = () => undefined;

  const call = async <C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<unknown> => {
    const reply = await handlers[channel](input);
    called.add(channel);
    replies.push({ channel, reply });
    return reply;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-canary-'));
    fakes = await Promise.all([
      startAnthropicApi({ validKeys: [CANARY.anthropicDefault, CANARY.anthropicWork] }),
      startGoogleApi(),
      startOpenAiApi({ validKeys: [CANARY.openaiEnv] }),
    ]);
    oidc = await startOidcServer();
    const env: NodeJS.ProcessEnv = {
      THE_MAESTRO_ANTHROPIC_API_BASE_URL: fakes[0].url,
      THE_MAESTRO_GOOGLE_API_BASE_URL: fakes[1].url,
      THE_MAESTRO_OPENAI_API_BASE_URL: fakes[2].url,
      OPENAI_API_KEY: CANARY.openaiEnv,
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_GOOGLE_OAUTH_ISSUER: oidc.issuer,
      GOOGLE_OAUTH_CLIENT_ID: GOOGLE_STYLE_CLIENT_ID,
      GOOGLE_OAUTH_CLIENT_SECRET: GOOGLE_STYLE_CLIENT_SECRET,
    };
    core = await createCore({ dataDir: dir, env, purpose: 'test' });
    gatewayKey = new SealedGatewayKey(core.store);
    gateway = new GatewayController({ credentials: core.auth, key: gatewayKey });
    handlers = createIpcHandlers({
      auth: core.auth,
      preferences: new FilePreferencesStore(join(dir, 'preferences.json')),
      openExternal: async () => true,
      gateway,
      writeClipboard: async (text) => {
        clipboard.push(text);
      },
    });
    stopEvents = forwardIpcEvents(core.auth, (event, payload) => events.push({ event, payload }));
  });

  afterAll(async () => {
    await gateway.dispose();
    stopEvents();
    await core.dispose();
    await Promise.all([...fakes.map((fake) => fake.close()), oidc.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds no canary in any reply or pushed event after every channel has been called', async () => {
    await call('auth.saveApiKey', { provider: 'anthropic', apiKey: CANARY.anthropicDefault });
    await call('auth.saveApiKey', { provider: 'anthropic', apiKey: CANARY.anthropicWork, account: 'work' });
    await call('auth.saveApiKey', { provider: 'google', apiKey: 'AIza-not-a-valid-key-0000000000' });
    const started = (await call('auth.startOAuth', { provider: 'google' })) as {
      ok: true;
      value: { startUrl: string; flowId: string };
    };
    expect(started.ok).toBe(true);
    await deliverToLoopback(await completeInBrowser(started.value.startUrl));
    await expect
      .poll(() => events.some((entry) => (entry as { event: string }).event === 'auth.flowFinished'))
      .toBe(true);
    const second = (await call('auth.startOAuth', { provider: 'google', account: 'spare' })) as {
      ok: true;
      value: { flowId: string };
    };
    await call('auth.submitPastedCode', { flowId: second.value.flowId, pasted: 'not-the-code#not-the-state' });
    await call('auth.cancelOAuth', { flowId: second.value.flowId });

    for (const provider of ['anthropic', 'google', 'openai']) {
      await call('auth.validate', { provider });
      await call('models.list', { provider, refresh: true });
      await call('session.setActiveProvider', { provider });
    }
    await call('models.select', { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' });
    for (const provider of ['anthropic', 'google', 'openai']) await call('models.test', { provider });
    await call('plan.acknowledgeNotice', { provider: 'openai' });
    await call('storage.acknowledgeNotices', {});
    await call('accounts.rename', { provider: 'anthropic', from: 'work', to: 'office' });
    for (const provider of ['anthropic', 'google']) await call('accounts.list', { provider, offset: 0, limit: 5 });
    await call('providers.list', {});
    await call('session.get', {});
    await call('settings.get', {});
    await call('settings.update', { theme: 'dark', fallbackOrder: ['api_key', 'oauth', 'env'] });
    await call('gateway.setEnabled', { enabled: true });
    const gatewayUrl = gateway.status().url ?? '';
    await fetch(`${gatewayUrl}/anthropic/v1/models`, { headers: { 'x-api-key': gatewayKey.current() } });
    await call('gateway.get', {});
    await call('gateway.setPort', { port: null });
    gatewayKeys.push(gatewayKey.current());
    await call('gateway.copyKey', {});
    await call('gateway.rotateKey', { confirmed: true });
    gatewayKeys.push(gatewayKey.current());
    await call('gateway.copyKey', {});
    // The copies reached the clipboard, so the scan below looks for the very keys that were handed out.
    expect(clipboard).toEqual(gatewayKeys);
    expect(gatewayKeys[0]).not.toBe(gatewayKeys[1]);
    // No app executable here (as in web mode): refused, and nothing of a secret in the refusal.
    await call('cli.get', {});
    await call('cli.install', {});
    await call('cli.uninstall', {});
    await call('providers.getQuotaProject', { provider: 'google' });
    await call('providers.setQuotaProject', { provider: 'google', quotaProject: 'my-gemini-project' });
    await call('auth.logout', { provider: 'anthropic', account: 'office' });
    await call('session.get', {});

    // The OAuth tokens the core stored are canaries too: read them from the store itself.
    const oauthSecrets = core.store
      .list({ provider: 'google', authMethod: 'oauth' })
      .flatMap((meta) => {
        const opened = core.store.get(meta.id);
        return opened?.credential.kind === 'oauth'
          ? [opened.credential.accessToken, opened.credential.refreshToken ?? '']
          : [];
      })
      .filter((secret) => secret.length > 8);
    expect(oauthSecrets.length).toBeGreaterThanOrEqual(1);

    expect([...called].sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(events.length).toBeGreaterThan(3);
    const everything = JSON.stringify({ replies, events });
    for (const secret of [...Object.values(CANARY), ...oauthSecrets, ...gatewayKeys]) {
      expect(leaks(everything, secret), `a secret ending in ${secret.slice(-4)} crossed IPC`).toBe(false);
    }
    // The masks themselves are there: the test looks where secrets would be.
    expect(everything).toContain(CANARY.anthropicDefault.slice(-4));
  });
});
