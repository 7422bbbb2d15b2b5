import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, bundleIsCurrent, sourceStamp } from '../../bin/cli-bundle.js';
import { cliEnv, runCli } from '../support/run-cli.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/** A miniature checkout: sources, a built bundle and the stamp it was built from. */
function checkout(dir: string, options: { readonly git: boolean }): void {
  for (const [file, text] of [
    ['src-main/cli/run.ts', 'export {};\n'],
    ['src-shared/errors.ts', 'export {};\n'],
  ] as const) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  if (options.git) mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'out', 'cli'), { recursive: true });
  writeFileSync(join(dir, 'out', 'cli', 'the-maestro.mjs'), '');
  writeFileSync(join(dir, 'out', 'cli', 'source-stamp.json'), JSON.stringify(sourceStamp(dir)));
}

describe('the prebuilt command line', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('maestro-cli-bundle-');
  });
  afterEach(() => temp.remove());

  it('runs while built from the sources as they are, and not after one is edited or added, or with a broken stamp', () => {
    const edited = join(temp.dir, 'edited');
    const added = join(temp.dir, 'added');
    const broken = join(temp.dir, 'broken');
    for (const dir of [edited, added, broken]) {
      checkout(dir, { git: true });
      expect(bundleIsCurrent(dir)).toBe(true);
    }
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(edited, 'src-shared', 'errors.ts'), later, later);
    expect(bundleIsCurrent(edited)).toBe(false);
    writeFileSync(join(added, 'src-main', 'cli', 'new-command.ts'), 'export {};\n');
    expect(bundleIsCurrent(added)).toBe(false);
    writeFileSync(join(broken, 'out', 'cli', 'source-stamp.json'), 'not json');
    expect(bundleIsCurrent(broken)).toBe(false);
  });

  it('is trusted as built outside a checkout (an installed package), and never when missing', () => {
    const installed = join(temp.dir, 'installed');
    checkout(installed, { git: false });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(installed, 'src-main', 'cli', 'run.ts'), later, later);
    expect(bundleIsCurrent(installed)).toBe(true);
    expect(bundleIsCurrent(join(temp.dir, 'nothing-built'))).toBe(false);
  });

  it('answers exactly as the sources do', async () => {
    // `npm test` builds it first; a run of this file alone after an edit builds it here.
    if (!bundleIsCurrent()) {
      const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
    }
    expect(bundleIsCurrent()).toBe(true);
    const env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir, THE_MAESTRO_MASTER_KEY: 'a'.repeat(64) });
    const [bundled, fromSource] = await Promise.all([
      runCli(['status', '--json'], env),
      runCli(['status', '--json'], { ...env, THE_MAESTRO_CLI_FROM_SOURCE: '1' }),
    ]);
    expect(bundled.code).toBe(0);
    expect(bundled).toEqual(fromSource);
    const help = await Promise.all([runCli(['--help'], env), runCli(['--help'], { ...env, THE_MAESTRO_CLI_FROM_SOURCE: '1' })]);
    expect(help[0]).toEqual(help[1]);
  });
});
