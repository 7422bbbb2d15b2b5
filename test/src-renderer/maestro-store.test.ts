import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { IpcResult, MaestroApi } from '../../src-shared/ipc-contract.js';
import type { SettingsView } from '../../src-shared/ipc-fields.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import { createMaestroStore } from '../../src-renderer/app/maestro-store.js';

/** Only the fields the store touches; the store never looks inside a provider's view. */
const provider = (id: string, displayName = id): ProviderStatusView =>
  ({ id, displayName }) as unknown as ProviderStatusView;
const status = (...ids: string[]): StatusView =>
  ({ activeProvider: ids[0] ?? null, providers: ids.map((id) => provider(id)) }) as unknown as StatusView;
const settings = { theme: 'dark' } as unknown as SettingsView;

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** A window.maestro with the three members the store uses, recording the order of calls. */
function fakeApi() {
  const calls: string[] = [];
  const statusReply = deferred<IpcResult<StatusView>>();
  const settingsReply = deferred<IpcResult<SettingsView>>();
  const listeners: ((payload: StatusView) => void)[] = [];
  const api = {
    session: { get: () => (calls.push('session.get'), statusReply.promise) },
    settings: { get: () => (calls.push('settings.get'), settingsReply.promise) },
    on: (event: string, listener: (payload: StatusView) => void) => {
      calls.push(`on ${event}`);
      listeners.push(listener);
      return () => undefined;
    },
  } as unknown as MaestroApi;
  return {
    api,
    calls,
    statusReply,
    settingsReply,
    emit: (payload: StatusView) => listeners.forEach((listener) => listener(payload)),
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('the maestro store', () => {
  it('follows status changes, then asks for the first render’s data as soon as it is created', () => {
    const fake = fakeApi();
    createMaestroStore(fake.api);
    expect(fake.calls).toEqual(['on status.changed', 'session.get', 'settings.get']);
  });

  it('holds the replies and tells its subscribers', async () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    let notified = 0;
    store.subscribe(() => (notified += 1));
    expect(store.getSnapshot()).toEqual({ status: null, settings: null, loadError: null });
    fake.statusReply.resolve({ ok: true, value: status('anthropic', 'openai') });
    fake.settingsReply.resolve({ ok: true, value: settings });
    await flush();
    expect(store.getSnapshot().status?.providers.map((view) => view.id)).toEqual(['anthropic', 'openai']);
    expect(store.getSnapshot().settings).toBe(settings);
    expect(notified).toBe(2);
  });

  it('keeps the snapshot stable between changes (useSyncExternalStore compares by identity)', async () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    fake.statusReply.resolve({ ok: true, value: status('google') });
    await flush();
    expect(store.getSnapshot()).toBe(store.getSnapshot());
  });

  it('shows the error of a failed status request', async () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    const error = { code: 'internal', message: 'The Maestro did not answer.' } as ErrorInfo;
    fake.statusReply.resolve({ ok: false, error });
    await flush();
    expect(store.getSnapshot()).toMatchObject({ status: null, loadError: error });
  });

  it('takes pushed statuses and merges one provider’s fresh view', async () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    store.updateProvider(provider('google', 'ignored'));
    expect(store.getSnapshot().status).toBeNull();
    fake.emit(status('anthropic', 'google'));
    store.updateProvider(provider('google', 'Google Gemini'));
    expect(store.getSnapshot().status?.providers.map((view) => view.displayName)).toEqual([
      'anthropic',
      'Google Gemini',
    ]);
    expect(store.getSnapshot().status?.activeProvider).toBe('anthropic');
  });

  it('does not show the first reply over a status pushed before it arrived', async () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    fake.emit(status('google'));
    fake.statusReply.resolve({ ok: true, value: status('anthropic') });
    await flush();
    expect(store.getSnapshot().status?.providers.map((view) => view.id)).toEqual(['google']);
  });

  it('stops telling a subscriber that unsubscribed', () => {
    const fake = fakeApi();
    const store = createMaestroStore(fake.api);
    let notified = 0;
    const unsubscribe = store.subscribe(() => (notified += 1));
    unsubscribe();
    store.setSettings(settings);
    expect(notified).toBe(0);
  });
});
