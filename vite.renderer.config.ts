/**
 * The renderer's Vite config. Used directly for the web build (`vite build --config
 * vite.renderer.config.ts`: the app plus web.html, which loads the loopback shim first) and by
 * electron.vite.config.ts for the app's renderer (`createRendererConfig({ web: false })`: the
 * shim is not built into the packaged app). Output works under the strict CSP: no inline
 * scripts or styles, relative URLs.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin, type UserConfig } from 'vite';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * web.html's shim loads with import() what must run after it (the app); left alone, the browser
 * would ask for those chunks only once the shim has run — one more round trip on the way to the
 * first render. This lists them in the page's head instead: module preloads for the chunks and
 * their imports, the app's stylesheet as index.html has it, so they download and compile while
 * the shim runs. Preloading never runs a module: the order in which they run is still the shim's.
 */
function preloadShimImports(page: string): Plugin {
  return {
    name: 'the-maestro:preload-shim-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { filename, bundle, chunk }) {
        if (!filename.endsWith(`/${page}`) || bundle === undefined || chunk === undefined) return;
        const listed = new Set<string>();
        const staticClosure = (fileName: string): void => {
          const entry = bundle[fileName];
          if (entry?.type !== 'chunk' || listed.has(fileName)) return;
          listed.add(fileName);
          for (const imported of entry.imports) staticClosure(imported);
        };
        // What the page loads already: the entry and its static imports (Vite preloads those).
        staticClosure(chunk.fileName);
        const already = new Set(listed);
        for (const imported of chunk.dynamicImports) staticClosure(imported);
        const tags: HtmlTagDescriptor[] = [];
        for (const fileName of listed) {
          const entry = bundle[fileName];
          if (already.has(fileName) || entry?.type !== 'chunk') continue;
          tags.push({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${fileName}` },
            injectTo: 'head',
          });
          for (const css of entry.viteMetadata?.importedCss ?? []) {
            tags.push({
              tag: 'link',
              attrs: { rel: 'stylesheet', crossorigin: true, href: `./${css}` },
              injectTo: 'head',
            });
          }
        }
        return tags;
      },
    },
  };
}

export function createRendererConfig(options: { readonly web: boolean }): UserConfig {
  return {
    root,
    base: './',
    plugins: [react(), ...(options.web ? [preloadShimImports('web.html')] : [])],
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      // Inline assets would become data: URLs in CSS or JS; keep them as files the CSP allows.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input: {
          index: `${root}/index.html`,
          ...(options.web ? { web: `${root}/web.html` } : {}),
        },
      },
    },
  };
}

export default defineConfig(createRendererConfig({ web: true }));
