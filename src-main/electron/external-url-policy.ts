import type { Result } from '../../src-shared/errors.js';
import type { Logger } from '../log/logger.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether a URL may be handed to the system browser: https only, without userinfo; plain http
 * only for a loopback host and only when local test issuers are allowed
 * (THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER=1). Anything else (file:, javascript:, custom
 * schemes that would launch other apps) is refused.
 */
export function isExternallyOpenable(rawUrl: string, options: { readonly allowInsecureLoopback: boolean }): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && options.allowInsecureLoopback && LOOPBACK_HOSTS.has(url.hostname);
}

/** Opens a URL in the system browser (Electron's `shell.openExternal`). */
export type OpenExternal = (url: string) => Promise<void>;

/** Opens a URL main built in the system browser, if the policy allows it; never throws. */
export type ExternalOpener = (url: string) => Promise<Result<boolean>>;

/**
 * Wraps `shell.openExternal` with the policy above. Call it only with URLs the main process
 * built (an OAuth authorization URL from the core, a provider's console URL from its
 * definition), never with a URL taken from the renderer.
 */
export function createExternalOpener(options: {
  readonly openExternal: OpenExternal;
  readonly allowInsecureLoopback: boolean;
  readonly logger: Logger;
}): ExternalOpener {
  return async (url) => {
    if (!isExternallyOpenable(url, options)) {
      options.logger.warn('refused to open a URL in the system browser', { url });
      return {
        ok: false,
        error: { code: 'invalid_request', message: 'The Maestro only opens secure (https) pages in your browser.' },
      };
    }
    try {
      // electronegativity-ok: reached only after isExternallyOpenable accepted the URL
      await options.openExternal(url);
      return { ok: true, value: true };
    } catch (error) {
      options.logger.warn('the system browser could not be opened', { error });
      return {
        ok: false,
        error: {
          code: 'internal',
          message: 'Your browser could not be opened. Copy the address shown and open it yourself.',
        },
      };
    }
  };
}
