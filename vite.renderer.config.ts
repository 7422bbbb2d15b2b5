/**
 * The renderer's Vite config. Used directly for the web build (`vite build --config
 * vite.renderer.config.ts`: the app plus web.html, which loads the loopback shim first) and by
 * electron.vite.config.ts for the app's renderer (`createRendererConfig({ web: false })`: the
 * shim is not built into the packaged app). Output works under the strict CSP: no inline
 * scripts or styles, relative URLs.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

export function createRendererConfig(options: { readonly web: boolean }): UserConfig {
  return {
    root,
    base: './',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      // Inline assets would become data: URLs in CSS or JS; keep them as files the CSP allows.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rollupOptions: {
        input: {
          index: `${root}/index.html`,
          ...(options.web ? { web: `${root}/web.html` } : {}),
        },
      },
    },
  };
}

export default defineConfig(createRendererConfig({ web: true }));
