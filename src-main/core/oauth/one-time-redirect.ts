import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A one-time local address for the browser: `http://127.0.0.1:<port>/start/<random>` redirects
 * once to the authorization URL; asked again, it answers 404 with a sentence saying to start the
 * sign-in again, until it is closed or its time is up. The browser launcher and the window get
 * this address instead of the authorization URL, so `state`, the PKCE challenge and a returning
 * sign-in's `id_token_hint` never appear in a process's arguments (readable by every local user
 * with `ps`) nor cross into the window.
 */
export interface OneTimeRedirect {
  /** The address to hand to the browser launcher. */
  readonly url: string;
  /** From now on answers as already used (its sign-in ended), without having redirected. */
  retire(): void;
  /** Stops listening; safe to call more than once. */
  close(): Promise<void>;
}

/** What the browser shows when a start address is opened a second time. */
export const START_ADDRESS_USED =
  'This sign-in address has already been used, and works only once. Go back to The Maestro and start the sign-in again.';

const HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  connection: 'close',
};

/** Starts the address; it closes itself after `timeoutMs` (or when closed), and never keeps the process alive. */
export async function startOneTimeRedirect(
  target: string,
  options: { readonly timeoutMs: number },
): Promise<OneTimeRedirect> {
  const { createServer } = process.getBuiltinModule('node:http');
  const path = `/start/${randomBytes(24).toString('base64url')}`;
  let used = false;
  const server = createServer();
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (used || req.method !== 'GET' || req.url !== path) {
      res.writeHead(404, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${req.url === path ? START_ADDRESS_USED : 'Not found.'}\n`);
      return;
    }
    used = true;
    res.writeHead(302, { ...HEADERS, location: target });
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => void close());
  server.unref();
  const timer = setTimeout(() => void close(), options.timeoutMs);
  timer.unref();
  server.once('close', () => clearTimeout(timer));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const retire = (): void => {
    used = true;
  };
  return { url: `http://127.0.0.1:${String(port)}${path}`, retire, close };
}

/** How long a one-time start address waits for the browser. */
export const START_ADDRESS_TTL_MS = 5 * 60_000;

/**
 * Opens `url` with `open`, through a one-time local address when the URL carries a sign-in's
 * secrets-in-transit (`state`, a PKCE challenge); other pages (a provider's console) are opened as they are.
 */
export async function openThroughStartAddress(url: string, open: (url: string) => Promise<void>): Promise<void> {
  const query = new URL(url).searchParams;
  if (!query.has('state') && !query.has('code_challenge')) return open(url);
  const start = await startOneTimeRedirect(url, { timeoutMs: START_ADDRESS_TTL_MS });
  try {
    await open(start.url);
  } catch (error) {
    await start.close();
    throw error;
  }
}
