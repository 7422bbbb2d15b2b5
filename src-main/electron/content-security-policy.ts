import { RENDERER_SECURITY_HEADERS } from '../renderer-policy.js';

/**
 * The window's Content-Security-Policy, sent as a response header by the app protocol (a header
 * cannot be removed by the page, unlike a meta tag). No inline script or style, no eval, nothing
 * remote: the renderer talks to the main process through the preload only.
 */
export { CONTENT_SECURITY_POLICY } from '../renderer-policy.js';

/** Headers on every response the app protocol serves (successes and refusals alike). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  ...RENDERER_SECURITY_HEADERS,
  'Cache-Control': 'no-store',
};
