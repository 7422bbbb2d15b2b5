import { Agent, request } from 'node:http';
import { createCore } from '../../../src-main/core/create-core.js';
import { startGateway } from '../../../src-main/gateway/gateway-server.js';
import { startOpenAiApi } from '../../../test/fakes/index.js';
import type { Benchmark, BenchContext, BenchRow, Invariant, Target } from '../bench-types.js';
import { meetsTarget } from '../bench-types.js';
import { benchEnv, realisticApiKey } from '../fixtures.js';
import { quantile } from '../harness.js';

/**
 * The local gateway (issue 14) against the same local fake, same run: added latency of a small
 * request (p50, p99), added delay of streamed events under many concurrent streams, throughput,
 * and resident memory over many requests. The client, the gateway and the fake share this process
 * (and its 2 cores): the direct baseline pays the same client and fake costs, so the difference
 * is the gateway's.
 */
const GATEWAY_KEY = 'sk-maestro-gw-bench-key';

interface Sizes {
  readonly latencyRequests: number;
  readonly streams: number;
  readonly eventsPerStream: number;
  readonly throughputSeconds: number;
  readonly memoryRequests: number;
}

function sizesFor(context: BenchContext): Sizes {
  const quick = context.settings.iterations < 100;
  return quick
    ? { latencyRequests: 200, streams: 20, eventsPerStream: 5, throughputSeconds: 1, memoryRequests: 2_000 }
    : { latencyRequests: 4_000, streams: 1_000, eventsPerStream: 10, throughputSeconds: 5, memoryRequests: 100_000 };
}

