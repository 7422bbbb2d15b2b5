import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/storage/temp-dir.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(root, 'scripts', 'reliability-report.mjs');
const FILES = readdirSync(join(root, 'test', 'reliability'))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => name.slice(0, -'.test.ts'.length));

interface Row {
  kind: string;
  target: string;
  runs: number;
  failures: number;
  test: string | null;
  complete: boolean;
}

function report(name: string, overrides: { finishedAt?: string; failedTests?: string[]; rows?: Row[] } = {}) {
  return {
    name,
    long: false,
    seed: 1,
    finishedAt: overrides.finishedAt ?? new Date(Date.now() + 60_000).toISOString(),
    completedTests: ['a test'],
    failedTests: overrides.failedTests ?? [],
    rows: overrides.rows ?? [
      { kind: 'check', target: `${name} target`, runs: 3, failures: 0, test: 'a test', complete: true },
    ],
  };
}

describe('scripts/reliability-report.mjs', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const write = (name: string, content: unknown) =>
    writeFileSync(join(temp.dir, `${name}.json`), JSON.stringify(content));
  const run = () => {
    const result = spawnSync(process.execPath, [SCRIPT], {
      env: { ...process.env, THE_MAESTRO_RELIABILITY_DIR: temp.dir },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout };
  };
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  it('passes with fresh, complete figures from every test file', () => {
    for (const name of FILES) write(name, report(name));
    const result = run();
    expect(result.stdout).toContain('Zero losses');
    expect(result.stdout).toContain(`${3 * FILES.length} runs over ${FILES.length} targets`);
    expect(result.code).toBe(0);
  });

  it('fails when a test file recorded no figures', () => {
    for (const name of FILES.slice(1)) write(name, report(name));
    const result = run();
    expect(result.stdout).toContain(`incomplete: test/reliability/${FILES[0] ?? ''}.test.ts recorded no figures`);
    expect(result.code).toBe(1);
  });

  it('fails when a test stopped early, and leaves out the rows it recorded', () => {
    for (const name of FILES) write(name, report(name));
    const name = FILES[0] ?? '';
    write(
      name,
      report(name, {
        failedTests: ['the crash loop'],
        rows: [
          { kind: 'check', target: 'aborted loop', runs: 100, failures: 0, test: 'the crash loop', complete: false },
        ],
      }),
    );
    const result = run();
    expect(result.stdout).toContain('incomplete: "the crash loop"');
    expect(result.stdout).not.toContain('aborted loop');
    expect(result.code).toBe(1);
  });

  it('fails when the figures are older than the code they measured', () => {
    for (const name of FILES) write(name, report(name, { finishedAt: '2001-01-01T00:00:00.000Z' }));
    const result = run();
    expect(result.stdout).toContain('stale:');
    expect(result.code).toBe(1);
  });
});
