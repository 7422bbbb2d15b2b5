/**
 * Figures of the reliability suite (test/reliability): each test file records what it ran and
 * what went wrong, and writes `reports/reliability/<file>.json` when it finishes, whether its
 * tests passed or not. Each row remembers the test that added it; a row from a test that failed
 * or stopped early is marked incomplete, and the file lists the tests that failed.
 * `scripts/reliability-report.mjs` prints the table from those files and refuses figures that are
 * incomplete or older than the code they measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What kind of figure a row is; the report groups rows by it. */
export type FigureKind = 'crash' | 'fuzz' | 'fault' | 'canary' | 'check';

/** One row of the table: `runs` attempts of something, `failures` of which broke the promise. */
export interface FigureRow {
  readonly kind: FigureKind;
  /** What was exercised, e.g. "core SIGKILL loop" or "IPC auth.saveApiKey". */
  readonly target: string;
  readonly runs: number;
  /** Losses, failed fuzz cases, wrong outcomes or leaked canaries: zero when the promise held. */
  readonly failures: number;
  /** One short sentence: outcome, counts at the fake, seed. */
  readonly detail?: string;
  /** Set for a known bug kept as an expected failure (`it.fails`): shown apart, not counted. */
  readonly knownBug?: string;
}

/** The directory the report script reads. */
export const RELIABILITY_REPORT_DIR = fileURLToPath(new URL('../../../reports/reliability', import.meta.url));

/** True for `THE_MAESTRO_LONG=1`: the longer, on-demand runs. */
export const LONG_RUN = process.env['THE_MAESTRO_LONG'] === '1';

/** The fast-check seed: fixed in CI, overridable to repeat or vary a run. */
export const FUZZ_SEED = Number(process.env['THE_MAESTRO_SEED'] ?? 20261124);

/** A row as written: which test added it and whether that test completed. */
interface RecordedRow extends FigureRow {
  readonly test: string | null;
}

/**
 * Collects the rows of one test file; `write()` (in `afterAll`) saves them. Create it at the top
 * level of the test file: it follows each test to know which rows a failed test added.
 */
export class FigureRecorder {
  private readonly rows: RecordedRow[] = [];
  private readonly failedTests: string[] = [];
  private readonly completedTests: string[] = [];
  private current: string | null = null;

  constructor(private readonly name: string) {
    beforeEach((context) => {
      this.current = context.task.name;
    });
    afterEach((context) => {
      const { task } = context;
      const failed = task.result?.state === 'fail' || (task.result?.errors?.length ?? 0) > 0;
      // An expected failure (`it.fails`, a known bug) completes by failing.
      if (failed && task.fails !== true) this.failedTests.push(task.name);
      else this.completedTests.push(task.name);
      this.current = null;
    });
  }

  /** Add rows from inside the test whose figures they are (also from its `finally`). */
  add(row: FigureRow): void {
    this.rows.push({ ...row, test: this.current });
  }

  /** Writes `reports/reliability/<name>.json`, replacing an earlier run's file. */
  write(): void {
    mkdirSync(RELIABILITY_REPORT_DIR, { recursive: true });
    const report = {
      name: this.name,
      long: LONG_RUN,
      seed: FUZZ_SEED,
      finishedAt: new Date().toISOString(),
      completedTests: this.completedTests,
      failedTests: this.failedTests,
      rows: this.rows.map((row) => ({
        ...row,
        complete: row.test === null || !this.failedTests.includes(row.test),
      })),
    };
    writeFileSync(join(RELIABILITY_REPORT_DIR, `${this.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }
}
