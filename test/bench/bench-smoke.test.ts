import { describe, expect, it } from 'vitest';
import { QUICK_SETTINGS, type BenchRow } from '../../scripts/bench/bench-types.js';
import { BENCHMARKS, runSuite } from '../../scripts/bench/suite.js';

/**
 * Every benchmark of `npm run bench` runs end to end with tiny counts, so the suite cannot rot
 * unnoticed: each yields finite figures, keeps its invariants (no write and no request on the
 * resolve hot path, nothing decrypted at start-up, one token request per refresh storm …).
 * The figures themselves mean nothing at these counts; targets are not checked here.
 */
describe('benchmark suite (smoke)', () => {
  it('runs every benchmark with finite figures and all invariants kept', async () => {
    const report = await runSuite({ settings: QUICK_SETTINGS });
    const ids = new Set(report.rows.map((row) => row.id.split('-')[0]));
    for (const benchmark of BENCHMARKS) expect(ids, `rows of ${benchmark.id}`).toContain(benchmark.id.split('-')[0]);
    const broken = (row: BenchRow): string[] =>
      row.invariants
        .filter((invariant) => !invariant.ok)
        .map((invariant) => `${row.name}: ${invariant.name}: ${invariant.detail}`);
    expect(report.rows.flatMap(broken)).toEqual([]);
    for (const row of report.rows) {
      expect(Number.isFinite(row.ours), `${row.name} ours`).toBe(true);
      if (row.baseline !== null)
        expect(Number.isFinite(row.baseline) && row.baseline > 0, `${row.name} baseline`).toBe(true);
      if (row.ratio !== null) expect(Number.isFinite(row.ratio) && row.ratio > 0, `${row.name} ratio`).toBe(true);
    }
    const storm = report.rows.find((row) => row.id === 'refresh-storm');
    expect(
      storm?.invariants.find((invariant) => invariant.name === 'exactly one token request per storm'),
    ).toMatchObject({ ok: true });
    expect(report.machine.cores).toBeGreaterThan(0);
  }, 600_000);
});
