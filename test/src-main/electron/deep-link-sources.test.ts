import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  acquireSingleInstanceLock,
  type AppEvents,
  handOverDataFrom,
  linkFromSecondInstance,
  listenForDeepLinks,
  registerProtocolClient,
} from '../../../src-main/electron/deep-link-sources.js';
import { DeepLinkRouter } from '../../../src-main/electron/deep-link-router.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { preventableEvent } from './support/fake-electron.js';

const SCHEME = 'app.themaestro.desktop';
const LINK = `${SCHEME}:/oauth/openai/callback?code=abc&state=s1`;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(launchArgv: readonly string[] = ['/opt/The Maestro/the-maestro']) {
  const app = new EventEmitter();
  const router = new DeepLinkRouter(silentLogger);
  let focused = 0;
  const dispose = listenForDeepLinks(app as unknown as AppEvents, {
    scheme: SCHEME,
    router,
    launchArgv,
    onSecondInstance: () => (focused += 1),
  });
  const delivered: string[] = [];
  const attach = () => router.attach((url) => delivered.push(url));
  return { app, router, delivered, attach, dispose, focused: () => focused };
}

describe('deep links from the operating system', () => {
  it('queues a macOS open-url that arrives before the core is ready, and delivers it after', async () => {
    const { app, router, delivered, attach } = setUp();
    const event = preventableEvent();
    app.emit('open-url', event, LINK);
    expect(event.defaultPrevented).toBe(true);
    expect(router.pending).toBe(1);
    expect(delivered).toEqual([]);
    attach();
    await flush();
    expect(delivered).toEqual([LINK]);
  });

  it('finds the link of a second instance by scheme, never by position, ignoring flags', async () => {
    const { app, delivered, attach, focused } = setUp();
    attach();
    const argv = [
      '/usr/bin/the-maestro',
      '--no-sandbox',
      `--x=${LINK}`,
      'https://evil.example/',
      LINK,
      '--enable-features=Foo',
    ];
    app.emit('second-instance', preventableEvent(), argv, '/home/me', {});
    await flush();
    expect(delivered).toEqual([LINK]);
    expect(focused()).toBe(1);
  });

  it('takes the link the second instance handed over in additionalData (Windows rewrites argv)', async () => {
    const { app, delivered, attach } = setUp();
    attach();
    app.emit('second-instance', preventableEvent(), ['C:\\The Maestro.exe', '--allow-file-access-from-files'], 'C:\\', {
      deepLink: LINK,
    });
    await flush();
    expect(delivered).toEqual([LINK]);
  });

  it('ignores junk from a second instance or open-url but still focuses the window', async () => {
    const { app, router, focused } = setUp();
    app.emit('second-instance', preventableEvent(), ['x', 'other.scheme:/oauth/openai/callback?code=1&state=2'], '/', {
      deepLink: 42,
    });
    app.emit('open-url', preventableEvent(), `${SCHEME}:/oauth/openai/callback?code=1&code=2&state=s`);
    app.emit('open-url', preventableEvent(), 'https://evil.example/');
    expect(router.pending).toBe(0);
    expect(focused()).toBe(1);
  });

  it('routes the deep link this first instance was launched with', async () => {
    const { router } = setUp(['/usr/bin/the-maestro', LINK]);
    expect(router.pending).toBe(1);
  });

  it('stops listening when disposed', () => {
    const { app, dispose } = setUp();
    expect(app.listenerCount('open-url')).toBe(1);
    expect(app.listenerCount('second-instance')).toBe(1);
    dispose();
    expect(app.listenerCount('open-url')).toBe(0);
    expect(app.listenerCount('second-instance')).toBe(0);
  });
});

describe('single instance and protocol registration', () => {
  it('hands its deep link over through the lock, and learns whether it is the first instance', () => {
    const calls: unknown[] = [];
    const app = { requestSingleInstanceLock: (data?: Record<string, unknown>) => (calls.push(data), false) };
    expect(acquireSingleInstanceLock(app, ['/bin/the-maestro', '--flag', LINK], SCHEME)).toBe(false);
    expect(calls).toEqual([{ deepLink: LINK }]);
    expect(handOverDataFrom(['/bin/the-maestro'], SCHEME)).toEqual({});
  });

  it('reads additionalData defensively', () => {
    expect(linkFromSecondInstance([], null, SCHEME)).toBeUndefined();
    expect(linkFromSecondInstance([], 'string', SCHEME)).toBeUndefined();
    expect(linkFromSecondInstance([], Object.create({ deepLink: LINK }), SCHEME)).toBeUndefined();
    expect(linkFromSecondInstance([], { deepLink: LINK }, SCHEME)).toBe(LINK);
  });

  it('registers the scheme, with the app path when run unpackaged', () => {
    const calls: unknown[][] = [];
    const app = { setAsDefaultProtocolClient: (...args: unknown[]) => (calls.push(args), true) };
    registerProtocolClient(app, SCHEME, { isDefaultApp: false, execPath: '/x', appPath: '/app' });
    registerProtocolClient(app, SCHEME, { isDefaultApp: true, execPath: '/electron', appPath: '/work/app' });
    expect(calls).toEqual([[SCHEME], [SCHEME, '/electron', ['/work/app']]]);
  });
});
