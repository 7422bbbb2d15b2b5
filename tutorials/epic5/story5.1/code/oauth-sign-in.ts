/**
 * Chapter 3: the three ways back from the browser. Each starts the same flow (PKCE S256 + a
 * one-time `state`, built by the main process) and ends in the same completion step; only the
 * delivery of the provider's redirect differs.
 */
import type { LoginResultView } from '../../../../src-shared/view-models.js';
import type { RedirectMode } from '../../../../src-main/core/providers/definition.js';
import type { AuthService } from '../../../../src-main/core/auth-service.js';

/**
 * The person's browser: it opens the authorization URL, signs in, consents, and ends on the
 * redirect back to the app. Returns that redirect URL without following it.
 */
export type Browser = (authorizationUrl: string) => Promise<URL>;

async function start(
  auth: AuthService,
  provider: string,
  redirectMode: RedirectMode,
): Promise<{ flowId: string; authorizationUrl: string }> {
  const started = await auth.startOAuth({ provider, redirectMode });
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  return started.value;
}

function unwrap(result: Awaited<ReturnType<AuthService['waitForOAuth']>>): LoginResultView {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** 1. Loopback (RFC 8252 §7.3): the browser itself requests http://127.0.0.1:<port>/<path>?code=…&state=…. */
export async function signInByLoopback(
  auth: AuthService,
  provider: string,
  browser: Browser,
): Promise<LoginResultView> {
  const flow = await start(auth, provider, 'loopback');
  const redirect = await browser(flow.authorizationUrl);
  // This request is what the browser does by itself; the one-shot receiver answers a static page.
  await (await fetch(redirect)).text();
  return unwrap(await auth.waitForOAuth(flow.flowId));
}

/** 2. Deep link (RFC 8252 §7.1): the OS hands the app `<scheme>:/oauth/<provider>/callback?…`. */
export async function signInByDeepLink(
  auth: AuthService,
  provider: string,
  browser: Browser,
): Promise<LoginResultView> {
  const flow = await start(auth, provider, 'deep_link');
  const redirect = await browser(flow.authorizationUrl);
  // In the app, Electron's `open-url` or `second-instance` delivers this string (src-main/electron).
  return unwrap(await auth.handleDeepLink(redirect.href));
}

/** 3. Paste: the person copies the code (or the whole address) into the window or the terminal. */
export async function signInByPaste(
  auth: AuthService,
  provider: string,
  browser: Browser,
): Promise<{ login: LoginResultView; flowId: string; pasted: string }> {
  const flow = await start(auth, provider, 'loopback');
  const redirect = await browser(flow.authorizationUrl);
  // The browser could not reach this machine; the person pastes the address it ended on.
  const login = unwrap(await auth.submitPastedCode({ flowId: flow.flowId, pasted: redirect.href }));
  return { login, flowId: flow.flowId, pasted: redirect.href };
}
