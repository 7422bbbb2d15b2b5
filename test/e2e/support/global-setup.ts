import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Builds the renderer (app + web shim) once before the browser tests, so they always run the
 * current sources. Vite runs on the same Node as Playwright (npm puts Node 22 first on PATH).
 */
export default function globalSetup(): void {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('Building the renderer for the browser tests failed');
}
