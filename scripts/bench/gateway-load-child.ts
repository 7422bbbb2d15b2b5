/**
 * The gateway benchmark's other processes, so the gateway's own process holds only the gateway
 * and the core: `fake` serves the OpenAI fake (its event streams stamped with a wall clock that
 * every process shares: performance.timeOrigin + performance.now(); a round's events start once
 * all its streams are open); `client` opens the streams and sends the request batches. Talks to
 * its parent over the IPC channel:
 *   fake:   → { type: 'ready', url }
 *   client: ← { type: 'streams', url, auth, streams } → { type: 'delays', delays }
 *           ← { type: 'batch', url, auth, count, concurrency } → { type: 'batched' }
 *   both:   ← { type: 'close' } (exits)
 */
import { Agent, request } from 'node:http';
import { startOpenAiApi } from '../../test/fakes/index.js';

type Message =
  | { readonly type: 'streams'; readonly url: string; readonly auth: string; readonly streams: number }
  | {
      readonly type: 'batch';
      readonly url: string;
      readonly auth: string;
      readonly count: number;
      readonly concurrency: number;
    }
  | { readonly type: 'close' };

/** Milliseconds on a clock every process on this machine reads alike (sub-millisecond resolution). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

const role = process.argv[2];
const send = (message: unknown): void => {
  process.send?.(message);
};
process.on('disconnect', () => process.exit(0));

if (role === 'fake') {
  const apiKey = process.argv[3] ?? '';
  const events = Number(process.argv[4] ?? '10');
  const fake = await startOpenAiApi({ validKeys: [apiKey] });
  // The fake records every request; the benchmark reads none of them, so they are not kept.
  setInterval(() => (fake.requests.length = 0), 1_000).unref();
  // Each stream's headers go out at once (as a provider's do); its events start only when the whole
  // round's streams are open (the count the client sends in `x-bench-streams`, or 2 s after the
  // round's first stream as a fallback), so every event is sent while all the streams are open and
  // none waits behind the opening of the others. Then each sends an event every 20 ms, the n-th
  // stream of the round (n mod 20) ms after the first: events spread evenly over every 20 ms, as
  // independent streams' are, rather than a thousand timers firing in the same millisecond.
  let waiting: Array<(phase: number) => void> = [];
  let fallback: NodeJS.Timeout | undefined;
  const startRound = (): void => {
    clearTimeout(fallback);
    fallback = undefined;
    const round = waiting;
    waiting = [];
    round.forEach((start, index) => start(index % 20));
  };
  fake.extraRoutes.set('POST /v1/chat/completions', (incoming, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    response.once('close', () => clearTimeout(timer));
    waiting.push((phase) => {
      timer = setTimeout(() => {
        timer = setInterval(() => {
          response.write(`data: ${wallNow()}\n\n`);
          sent += 1;
          if (sent >= events) {
            clearInterval(timer);
            response.end();
          }
        }, 20);
      }, phase);
    });
    const expected = Number(incoming.headers['x-bench-streams'] ?? '1');
    if (waiting.length >= expected) startRound();
    else fallback ??= setTimeout(startRound, 2_000);
  });
  process.on('message', (message: Message) => {
    if (message.type === 'close') void fake.close().then(() => process.exit(0));
  });
  send({ type: 'ready', url: fake.url });
} else {
  // Every connection of a thousand concurrent streams is kept for the next round (Node keeps 256 by
  // default), on both paths alike: a round then measures events, not mostly reconnecting.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: Infinity });
  process.on('message', (message: Message) => {
    switch (message.type) {
      case 'streams':
        void Promise.all(
          Array.from({ length: message.streams }, () =>
            streamDelays(agent, message.url, message.auth, message.streams),
          ),
        ).then((all) => send({ type: 'delays', delays: all.flat() }));
        return;
      case 'batch':
        void batch(agent, message).then(() => send({ type: 'batched' }));
        return;
      case 'close':
        agent.destroy();
        process.exit(0);
    }
  });
  send({ type: 'ready', url: '' });
}

/**
 * Opens one event stream and resolves with each event's delay after the fake stamped it. A reused
 * keep-alive connection the server closed at that very moment fails before any answer; such a
 * stream is opened again (at most twice), the same way on both paths.
 */
async function streamDelays(agent: Agent, url: string, auth: string, streams: number): Promise<number[]> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await openStream(agent, url, auth, streams);
    } catch (error) {
      if (attempt >= 2 || !(error instanceof NotAnswered)) throw error;
    }
  }
}

class NotAnswered extends Error {}

function openStream(agent: Agent, url: string, auth: string, streams: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const headers = {
      authorization: `Bearer ${auth}`,
      'content-type': 'application/json',
      'x-bench-streams': String(streams),
    };
    let answered = false;
    const outgoing = request(url, { agent, method: 'POST', headers }, (response) => {
      answered = true;
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
