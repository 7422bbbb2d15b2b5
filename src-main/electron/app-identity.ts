/**
 * Names the operating system and the window see. They must agree with electron-builder.yml
 * (appId, productName, protocols) — the packaged app registers exactly this deep-link scheme.
 */

/** Reverse-DNS application id (macOS bundle id, Windows AppUserModelID). */
export const APP_ID = 'app.themaestro.desktop';

export const PRODUCT_NAME = 'The Maestro';

/**
 * The custom protocol that serves the UI from the bundle: `app://maestro/index.html`.
 * A standard, secure scheme gives the page a real origin, so CSP `'self'` means our bundle only.
 */
export const APP_PROTOCOL_SCHEME = 'app';
export const APP_PROTOCOL_HOST = 'maestro';
export const APP_ORIGIN = `${APP_PROTOCOL_SCHEME}://${APP_PROTOCOL_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
