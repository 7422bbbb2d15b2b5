import type { Session, WebContents } from 'electron';
import type { Logger } from '../log/logger.js';
import type { Disposer } from '../core/auth-service.js';
import type { AppEvents } from './deep-link-sources.js';

/**
 * Denies every permission (camera, microphone, notifications, clipboard reads, geolocation, …)
 * both when a page asks (request handler) and when it checks (check handler): the window needs
 * none of them.
 */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  logger: Logger,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

/**
 * Locks one webContents to the page it was given: no navigation or redirect away, no new
 * windows (`window.open`, target=_blank), no `<webview>`, and DevTools closed when they are not
 * allowed (packaged builds). `onExternalLinkRequest` sees what a page tried to open, so the main
 * process can open a URL it already knows (a provider's console page) in the system browser.
 */
export function lockDownWebContents(
  contents: WebContents,
  options: {
    readonly devTools: boolean;
    readonly logger: Logger;
    readonly onExternalLinkRequest?: (url: string) => void;
  },
): void {
  const { logger } = options;
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    logger.warn('navigation denied', { url: event.url });
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    logger.warn('redirect denied', { url: event.url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview denied');
  });
  contents.setWindowOpenHandler(({ url }) => {
    options.onExternalLinkRequest?.(url);
    return { action: 'deny' };
  });
  if (!options.devTools) {
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
}

/** Applies the lock-down to every webContents the app ever creates, including ones not made by us. */
export function lockDownAllWebContents(app: AppEvents, options: Parameters<typeof lockDownWebContents>[1]): Disposer {
  const onCreated = (_event: unknown, contents: WebContents): void => lockDownWebContents(contents, options);
  app.on('web-contents-created', onCreated);
  return () => {
    app.removeListener('web-contents-created', onCreated);
  };
}
