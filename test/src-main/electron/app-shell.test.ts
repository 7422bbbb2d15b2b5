import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./support/fake-electron.js')).electronMockFactory());

import { startShell, type ShellOptions } from '../../../src-main/electron/app-shell.js';
import { STARTED_BEFORE_RESTART } from '../../../src-main/electron/app-ready.js';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/content-security-policy.js';
import type { KeyProvider } from '../../../src-main/core/store/key-provider.js';
import { createLogger, silentLogger } from '../../../src-main/log/logger.js';
import type { TrayHostPresence } from '../../../src-main/electron/tray-host.js';
import { readPasswordStorePreference } from '../../../src-main/preferences/password-store-preference.js';
import { CHANNEL_NAMES } from '../../../src-shared/ipc-contract.js';
import { shellOptionsFor } from './support/shell-options.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import {
  createAuthServiceDouble,
  providerView,
  statusView,
  type AuthServiceDouble,
} from '../../support/auth-service-double.js';
import { FakeAsyncSafeStorage } from './support/fake-async-safe-storage.js';
import { fake, FakeBrowserWindow, FakeTray, preventableEvent, resetFakeElectron } from './support/fake-electron.js';

const SCHEME = 'app.themaestro.desktop';
const LINK = `${SCHEME}:/oauth/openai/callback?code=abc&state=s1`;
const OUR_FRAME = { url: 'app://maestro/index.html', parent: null };
const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

let temp: ReturnType<typeof makeTempDir>;
let auth: AuthServiceDouble;
let openedWith: (readonly KeyProvider[])[];
let disposedCores: number;

function options(overrides: Partial<ShellOptions> = {}): ShellOptions {
  return shellOptionsFor(
    temp.dir,
    async (keyProviders) => {
      openedWith.push(keyProviders);
      return { auth, dispose: async () => void (disposedCores += 1) };
    },
    { scheme: SCHEME, ...overrides },
  );
}

async function startReady(overrides: Partial<ShellOptions> = {}) {
  const shell = startShell(options(overrides));
  fake.app.makeReady();
  await shell.ready;
  await flush();
  const window = FakeBrowserWindow.instances[0];
  if (window === undefined) throw new Error('no window was created');
  return { shell, window };
}

const invoke = (channel: string, frame: unknown, payload: unknown = {}) => {
  const handler = fake.ipcHandlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return (handler as (event: unknown, payload: unknown) => Promise<unknown>)({ senderFrame: frame }, payload);
};

beforeEach(() => {
  resetFakeElectron();
  temp = makeTempDir('maestro-shell-');
  auth = createAuthServiceDouble();
  openedWith = [];
  disposedCores = 0;
});
afterEach(() => temp.remove());

describe('before ready', () => {
  it('registers the app scheme as privileged, takes the lock and listens for open-url before ready', () => {
    startShell(options({ argv: ['/usr/bin/the-maestro', LINK] }));
    expect(fake.privilegedSchemes).toEqual([
      {
        schemes: [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
        beforeReady: true,
      },
    ]);
    expect(fake.app.lockData).toEqual([{ deepLink: LINK }]);
    expect(fake.app.listenerCount('open-url')).toBe(1);
    expect(fake.app.listenerCount('second-instance')).toBe(1);
    expect(fake.app.protocolClients).toEqual([[SCHEME]]);
    expect(fake.app.getPath('userData')).toBe(temp.dir);
    expect(fake.app.sandboxEnabledBeforeReady).toBe(true);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });

  it('sets the data directory before taking the single-instance lock (the lock lives in userData)', () => {
    startShell(options());
    expect(fake.app.userDataAtLock).toBe(temp.dir);
  });

  it('refuses a relative data directory with a sentence instead of throwing', async () => {
    const shell = startShell(options({ userDataDir: 'relative/data' }));
    await shell.ready;
    expect(fake.errorBoxes).toEqual([
      ['The Maestro could not start', expect.stringMatching(/"relative\/data".*must be an absolute path/)],
    ]);
    expect(fake.app.lockData).toEqual([]);
    expect(fake.app.quitCalls).toBe(1);
  });

  it('a second instance hands over its link and quits without building anything', async () => {
    fake.app.lockResult = false;
    const shell = startShell(options({ argv: ['/usr/bin/the-maestro', '--flag', LINK] }));
    expect(shell.primary).toBe(false);
    expect(fake.app.lockData).toEqual([{ deepLink: LINK }]);
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.app.listenerCount('open-url')).toBe(0);
    fake.app.makeReady();
    await flush();
    expect(openedWith).toEqual([]);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });
});

