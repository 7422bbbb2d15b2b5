import { Agent, request } from 'node:http';
import { availableParallelism } from 'node:os';
import { startAppGateway } from '../app-gateway.js';
import { type LoadProcess, startLoadProcess } from '../gateway-processes.js';
import type { Benchmark, BenchContext, BenchRow, Invariant, Target } from '../bench-types.js';
import { meetsTarget } from '../bench-types.js';
import { realisticApiKey } from '../fixtures.js';
import { median, quantile } from '../harness.js';

/**
 * The local gateway (issue 14) against the same local fake, same run: added latency of a small
 * request (p50, p99), added delay of streamed events under many concurrent streams, throughput,
 * and resident memory over many requests. The fake runs in its own process, and so do the stream
 * and memory clients (gateway-load-child.ts). The streaming rows also carry the same streams through
 * two floors, each in its own process: a bare TCP relay (no HTTP: what any process between client
 * and provider adds on this machine) and a bare node:http relay (what any Node HTTP proxy adds).
 * The streaming and memory rows go through a gateway in
 * a process of its own too (the core and the gateway only, as in the app's or the agent's process):
 * this runner's process holds every earlier benchmark's heap, whose collections would pause the
 * gateway there and nowhere in the app. The latency and throughput rows use a gateway in this
 * process, beside their clients, as in the direct baseline.
 * Each gateway is set up as the app and `the-maestro agent` set it up: the sealed gateway key from
 * the store, and one line per request through the redacting logger into a rotating log file, each
 * round of I/O's lines written together.
 */

interface Sizes {
  readonly latencyRequests: number;
  readonly streams: number;
  /** Measured stream rounds each way, interleaved direct / gateway. */
  readonly streamRounds: number;
  readonly eventsPerStream: number;
  readonly throughputSeconds: number;
  readonly memoryRequests: number;
}

