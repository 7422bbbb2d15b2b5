/**
 * The agent benchmark's clients, in their own process: whatever the benchmark runner holds from
 * the benchmarks before (its heap, its modules) does not weigh on them, as nothing weighs on the
 * real clients, each a new hook process. Each burst opens `size` connections at once with the
 * command line's own client (callAgent) and asks each for a token. Talks to its parent over IPC:
 *   ← { type: 'burst', endpoint, provider, size }
 *   → { type: 'burst', ms, failures, cpuUs } (ms from the first connection to the last answer;
 *     cpuUs: this process's user + system time for the burst)
 *   ← { type: 'close' } (exits)
 */
import { callAgent } from '../../src-main/agent/agent-client.js';

export interface BurstRequest {
  readonly type: 'burst';
  readonly endpoint: string;
  readonly provider: string;
  readonly size: number;
}

export interface BurstResult {
  readonly type: 'burst';
  readonly ms: number;
  readonly failures: number;
  readonly cpuUs: number;
}

async function burst(request: BurstRequest): Promise<BurstResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const calls = await Promise.all(
    Array.from({ length: request.size }, () =>
      callAgent(request.endpoint, { op: 'token', provider: request.provider }),
    ),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const failures = calls.filter((call) => call.kind !== 'answered' || !call.response.ok).length;
  return { type: 'burst', ms, failures, cpuUs: used.user + used.system };
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: BurstRequest | { readonly type: 'close' }) => {
  if (message.type === 'close') process.exit(0);
  void burst(message).then((result) => process.send?.(result));
});
process.send?.({ type: 'ready' });