describe('deep links', () => {
  it('queues links from open-url, launch argv and second-instance before ready, and delivers them after', async () => {
    const shell = startShell(options({ argv: ['/usr/bin/the-maestro', LINK] }));
    fake.app.emit('open-url', preventableEvent(), `${SCHEME}:/oauth/google/callback?code=g&state=s2`);
    fake.app.emit('second-instance', preventableEvent(), ['/usr/bin/the-maestro', '--x'], '/', {
      deepLink: `${SCHEME}:/oauth/anthropic/callback?code=a&state=s3`,
    });
    await flush();
    expect(auth.argsOf('handleDeepLink')).toEqual([]);
    fake.app.makeReady();
    await shell.ready;
    await flush();
    expect(auth.argsOf('handleDeepLink')).toEqual([
      LINK,
      `${SCHEME}:/oauth/google/callback?code=g&state=s2`,
      `${SCHEME}:/oauth/anthropic/callback?code=a&state=s3`,
    ]);
  });

  it('says the sign-in was started before a restart when a callback finds no sign-in in progress', async () => {
    auth = createAuthServiceDouble({
      handleDeepLink: async () => ({
        ok: false,
        error: { code: 'oauth_state_invalid', message: 'This sign-in response does not match a sign-in in progress.' },
      }),
    });
    await startReady({ argv: ['/usr/bin/the-maestro', LINK] });
    await flush();
    expect(fake.messageBoxes).toEqual([expect.objectContaining({ message: STARTED_BEFORE_RESTART })]);
    expect(STARTED_BEFORE_RESTART).toMatch(/started before The Maestro restarted.*Start it again/);
  });

  it('delivers a second instance link after ready and brings the window forward', async () => {
    const { window } = await startReady();
    window.hide();
    fake.app.emit('second-instance', preventableEvent(), ['/usr/bin/the-maestro', LINK], '/', {});
    await flush();
    expect(auth.argsOf('handleDeepLink')).toEqual([LINK]);
    expect(window.visible).toBe(true);
  });
});

