import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Benchmark, BenchContext, BenchRow, BenchSettings } from './bench-types.js';
import { failedRow } from './bench-types.js';
import { agentBenchmark } from './benchmarks/agent.js';
import { callbackBenchmark } from './benchmarks/callback.js';
import { coldStartBenchmark } from './benchmarks/cold-start.js';
import { credentialReadBenchmark } from './benchmarks/credential-read.js';
import { gatewayBenchmark } from './benchmarks/gateway.js';
import { peersBenchmark } from './benchmarks/peers.js';
import { refreshStormBenchmark } from './benchmarks/refresh-storm.js';
import { rendererBenchmark } from './benchmarks/renderer.js';
import { siwcCallbackBenchmark } from './benchmarks/siwc-callback.js';
import { resolveBenchmark } from './benchmarks/resolve.js';
import { machineInfo, type BenchReport } from './report.js';

/** Every benchmark of issue 6, in the order the table shows them. */
export const BENCHMARKS: readonly Benchmark[] = [
  credentialReadBenchmark,
  resolveBenchmark,
  peersBenchmark,
  coldStartBenchmark,
  refreshStormBenchmark,
  callbackBenchmark,
  siwcCallbackBenchmark,
  rendererBenchmark,
  agentBenchmark,
  gatewayBenchmark,
];

export interface SuiteOptions {
  readonly settings: BenchSettings;
  /** Benchmark ids to run; all when absent. */
  readonly only?: readonly string[];
  readonly log?: (message: string) => void;
}

/** A context whose temporary directories and cleanups are undone when the benchmark ends. */
function contextFor(
  settings: BenchSettings,
  log: (message: string) => void,
): { context: BenchContext; close: () => Promise<void> } {
  const cleanups: (() => void | Promise<void>)[] = [];
  const context: BenchContext = {
    settings,
    log,
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return {
    context,
    close: async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  };
}

/**
 * Runs the selected benchmarks one after the other (never concurrently: they would measure each
 * other). A benchmark that throws yields a failed row with the reason instead of ending the run.
 */
export async function runSuite(options: SuiteOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const selected = BENCHMARKS.filter((benchmark) => options.only === undefined || options.only.includes(benchmark.id));
  const rows: BenchRow[] = [];
  for (const benchmark of selected) {
    log(`${benchmark.title} …`);
    const { context, close } = contextFor(options.settings, log);
    try {
      rows.push(...(await benchmark.run(context)));
    } catch (error) {
      const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`${benchmark.id} failed: ${reason}`);
      rows.push(
        failedRow(
          benchmark.id,
          benchmark.title,
          { kind: 'ratio', max: 1 },
          `did not complete: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    } finally {
      await close();
    }
  }
  return {
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    machine: machineInfo(),
    settings: options.settings,
    pass: rows.every((row) => row.pass),
    rows,
  };
}
