import type { Session, WebContents } from 'electron';
import type { Logger } from '../log/logger.js';
import type { Disposer } from '../core/auth-service.js';
import type { AppEvents } from './deep-link-sources.js';

/**
 * Whether a URL belongs to the app's own bundle (app://maestro/…). Compared by scheme and host:
 * Node's URL gives a custom scheme the opaque origin "null", Chromium a real one.
 */
function isOwnPage(url: string | undefined, appOrigin: string): boolean {
  if (url === undefined) return false;
  try {
    const page = new URL(url);
    const own = new URL(appOrigin);
    return page.protocol === own.protocol && page.host === own.host;
  } catch {
    return false;
  }
}

/**
 * The one permission the window has: writing text to the clipboard ("Copy address" of a sign-in
 * page), for the app's own top frame only. Chromium checks `clipboard-sanitized-write` before
 * `navigator.clipboard.writeText` and may then request it (Electron's session docs: "most web
 * APIs do a permission check and then make a permission request if the check is denied").
 */
export function isAllowedPermission(
  permission: string,
  frame: { readonly requestingUrl: string | undefined; readonly isMainFrame: boolean },
  appOrigin: string,
): boolean {
  return permission === 'clipboard-sanitized-write' && frame.isMainFrame && isOwnPage(frame.requestingUrl, appOrigin);
}

/**
 * Denies every permission (camera, microphone, notifications, clipboard reads, geolocation, …)
 * both when a page asks (request handler) and when it checks (check handler), except clipboard
 * writes from the app's own top frame (isAllowedPermission).
 */
export function restrictPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  options: { readonly appOrigin: string; readonly logger: Logger },
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isAllowedPermission(
      permission,
      { requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
      options.appOrigin,
    );
    if (!allowed) options.logger.warn('permission request denied', { permission });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isAllowedPermission(
      permission,
      { requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
      options.appOrigin,
    ),
  );
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
