import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createCore } from '../../../src-main/core/create-core.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, seedDataDir } from '../fixtures.js';
import { microsPerAsyncOp, microsPerOp, paired } from '../harness.js';

/**
 * Watches a database file for commits made by any other connection: SQLite's `data_version`
 * changes on this connection whenever another connection commits (including the core's own),
 * and the WAL file grows or is rewritten with every write.
 */
export function watchWrites(databaseFile: string): {
  writes(): { commits: boolean; walChanged: boolean };
  close(): void;
} {
  const observer = new Database(databaseFile, { readonly: true });
  const version = (): number => Number(observer.pragma('data_version', { simple: true }));
  const wal = (): string => {
    try {
      const stat = statSync(`${databaseFile}-wal`);
      return `${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'none';
    }
  };
  const before = { version: version(), wal: wal() };
  return {
    writes: () => ({ commits: version() !== before.version, walChanged: wal() !== before.wal }),
    close: () => observer.close(),
  };
}

/** A fetch that counts every call and makes none on the network. */
export function countingFetch(): { fetch: typeof fetch; calls(): number } {
  let calls = 0;
  const counted: typeof fetch = async (input, init) => {
    calls += 1;
    return globalThis.fetch(input, init);
  };
  return { fetch: counted, calls: () => calls };
}

/**
 * `resolve()` of a valid stored OAuth credential through the whole core (createCore → Auth →
 * fallback chain) versus the credential read alone, with no write and no request on that path.
 */
export const resolveBenchmark: Benchmark = {
  id: 'resolve',
  title: 'resolve() of a valid credential vs the credential read',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const dataDir = context.tempDir('maestro-bench-resolve-');
    const seeded = await seedDataDir(dataDir);
    const counter = countingFetch();
    const core = await createCore({ dataDir, env: benchEnv(), fetch: counter.fetch, purpose: 'bench' });
    context.defer(() => core.dispose());
    const id = seeded.lookup.id;
    const first = await core.auth.resolve('openai');
    const writes = watchWrites(seeded.databaseFile);
    context.defer(() => writes.close());
    const fetchesBefore = counter.calls();
    const result = await paired({
      rounds: settings.rounds,
      warmup: settings.warmup,
      ours: () => microsPerAsyncOp(settings.iterations, () => core.auth.resolve('openai')),
      baseline: () => microsPerOp(settings.iterations, () => core.store.get(id)),
    });
    const seen = writes.writes();
    const invariants: Invariant[] = [
      {
        name: 'resolved the stored OAuth sign-in',
        ok: first.ok && first.value.source === 'oauth',
        detail: first.ok ? `source ${first.value.source}` : first.error.message,
      },
      {
        name: 'no database write',
        ok: !seen.commits && !seen.walChanged,
        detail: `data_version changed: ${String(seen.commits)}, WAL changed: ${String(seen.walChanged)}`,
      },
      {
        name: 'no network',
        ok: counter.calls() === fetchesBefore,
        detail: `${counter.calls() - fetchesBefore} fetch calls during the measured resolves`,
      },
    ];
    return [
      pairedRow({
        id: 'resolve',
        name: 'resolve() valid OAuth credential',
        unit: 'µs/op',
        baselineName: 'credential read',
        result,
        target: { kind: 'ratio', max: 1.2 },
        invariants,
        notes: [
          `${(settings.rounds + settings.warmup) * settings.iterations} resolves watched: ${seen.commits || seen.walChanged ? 'the database was written' : 'no write'}, ${counter.calls() - fetchesBefore} requests`,
        ],
      }),
    ];
  },
};
