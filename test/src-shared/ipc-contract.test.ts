import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ErrorInfo } from '../../src-shared/errors.js';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  IPC_CHANNELS,
  createApiFromInvoker,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type EventPayload,
  type MaestroApi,
} from '../../src-shared/ipc-contract.js';
import type { LoginResultView, ModelListView, ProviderStatusView, StatusView } from '../../src-shared/view-models.js';

const REQUIRED_CHANNELS = [
  'providers.list',
  'auth.saveApiKey',
  'auth.startOAuth',
  'auth.submitPastedCode',
  'auth.cancelOAuth',
  'auth.logout',
  'auth.validate',
  'accounts.rename',
  'accounts.list',
  'session.get',
  'session.setActiveProvider',
  'models.list',
  'models.select',
  'models.test',
  'plan.acknowledgeNotice',
  'storage.acknowledgeNotices',
  'settings.get',
  'settings.update',
  'gateway.get',
  'gateway.setEnabled',
  'gateway.setPort',
  'gateway.copyKey',
  'gateway.rotateKey',
  'cli.get',
  'cli.install',
  'cli.uninstall',
  'providers.getQuotaProject',
  'providers.setQuotaProject',
];

describe('IPC contract', () => {
  it('names every channel the issue asks for, as domain.verb, and both events', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual([...REQUIRED_CHANNELS].sort());
    for (const channel of CHANNEL_NAMES) expect(channel).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect([...EVENT_NAMES].sort()).toEqual(['auth.flowFinished', 'status.changed']);
  });

  it('does not take inherited names for channels', () => {
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString'])
      expect(isChannelName(name)).toBe(false);
  });

  it('refuses extra fields and __proto__ keys in every input', () => {
    for (const channel of CHANNEL_NAMES) {
      const schema = IPC_CHANNELS[channel].input;
      expect(schema.safeParse({ unexpected: 1 }).success, channel).toBe(false);
      expect(schema.safeParse(JSON.parse('{"__proto__": {"x": 1}}')).success, channel).toBe(false);
    }
  });

  it('bounds API keys to 4 KB and account labels and provider ids to their patterns', () => {
    const save = IPC_CHANNELS['auth.saveApiKey'].input;
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'k'.repeat(4096) }).success).toBe(true);
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'k'.repeat(4097) }).success).toBe(false);
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'has space' }).success).toBe(false);
    expect(save.safeParse({ provider: 'Anthropic', apiKey: 'k' }).success).toBe(false);
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'k', account: 'work laptop' }).success).toBe(true);
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'k', account: ' leading' }).success).toBe(false);
    expect(save.safeParse({ provider: 'anthropic', apiKey: 'k', account: 'a'.repeat(65) }).success).toBe(false);
  });

  it('derives the client API types from the contract, agreeing with the view models', () => {
    expectTypeOf<ChannelOutput<'session.get'>>().toExtend<StatusView>();
    expectTypeOf<StatusView>().toExtend<ChannelOutput<'session.get'>>();
    expectTypeOf<ChannelOutput<'models.list'>>().toExtend<ModelListView>();
    expectTypeOf<ChannelOutput<'auth.validate'>>().toExtend<ProviderStatusView>();
    expectTypeOf<ChannelOutput<'auth.saveApiKey'>>().toExtend<LoginResultView>();
    expectTypeOf<EventPayload<'status.changed'>>().toExtend<StatusView>();
    expectTypeOf<MaestroApi['auth']['saveApiKey']>().parameter(0).toHaveProperty('apiKey');
    expectTypeOf<MaestroApi['session']['get']>().toBeCallableWith();
  });
});

describe('createApiFromInvoker', () => {
  const status: StatusView = {
    activeProvider: null,
    providers: [],
    storage: { level: 'memory_only', persistent: false, description: 'Memory only', warnings: [] },
    storageNotices: [],
    configProblems: [],
    overrides: [],
  };

  it('builds a frozen method for every channel that sends the channel and input to the transport', async () => {
    const sent: [ChannelName, unknown][] = [];
    const api = createApiFromInvoker(
      async (channel, input) => {
        sent.push([channel, input]);
        return channel === 'session.get' ? { ok: true, value: status } : { ok: true, value: true };
      },
      () => () => undefined,
    );
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.auth)).toBe(true);
    for (const channel of CHANNEL_NAMES) {
      const [domain, verb] = channel.split('.') as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[domain]?.[verb], channel).toBe(
        'function',
      );
    }
    expect(await api.session.get()).toEqual({ ok: true, value: status });
    expect(await api.auth.cancelOAuth({ flowId: 'f1' })).toEqual({ ok: true, value: true });
    expect(sent).toEqual([
      ['session.get', {}],
      ['auth.cancelOAuth', { flowId: 'f1' }],
    ]);
  });

  it('turns a failed transport or a reply outside the contract into an error value, never a throw', async () => {
    const api = createApiFromInvoker(
      async (channel) => {
        if (channel === 'session.get') throw new Error('socket closed');
        return { ok: true, value: { unexpected: 'shape' } };
      },
      () => () => undefined,
    );
    const expected: { ok: false; error: Partial<ErrorInfo> } = { ok: false, error: { code: 'internal' } };
    expect(await api.session.get()).toMatchObject(expected);
    expect(await api.models.list({ provider: 'anthropic' })).toMatchObject(expected);
  });

  it('delivers event payloads that match their schema, drops others, and unsubscribes', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = createApiFromInvoker(
      async () => ({ ok: true, value: null }),
      (event, listener) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    );
    const seen: unknown[] = [];
    const unsubscribe = api.on('status.changed', (payload) => seen.push(payload));
    listeners.get('status.changed')?.(status);
    listeners.get('status.changed')?.({ nonsense: true });
    unsubscribe();
    expect(seen).toEqual([status]);
    expect(listeners.size).toBe(0);
    expect(() => api.on('nope' as never, () => undefined)).toThrow(TypeError);
  });
});
