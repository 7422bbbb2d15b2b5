import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MaestroApi } from '../../src-shared/ipc-contract.js';

// The app itself is not under test: the shim only has to load it after installing the API.
vi.mock('../../src-renderer/main.js', () => ({}));

/** The browser objects the shim touches, as small fakes. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  private readonly listeners = new Map<string, Set<(message: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(event: string, listener: (message: MessageEvent<string>) => void): void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
  }
  removeEventListener(event: string, listener: (message: MessageEvent<string>) => void): void {
    this.listeners.get(event)?.delete(listener);
  }
  emit(event: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])])
      listener({ data: JSON.stringify(payload) } as MessageEvent<string>);
  }
}

let requests: string[];
/** Whether window.maestro was installed when each request went out. */
let installedAtRequest: boolean[];
let page: { maestro?: MaestroApi };

beforeEach(() => {
  vi.resetModules();
  requests = [];
  installedAtRequest = [];
  page = {};
  FakeEventSource.last = null;
  const storage = new Map<string, string>();
  vi.stubGlobal('window', page);
  vi.stubGlobal('location', { hash: '#token=abc', pathname: '/', search: '' });
  vi.stubGlobal('history', { replaceState: () => undefined });
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
  });
  vi.stubGlobal('EventSource', FakeEventSource);
  // The shim always posts JSON text.
  vi.stubGlobal('fetch', async (url: string, init: { readonly body: string }) => {
    requests.push(`${url} ${init.body}`);
    installedAtRequest.push(page.maestro !== undefined);
    // Not a valid reply: the contract turns it into an error value, which is all these tests need.
    return new Response('{"ok":true,"value":{}}', { headers: { 'Content-Type': 'application/json' } });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function loadShim(): Promise<MaestroApi> {
  await import('../../src-renderer/web-shim.js');
  await vi.waitFor(() => expect(page.maestro).toBeDefined());
  return page.maestro as MaestroApi;
}

describe('the web shim', () => {
  it('asks for the first render’s data before the contract and the app have loaded', async () => {
    await loadShim();
    expect(requests).toEqual(['./ipc/session.get {}', './ipc/settings.get {}']);
    expect(installedAtRequest).toEqual([false, false]);
  });

  it('answers the app’s first requests on those channels from the early replies, then asks the server', async () => {
    const api = await loadShim();
    await api.session.get();
    await api.settings.get();
    expect(requests).toHaveLength(2);
    await api.session.get();
    expect(requests).toEqual(['./ipc/session.get {}', './ipc/settings.get {}', './ipc/session.get {}']);
  });

  it('drops the early status when a status change is announced before the app asks', async () => {
    const api = await loadShim();
    FakeEventSource.last?.emit('status.changed', {});
    await api.session.get();
    await api.settings.get();
    expect(requests).toEqual(['./ipc/session.get {}', './ipc/settings.get {}', './ipc/session.get {}']);
  });

  it('never answers a request with input from an early reply', async () => {
    const api = await loadShim();
    await api.models.list({ provider: 'anthropic' });
    expect(requests[2]).toBe('./ipc/models.list {"provider":"anthropic"}');
  });

  it('takes the token from the fragment for requests and the event stream', async () => {
    await loadShim();
    expect(FakeEventSource.last?.url).toBe('./events?token=abc');
  });
});
