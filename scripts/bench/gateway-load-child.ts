/**
 * The gateway benchmark's processes: `fake` serves the OpenAI fake (its event streams stamped with
 * a wall clock that every process shares: performance.timeOrigin + performance.now(); a round's
 * events start once all its streams are open); `client` opens the streams and sends the request
 * batches; `gateway` runs the core and the gateway as the app runs them, and nothing else, so its
 * collections and its memory are the gateway's own, not those of the benchmark runner's heap.
 * Talks to its parent over the IPC channel:
 *   fake:    → { type: 'ready', url }
 *            ← { type: 'start-round' } → { type: 'round-started' } (the waiting streams' events start)
 *   client:  ← { type: 'streams', url, auth, streams, intervalMs } → { type: 'streams-open' } (unasked,
 *                                   once every stream's response head arrived) → { type: 'delays', delays }
 *            ← { type: 'batch', url, auth, count, concurrency } → { type: 'batched' }
 *   relay:   → { type: 'ready', url } (a bare TCP relay to the fake at argv[3]: no HTTP, no credential)
 *   http-relay: → { type: 'ready', url } (a bare node:http relay to the fake at argv[3]: no credential, no log)
 *   gateway: ← { type: 'start', fakeUrl, apiKey, dataDir, logDir } → { type: 'started', url, key }
 *            ← { type: 'usage', collect } → { type: 'usage', cpuMicros, rss, heapUsed, external, gcPauses }
 *                                        (gcPauses: its collections' pauses in ms since the last usage)
 *   all:     ← { type: 'cpu' } → { type: 'cpu', cpuMicros } (the process's CPU time, user + system)
 *            ← { type: 'close' } (exits)
 */
import { Agent, createServer as createHttpServer, request } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startOpenAiApi } from '../../test/fakes/index.js';
import { startAppGateway } from './app-gateway.js';

type Message =
  | {
      readonly type: 'streams';
      readonly url: string;
      readonly auth: string;
      readonly streams: number;
      readonly intervalMs: number;
    }
  | {
      readonly type: 'batch';
      readonly url: string;
      readonly auth: string;
      readonly count: number;
      readonly concurrency: number;
    }
  | {
      readonly type: 'start';
      readonly fakeUrl: string;
      readonly apiKey: string;
      readonly dataDir: string;
      readonly logDir: string;
    }
  | { readonly type: 'usage'; readonly collect: boolean }
  | { readonly type: 'start-round' }
  | { readonly type: 'close' };

