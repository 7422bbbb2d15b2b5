import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createCore } from '../../../src-main/core.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { startWebApp } from '../../../src-main/web/web-app.js';
import type { Benchmark, BenchContext, BenchRow } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, seedDataDir } from '../fixtures.js';
import { paired, type PairedResult } from '../harness.js';
import { buildRenderer, initialJavaScript } from '../renderer-build.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Marks, in the page's own clock (ms since navigation start), the moment the provider list is in
 * the DOM (three provider cards) or the empty page says it ran. Injected before any page script.
 */
const READY_PROBE = `(() => {
  const check = () => {
    if (window.__benchDone !== undefined) return;
    if (document.documentElement.hasAttribute('data-bench-ready') || document.querySelectorAll('article.card[data-provider]').length >= 3) {
      window.__benchDone = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** The empty page: same server, same CSP and headers, one module script that only says it ran. */
function addEmptyPage(staticDir: string): void {
  writeFileSync(
    join(staticDir, 'bench-empty.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>empty</title>' +
      '<script type="module" crossorigin src="./assets/bench-empty.js"></script></head><body><div id="root"></div></body></html>\n',
  );
  writeFileSync(join(staticDir, 'assets', 'bench-empty.js'), "document.documentElement.setAttribute('data-bench-ready', '');\n");
}

async function timeToReady(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.addInitScript(READY_PROBE);
    await page.goto(url);
    await page.waitForFunction(() => (window as { __benchDone?: number }).__benchDone !== undefined, undefined, { timeout: 15_000 });
    return await page.evaluate(() => (window as { __benchDone?: number }).__benchDone ?? Number.NaN);
  } finally {
    await page.close();
  }
}

/** Navigation → provider list in Chromium through the web transport with the real core, vs an empty page. */
async function timeProviderList(context: BenchContext, webBuild: string): Promise<PairedResult> {
  const staticDir = join(context.tempDir('maestro-bench-static-'), 'renderer');
  cpSync(webBuild, staticDir, { recursive: true });
  addEmptyPage(staticDir);
  const dataDir = context.tempDir('maestro-bench-renderer-');
  await seedDataDir(dataDir);
  const core = await createCore({ dataDir, env: benchEnv(), purpose: 'bench' });
  context.defer(() => core.dispose());
  const server = await startWebApp({ auth: core.auth, preferences: new FilePreferencesStore(join(dataDir, 'web-preferences.json')), staticDir });
  context.defer(() => server.close());
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context.defer(() => browser.close());
  return paired({
    rounds: context.settings.rendererRounds,
    warmup: 2,
    ours: () => timeToReady(browser, server.appUrl),
    baseline: () => timeToReady(browser, `${server.origin}/bench-empty.html`),
  });
}

export const rendererBenchmark: Benchmark = {
  id: 'renderer',
  title: 'Renderer: initial JavaScript and time to the provider list in Chromium',
  async run(context: BenchContext): Promise<BenchRow[]> {
    context.log('building the renderer …');
    const webBuild = await buildRenderer('web');
    const initial = initialJavaScript(context.settings.separateAppBuild ? await buildRenderer('app') : webBuild, 'index.html');
    const web = initialJavaScript(webBuild, 'web.html');
    const timing = await timeProviderList(context, webBuild);
    const kib = (bytes: number): number => bytes / 1024;
    return [
      {
        id: 'renderer-size',
        name: 'renderer initial JS (gzip -9)',
        unit: 'KiB',
        ours: kib(initial.gzipBytes),
        baseline: null,
        baselineName: null,
        ratio: null,
        ratioIqr: null,
        rounds: 1,
        target: { kind: 'absolute', max: 100 },
        invariants: [{ name: 'found the entry scripts', ok: initial.files.length > 0, detail: initial.files.join(', ') }],
        notes: [
          `app window (index.html): ${initial.files.join(', ')}; ${kib(initial.rawBytes).toFixed(0)} KiB before compression`,
          `web page (web.html, shim first): ${kib(web.gzipBytes).toFixed(1)} KiB gzip initially, the app chunk follows by import()`,
        ],
        pass: initial.files.length > 0 && kib(initial.gzipBytes) <= 100,
      },
      pairedRow({
        id: 'renderer-provider-list',
        name: 'navigation → provider list (Chromium)',
        unit: 'ms',
        baselineName: 'empty page, same server',
        result: timing,
        target: { kind: 'ratio', max: 1.5 },
        notes: ['through the loopback web transport with the real core (3 providers signed in); times in the page clock from navigation start'],
      }),
    ];
  },
};
