import type { App } from 'electron';
import type { Disposer } from '../core/auth-service.js';
import { extractDeepLinkFromArgv } from '../core/oauth/deep-link.js';
import type { DeepLinkRouter } from './deep-link-router.js';

/** The part of Electron's `app` (an EventEmitter) that deep-link listening needs. */
export interface AppEvents {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** What a second instance hands to the first with `requestSingleInstanceLock(additionalData)`. */
export interface HandOverData {
  readonly deepLink?: string;
}

/** The data this process hands over if another instance already runs: its deep link, if any. */
export function handOverDataFrom(argv: readonly string[], scheme: string): HandOverData {
  const deepLink = extractDeepLinkFromArgv(argv, scheme);
  return deepLink === undefined ? {} : { deepLink };
}

/**
 * The link a second instance brought. `additionalData` is checked first (it survives argv
 * rewriting on Windows), then argv; both are untrusted and go through the same exact parser,
 * found by scheme, never by position.
 */
export function linkFromSecondInstance(
  argv: readonly unknown[],
  additionalData: unknown,
  scheme: string,
): string | undefined {
  const handedOver =
    typeof additionalData === 'object' && additionalData !== null && Object.hasOwn(additionalData, 'deepLink')
      ? (additionalData as { deepLink: unknown }).deepLink
      : undefined;
  return extractDeepLinkFromArgv([handedOver, ...argv], scheme);
}

/**
 * Takes the single-instance lock. A second instance hands its deep link over (additionalData)
 * and must quit: returns false then.
 */
export function acquireSingleInstanceLock(
  app: Pick<App, 'requestSingleInstanceLock'>,
  argv: readonly string[],
  scheme: string,
): boolean {
  return app.requestSingleInstanceLock({ ...handOverDataFrom(argv, scheme) });
}

/**
 * Registers the app as the handler of its scheme. Run unpackaged (`electron .`), the OS must
 * launch Electron with the app's path, or the link would open a bare Electron.
 */
export function registerProtocolClient(
  app: Pick<App, 'setAsDefaultProtocolClient'>,
  scheme: string,
  launch: { readonly isDefaultApp: boolean; readonly execPath: string; readonly appPath: string | undefined },
): boolean {
  if (launch.isDefaultApp && launch.appPath !== undefined) {
    // electronegativity-ok: links of this scheme are untrusted input, parsed exactly (parseDeepLink) before anything uses them
    return app.setAsDefaultProtocolClient(scheme, launch.execPath, [launch.appPath]);
  }
  // electronegativity-ok: as above, the scheme's links go through the exact parser
  return app.setAsDefaultProtocolClient(scheme);
}

/**
 * Listens for deep links from every OS route and routes them (queued until the core is ready):
 * macOS `open-url` — register this BEFORE `ready`, macOS delivers the launch URL early — and
 * `second-instance` on Windows/Linux. The launch argv of this first instance is routed too.
 */
export function listenForDeepLinks(
  app: AppEvents,
  options: {
    readonly scheme: string;
    readonly router: DeepLinkRouter;
    readonly launchArgv: readonly string[];
    readonly onSecondInstance: () => void;
  },
): Disposer {
  const onOpenUrl = (event: { preventDefault(): void }, url: string): void => {
    event.preventDefault();
    const link = extractDeepLinkFromArgv([url], options.scheme);
    if (link !== undefined) options.router.deliver(link);
  };
  const onSecondInstance = (
    _event: unknown,
    argv: string[],
    _workingDirectory: string,
    additionalData: unknown,
  ): void => {
    const link = linkFromSecondInstance(argv, additionalData, options.scheme);
    if (link !== undefined) options.router.deliver(link);
    options.onSecondInstance();
  };
  app.on('open-url', onOpenUrl);
  app.on('second-instance', onSecondInstance);
  const launchLink = extractDeepLinkFromArgv(options.launchArgv, options.scheme);
  if (launchLink !== undefined) options.router.deliver(launchLink);
  return () => {
    app.removeListener('open-url', onOpenUrl);
    app.removeListener('second-instance', onSecondInstance);
  };
}
