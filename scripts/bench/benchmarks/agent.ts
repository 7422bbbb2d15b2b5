import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchContext, BenchRow } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { agentEndpoint } from '../../../src-main/agent/endpoint.js';
import { minimalEnv, runNode } from '../child-process.js';
import { seedDataDir } from '../fixtures.js';
import { median, paired, quantile } from '../harness.js';
import type { BurstRequest, BurstResult } from '../agent-clients-child.js';

const CLI_BIN = fileURLToPath(new URL('../../../bin/the-maestro.js', import.meta.url));
const CLI_BUILD_SCRIPT = fileURLToPath(new URL('../../build-cli.mjs', import.meta.url));

/** A client with nothing of ours: argv[1] is the socket, argv[2] the request line. */
const RAW_AGENT_CLIENT = [
  "const socket = require('node:net').connect(process.argv[1]);",
  "let answer = '';",
  "socket.setEncoding('utf8');",
  "socket.on('connect', () => socket.write(process.argv[2] + '\\n'));",
  "socket.on('data', (chunk) => { answer += chunk; if (answer.includes('\\n')) socket.destroy(); });",
].join(' ');

/** Starts `the-maestro agent` and resolves once it serves; collects its per-request log lines. */
function startAgentProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`the agent did not start: ${lines.join(' | ')}`)), 15_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line.includes('the-maestro agent: serving')) {
          clearTimeout(timer);
          resolve({ child, lines });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the agent exited with ${String(code)}: ${lines.join(' | ')}`)));
  });
}

/** Milliseconds the agent logged for each token request (its own time per request). */
function serverTimes(lines: readonly string[]): number[] {
  return lines.flatMap((line) => {
    const match = / agent: token \S+ ok ([\d.]+) ms$/.exec(line);
    return match?.[1] !== undefined ? [Number(match[1])] : [];
  });
}

/** The process that plays the 1,000 clients (agent-clients-child.ts), started through tsx. */
function startClientsProcess(): Promise<{
  burst(request: BurstRequest): Promise<BurstResult>;
  close(): Promise<void>;
}> {
  const child = fork(fileURLToPath(new URL('../agent-clients-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`the agent benchmark's client process exited (${String(code)}) before answering`));
      child.once('exit', onExit);
      child.once('message', (message: T) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  return next<{ readonly type: 'ready' }>().then(() => ({
    burst: (request) => {
      const answer = next<BurstResult>();
      child.send(request);
      return answer;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' });
      await exited;
    },
  }));
}

/** Clock ticks per second in /proc/<pid>/stat (sysconf(_SC_CLK_TCK): 100 on every Linux Node supports). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat; null where there
 * is no /proc (macOS, Windows) or the process is gone. Resolution 10 ms: read it across whole bursts.
 */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name in parentheses (which may hold spaces): utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * `the-maestro token` as a hook runs it — a new process each time — through a running agent and
 * with the store opened directly, against bare `node -e ""`; and the agent under 1,000 concurrent
 * clients (its own time per request from its log, and requests per second).
 */
export const agentBenchmark: Benchmark = {
  id: 'agent',
  title: 'the-maestro token through the agent, without it, and the agent under 1,000 clients',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const env = minimalEnv();
    const built = await runNode([CLI_BUILD_SCRIPT], env);
    if (built.code !== 0) throw new Error(`building the command line failed: ${built.stderr.trim().slice(0, 500)}`);
    const seeded = await seedDataDir(context.tempDir('maestro-bench-agent-'));
    const provider = seeded.lookup.provider;
    const direct = await seedDataDir(context.tempDir('maestro-bench-direct-'));
    const rounds = Math.max(3, Math.round(settings.startRounds / 2));
    const token = async (dataDir: string): Promise<number> => {
      const run = await runNode([CLI_BIN, 'token', provider], minimalEnv({ THE_MAESTRO_DATA_DIR: dataDir }));
      if (run.code !== 0) throw new Error(`the-maestro token exited with ${String(run.code)}: ${run.stderr.trim()}`);
      return run.ms;
    };
    const withoutAgent = await paired({
      rounds,
      warmup: 1,
      ours: () => token(direct.dataDir),
      baseline: async () => (await runNode(['-e', ''], env)).ms,
    });
    const agent = await startAgentProcess(minimalEnv({ THE_MAESTRO_DATA_DIR: seeded.dataDir }));
    context.defer(() => {
      agent.child.kill('SIGTERM');
    });
    const endpoint = agentEndpoint(seeded.dataDir);
    // The floor of any client of the agent started as a new process: plain Node (CommonJS) sending
    // the same request over the socket and reading the answer, with no parsing, checks or output.
    const request = JSON.stringify({ v: 1, id: 1, op: 'token', provider });
    const rawClient = await paired({
      rounds,
      warmup: 1,
      ours: async () => (await runNode(['-e', RAW_AGENT_CLIENT, endpoint, request], env)).ms,
      baseline: async () => (await runNode(['-e', ''], env)).ms,
    });
    const throughAgent = await paired({
      rounds,
      warmup: 1,
      ours: () => token(seeded.dataDir),
      baseline: async () => (await runNode(['-e', ''], env)).ms,
    });
    const bursts = Math.max(2, Math.round(settings.stormRounds / 2));
    const clients = await startClientsProcess();
    context.defer(() => clients.close());
    const burst = (): Promise<BurstResult> =>
      clients.burst({ type: 'burst', endpoint, provider, size: settings.stormSize });
    // One burst first, not counted: both processes' code is compiled and their heaps grown, as in a running agent.
    await burst();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rates: number[] = [];
    let failures = 0;
    let clientCpuUsTotal = 0;
    agent.lines.length = 0;
    const agentCpuBefore = processCpuMs(agent.child.pid);
    for (let round = 0; round < bursts; round += 1) {
      const result = await burst();
      rates.push(settings.stormSize / (result.ms / 1000));
      failures += result.failures;
      clientCpuUsTotal += result.cpuUs;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const agentCpuAfter = processCpuMs(agent.child.pid);
    await clients.close();
    const requests = bursts * settings.stormSize;
    const agentCpuUs =
      agentCpuBefore === null || agentCpuAfter === null ? null : ((agentCpuAfter - agentCpuBefore) * 1000) / requests;
    const clientCpuUs = clientCpuUsTotal / requests;
    const times = serverTimes(agent.lines);
    const p50 = quantile(times, 0.5);
    const p99 = quantile(times, 0.99);
    const rate = median(rates);
    const answered = {
      name: 'every request answered with a token',
      ok: failures === 0 && times.length === requests,
      detail: `${failures} failed, ${times.length} of ${requests} logged`,
    };
    const burstNote = `${rate.toFixed(0)} requests/s (target ≥ 5,000 = ≤ 200 µs per request), the median of ${bursts} bursts of ${settings.stormSize} concurrent connections (after one burst not counted), each timed from its first connection to its last answer in one client process of its own (agent-clients-child.ts, the command line's own client callAgent); p50/p99 are the agent's own time per request, from its log`;
    const cpuNote = `CPU per request: the agent ${agentCpuUs === null ? 'not measured (no /proc)' : `${agentCpuUs.toFixed(0)} µs`}, the client process ${clientCpuUs.toFixed(0)} µs (user + system); both share the 2 cores, so requests/s is at most 1 / the larger and 2 / their sum, less whatever else runs`;
    const single = (
      id: string,
      name: string,
      value: number,
      max: number,
      unit: string,
      notes: readonly string[] = [burstNote],
    ): BenchRow => ({
      id,
      name,
      unit,
      ours: value,
      baseline: null,
      baselineName: null,
      ratio: null,
      ratioIqr: null,
      rounds: bursts,
      target: { kind: 'absolute', max },
      invariants: [answered],
      notes,
      pass: Number.isFinite(value) && value <= max && answered.ok,
    });
    // Where /proc tells the agent's CPU time: a figure that explains the throughput, and is far less
    // disturbed than requests/s by whatever else runs on the machine.
    const cpuRow: BenchRow[] =
      agentCpuUs === null
        ? []
        : [
            {
              id: 'agent-cpu',
              name: 'agent, 1,000 concurrent clients: its CPU time per request (user + system)',
              unit: 'µs',
              ours: agentCpuUs,
              baseline: null,
              baselineName: null,
              ratio: null,
              ratioIqr: null,
              rounds: bursts,
              target: { kind: 'info' },
              invariants: [answered],
              notes: [
                `the agent's user + system time from /proc/<pid>/stat across the ${bursts} counted bursts (10 ms resolution, ${requests} requests); the client process used ${clientCpuUs.toFixed(0)} µs per request`,
              ],
              pass: Number.isFinite(agentCpuUs) && answered.ok,
            },
          ];
    return [
      pairedRow({
        id: 'token-agent',
        name: 'the-maestro token through a running agent (new process)',
        unit: 'ms',
        baselineName: 'node -e ""',
        result: throughAgent,
        target: { kind: 'ratio', max: 1.3 },
        notes: [
          'bin/the-maestro.js → out/cli/the-maestro.cjs (the agent-first fast path, one CommonJS file) → agent socket: no ES-module loader, SQLite, crypto, zod or node:util loaded',
        ],
      }),
      pairedRow({
        id: 'token-agent-floor',
        name: 'floor: a bare Node client asking the agent the same (new process)',
        unit: 'ms',
        baselineName: 'node -e ""',
        result: rawClient,
        target: { kind: 'info' },
        notes: ['node -e: connect, write the request line, read the answer line; no checks, parsing or output'],
      }),
      pairedRow({
        id: 'token-direct',
        name: 'the-maestro token without an agent (store opened directly)',
        unit: 'ms',
        baselineName: 'node -e ""',
        result: withoutAgent,
        target: { kind: 'ratio', max: 2.0 },
        notes: ['the core is imported on demand: SQLite, decryption of the data key and the credential'],
      }),
      single('agent-p50', 'agent, 1,000 concurrent clients: p50 per request', p50, 0.5, 'ms'),
      single('agent-p99', 'agent, 1,000 concurrent clients: p99 per request', p99, 5, 'ms'),
      single(
        'agent-throughput',
        'agent, 1,000 concurrent clients: time per request at full load (1 / throughput)',
        1_000_000 / rate,
        200,
        'µs',
        [burstNote, cpuNote],
      ),
      ...cpuRow,
    ];
  },
};
