/**
 * Plays the person's browser against the local authorization servers (test/fakes/oauth-server.ts
 * and test/fakes/anthropic-oauth.ts): follows the authorization URL through login and consent
 * (finished programmatically by the servers' interaction routes), keeping cookies like a browser,
 * and stops at the final redirect back to the app WITHOUT requesting it. The caller then delivers
 * that URL by loopback (`deliverToLoopback`), as a deep link, or by pasting it.
 */

/** One cookie as a browser keeps it: name, value and the path it is sent on. */
interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** A tiny cookie jar for one origin: enough for oidc-provider's interaction and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, Cookie>();

  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const pathAttribute = attributes.find((attribute) => attribute.toLowerCase().startsWith('path='));
      const path = pathAttribute?.slice(5) || '/';
      const expired =
        attributes.some((attribute) => /^max-age=(0|-)/i.test(attribute)) ||
        attributes.some((attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) < Date.now());
      const key = `${name};${path}`;
      if (expired || value === '') this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  headerFor(url: URL): string {
    return [...this.cookies.values()]
      .filter(
        (cookie) =>
          url.pathname === cookie.path ||
          url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`) ||
          cookie.path === '/',
      )
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }
}

const MAX_HOPS = 20;

/** A redirect back to the app carries `code` or `error`; an authorization request (Anthropic's has `code=true`) carries `response_type`. */
function isResponseToApp(url: URL): boolean {
  return (url.searchParams.has('code') || url.searchParams.has('error')) && !url.searchParams.has('response_type');
}

/**
 * Follows `authorizationUrl` (or the app's one-time start address, which redirects to it) through the authorization server until it redirects back to the app
 * (a URL carrying `code` or `error`), and returns that URL unrequested. Throws when the server
 * answers with an error page instead.
 */
export async function completeInBrowser(authorizationUrl: string): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const cookie = jar.headerFor(url);
    const response = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });
    jar.store(response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (isResponseToApp(next)) return next;
      url = next;
      continue;
    }
    const body = (await response.text()).slice(0, 300);
    throw new Error(
      `The authorization server answered ${response.status} at ${url.pathname} instead of redirecting: ${body}`,
    );
  }
  throw new Error(`Too many redirects following ${authorizationUrl}`);
}

/** Requests the redirect URL the way the browser would, reaching the app's loopback receiver. */
export async function deliverToLoopback(
  url: URL | string,
): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** What a person copies from a paste page such as Anthropic's: `code#state`. */
export function pasteCodeOf(url: URL): string {
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  if (code === null || state === null) throw new Error('The redirect carries no code/state to paste');
  return `${code}#${state}`;
}

/** The authorization URL behind one of the app's one-time start addresses (which then answers 404: it works once). */
export async function authorizationUrlBehind(startUrl: string): Promise<URL> {
  const response = await fetch(startUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`the start address answered ${response.status}`);
  return new URL(location);
}
