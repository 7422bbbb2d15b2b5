import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, replySchema, type ChannelInput, type ChannelName } from '../../../src-shared/ipc-contract.js';
import { createDispatch } from '../../../src-main/ipc/ipc-dispatch.js';
import { forwardIpcEvents } from '../../../src-main/ipc/ipc-events.js';
import { createIpcHandlers, NO_DESKTOP_APP } from '../../../src-main/ipc/ipc-handlers.js';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import { CommandLineTool } from '../../../src-main/cli-install/command-line-tool.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { AuthError } from '../../../src-main/core/auth-error.js';
import { createAuthServiceDouble, providerView, statusView } from '../../support/auth-service-double.js';

/** One valid payload per channel: a compile error when a channel is added without one. */
const VALID: { readonly [C in ChannelName]: ChannelInput<C> } = {
  'providers.list': {},
  'auth.saveApiKey': { provider: 'anthropic', apiKey: 'sk-ant-api03-valid-key-0000', account: 'work', validate: true },
  'auth.startOAuth': { provider: 'google', account: 'personal', redirectMode: 'loopback' },
  'auth.submitPastedCode': { flowId: 'flow-1', pasted: 'code#state' },
  'auth.cancelOAuth': { flowId: 'flow-1' },
  'auth.logout': { provider: 'openai', account: 'default', method: 'api_key' },
  'auth.validate': { provider: 'openai', account: 'default' },
  'accounts.rename': { provider: 'anthropic', from: 'default', to: 'work' },
  'accounts.list': { provider: 'anthropic', offset: 0, limit: 20 },
  'session.get': {},
  'session.setActiveProvider': { provider: 'google', account: 'default' },
  'models.list': { provider: 'anthropic', refresh: true },
  'models.select': { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  'models.test': { provider: 'anthropic', model: 'claude-sonnet-4-5', account: 'default' },
  'plan.acknowledgeNotice': { provider: 'openai' },
  'storage.acknowledgeNotices': {},
  'settings.get': {},
  'settings.update': { theme: 'dark', closeToTray: false, fallbackOrder: ['api_key', 'oauth', 'env'] },
  'gateway.get': {},
  'gateway.setEnabled': { enabled: true },
  'gateway.setPort': { port: 18787 },
  'gateway.copyKey': {},
  'gateway.rotateKey': { confirmed: true },
  'cli.get': {},
  'cli.install': {},
  'cli.uninstall': {},
  'providers.getQuotaProject': { provider: 'google' },
  'providers.setQuotaProject': { provider: 'google', quotaProject: 'my-gemini-project' },
};

const HUGE = 'a'.repeat(100_000);

/** Payloads no channel may accept, with the field the refusal should name (if any). */
function malformed(
  channel: ChannelName,
): { readonly label: string; readonly payload: unknown; readonly field?: string }[] {
  const valid = VALID[channel] as Record<string, unknown>;
  const cases: { label: string; payload: unknown; field?: string }[] = [
    { label: 'null', payload: null },
    { label: 'a string', payload: 'providers' },
    { label: 'a number', payload: 42 },
    { label: 'an array', payload: [valid] },
    { label: 'an extra field', payload: { ...valid, extra: true }, field: 'extra' },
    {
      label: 'a __proto__ key',
      payload: JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(valid).slice(1)}`.replace(', }', '}')),
      field: '__proto__',
    },
    {
      label: 'a constructor key',
      payload: { ...valid, constructor: { prototype: { polluted: true } } },
      field: 'constructor',
    },
  ];
  for (const key of Object.keys(valid)) {
    cases.push({ label: `${key} of the wrong type`, payload: { ...valid, [key]: { nested: 1 } }, field: key });
    if (typeof valid[key] === 'string')
      cases.push({ label: `a huge ${key}`, payload: { ...valid, [key]: HUGE }, field: key });
  }
  return cases;
}

describe('IPC handlers', () => {
  let dir: string;
  let preferences: FilePreferencesStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'maestro-ipc-'));
    preferences = new FilePreferencesStore(join(dir, 'preferences.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has a handler for every contract channel and nothing else', () => {
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.isFrozen(handlers)).toBe(true);
  });

  describe.each(CHANNEL_NAMES.map((channel) => [channel]))('%s', (channel) => {
    it.each(malformed(channel).map((entry) => [entry.label, entry]))(
      'refuses %s with invalid_input and changes nothing',
      async (_label, entry) => {
        const auth = createAuthServiceDouble();
        const before = JSON.stringify(preferences.get());
        const reply = await createIpcHandlers({ auth, preferences })[channel](entry.payload);
        expect(reply.ok).toBe(false);
        if (reply.ok) return;
        expect(reply.error.code).toBe('invalid_input');
        expect(reply.error.message).toContain(channel);
        if (entry.field !== undefined) expect(reply.error.message).toContain(entry.field);
        expect(reply.error.message.length).toBeLessThan(600);
        expect(auth.calls).toEqual([]);
        expect(JSON.stringify(preferences.get())).toBe(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      },
    );

    it('accepts a valid payload and replies with a value matching the contract', async () => {
      const auth = createAuthServiceDouble();
      const gateway = new GatewayController({
        credentials: auth,
        key: { current: () => 'sk-maestro-gw-test', rotate: () => 'sk-maestro-gw-rotated' },
      });
      try {
        const commandLineTool = new CommandLineTool({
          directory: join(dir, 'bin'),
          target: { executable: process.execPath, leadingArgs: ['--cli'], platform: process.platform },
          pathVariable: '',
        });
        const reply = await createIpcHandlers({
          auth,
          preferences,
          gateway,
          commandLineTool,
          writeClipboard: () => Promise.resolve(),
        })[channel](VALID[channel]);
        expect(replySchema(channel).parse(reply)).toEqual(reply);
        expect(reply.ok).toBe(true);
      } finally {
        await gateway.dispose();
      }
    });
  });

  it('answers the gateway channels with not_configured where no gateway runs (web mode)', async () => {
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    const reply = await handlers['gateway.setEnabled']({ enabled: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    expect(await handlers['gateway.get']({})).toMatchObject({ ok: false, error: { code: 'not_configured' } });
  });

  it('refuses the command-line tool channels with "only in the desktop app" where no app executable exists (web mode)', async () => {
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    for (const channel of ['cli.get', 'cli.install', 'cli.uninstall'] as const) {
      const reply = await handlers[channel]({});
      expect(reply).toEqual({ ok: false, error: NO_DESKTOP_APP });
    }
    expect(NO_DESKTOP_APP.message).toContain('only in the desktop app');
  });

  it('trims a pasted API key before the core sees it', async () => {
    const auth = createAuthServiceDouble();
    await createIpcHandlers({ auth, preferences })['auth.saveApiKey']({
      provider: 'anthropic',
      apiKey: '  sk-ant-api03-pasted-key \n',
    });
    expect(auth.calls).toEqual([
      { method: 'saveApiKey', args: [{ provider: 'anthropic', apiKey: 'sk-ant-api03-pasted-key' }] },
    ]);
  });

  it('refuses an API key longer than 4 KB and a label that breaks the account pattern', async () => {
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    const long = await handlers['auth.saveApiKey']({ provider: 'anthropic', apiKey: 'k'.repeat(4097) });
    const label = await handlers['auth.saveApiKey']({
      provider: 'anthropic',
      apiKey: 'k'.repeat(40),
      account: '../etc',
    });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(label).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(label.ok ? null : label.error.message).toContain('account');
  });

  it('drops fields the contract does not name from replies, so a secret in a view model never crosses', async () => {
    const leaky = { ...providerView('anthropic'), apiKey: 'sk-ant-api03-CANARY', accessToken: 'CANARY-TOKEN' };
    const auth = createAuthServiceDouble({ validate: async () => ({ ok: true, value: leaky }) });
    const reply = await createIpcHandlers({ auth, preferences })['auth.validate']({ provider: 'anthropic' });
    expect(reply.ok).toBe(true);
    expect(JSON.stringify(reply)).not.toContain('CANARY');
  });

  it('passes the core’s error values through and turns a throw into an internal error without its message', async () => {
    const auth = createAuthServiceDouble({
      saveApiKey: async () => ({
        ok: false,
        error: {
          code: 'invalid_credentials',
          message: 'Anthropic refused this key.',
          provider: 'anthropic',
          status: 401,
        },
      }),
      listModels: async () => {
        throw new Error('boom sk-ant-api03-secretsecret');
      },
      selectModel: async () => {
        throw AuthError.of('unknown_provider', 'No provider called nope.');
      },
    });
    const handlers = createIpcHandlers({ auth, preferences });
    expect(await handlers['auth.saveApiKey']({ provider: 'anthropic', apiKey: 'k'.repeat(30) })).toEqual({
      ok: false,
      error: {
        code: 'invalid_credentials',
        message: 'Anthropic refused this key.',
        provider: 'anthropic',
        status: 401,
      },
    });
    const thrown = await handlers['models.list']({ provider: 'anthropic' });
    expect(thrown).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(thrown)).not.toContain('secret');
    expect(await handlers['models.select']({ provider: 'nope', model: 'm' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_provider' },
    });
  });

  it('opens the authorization URL the core built, and says when it could not', async () => {
    const opened: string[] = [];
    const auth = createAuthServiceDouble();
    const withBrowser = createIpcHandlers({ auth, preferences, openExternal: async (url) => (opened.push(url), true) });
    const failing = createIpcHandlers({
      auth,
      preferences,
      openExternal: async () => Promise.reject(new Error('no browser')),
    });
    const web = createIpcHandlers({ auth, preferences });
    expect(await withBrowser['auth.startOAuth']({ provider: 'google' })).toMatchObject({
      ok: true,
      value: { browserOpened: true },
    });
    expect(opened).toEqual(['https://auth.example/authorize?state=s']);
    expect(await failing['auth.startOAuth']({ provider: 'google' })).toMatchObject({
      ok: true,
      value: { browserOpened: false },
    });
    expect(await web['auth.startOAuth']({ provider: 'google' })).toMatchObject({
      ok: true,
      value: { browserOpened: false },
    });
  });

  it('keeps preferences unchanged when the core refuses the fallback order in the same update', async () => {
    const auth = createAuthServiceDouble({
      updateSettings: () => ({ ok: false, error: { code: 'invalid_input', message: 'Bad order.' } }),
    });
    const handlers = createIpcHandlers({ auth, preferences });
    const reply = await handlers['settings.update']({ theme: 'dark', fallbackOrder: ['env'] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(preferences.get().theme).toBe('system');
  });

  it('combines core settings and preferences, and persists preference changes', async () => {
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    const reply = await handlers['settings.update']({ theme: 'light', allowWeakStorage: true });
    expect(reply).toEqual({
      ok: true,
      value: {
        fallbackOrder: ['oauth', 'api_key', 'env'],
        theme: 'light',
        closeToTray: null,
        allowWeakStorage: true,
        shareWithCommandLine: false,
      },
    });
    expect(new FilePreferencesStore(join(dir, 'preferences.json')).get()).toMatchObject({
      theme: 'light',
      allowWeakStorage: true,
    });
    expect(await handlers['settings.update']({})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await handlers['settings.update']({ fallbackOrder: ['env', 'env'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('dispatches by name and refuses names that are not channels, inherited ones included', async () => {
    const auth = createAuthServiceDouble();
    const dispatch = createDispatch(createIpcHandlers({ auth, preferences }));
    expect(await dispatch('session.get', {})).toMatchObject({ ok: true });
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'session.get ', 'SESSION.GET']) {
      expect(await dispatch(name, {})).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: 'Unknown IPC channel.' },
      });
    }
    expect(auth.calls.map((call) => call.method)).toEqual(['status']);
  });

  it('forwards status and flow events through their schemas until disposed', () => {
    const auth = createAuthServiceDouble();
    const seen: { event: string; payload: unknown }[] = [];
    const dispose = forwardIpcEvents(auth, (event, payload) => seen.push({ event, payload }));
    auth.emitStatus({ ...statusView(), activeProvider: 'google', secret: 'CANARY' } as never);
    auth.emitFlow({
      flowId: 'f',
      provider: 'google',
      account: 'default',
      ok: false,
      error: { code: 'oauth_denied', message: 'Denied.' },
    });
    dispose();
    auth.emitStatus(statusView());
    expect(seen.map((entry) => entry.event)).toEqual(['status.changed', 'auth.flowFinished']);
    expect(JSON.stringify(seen)).not.toContain('CANARY');
  });
});
