/**
 * The browser stand-in for the Electron preload: the same `window.maestro` API, generated from
 * the same contract, over the loopback web transport (fetch for requests, server-sent events
 * for push events). Loaded only by web.html, never by the packaged app.
 */
import { createApiFromInvoker, type EventName, type Invoker, type Subscriber } from '../src-shared/ipc-contract.js';

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

function installWebApi(): void {
  const token = takeToken();
  const invoke: Invoker = async (channel, input) => {
    const response = await fetch(`./ipc/${channel}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
      cache: 'no-store',
    });
    return response.json();
  };
  let source: EventSource | null = null;
  const subscribe: Subscriber = (event: EventName, listener) => {
    // EventSource cannot send headers, so the token travels in the query (loopback only).
    source ??= new EventSource(`./events?token=${encodeURIComponent(token)}`);
    const handler = (message: MessageEvent<string>): void => listener(JSON.parse(message.data));
    const active = source;
    active.addEventListener(event, handler);
    return () => active.removeEventListener(event, handler);
  };
  Object.defineProperty(window, 'maestro', { value: createApiFromInvoker(invoke, subscribe), writable: false, configurable: false });
}

installWebApi();
// The app starts only once window.maestro exists; it is the same entry the Electron window loads.
void import('./main.js');
