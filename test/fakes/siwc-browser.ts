/**
 * Plays the person's browser against the Sign-in-with-ChatGPT fake (openai-siwc.md §11.6): takes
 * the authorization URL the app would open, checks what must hold on the way — the app's loopback
 * listener is already bound, the URL never says `localhost`, no access or refresh token is in any
 * URL, `id_token_hint` only on a returning sign-in — GETs it without following redirects, and
 * hands back the redirect to the app's loopback listener (delivered by `deliverToLoopback`, or
 * pasted).
 */
import { connect } from 'node:net';
import type { SiwcFake } from './openai-siwc.js';

export interface AuthorizeOptions {
  /** Whether this is a returning sign-in (an issued client id): `id_token_hint` may appear only then. */
  readonly returning?: boolean;
}

/** Resolves when something accepts connections on 127.0.0.1:`port`; rejects when nothing does. */
function listening(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

function assertNoSecrets(fake: SiwcFake, url: URL, what: string): void {
  for (const secret of fake.issuedSecrets()) {
    if (url.href.includes(secret)) throw new Error(`${what} carries an access or refresh token`);
  }
}

/** Asks the fake's authorize endpoint as a browser would; returns the redirect back to the app, unrequested. */
export async function authorizeInBrowser(
  fake: SiwcFake,
  authorizationUrl: string,
  options: AuthorizeOptions = {},
): Promise<URL> {
  const url = new URL(authorizationUrl);
  if (url.href.includes('localhost')) throw new Error('the authorization URL names localhost');
  assertNoSecrets(fake, url, 'the authorization URL');
  if (url.searchParams.has('id_token_hint') && options.returning !== true)
    throw new Error('id_token_hint on a first sign-in');
  const redirectUri = new URL(url.searchParams.get('redirect_uri') ?? 'http://invalid');
  if (redirectUri.hostname !== '127.0.0.1') throw new Error(`redirect_uri on ${redirectUri.hostname}`);
  await listening(Number(redirectUri.port));
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`authorize answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  await response.body?.cancel();
  const back = new URL(location);
  assertNoSecrets(fake, back, 'the redirect back to the app');
  return back;
}
