import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, type CliRun } from '../support/run-cli.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MASTER_KEY = 'a'.repeat(64);

/** Runs `node …args` to completion with `input` on standard input. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv, input = '', cwd = ROOT): CliRun {
  const run = spawnSync(process.execPath, args, { cwd, env, input, encoding: 'utf8' });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** One command of a session: its arguments and what it reads on standard input. */
interface Step {
  readonly args: readonly string[];
  readonly input?: string;
}

/** Every kind of answer: a report, a stored and then printed secret, a usage error, help, version. */
const SESSION: readonly Step[] = [
  { args: ['status', '--json'] },
  {
    args: ['login', 'anthropic', '--api-key-stdin', '--no-validate', '--account', 'work'],
    input: 'sk-ant-api03-bundle-test-key-0123456789\n',
  },
  { args: ['token', 'anthropic', '--json'] },
  { args: ['status'] },
  { args: ['token', 'google', '--json'] },
  { args: ['frobnicate'] },
  { args: ['--help'] },
  { args: ['--version'] },
];

/** Runs the session against a fresh data directory with `command` (the program before its arguments). */
function session(command: readonly string[], dataDir: string): CliRun[] {
  mkdirSync(dataDir);
  const env = cliEnv({ THE_MAESTRO_DATA_DIR: dataDir, THE_MAESTRO_MASTER_KEY: MASTER_KEY });
  return SESSION.map((step) => runNode([...command, ...step.args], env, step.input));
}

/**
 * Lays out what a build leaves for the launcher, away from the checkout's own out/cli (which CLI
 * tests are running meanwhile): the real build script run in a miniature checkout, then its
 * bundle copied beside the launcher with better-sqlite3 as the only installed package.
 */
function buildAndInstall(dir: string): { readonly checkout: string; readonly installed: string } {
  const checkout = join(dir, 'checkout');
  for (const file of ['bin/the-maestro.js', 'bin/package.json', 'scripts/build-cli.mjs', 'scripts/node-bundle.mjs']) {
    mkdirSync(join(checkout, file, '..'), { recursive: true });
    copyFileSync(join(ROOT, file), join(checkout, file));
  }
  for (const link of ['src-main', 'src-shared', 'node_modules']) symlinkSync(join(ROOT, link), join(checkout, link));
  const built = runNode([join(checkout, 'scripts', 'build-cli.mjs')], cliEnv({}));
  expect(built.code, built.stderr).toBe(0);

  const installed = join(dir, 'installed');
  mkdirSync(join(installed, 'bin'), { recursive: true });
  mkdirSync(join(installed, 'node_modules'));
  copyFileSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
  for (const file of ['the-maestro.js', 'package.json'])
    copyFileSync(join(ROOT, 'bin', file), join(installed, 'bin', file));
  cpSync(join(checkout, 'out'), join(installed, 'out'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', 'better-sqlite3'), join(installed, 'node_modules', 'better-sqlite3'));
  return { checkout, installed };
}

describe('the command line launcher', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let installed: string;
  beforeAll(() => {
    temp = makeTempDir('maestro-cli-bundle-');
    ({ installed } = buildAndInstall(temp.dir));
  });
  afterAll(() => temp.remove());

  it('runs the built bundle, which answers exactly as the sources do', () => {
    const bundled = session([join(installed, 'bin', 'the-maestro.js')], join(temp.dir, 'bundled-data'));
    const fromSources = session(
      ['--import', 'tsx', join(ROOT, 'src-main', 'cli', 'run.ts')],
      join(temp.dir, 'source-data'),
    );
    expect(bundled.map((run) => run.code)).toEqual([0, 0, 0, 0, 3, 2, 0, 0]);
    expect(bundled[2]?.stdout).toContain('sk-ant-api03-bundle-test-key-0123456789');
    expect(bundled).toEqual(fromSources);
  });

  it('needs no tsx (nor any package but better-sqlite3) at run time', () => {
    const resolveFromInstalled = createRequire(join(installed, 'bin', 'the-maestro.js')).resolve;
    expect(() => resolveFromInstalled('tsx')).toThrow();
    expect(resolveFromInstalled('better-sqlite3/package.json')).toContain('better-sqlite3');
    const env = cliEnv({ THE_MAESTRO_DATA_DIR: join(temp.dir, 'plain-data'), THE_MAESTRO_MASTER_KEY: MASTER_KEY });
    const status = runNode([join(installed, 'bin', 'the-maestro.js'), 'status', '--json'], env, '', installed);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
  });

  it('says in one sentence how to build it when the bundle is missing', () => {
    const unbuilt = join(temp.dir, 'unbuilt');
    mkdirSync(join(unbuilt, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(unbuilt, 'package.json'));
    for (const file of ['the-maestro.js', 'package.json'])
      copyFileSync(join(ROOT, 'bin', file), join(unbuilt, 'bin', file));
    const run = runNode([join(unbuilt, 'bin', 'the-maestro.js'), 'status'], cliEnv({}), '', unbuilt);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `The Maestro's command line is not built: run \`npm run build:cli\` (or \`npm install\`) in ${realpathSync(unbuilt)}.\n`,
    });
  });
});
