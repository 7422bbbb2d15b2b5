import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import { createRendererConfig } from '../../vite.renderer.config.js';
import { BENCH_CACHE_DIR } from './bundle-core.js';

const APP_ENTRY = fileURLToPath(new URL('../../src-renderer/main.tsx', import.meta.url));
const FIRST_RENDER = fileURLToPath(new URL('../../src-renderer/app/first-render.ts', import.meta.url));
const EMPTY_APP = fileURLToPath(new URL('./empty-app.ts', import.meta.url));
const NO_FIRST_RENDER_DATA = '\0the-maestro-bench:no-first-render-data';

/**
 * Replaces the app with the bench's empty app: its entry module (main.tsx, wherever it is
 * imported from) becomes empty-app.ts, and the list of the first render's data, which the web
 * shim asks for before the app loads, becomes empty — the empty app shows no data, so its page
 * asks for none. Everything else is the real build's.
 */
function emptyApp(): Plugin {
  return {
    name: 'the-maestro-bench:empty-app',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/(^|\/)(main|first-render)\.(js|ts|tsx)$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved?.id === APP_ENTRY) return EMPTY_APP;
      if (resolved?.id === FIRST_RENDER) return NO_FIRST_RENDER_DATA;
      return null;
    },
    load(id) {
      return id === NO_FIRST_RENDER_DATA ? 'export const FIRST_RENDER_CHANNELS = [];\n' : null;
    },
  };
}

/**
 * Builds the renderer with its own Vite configuration into the benchmark's cache directory
 * (never into out/, where the browser tests read it): `app` is what the Electron window loads
 * (index.html), `web` adds the loopback shim page (web.html) served by the web transport, and
 * `empty` is the web build with the app replaced by an empty one (empty-app.ts): the same
 * configuration, pages, shim and chunking, the baseline of the time to the provider list.
 */
export async function buildRenderer(kind: 'app' | 'web' | 'empty'): Promise<string> {
  const config = createRendererConfig({ web: kind !== 'app' });
  const plugins = [...(config.plugins ?? []), ...(kind === 'empty' ? [emptyApp()] : [])];
  const outDir = join(BENCH_CACHE_DIR, `renderer-${kind}`);
  await build({
    ...config,
    plugins,
    configFile: false,
    logLevel: 'warn',
    build: { ...config.build, outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Scripts an HTML page loads before anything else runs: module scripts and module preloads. */
function entryScripts(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g))
    if (match[1] !== undefined) found.push(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g))
    if (match[1] !== undefined) found.push(match[1]);
  return found;
}

/** Relative static imports of a built chunk (`import … from"./x.js"`, `import"./x.js"`); dynamic import() is not initial. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/\bimport\s*(?:[^'"();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].flatMap((match) =>
    match[1] !== undefined ? [match[1]] : [],
  );
}

export interface InitialJs {
  readonly files: readonly string[];
  readonly rawBytes: number;
  readonly gzipBytes: number;
}

/** The JavaScript a page needs before it can run: its entry scripts and everything they import statically, gzip -9. */
export function initialJavaScript(outDir: string, page: string): InitialJs {
  const html = readFileSync(join(outDir, page), 'utf8');
  const pending = entryScripts(html).map((src) => resolve(outDir, src));
  const seen = new Set<string>();
  let rawBytes = 0;
  let gzipBytes = 0;
  while (pending.length > 0) {
    const file = pending.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const bytes = readFileSync(file);
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
    for (const spec of staticImports(bytes.toString('utf8'))) pending.push(resolve(dirname(file), spec));
  }
  return { files: [...seen].map((file) => file.slice(outDir.length + 1)), rawBytes, gzipBytes };
}
