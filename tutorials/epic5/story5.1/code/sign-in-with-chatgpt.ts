/**
 * Chapter 8: Sign in with ChatGPT with no configuration, then prove the sign-in works with one
 * streamed request ("Test this model"). The same calls the window and `the-maestro login openai
 * --oauth` / `the-maestro test openai` make.
 */
import type { AuthService } from '../../../../src-main/core/auth-service.js';
import { planCredentialUse } from '../../../../src-main/core/plan-credentials.js';
import type { LoginResultView, ModelTestView } from '../../../../src-shared/view-models.js';

/**
 * The person's browser: opens the authorization URL, signs in (and, the first time, names the app
 * and reviews its permissions), and ends on the redirect back to 127.0.0.1. Returns that URL.
 */
export type Browser = (authorizationUrl: string) => Promise<URL>;

export interface ChatGptSignIn {
  readonly login: LoginResultView;
  /** The authorization request's parameters: what OpenAI was asked for. */
  readonly asked: URLSearchParams;
}

/** Signs in to OpenAI with ChatGPT (registering The Maestro at the first sign-in to the account). */
export async function signInWithChatGpt(auth: AuthService, browser: Browser, account?: string): Promise<ChatGptSignIn> {
  const started = await auth.startOAuth({ provider: 'openai', ...(account !== undefined ? { account } : {}) });
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  const redirect = await browser(started.value.authorizationUrl);
  // What the browser does by itself: request the redirect, reaching the one-shot loopback receiver.
  await (await fetch(redirect)).text();
  const login = await auth.waitForOAuth(started.value.flowId);
  if (!login.ok) throw new Error(`${login.error.code}: ${login.error.message}`);
  return { login: login.value, asked: new URL(started.value.authorizationUrl).searchParams };
}

/** "Test this model": one short streamed reply with the credential in use. */
export async function testModel(auth: AuthService, provider: string, model?: string): Promise<ModelTestView> {
  const result = await auth.testModel({ provider, ...(model !== undefined ? { model } : {}) });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Where the credential may go, asked the one place that decides (src-main/core/plan-credentials.ts). */
export async function mayGoToGateway(auth: AuthService, provider: string): Promise<boolean> {
  const resolved = await auth.resolve(provider);
  if (!resolved.ok) throw new Error(resolved.error.message);
  return planCredentialUse(resolved.value, 'gateway').allowed;
}
