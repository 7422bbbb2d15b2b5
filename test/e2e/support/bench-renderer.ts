/**
 * Renderer benchmarks for `npm run bench` (run with tsx; prints one JSON object):
 * - the gzip size of what the window loads initially (entry script and its imports, CSS),
 *   for the app's page (index.html, as Electron loads it) and the web page (web.html, with the shim);
 * - the time from navigation to the provider list rendered in Chromium through the loopback
 *   transport, with the real core and the fake providers (median of several loads).
 * The renderer must be built first (`npm run build:renderer`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { startMaestro } from './maestro-harness.js';

const OUT = fileURLToPath(new URL('../../../out/renderer', import.meta.url));
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Gzip bytes of a page's initial JS (entry and everything it imports) and CSS. */
export function initialLoadBytes(page: 'index.html' | 'web.html'): { js: number; css: number } {
  const html = readFileSync(join(OUT, page), 'utf8');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(OUT, file), 'utf8');
    // Static imports, and dynamic ones too: the web shim imports the app as soon as it has run.
    for (const match of code.matchAll(/import\s*(?:[^'"()]*?from\s*)?\(?\s*["'`]\.\/([^"'`]+\.js)["'`]/g))
      visit(join('assets', match[1] ?? ''));
  };
  for (const match of html.matchAll(/<script type="module"[^>]*src="\.\/([^"]+)"/g)) visit(match[1] ?? '');
  for (const match of html.matchAll(/<link rel="modulepreload"[^>]*href="\.\/([^"]+)"/g)) visit(match[1] ?? '');
  const gz = (file: string): number => gzipSync(readFileSync(join(OUT, file))).length;
  const css = [...html.matchAll(/<link rel="stylesheet"[^>]*href="\.\/([^"]+)"/g)].reduce(
    (sum, match) => sum + gz(match[1] ?? ''),
    0,
  );
  return { js: [...seen].reduce((sum, file) => sum + gz(file), 0), css };
}

/** Milliseconds from navigation start to the first provider card in the DOM, median of `runs`. */
export async function navigationToProviders(runs = 5): Promise<number> {
  const maestro = await startMaestro();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        new MutationObserver((_records, observer) => {
          if (document.querySelector('article') === null) return;
          (window as unknown as { providersAt: number }).providersAt = performance.now();
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(maestro.appUrl);
      await page.waitForSelector('article');
      times.push(await page.evaluate(() => (window as unknown as { providersAt: number }).providersAt));
      await page.close();
    }
  } finally {
    await browser.close();
    await maestro.close();
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] ?? Number.NaN);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const app = initialLoadBytes('index.html');
  const web = initialLoadBytes('web.html');
  const ms = await navigationToProviders();
  process.stdout.write(
    `${JSON.stringify({ rendererInitialJsGzipBytes: app.js, rendererInitialCssGzipBytes: app.css, webInitialJsGzipBytes: web.js, navigationToProviderListMs: ms })}\n`,
  );
}
