import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFullProgram } from '../../../src-main/cli/full-program.js';
import { cliEnv, runCli } from '../../support/run-cli.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** What the program below left: how it was run. */
interface Ran {
  readonly filename: string;
  readonly dirname: string;
  readonly joined: string;
  readonly exportsIsModuleExports: boolean;
}

const PROGRAM = `
const { join } = require('node:path');
function later(a, b) { return join(a, b); }
globalThis.__fullProgramRan = {
  filename: __filename,
  dirname: __dirname,
  joined: later('a', 'b'),
  exportsIsModuleExports: exports === module.exports,
};
`;

describe('the full program with its own code cache', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let program: string;
  let cacheDir: string;
  const ran = (): Ran => (globalThis as unknown as { __fullProgramRan: Ran }).__fullProgramRan;
  /** Runs the program; the cache's save, when one is due, is returned instead of waiting for exit. */
  const run = (): (() => void) | null => {
    let save: (() => void) | null = null;
    runFullProgram(program, cacheDir, (pending) => (save = pending));
    return save;
  };

  beforeEach(() => {
    temp = makeTempDir('maestro-full-program-');
    program = join(temp.dir, 'cli-main.cjs');
    cacheDir = join(temp.dir, 'cache');
    writeFileSync(program, PROGRAM);
  });
  afterEach(() => temp.remove());

  it('runs it as CommonJS: its own file and folder, a require from there, module.exports', () => {
    expect(run()).not.toBeNull();
    expect(ran()).toEqual({
      filename: program,
      dirname: temp.dir,
      joined: join('a', 'b'),
      exportsIsModuleExports: true,
    });
  });

  it('runs without any cache folder', () => {
    let save: (() => void) | null = null;
    runFullProgram(program, null, (pending) => (save = pending));
    expect(save).toBeNull();
    expect(ran().filename).toBe(program);
  });
});

/**
 * The built command line, each run a new process (V8 keeps what it compiled within a process, so
 * only a new one reads the cache file): made at the first exit, used as it is from then on,
 * written again when damaged, never in a folder others may write to.
 */
describe('the command line’s code cache', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;
  const caches = (): string[] => readdirSync(cacheDir).filter((name) => name.endsWith('.v8cache'));
  const version = async (): Promise<void> => {
    const run = await runCli(['--version'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^the-maestro /);
  };

  beforeEach(() => {
    temp = makeTempDir('maestro-cli-cache-');
    cacheDir = join(temp.dir, 'cache');
    env = cliEnv({ THE_MAESTRO_DATA_DIR: join(temp.dir, 'data'), THE_MAESTRO_CACHE_DIR: cacheDir });
  });
  afterEach(() => temp.remove());

  it('is made private at the first exit and then used as it is', async () => {
    await version();
    expect(caches()).toHaveLength(1);
    const file = join(cacheDir, caches()[0] ?? '');
    if (process.platform !== 'win32') {
      expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const made = statSync(file).mtimeMs;
    await version();
    expect(caches()).toHaveLength(1);
    expect(statSync(file).mtimeMs).toBe(made);
  });

  it('is written again when V8 rejects it (damaged)', async () => {
    await version();
    const file = join(cacheDir, caches()[0] ?? '');
    writeFileSync(file, 'not a code cache');
    await version();
    expect(readFileSync(file).length).toBeGreaterThan(1000);
  });

  it.skipIf(process.platform === 'win32')('is neither read nor written in a folder others may write to', async () => {
    await version();
    chmodSync(cacheDir, 0o777);
    const file = join(cacheDir, caches()[0] ?? '');
    writeFileSync(file, 'not a code cache');
    await version();
    expect(readFileSync(file, 'utf8')).toBe('not a code cache');
    chmodSync(cacheDir, 0o700);
  });
});