function sizesFor(context: BenchContext): Sizes {
  const quick = context.settings.iterations < 100;
  return quick
    ? {
        latencyRequests: 200,
        streams: 20,
        streamRounds: 2,
        eventsPerStream: 5,
        throughputSeconds: 1,
        memoryRequests: 2_000,
      }
    : {
        latencyRequests: 4_000,
        streams: 1_000,
        streamRounds: 5,
        eventsPerStream: 10,
        throughputSeconds: 5,
        memoryRequests: 100_000,
      };
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

/** Events 20 ms apart on each stream (the target row), and 100 ms apart (an information row). */
const STREAM_INTERVAL_MS = 20;
const SLOW_STREAM_INTERVAL_MS = 100;

/** One streaming measurement: its rounds' delays, and the processes' CPU time over them (µs). */
interface StreamFigures {
  readonly intervalMs: number;
  readonly roundDifferences: number[];
  /** Each floor's, in the order of `floors`. */
  readonly floors: readonly FloorFigures[];
  readonly directP99s: number[];
  readonly allDirect: number[];
  readonly allGateway: number[];
  /** The gateway process's, over the gateway rounds: while the events flow, and opening the streams. */
  gatewayEventsCpu: number;
  gatewaySetupCpu: number;
  /** The fake's and the client's while the events flow, in the direct rounds and in the gateway rounds. */
  othersEventsCpuDirect: number;
  othersEventsCpuGateway: number;
  readonly gcPauses: number[];
  eventsOk: boolean;
}

/** A process that only relays between the client and the fake: a floor under the gateway's figure. */
interface Floor {
  readonly id: string;
  readonly name: string;
  readonly what: string;
  /** What its figure says about the gateway's. */
  readonly meaning: string;
  readonly process: LoadProcess;
  /** The streams' address through it. */
  readonly streams: string;
}

/** One floor's figures over the rounds: its p99 minus the direct p99 per round, its delays, its CPU (µs). */
interface FloorFigures {
  readonly differences: number[];
  readonly all: number[];
  eventsCpu: number;
}

/** CPU time (µs) of the gateway process, of each floor's, and of the fake and the client together. */
interface CpuReadings {
  readonly gateway: number;
  readonly floors: readonly number[];
  readonly others: number;
}

/** The gateway process's CPU time (user + system, µs) and memory, after two full collections if `collect`. */
interface Usage {
  readonly cpuMicros: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  /** The process's garbage-collection pauses (ms) since the previous reading. */
  readonly gcPauses: readonly number[];
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
  /** The figure is a difference (gateway minus direct): a ratio of it to the direct figure means nothing. */
  difference?: boolean;
}): BenchRow {
  const invariants = input.invariants ?? [];
  // An added delay (gateway minus direct) is judged by its absolute target; a ratio of it to the
  // direct figure means nothing, and is zero or negative when the difference is within noise.
  const ratio =
    input.baseline === null || input.baseline === 0 || input.target.kind === 'absolute' || input.difference === true
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
    // The fake in its own process, its events stamped with a clock every process shares.
    const fake = await startLoadProcess(['fake', apiKey, String(sizes.eventsPerStream)]);
    context.defer(() => fake.close());
    const client = await startLoadProcess(['client']);
    context.defer(() => client.close());
    // The floors, each in its own process like the gateway's.
    const floors: Floor[] = [];
    for (const [role, id, name, what, meaning] of [
      [
        'relay',
        'tcp',
        'bare TCP relay',
        "pipes each connection's bytes to the fake (no HTTP, no credential, no log)",
        "what it adds, any process in the gateway's place adds on this machine",
      ],
      [
        'http-relay',
        'http',
        'bare Node HTTP relay',
        "forwards each request with node:http's server and client and writes each chunk on (no key check, credential, log or error handling)",
        'what it adds, a Node HTTP proxy adds here before any work of its own',
      ],
    ] as const) {
      const relayProcess = await startLoadProcess([role, fake.url]);
      context.defer(() => relayProcess.close());
      floors.push({
        id,
        name,
        what,
        meaning,
        process: relayProcess,
        streams: `${relayProcess.url}/v1/chat/completions`,
      });
    }
    // The streaming and memory rows' gateway, in a process of its own with its own data dir.
    const gatewayProcess = await startLoadProcess(['gateway']);
    context.defer(() => gatewayProcess.close());
    const own = await gatewayProcess.ask<{ url: string; key: string }>(
      {
        type: 'start',
        fakeUrl: fake.url,
        apiKey,
        dataDir: context.tempDir('maestro-bench-gateway-own-'),
        logDir: context.tempDir('maestro-bench-gateway-own-logs-'),
      },
      'started',
    );
    const usage = (collect: boolean): Promise<Usage> => gatewayProcess.ask<Usage>({ type: 'usage', collect }, 'usage');
    // The latency and throughput rows' gateway, beside their clients in this process.
    const gateway = await startAppGateway({
      fakeUrl: fake.url,
      apiKey,
      dataDir: context.tempDir('maestro-bench-gateway-'),
      logDir: context.tempDir('maestro-bench-gateway-logs-'),
    });
    context.defer(() => gateway.close());
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    context.defer(() => agent.destroy());
    const direct = { url: `${fake.url}/v1/models`, headers: { authorization: `Bearer ${apiKey}` } };
    const through = { url: `${gateway.url}/openai/v1/models`, headers: { authorization: `Bearer ${gateway.key}` } };

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

    // Streaming: many concurrent streams from the client process, each event's delay after the
    // fake wrote it. A clock offset between the two processes is the same both ways and cancels.
    const directStreams = `${fake.url}/v1/chat/completions`;
    const gatewayStreams = `${own.url}/openai/v1/chat/completions`;
    const cpuOf = async (target: LoadProcess): Promise<number> =>
      (await target.ask<{ cpuMicros: number }>({ type: 'cpu' }, 'cpu')).cpuMicros;
    const streamRounds = async (intervalMs: number): Promise<StreamFigures> => {
      // A round's events start once the client has every stream's response head: all are open, and
      // none is still being set up by the process in between when the first event is sent.
      const runStreams = async (url: string, auth: string): Promise<number[]> => {
        const open = client.next('streams-open');
        const done = client.ask<{ delays: number[] }>(
          { type: 'streams', url, auth, streams: sizes.streams, intervalMs },
          'delays',
        );
        await open;
        await fake.ask({ type: 'start-round' }, 'round-started');
        return (await done).delays;
      };
      // One unmeasured round each way first: both paths then run on open keep-alive connections (the
      // client's to the fake or the gateway, the gateway's to the fake), so the figure is the delay
      // of forwarding an event, not of opening a thousand TCP connections at once. Within a round the
      // fake sends no event before all the round's streams are open, and spreads the streams' events
      // evenly over every interval (gateway-load-child.ts): the figure is the steady state of that
      // many open streams, not the wait behind a thousand requests arriving in the same millisecond.
      await runStreams(directStreams, apiKey);
      for (const floor of floors) await runStreams(floor.streams, apiKey);
      await runStreams(gatewayStreams, own.key);
      // Then rounds in turn direct, each floor, gateway. A round's p99 is set by the worst moments of three
      // busy processes on the machine's cores, which differ from round to round by more than the
      // gateway adds; the figure is the median over rounds of (gateway p99 − direct p99 of the round
      // just before), so one unlucky round moves it no more than any other.
      const figures: StreamFigures = {
        intervalMs,
        roundDifferences: [],
        floors: floors.map(() => ({ differences: [], all: [], eventsCpu: 0 })),
        directP99s: [],
        allDirect: [],
        allGateway: [],
        gatewayEventsCpu: 0,
        gatewaySetupCpu: 0,
        othersEventsCpuDirect: 0,
        othersEventsCpuGateway: 0,
        gcPauses: [],
        eventsOk: true,
      };
      const expectedEvents = sizes.streams * sizes.eventsPerStream;
      // Each process's CPU time (figures the machine's load does not stretch, unlike a delay), read
      // before a round, when its events start (the fake says so once every stream is open) and at
      // its end: opening the streams and forwarding the events are told apart.
      const cpuReadings = async (): Promise<CpuReadings> => {
        const gateway = await cpuOf(gatewayProcess);
        const floorCpu: number[] = [];
        for (const floor of floors) floorCpu.push(await cpuOf(floor.process));
        return { gateway, floors: floorCpu, others: (await cpuOf(fake)) + (await cpuOf(client)) };
      };
      const minus = (a: CpuReadings, b: CpuReadings): CpuReadings => ({
        gateway: a.gateway - b.gateway,
        floors: a.floors.map((value, index) => value - (b.floors[index] ?? 0)),
        others: a.others - b.others,
      });
      const timedRound = async (
        url: string,
        auth: string,
      ): Promise<{ delays: number[]; setup: CpuReadings; events: CpuReadings }> => {
        const before = await cpuReadings();
        const atStart = fake.next('round-started').then(cpuReadings);
        const delays = await runStreams(url, auth);
        const start = await atStart;
        const end = await cpuReadings();
        return { delays, setup: minus(start, before), events: minus(end, start) };
      };
      for (let round = 0; round < sizes.streamRounds; round += 1) {
        const direct = await timedRound(directStreams, apiKey);
        const directDelays = direct.delays;
        figures.othersEventsCpuDirect += direct.events.others;
        const floorDelays: number[][] = [];
        for (const [index, floor] of floors.entries()) {
          const relayed = await timedRound(floor.streams, apiKey);
          const floorFigures = figures.floors[index];
          if (floorFigures === undefined) continue;
          floorFigures.eventsCpu += relayed.events.floors[index] ?? 0;
          floorFigures.differences.push(quantile(relayed.delays, 0.99) - quantile(directDelays, 0.99));
          floorFigures.all.push(...relayed.delays);
          floorDelays.push(relayed.delays);
        }
        await usage(false); // from here, the gateway process's collections
        const through = await timedRound(gatewayStreams, own.key);
        const gatewayDelays = through.delays;
        figures.gatewayEventsCpu += through.events.gateway;
        figures.gatewaySetupCpu += through.setup.gateway;
        figures.othersEventsCpuGateway += through.events.others;
        figures.gcPauses.push(...(await usage(false)).gcPauses);
        figures.eventsOk &&= [gatewayDelays, directDelays, ...floorDelays].every(
          (delays) => delays.length === expectedEvents,
        );
        figures.directP99s.push(quantile(directDelays, 0.99));
        figures.roundDifferences.push(quantile(gatewayDelays, 0.99) - quantile(directDelays, 0.99));
        figures.allDirect.push(...directDelays);
        figures.allGateway.push(...gatewayDelays);
      }
      context.log(
        `gateway streaming: ${sizes.streamRounds} rounds of ${sizes.streams} concurrent streams each way (direct, ${floors.map((floor) => floor.name).join(', ')}, gateway), events ${intervalMs} ms apart`,
      );
      return figures;
    };
    const streaming = await streamRounds(STREAM_INTERVAL_MS);
    const slowStreaming = await streamRounds(SLOW_STREAM_INTERVAL_MS);

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

    // Memory: the gateway process's RSS after a tenth of the requests and at the end, each after
    // full collections there; the requests come from the client process. The gateway's CPU time per
    // request is taken over the same requests, before the collections.
    const batch = (count: number): Promise<unknown> =>
      client.ask(
        { type: 'batch', url: `${own.url}/openai/v1/models`, auth: own.key, count, concurrency: 64 },
        'batched',
      );
    await batch(sizes.memoryRequests / 10);
    const early = await usage(true);
    await batch((sizes.memoryRequests * 9) / 10);
    const cpuPerRequestUs = ((await usage(false)).cpuMicros - early.cpuMicros) / ((sizes.memoryRequests * 9) / 10);
    const late = await usage(true);
    const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
    context.log(`gateway memory: ${sizes.memoryRequests} requests`);

    const sameProcess = 'client and gateway share one process, the fake runs in another';
    const eventsPerSecond = (intervalMs: number): number => Math.round((sizes.streams * 1000) / intervalMs);
    const perEvent = (micros: number, events: number): number => micros / Math.max(1, events);
    const coreSeconds = (microsPerEvent: number, intervalMs: number): string =>
      ((microsPerEvent * eventsPerSecond(intervalMs)) / 1e6).toFixed(2);
    const cores = availableParallelism();
    const streamRow = (
      figures: StreamFigures,
      spec: { readonly id: string; readonly label: string; readonly target: Target },
    ): BenchRow => {
      const intervalMs = figures.intervalMs;
      const gatewayUs = perEvent(figures.gatewayEventsCpu, figures.allGateway.length);
      const othersUs = perEvent(figures.othersEventsCpuGateway, figures.allGateway.length);
      const directUs = perEvent(figures.othersEventsCpuDirect, figures.allDirect.length);
      const setupUs = figures.gatewaySetupCpu / (sizes.streams * sizes.streamRounds);
      const pauses = figures.gcPauses;
      return row({
        id: spec.id,
        name: `${spec.label}: added event delay, ${sizes.streams} concurrent streams (p99 − direct p99, median of ${sizes.streamRounds} rounds)`,
        unit: 'ms',
        ours: median(figures.roundDifferences),
        baseline: median(figures.directP99s),
        baselineName: 'same streams straight to the fake (p99, median of the rounds)',
        target: spec.target,
        difference: true,
        invariants: [
          {
            name: 'every event arrived',
            ok: figures.eventsOk,
            detail: `${figures.allGateway.length} via the gateway, ${figures.floors.map((floor, index) => `${floor.all.length} via the ${floors[index]?.name ?? 'floor'}`).join(', ')}, ${figures.allDirect.length} direct, of ${sizes.streams * sizes.eventsPerStream * sizes.streamRounds} each`,
          },
        ],
        notes: [
          `${sizes.eventsPerStream} events per stream, ${intervalMs} ms apart, sent once all ${sizes.streams} streams are open (the client has every response head), the streams' events spread evenly over each ${intervalMs} ms (${eventsPerSecond(intervalMs)} events/s in all); ${sizes.streamRounds} rounds each way (direct, each floor, gateway in turn), after one unmeasured round each way; ${ownProcesses}`,
          `per-round p99 differences (ms): ${figures.roundDifferences.map((value) => value.toFixed(2)).join(', ')}`,
          ...figures.floors.map(
            (floor, index) =>
              `floor: the ${floors[index]?.name ?? 'floor'}, which ${floors[index]?.what ?? ''}, same streams, same rounds: added p99 ${median(floor.differences).toFixed(2)} ms (per round: ${floor.differences.map((value) => value.toFixed(2)).join(', ')}), event delay p50 ${quantile(floor.all, 0.5).toFixed(2)} ms, p99 ${quantile(floor.all, 0.99).toFixed(2)} ms, ${perEvent(floor.eventsCpu, floor.all.length).toFixed(1)} µs of CPU per event`,
          ),
          `all rounds pooled: event delay p50 ${quantile(figures.allGateway, 0.5).toFixed(2)} ms through the gateway, ${quantile(figures.allDirect, 0.5).toFixed(2)} ms direct; p99 ${quantile(figures.allGateway, 0.99).toFixed(2)} ms and ${quantile(figures.allDirect, 0.99).toFixed(2)} ms`,
          `CPU time per event while the events flow: the gateway's process ${gatewayUs.toFixed(1)} µs, the fake and the client ${othersUs.toFixed(1)} µs beside it (${directUs.toFixed(1)} µs in the direct rounds); at ${eventsPerSecond(intervalMs)} events/s the gateway needs ${coreSeconds(gatewayUs, intervalMs)} CPU-seconds a second (its JavaScript runs on one thread: above 1 it cannot keep up), the three processes ${coreSeconds(gatewayUs + othersUs, intervalMs)} CPU-seconds a second, with ${cores} cores on the machine (direct: ${coreSeconds(directUs, intervalMs)}); opening a stream costs the gateway ${setupUs.toFixed(0)} µs`,
          `the gateway process's collections during its measured rounds: ${pauses.length}, ${pauses.reduce((sum, pause) => sum + pause, 0).toFixed(1)} ms in all, longest ${Math.max(0, ...pauses).toFixed(1)} ms`,
        ],
      });
    };
    const ownProcesses =
      "fake, gateway and clients each in their own process (the gateway's holds only the core and the gateway, as in the app)";
    const setup =
      'the gateway as the app runs it (sealed key from the store, a log line per request into a log file, written per round of I/O)';
    return [
      row({
        id: 'gateway-latency-p50',
        name: 'gateway: added latency, small request (p50)',
        unit: 'ms',
        ours: added(0.5),
        baseline: quantile(directTimes, 0.5),
        baselineName: 'straight to the fake (p50)',
        target: { kind: 'absolute', max: 0.5 },
        notes: [`${sizes.latencyRequests} requests each way, alternating; ${sameProcess}; ${setup}`],
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
      streamRow(streaming, {
        id: 'gateway-stream-delay-p99',
        label: 'gateway',
        target: { kind: 'absolute', max: 1 },
      }),
      ...floors.map((floor, index) =>
        row({
          id: `gateway-stream-floor-${floor.id}`,
          name: `${floor.name} (information: a floor under the row above): added event delay, ${sizes.streams} concurrent streams (p99 − direct p99, median of ${sizes.streamRounds} rounds)`,
          unit: 'ms',
          ours: median(streaming.floors[index]?.differences ?? []),
          baseline: median(streaming.directP99s),
          baselineName: 'same streams straight to the fake (p99, median of the rounds)',
          target: { kind: 'info' },
          difference: true,
          notes: [
            `the same ${eventsPerSecond(STREAM_INTERVAL_MS)} events/s in the same rounds as the gateway's, through a process that ${floor.what}: ${floor.meaning}`,
          ],
        }),
      ),
      streamRow(slowStreaming, {
        id: 'gateway-stream-delay-p99-slow',
        label: `gateway (information, ${eventsPerSecond(SLOW_STREAM_INTERVAL_MS).toLocaleString('en')} events/s)`,
        target: { kind: 'info' },
      }),
      row({
        id: 'gateway-throughput',
        name: 'gateway: small requests per second (64 clients)',
        unit: 'req/s',
        ours: gatewayRate,
        baseline: directRate,
        baselineName: 'straight to the fake',
        target: { kind: 'info' },
        // The issue's target (≥ 2,000 requests/s) is a figure of a full run on a quiet machine, not
        // an invariant: the smoke test runs this with tiny counts beside other tests.
        notes: [
          `target ≥ 2,000 requests/s; this run ${Math.round(gatewayRate)} req/s`,
          `the gateway's CPU time per small request: ${cpuPerRequestUs.toFixed(1)} µs (over the memory row's last ${(sizes.memoryRequests * 9) / 10} requests, sent from the client process to the gateway in its own process)`,
        ],
      }),
      row({
        id: 'gateway-rss',
        name: `gateway: resident memory after ${sizes.memoryRequests} vs ${sizes.memoryRequests / 10} requests`,
        unit: 'ratio',
        ours: late.rss / early.rss,
        baseline: null,
        baselineName: null,
        target: { kind: 'absolute', max: 1.1 },
        notes: [
          `RSS of the gateway's process ${mib(early.rss)} → ${mib(late.rss)}, each read after two full GCs in that process a turn apart; ${ownProcesses}`,
          `V8 heap used ${mib(early.heapUsed)} → ${mib(late.heapUsed)}, external ${mib(early.external)} → ${mib(late.external)}`,
        ],
      }),
    ];
  },
};
