/**
 * The browser stand-in for the Electron preload: the same `window.maestro` API, generated from
 * the same contract, over the loopback web transport (fetch for requests, server-sent events
 * for push events). Loaded only by web.html, never by the packaged app.
 *
 * Loading order (the page's critical path): this small entry runs first and at once asks for the
 * data of the app's first render (FIRST_RENDER_CHANNELS), then loads the contract, installs
 * `window.maestro` and only then runs the app — the app reads `window.maestro` when it starts.
 * web.html preloads the contract and the app (vite.renderer.config.ts), so they download and
 * compile while this runs and the first replies are on their way; the app's first requests on
 * those channels are answered from them (still checked against the contract, like every reply).
 */
import type { ChannelName, EventName, Invoker, Subscriber } from '../src-shared/ipc-contract.js';
import { FIRST_RENDER_CHANNELS } from './app/first-render.js';

const TOKEN_KEY = 'the-maestro.web-token';

/** Takes the token from `#token=…` once, then clears it from the address bar (and history). */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = takeToken();

async function post(channel: ChannelName, input: unknown): Promise<unknown> {
  const response = await fetch(`./ipc/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
    cache: 'no-store',
  });
  return response.json();
}

let source: EventSource | null = null;
/** One event stream for the page; EventSource cannot send headers, so the token travels in the query (loopback only). */
function events(): EventSource {
  source ??= new EventSource(`./events?token=${encodeURIComponent(token)}`);
  return source;
}

/**
 * Replies asked for before the app runs, each for the app's first request on its channel (with
 * no input). The event stream opens in the same task, as it does when the app subscribes and asks
 * (after the requests, which it would otherwise keep from one of the browser's six connections):
 * a status change announced before the app listens makes the early status stale, so it is
 * dropped and the app's request goes to the server.
 */
const early = new Map<ChannelName, Promise<unknown>>();
function askEarly(): void {
  for (const channel of FIRST_RENDER_CHANNELS) {
    const reply = post(channel, {});
    // Failed before the app asked: the app's own request goes to the server. Failed after: the
    // app sees the failure as it would a live request's (the contract makes it an error value).
    reply.catch(() => early.delete(channel));
    early.set(channel, reply);
  }
  events().addEventListener('status.changed', () => early.delete('session.get'), { once: true });
}

function takeEarly(channel: ChannelName, input: unknown): Promise<unknown> | undefined {
  const reply = early.get(channel);
  if (reply === undefined || typeof input !== 'object' || input === null || Object.keys(input).length > 0)
    return undefined;
  early.delete(channel);
  return reply;
}

const invoke: Invoker = (channel, input) => takeEarly(channel, input) ?? post(channel, input);

const subscribe: Subscriber = (event: EventName, listener) => {
  const handler = (message: MessageEvent<string>): void => listener(JSON.parse(message.data));
  const active = events();
  active.addEventListener(event, handler);
  return () => active.removeEventListener(event, handler);
};

/** Opened without its token (typed by hand, or the fragment lost): every request would be refused, so say what to open. */
function showTokenMissing(): void {
  const message = document.createElement('p');
  message.className = 'notice notice-warning';
  message.setAttribute('role', 'alert');
  message.textContent =
    'This page needs its token. Open the address `npm run start:web` printed when it started: it ends in #token=….';
  document.getElementById('root')?.replaceChildren(message);
}

if (token === '') {
  showTokenMissing();
} else {
  askEarly();
  // The app starts only once window.maestro exists; it is the same entry the Electron window loads.
  void import('../src-shared/ipc-contract.js').then(({ createApiFromInvoker }) => {
    Object.defineProperty(window, 'maestro', {
      value: createApiFromInvoker(invoke, subscribe),
      writable: false,
      configurable: false,
    });
    return import('./main.js');
  });
}
