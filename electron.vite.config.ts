/**
 * Builds the desktop app without the Electron binary (`electron-vite build`):
 * - main: ESM (the package is "type": "module") → out/main/index.js. ESM-only dependencies
 *   (openid-client, zod) are bundled, and so is better-sqlite3's JavaScript (loading its dozen
 *   CommonJS files through Node's loader cost ~5 ms of a 20 ms start-up); its native addon stays
 *   in node_modules (asarUnpack) and is opened by path (`sqliteAddonPath`). electron stays external.
 *   electron-vite injects `__dirname` into ESM output itself: never declare your own.
 * - preload: the sandboxed preload must be one self-contained CommonJS file → out/preload/index.cjs
 *   (a sandboxed preload can require only `electron` and a few built-ins, so zod and the contract
 *   are bundled into it).
 * - renderer: the UI's own Vite config without the web shim (createRendererConfig({ web: false }))
 *   → out/renderer-app, kept apart from the web build in out/renderer so neither deletes the other
 *   and the packaged app never contains the loopback shim.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { createRendererConfig } from './vite.renderer.config.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const renderer = createRendererConfig({ web: false });

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: { exclude: ['openid-client', 'zod', 'better-sqlite3'] },
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: {
      ...renderer.build,
      outDir: resolve(root, 'out/renderer-app'),
      minify: true,
    },
  },
});