/** Milliseconds on a clock every process on this machine reads alike (sub-millisecond resolution). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

const role = process.argv[2];
const send = (message: unknown): void => {
  process.send?.(message);
};
process.on('disconnect', () => process.exit(0));
process.on('message', (message: { readonly type: string }) => {
  if (message.type !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  send({ type: 'cpu', cpuMicros: user + system });
});

if (role === 'fake') {
  const apiKey = process.argv[3] ?? '';
  const events = Number(process.argv[4] ?? '10');
  const fake = await startOpenAiApi({ validKeys: [apiKey] });
  // The fake records every request; the benchmark reads none of them, so they are not kept.
  setInterval(() => (fake.requests.length = 0), 1_000).unref();
  // Each stream's headers go out at once (as a provider's do); its events start only when the whole
  // round's streams are open — when the client has every stream's response head, through whatever
  // is in between, and the benchmark says `start-round` (10 s after the round's first stream as a
  // fallback) — so every event is sent while all the streams are open and none waits behind the
  // opening of the others. Then each sends an event every interval (the
  // `x-bench-interval-ms` the client sends, 20 ms by default), the n-th stream of the round
  // (n mod interval) ms after the first: events spread evenly over every interval, as independent
  // streams' are, rather than a thousand timers firing in the same millisecond.
  let waiting: Array<() => void> = [];
  let fallback: NodeJS.Timeout | undefined;
  const startRound = (): void => {
    clearTimeout(fallback);
    fallback = undefined;
    const round = waiting;
    waiting = [];
    round.forEach((start) => start());
    send({ type: 'round-started' });
  };
  fake.extraRoutes.set('POST /v1/chat/completions', (incoming, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    response.once('close', () => clearTimeout(timer));
    const intervalMs = Number(incoming.headers['x-bench-interval-ms'] ?? '20');
    const phase = waiting.length % intervalMs;
    waiting.push(() => {
      timer = setTimeout(() => {
        timer = setInterval(() => {
          response.write(`data: ${wallNow()}\n\n`);
          sent += 1;
          if (sent >= events) {
            clearInterval(timer);
            response.end();
          }
        }, intervalMs);
      }, phase);
    });
    fallback ??= setTimeout(startRound, 10_000);
  });
  process.on('message', (message: Message) => {
    if (message.type === 'start-round') startRound();
    if (message.type === 'close') void fake.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: fake.url });
} else if (role === 'relay') {
  // The floor of any process between a client and the provider on this machine: each connection
  // piped byte for byte to the fake, no HTTP parsing, no credential, no log. What it adds to an
  // event's delay, every relay adds here, the gateway included.
  const target = new URL(process.argv[3] ?? '');
  const relay = createServer({ noDelay: true }, (socket) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  serveRelay(relay);
} else if (role === 'http-relay') {
  // The floor of any Node HTTP proxy here: node:http's server and client with a keep-alive agent,
  // each request forwarded as it came and each response chunk written on as it arrives — what the
  // gateway does, without the key check, the credential, the log or the error handling.
  const target = new URL(process.argv[3] ?? '');
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1_024 });
  const relay = createHttpServer({ noDelay: true }, (incoming, outgoing) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host },
        agent: upstreamAgent,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        outgoing.flushHeaders();
        answer.on('data', (chunk: Buffer) => outgoing.write(chunk));
        answer.once('end', () => outgoing.end());
      },
    );
    upstream.setNoDelay(true);
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  serveRelay(relay);
} else if (role === 'gateway') {
  let closing: (() => Promise<void>) | undefined;
  let gcPauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'start':
        void startAppGateway(message).then(({ url, key, close }) => {
          closing = close;
          send({ type: 'started', url, key });
        });
        return;
      case 'usage':
        void (message.collect ? collectGarbage() : Promise.resolve()).then(() => {
          const { user, system } = process.cpuUsage();
          const { rss, heapUsed, external } = process.memoryUsage();
          send({ type: 'usage', cpuMicros: user + system, rss, heapUsed, external, gcPauses });
          gcPauses = [];
        });
        return;
      case 'close':
        void (closing?.() ?? Promise.resolve()).finally(() => process.exit(0));
        return;
      case 'streams':
      case 'batch':
      case 'start-round':
        return;
    }
  });
  send({ type: 'ready', url: '' });
} else {
  // Every connection of a thousand concurrent streams is kept for the next round (Node keeps 256 by
  // default), on both paths alike: a round then measures events, not mostly reconnecting.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Infinity });
  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'streams': {
        let heads = 0;
        const headed = (): void => {
          heads += 1;
          if (heads === message.streams) send({ type: 'streams-open' });
        };
        void Promise.all(Array.from({ length: message.streams }, () => streamDelays(agent, message, headed))).then(
          (all) => send({ type: 'delays', delays: all.flat() }),
        );
        return;
      }
      case 'batch':
        void batch(agent, message).then(() => send({ type: 'batched' }));
        return;
      case 'close':
        agent.destroy();
        process.exit(0);
        return;
      case 'start':
      case 'usage':
      case 'start-round':
        return;
    }
  });
  send({ type: 'ready', url: '' });
}

/** A relay on a free loopback port: says where once listening, exits when told to close. */
function serveRelay(relay: Server): void {
  relay.listen(0, '127.0.0.1', () => {
    const address = relay.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    send({ type: 'ready', url: `http://127.0.0.1:${port}` });
  });
  process.on('message', (message: Message) => {
    if (message.type === 'close') process.exit(0);
  });
}

/**
 * Opens one event stream and resolves with each event's delay after the fake stamped it; `headed`
 * is called when its response head arrives. A reused keep-alive connection the server closed at
 * that very moment fails before any answer; such a stream is opened again (at most twice), the
 * same way on both paths.
 */
async function streamDelays(
  agent: Agent,
  message: Extract<Message, { type: 'streams' }>,
  headed: () => void,
): Promise<number[]> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await openStream(agent, message, headed);
    } catch (error) {
      if (attempt >= 2 || !(error instanceof NotAnswered)) throw error;
    }
  }
}

class NotAnswered extends Error {}

function openStream(
  agent: Agent,
  { url, auth, intervalMs }: Extract<Message, { type: 'streams' }>,
  headed: () => void,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const headers = {
      authorization: `Bearer ${auth}`,
      'content-type': 'application/json',
      'x-bench-interval-ms': String(intervalMs),
    };
    let answered = false;
    const outgoing = request(url, { agent, method: 'POST', headers }, (response) => {
      answered = true;
      headed();
      const delays: number[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const now = wallNow();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const stamp = Number(/^data: (\S+)/m.exec(buffer.slice(0, end))?.[1]);
          if (Number.isFinite(stamp)) delays.push(now - stamp);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      });
      response.once('end', () => resolve(delays));
    });
    outgoing.on('error', (error) => reject(answered ? error : new NotAnswered(error.message)));
    outgoing.end('{}');
  });
}

/** `count` GETs, `concurrency` at a time, each read to its end. */
async function batch(agent: Agent, message: Extract<Message, { type: 'batch' }>): Promise<void> {
  let left = message.count;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const outgoing = request(message.url, { agent, headers: { authorization: `Bearer ${message.auth}` } }, (r) => {
        r.resume();
        r.once('end', () => (r.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${r.statusCode ?? 0}`))));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  await Promise.all(
    Array.from({ length: message.concurrency }, async () => {
      while (left > 0) {
        left -= 1;
        await one();
      }
    }),
  );
}

/**
 * Two full garbage collections a turn apart (V8's flag set at run time), so resident memory is
 * compared at rest: the first frees the closed sockets' JS objects, the turn lets their native
 * handles close, the second collects what those callbacks released.
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