/** One GET on a keep-alive agent; resolves with the milliseconds to the end of the body. */
function timedGet(agent: Agent, url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (response) => {
      response.resume();
      response.once('end', () => {
        if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode ?? 0} from ${url}`));
        else resolve(performance.now() - started);
      });
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/** Opens one event stream and resolves with each event's delay after the fake stamped it. */
function streamDelays(agent: Agent, url: string, headers: Record<string, string>): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, method: 'POST', headers }, (response) => {
      const delays: number[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const now = performance.now();
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
    outgoing.once('error', reject);
    outgoing.end('{}');
  });
}

function row(input: {
  id: string;
  name: string;
  unit: string;
  ours: number;
  baseline: number | null;
  baselineName: string | null;
  target: Target;
  invariants?: Invariant[];
  notes?: string[];
}): BenchRow {
  const invariants = input.invariants ?? [];
  // An added delay (gateway minus direct) is judged by its absolute target; a ratio of it to the
  // direct figure means nothing, and is zero or negative when the difference is within noise.
  const ratio =
    input.baseline === null || input.baseline === 0 || input.target.kind === 'absolute'
      ? null
      : input.ours / input.baseline;
  return {
    id: input.id,
    name: input.name,
    unit: input.unit,
    ours: input.ours,
    baseline: input.baseline,
    baselineName: input.baselineName,
    ratio,
    ratioIqr: null,
    rounds: 1,
    target: input.target,
    invariants,
    notes: input.notes ?? [],
    pass: meetsTarget(input.target, input.ours, ratio) && invariants.every((invariant) => invariant.ok),
  };
}

export const gatewayBenchmark: Benchmark = {
  id: 'gateway',
  title: 'the local gateway vs straight to the fake',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const sizes = sizesFor(context);
    const apiKey = realisticApiKey('openai');
    const fake = await startOpenAiApi({ validKeys: [apiKey] });
    context.defer(() => fake.close());
    // Events stamped with the fake's clock (same process, so the client can subtract).
    fake.extraRoutes.set('POST /v1/chat/completions', (_incoming, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        response.write(`data: ${performance.now()}\n\n`);
        sent += 1;
        if (sent >= sizes.eventsPerStream) {
          clearInterval(timer);
          response.end();
        }
      }, 20);
    });
    const dataDir = context.tempDir('maestro-bench-gateway-');
    const core = await createCore({
      dataDir,
      env: benchEnv({ THE_MAESTRO_OPENAI_API_BASE_URL: fake.url }),
      purpose: 'bench',
    });
    context.defer(() => core.dispose());
    await core.auth.saveApiKey({ provider: 'openai', apiKey, validate: false });
    const gateway = await startGateway({ credentials: core.auth, key: { current: () => GATEWAY_KEY } });
    context.defer(() => gateway.close());
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    context.defer(() => agent.destroy());
    const direct = { url: `${fake.url}/v1/models`, headers: { authorization: `Bearer ${apiKey}` } };
    const through = { url: `${gateway.url}/openai/v1/models`, headers: { authorization: `Bearer ${GATEWAY_KEY}` } };

    // Latency: alternate direct and gateway requests so drift hits both alike.
    const directTimes: number[] = [];
    const gatewayTimes: number[] = [];
    for (let index = 0; index < 200; index += 1) await timedGet(agent, through.url, through.headers);
    for (let index = 0; index < sizes.latencyRequests; index += 1) {
      directTimes.push(await timedGet(agent, direct.url, direct.headers));
      gatewayTimes.push(await timedGet(agent, through.url, through.headers));
    }
    const added = (q: number): number => quantile(gatewayTimes, q) - quantile(directTimes, q);
    context.log(`gateway latency: ${sizes.latencyRequests} requests each way`);

    // Streaming: many concurrent streams, each event's delay after the fake wrote it.
    const streamHeaders = (auth: string) => ({ authorization: `Bearer ${auth}`, 'content-type': 'application/json' });
    const runStreams = async (url: string, auth: string): Promise<number[]> =>
      (
        await Promise.all(Array.from({ length: sizes.streams }, () => streamDelays(agent, url, streamHeaders(auth))))
      ).flat();
    const directDelays = await runStreams(`${fake.url}/v1/chat/completions`, apiKey);
    const gatewayDelays = await runStreams(`${gateway.url}/openai/v1/chat/completions`, GATEWAY_KEY);
    const expectedEvents = sizes.streams * sizes.eventsPerStream;
    context.log(`gateway streaming: ${sizes.streams} concurrent streams`);

    // Throughput: 64 clients in a loop for a fixed time.
    const throughput = async (url: string, headers: Record<string, string>): Promise<number> => {
      const until = performance.now() + sizes.throughputSeconds * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() < until) {
            await timedGet(agent, url, headers);
            done += 1;
          }
        }),
      );
      return done / sizes.throughputSeconds;
    };
    const directRate = await throughput(direct.url, direct.headers);
    const gatewayRate = await throughput(through.url, through.headers);

    // Memory: RSS after a tenth of the requests and at the end.
    const batch = async (count: number): Promise<void> => {
      for (let sent = 0; sent < count; sent += 64)
        await Promise.all(Array.from({ length: 64 }, () => timedGet(agent, through.url, through.headers)));
    };
    await batch(sizes.memoryRequests / 10);
    globalThis.gc?.();
    const rssEarly = process.memoryUsage().rss;
    await batch((sizes.memoryRequests * 9) / 10);
    globalThis.gc?.();
    const rssLate = process.memoryUsage().rss;
    context.log(`gateway memory: ${sizes.memoryRequests} requests`);

    const sameProcess = 'client, gateway and fake share one process on this machine';
    return [
      row({
        id: 'gateway-latency-p50',
        name: 'gateway: added latency, small request (p50)',
        unit: 'ms',
        ours: added(0.5),
        baseline: quantile(directTimes, 0.5),
        baselineName: 'straight to the fake (p50)',
        target: { kind: 'absolute', max: 0.5 },
        notes: [`${sizes.latencyRequests} requests each way, alternating; ${sameProcess}`],
      }),
      row({
        id: 'gateway-latency-p99',
        name: 'gateway: added latency, small request (p99)',
        unit: 'ms',
        ours: added(0.99),
        baseline: quantile(directTimes, 0.99),
        baselineName: 'straight to the fake (p99)',
        target: { kind: 'absolute', max: 2 },
      }),
      row({
        id: 'gateway-stream-delay-p99',
        name: `gateway: added event delay, ${sizes.streams} concurrent streams (p99)`,
        unit: 'ms',
        ours: quantile(gatewayDelays, 0.99) - quantile(directDelays, 0.99),
        baseline: quantile(directDelays, 0.99),
        baselineName: 'same streams straight to the fake (p99)',
        target: { kind: 'absolute', max: 1 },
        invariants: [
          {
            name: 'every event arrived',
            ok: gatewayDelays.length === expectedEvents && directDelays.length === expectedEvents,
            detail: `${gatewayDelays.length} via the gateway, ${directDelays.length} direct, of ${expectedEvents}`,
          },
        ],
        notes: [`${sizes.eventsPerStream} events per stream, 20 ms apart; ${sameProcess}`],
      }),
      row({
        id: 'gateway-throughput',
        name: 'gateway: small requests per second (64 clients)',
        unit: 'req/s',
        ours: gatewayRate,
        baseline: directRate,
        baselineName: 'straight to the fake',
        target: { kind: 'info' },
        // The target (≥ 2,000 requests/s) is a figure of a full run on a quiet machine, not
        // an invariant: the smoke test runs this with tiny counts beside other tests.
        notes: [`target ≥ 2,000 requests/s; this run ${Math.round(gatewayRate)} req/s`],
      }),
      row({
        id: 'gateway-rss',
        name: `gateway: resident memory after ${sizes.memoryRequests} vs ${sizes.memoryRequests / 10} requests`,
        unit: 'ratio',
        ours: rssLate / rssEarly,
        baseline: null,
        baselineName: null,
        target: { kind: 'absolute', max: 1.1 },
        notes: [`RSS ${Math.round(rssEarly / 2 ** 20)} MiB → ${Math.round(rssLate / 2 ** 20)} MiB`],
      }),
    ];
  },
};