describe('the window', () => {
  it('is hardened and loads the UI from the app protocol', async () => {
    const { window } = await startReady();
    expect(window.options['webPreferences']).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: true,
    });
    expect(window.loadedUrl).toBe('app://maestro/index.html');
  });

  it('has DevTools off when packaged', async () => {
    fake.app.isPackaged = true;
    const { window } = await startReady();
    expect(window.options['webPreferences']).toMatchObject({ devTools: false });
    window.webContents.emit('devtools-opened');
    expect(window.webContents.devToolsClosed).toBe(1);
  });

  it('serves the bundle with the strict CSP header', async () => {
    await startReady();
    const handler = fake.protocolHandlers.get('app');
    expect(handler).toBeDefined();
    const response = await handler?.(new Request('app://maestro/missing.html'));
    expect(response?.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('denies navigation, redirects, webviews and new windows', async () => {
    const { window } = await startReady();
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = preventableEvent({ url: 'https://evil.example/' });
      window.webContents.emit(name, event);
      expect(event.defaultPrevented, name).toBe(true);
    }
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    await flush();
    expect(fake.openedExternally).toEqual([]);
  });

  it('opens a provider console page main already knows in the browser, still denying the window', async () => {
    const { window } = await startReady();
    expect(window.webContents.windowOpenHandler?.({ url: 'https://console.openai.example/keys' })).toEqual({
      action: 'deny',
    });
    await flush();
    expect(fake.openedExternally).toEqual(['https://console.openai.example/keys']);
  });

  it("opens a sign-in in progress's start address from the window in the browser, and nothing after it ends", async () => {
    const authorizationUrl = 'https://auth.openai.example/oauth/authorize?state=s9';
    auth = createAuthServiceDouble({
      startOAuth: async () => ({
        ok: true,
        value: {
          flowId: 'f9',
          provider: 'openai',
          account: 'default',
          authorizationUrl,
          redirectMode: 'loopback',
          acceptsPaste: true,
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
        },
      }),
    });
    const { window } = await startReady();
    const open = (url: string) => window.webContents.windowOpenHandler?.({ url });
    expect(open(authorizationUrl)).toEqual({ action: 'deny' });
    await flush();
    expect(fake.openedExternally).toEqual([]);
    const reply = (await invoke('auth.startOAuth', OUR_FRAME, { provider: 'openai' })) as {
      ok: true;
      value: { startUrl: string };
    };
    // The browser is handed a one-time local start address (the authorization URL, with its
    // state, never reaches a process's arguments), which redirects once to the sign-in page.
    const startAddress = /^http:\/\/127\.0\.0\.1:\d+\/start\/[\w-]+$/;
    expect(fake.openedExternally).toEqual([expect.stringMatching(startAddress)]);
    // The window got its own start address, never the authorization URL.
    expect(JSON.stringify(reply)).not.toContain('state=');
    const { startUrl } = reply.value;
    expect(startUrl).toMatch(startAddress);
    expect(startUrl).not.toBe(fake.openedExternally[0]);
    // The automatic launch happened; the person clicks "Open the sign-in page" as well.
    expect(open(startUrl)).toEqual({ action: 'deny' });
    expect(open(authorizationUrl)).toEqual({ action: 'deny' });
    expect(open(startUrl.replace(/\/start\/.*/, '/start/guess'))).toEqual({ action: 'deny' });
    await flush();
    expect(fake.openedExternally).toEqual([fake.openedExternally[0], startUrl]);
    expect((await fetch(startUrl, { redirect: 'manual' })).headers.get('location')).toBe(authorizationUrl);
    auth.emitFlow({ flowId: 'f9', provider: 'openai', account: 'default', ok: true, credentialId: 'c1' });
    open(startUrl);
    await flush();
    expect(fake.openedExternally).toHaveLength(2);
  });

  it('lets only our own top frame write to the clipboard (Copy address)', async () => {
    await startReady();
    const check = fake.permissionCheckHandler as unknown as (...args: unknown[]) => boolean;
    const request = fake.permissionRequestHandler as unknown as (...args: unknown[]) => void;
    const ours = { requestingUrl: 'app://maestro/index.html', isMainFrame: true };
    expect(check(null, 'clipboard-sanitized-write', 'app://maestro', ours)).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', 'app://maestro', { ...ours, isMainFrame: false })).toBe(false);
    expect(
      check(null, 'clipboard-sanitized-write', 'https://evil.example', {
        requestingUrl: 'https://evil.example/',
        isMainFrame: true,
      }),
    ).toBe(false);
    expect(check(null, 'clipboard-read', 'app://maestro', ours)).toBe(false);
    const granted: boolean[] = [];
    request({}, 'clipboard-sanitized-write', (value: boolean) => granted.push(value), ours);
    request({}, 'clipboard-sanitized-write', (value: boolean) => granted.push(value), {
      requestingUrl: 'https://evil.example/',
      isMainFrame: true,
    });
    expect(granted).toEqual([true, false]);
  });

  it('denies every permission request and check', async () => {
    await startReady();
    const granted: boolean[] = [];
    (fake.permissionRequestHandler as unknown as (...args: unknown[]) => void)(
      {},
      'media',
      (value: boolean) => granted.push(value),
      {},
    );
    (fake.permissionRequestHandler as unknown as (...args: unknown[]) => void)(
      {},
      'notifications',
      (value: boolean) => granted.push(value),
      {},
    );
    expect(granted).toEqual([false, false]);
    expect(
      (fake.permissionCheckHandler as unknown as (...args: unknown[]) => boolean)(
        null,
        'clipboard-read',
        'app://maestro',
        {},
      ),
    ).toBe(false);
  });

  it('hides to the tray on close when asked to, and remembers its bounds', async () => {
    const { window } = await startReady();
    expect(window.close()).toBe(true);
    expect(window.visible).toBe(false);
    const settings = await invoke('settings.update', OUR_FRAME, { closeToTray: false });
    expect(settings).toMatchObject({ ok: true, value: { closeToTray: false } });
    expect(window.close()).toBe(false);
    expect(window.destroyed).toBe(true);
    // The last window closed on Linux: the app quits (and disposes before the next test starts).
    expect(fake.app.quitCalls).toBe(1);
    await flush();
    const stored = JSON.parse(readFileSync(join(temp.dir, 'preferences.json'), 'utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ closeToTray: false, windowBounds: { x: 10, y: 20, width: 900, height: 700 } });
  });

  it('follows the theme setting in native UI and prefers-color-scheme', async () => {
    await startReady();
    expect(fake.nativeTheme.themeSource).toBe('system');
    await invoke('settings.update', OUR_FRAME, { theme: 'dark' });
    expect(fake.nativeTheme.themeSource).toBe('dark');
  });

  it('stays running on macOS when the last window closes', async () => {
    const { window } = await startReady({ platform: 'darwin' });
    await invoke('settings.update', OUR_FRAME, { closeToTray: false });
    window.close();
    expect(fake.app.quitCalls).toBe(0);
    fake.app.emit('activate');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });
});

describe('IPC', () => {
  it('registers a handler for every contract channel, and nothing else', async () => {
    await startReady();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers our own top frame through the handlers', async () => {
    auth.current = statusView({ activeProvider: 'google' });
    await startReady();
    expect(await invoke('session.get', OUR_FRAME)).toMatchObject({ ok: true, value: { activeProvider: 'google' } });
    expect(await invoke('providers.list', OUR_FRAME)).toMatchObject({
      ok: true,
      value: [{ id: 'anthropic' }, { id: 'google' }, { id: 'openai' }],
    });
  });

  it('validates the payload after the sender', async () => {
    await startReady();
    expect(
      await invoke('session.setActiveProvider', OUR_FRAME, {
        provider: 'openai',
        __proto__: { polluted: true },
        extra: 1,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(auth.argsOf('setActiveProvider')).toEqual([]);
  });

  it.each([
    ['a foreign frame', { url: 'https://evil.example/', parent: null }],
    ['a sub-frame', { url: 'app://maestro/index.html', parent: OUR_FRAME }],
    ['a null frame', null],
  ])('refuses %s with a result error before looking at the payload', async (_name, frame) => {
    await startReady();
    const reply = await invoke('session.setActiveProvider', frame, { provider: 'openai' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(auth.argsOf('setActiveProvider')).toEqual([]);
  });

  it('pushes status changes and finished flows to the window on contract channels', async () => {
    const { window } = await startReady();
    auth.emitStatus(statusView({ activeProvider: 'openai' }));
    auth.emitFlow({ flowId: 'f1', provider: 'openai', account: 'default', ok: true, credentialId: 'c1' });
    const channels = window.webContents.sent.map(([channel]) => channel);
    expect(channels).toEqual(['status.changed', 'auth.flowFinished']);
    expect(window.webContents.sent[0]?.[1]).toMatchObject({ activeProvider: 'openai' });
  });

  it('opens the OAuth page main built in the system browser', async () => {
    auth = createAuthServiceDouble({
      startOAuth: async () => ({
        ok: true,
        value: {
          flowId: 'f1',
          provider: 'openai',
          account: 'default',
          authorizationUrl: 'https://auth.openai.com/oauth/authorize?state=s',
          redirectMode: 'loopback',
          acceptsPaste: true,
          expiresAt: '2026-11-24T12:10:00.000Z',
        },
      }),
    });
    await startReady();
    const reply = await invoke('auth.startOAuth', OUR_FRAME, { provider: 'openai' });
    expect(reply).toMatchObject({ ok: true });
    // The browser gets a one-time local address (the state stays out of every process's arguments).
    expect(fake.openedExternally).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/start\//)]);
    const start = await fetch(fake.openedExternally[0] ?? '', { redirect: 'manual' });
    expect(start.headers.get('location')).toBe('https://auth.openai.com/oauth/authorize?state=s');
  });
});

describe('the tray', () => {
  it('is built from the core status and rebuilt on every change', async () => {
    auth.current = statusView({
      activeProvider: 'anthropic',
      providers: [providerView('anthropic', { state: 'valid', selectedModel: 'claude-x' })],
    });
    await startReady();
    const tray = FakeTray.instances[0];
    expect(tray?.menus).toHaveLength(1);
    expect(tray?.toolTip).toBe('The Maestro — Anthropic · claude-x');
    auth.emitStatus(statusView({ activeProvider: 'openai' }));
    expect(tray?.menus).toHaveLength(2);
    const labels = (tray?.menus[1]?.template as { label?: string }[]).map((item) => item.label);
    expect(labels).toContain('Quit');
  });

  it('opens its icon from the file main.ts names (so Electron finds the @2x and template variants)', async () => {
    await startReady();
    expect(FakeTray.instances[0]?.image).toMatchObject({ path: '/app/resources/tray/tray.png' });
  });

  it('switches provider from a menu click through the core', async () => {
    auth.current = statusView({ providers: [providerView('google', { state: 'valid' })] });
    await startReady();
    const menu = FakeTray.instances[0]?.menus[0]?.template as { label?: string; click?: () => void }[];
    menu.find((item) => item.label?.startsWith('Google'))?.click?.();
    await flush();
    expect(auth.argsOf('setActiveProvider')).toEqual([{ provider: 'google' }]);
  });
});

describe('safeStorage', () => {
  it('opens the core persistent under a real keyring', async () => {
    await startReady();
    expect(openedWith.map((providers) => providers.map((provider) => provider.id))).toEqual([
      ['safe-storage:gnome_libsecret'],
    ]);
  });

  it('opens memory-only on Linux basic_text and the window says so', async () => {
    fake.safeStorage = new FakeAsyncSafeStorage({ backend: 'basic_text' });
    await startReady();
    expect(openedWith).toEqual([[]]);
    const reply = (await invoke('session.get', OUR_FRAME)) as { ok: true; value: { storage: { warnings: string[] } } };
    expect(reply.value.storage.warnings.join(' ')).toMatch(/memory only/);
  });

  it('uses weak storage after the explicit opt-in (read from preferences at start)', async () => {
    fake.safeStorage = new FakeAsyncSafeStorage({ backend: 'basic_text' });
    await startReady();
    await invoke('settings.update', OUR_FRAME, { allowWeakStorage: true });
    resetFakeElectron();
    fake.safeStorage = new FakeAsyncSafeStorage({ backend: 'basic_text' });
    openedWith = [];
    await startReady();
    expect(openedWith.map((providers) => providers.map((provider) => `${provider.id}/${provider.protection}`))).toEqual(
      [['safe-storage:basic_text/weak']],
    );
  });
});

describe('quitting', () => {
  it('disposes everything in reverse order once, then quits', async () => {
    await startReady();
    expect(auth.listenerCount).toBeGreaterThan(0);
    fake.app.quit();
    expect(fake.app.exited).toBe(false);
    await flush();
    expect(fake.app.exited).toBe(true);
    expect(FakeTray.instances[0]?.destroyed).toBe(true);
    expect(fake.removedIpcHandlers.sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(fake.ipcHandlers.size).toBe(0);
    expect(fake.protocolHandlers.size).toBe(0);
    expect(auth.listenerCount).toBe(0);
    expect(disposedCores).toBe(1);
    expect(fake.app.listenerCount('open-url')).toBe(0);
  });

  it('closes the store when Windows ends the session (no before-quit is emitted then)', async () => {
    const { window } = await startReady({ platform: 'win32' });
    window.emit('session-end');
    await flush();
    expect(disposedCores).toBe(1);
    expect(FakeTray.instances[0]?.destroyed).toBe(true);
  });

  it('tells the person when it cannot start, and quits', async () => {
    const shell = startShell(options({ openCore: () => Promise.reject(new Error('EACCES: /data')) }));
    fake.app.makeReady();
    await shell.ready;
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]?.[1]).not.toContain('EACCES');
    expect(fake.app.quitCalls).toBeGreaterThan(0);
  });
});

describe('the keyring preference (--password-store, Linux)', () => {
  const storedPreferences = (value: unknown) =>
    writeFileSync(join(temp.dir, 'preferences.json'), JSON.stringify({ theme: 'dark', passwordStore: value }));

  it('appends the chosen keyring as --password-store before ready', () => {
    storedPreferences('kwallet6');
    startShell(options());
    expect(fake.app.commandLine.appended).toEqual([{ name: 'password-store', value: 'kwallet6', beforeReady: true }]);
  });

  it.each(['darwin', 'win32'] as const)('does nothing on %s, where the switch does not exist', (platform) => {
    storedPreferences('gnome-libsecret');
    startShell(options({ platform }));
    expect(fake.app.commandLine.appended).toEqual([]);
  });

  it('leaves a --password-store the person passed on the command line alone', () => {
    storedPreferences('kwallet5');
    fake.app.commandLine.given('password-store', 'gnome-libsecret');
    startShell(options());
    expect(fake.app.commandLine.appended).toEqual([]);
    expect(fake.app.commandLine.getSwitchValue('password-store')).toBe('gnome-libsecret');
  });

  it.each([['keepassxc'], [42], [null]])('ignores an invalid stored value (%j) with one log line', (value) => {
    storedPreferences(value);
    const lines: string[] = [];
    startShell(options({ logger: createLogger({ sink: (line) => lines.push(line), level: 'debug' }) }));
    expect(fake.app.commandLine.appended).toEqual([]);
    expect(lines.filter((line) => line.includes('keyring preference'))).toHaveLength(1);
  });

  it('adds nothing for "auto", no file, or a file that is not JSON', () => {
    storedPreferences('auto');
    startShell(options());
    writeFileSync(join(temp.dir, 'preferences.json'), '{ not json');
    resetFakeElectron();
    startShell(options());
    expect(fake.app.commandLine.appended).toEqual([]);
  });

  it('is offered in Settings on Linux only, saved where the next start reads it', async () => {
    await startReady();
    expect(await invoke('settings.get', OUR_FRAME)).toMatchObject({ ok: true, value: { passwordStore: 'auto' } });
    const saved = await invoke('settings.update', OUR_FRAME, { passwordStore: 'kwallet5' });
    expect(saved).toMatchObject({ ok: true, value: { passwordStore: 'kwallet5' } });
    expect(readPasswordStorePreference(temp.dir, silentLogger)).toBe('kwallet5');
    const refused = await invoke('settings.update', OUR_FRAME, { passwordStore: 'keepassxc' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('is not in the Settings view on macOS', async () => {
    await startReady({ platform: 'darwin' });
    const settings = (await invoke('settings.get', OUR_FRAME)) as { value: Record<string, unknown> };
    expect(settings.value).not.toHaveProperty('passwordStore');
  });
});

describe('closing the window, with and without a tray host', () => {
  const never = () => new Promise<TrayHostPresence>(() => undefined);
  const host = (presence: TrayHostPresence) => () => Promise.resolve(presence);

  it('quits where the desktop shows no tray icons, stopping everything cleanly', async () => {
    const { window } = await startReady({ detectTrayHost: host('absent') });
    expect(window.close()).toBe(false);
    expect(window.destroyed).toBe(true);
    expect(fake.app.quitCalls).toBeGreaterThan(0);
    await flush();
    expect(disposedCores).toBe(1);
    expect(fake.app.exited).toBe(true);
  });

  it('hides to the tray where there is one, or while it is not known yet', async () => {
    for (const detect of [host('present'), host('unknown'), never]) {
      resetFakeElectron();
      const { window } = await startReady({ detectTrayHost: detect });
      expect(window.close()).toBe(true);
      expect(window.visible).toBe(false);
      expect(fake.app.quitCalls).toBe(0);
    }
  });

  it('keeps running in the tray when the person chose so, whatever was detected', async () => {
    const { window } = await startReady({ detectTrayHost: host('absent') });
    await invoke('settings.update', OUR_FRAME, { closeToTray: true });
    expect(window.close()).toBe(true);
    expect(fake.app.quitCalls).toBe(0);
  });

  it('quits when the person chose so, even with a tray', async () => {
    const { window } = await startReady({ detectTrayHost: host('present') });
    await invoke('settings.update', OUR_FRAME, { closeToTray: false });
    expect(window.close()).toBe(false);
    expect(fake.app.quitCalls).toBeGreaterThan(0);
    await flush(); // disposed before the next test's fakes exist
  });

  it('goes back to the detection when the choice is "automatic" again', async () => {
    const { window } = await startReady({ detectTrayHost: host('absent') });
    await invoke('settings.update', OUR_FRAME, { closeToTray: true });
    const reply = await invoke('settings.update', OUR_FRAME, { closeToTray: null });
    expect(reply).toMatchObject({ ok: true, value: { closeToTray: null } });
    expect(window.close()).toBe(false);
    await flush();
  });
});
