import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-cli.mjs', import.meta.url));

/**
 * Vitest global setup: builds out/cli from the sources as they are before any test starts. The CLI
 * tests run bin/the-maestro.js (test/support/run-cli.ts), which runs that bundle and never the
 * sources, so a test run after an edit would otherwise test the previous build. A failed build is
 * reported and does not stop the run: only the CLI tests depend on it.
 */
export default function buildCommandLine(): void {
  const built = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8' });
  if (built.status === 0) return;
  process.stderr.write(
    `\nThe command line could not be built, so CLI tests run its previous build (if any):\n${built.stderr}\n`,
  );
}
