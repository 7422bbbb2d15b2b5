import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { createCore } from '../../../src-main/core/create-core.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { startWebApp } from '../../../src-main/web/web-app.js';
import { FIRST_RENDER_CHANNELS } from '../../../src-renderer/app/first-render.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, seedDataDir } from '../fixtures.js';
import { paired, type PairedResult } from '../harness.js';
import { buildRenderer, initialJavaScript } from '../renderer-build.js';

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

/**
 * Marks, in the page's own clock (ms since navigation start), the moment the provider list is in
 * the DOM (three provider cards) or the empty page's root element is (`[data-bench-ready]`,
 * rendered by scripts/bench/empty-app.ts). Injected before any page script.
 */
const READY_PROBE = `(() => {
  const check = () => {
    if (window.__benchDone !== undefined) return;
    if (document.querySelector('[data-bench-ready]') !== null || document.querySelectorAll('article.card[data-provider]').length >= 3) {
      window.__benchDone = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** One page load: its time to ready, and the IPC requests (channels) it made until then. */
interface PageLoad {
  readonly ms: number;
  readonly ipc: readonly string[];
}

async function loadUntilReady(browser: Browser, url: string): Promise<PageLoad> {
  const page = await browser.newPage();
  const ipc: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/ipc/')) ipc.push(pathname.slice('/ipc/'.length));
  });
  try {
    await page.addInitScript(READY_PROBE);
    await page.goto(url);
    await page.waitForFunction(() => (window as { __benchDone?: number }).__benchDone !== undefined, undefined, {
      timeout: 15_000,
    });
    return { ms: await page.evaluate(() => (window as { __benchDone?: number }).__benchDone ?? Number.NaN), ipc };
  } finally {
    await page.close();
  }
}

/** Where the empty build is served, beside the real one: `/empty/web.html`. */
const EMPTY_DIR = 'empty';

/**
 * Navigation → provider list in Chromium through the web transport with the real core, vs the
 * same bundle setup with an empty app (the `empty` build), served by the same server.
 */
async function timeProviderList(
  context: BenchContext,
  webBuild: string,
  emptyBuild: string,
): Promise<{ result: PairedResult; invariants: Invariant[] }> {
  const staticDir = join(context.tempDir('maestro-bench-static-'), 'renderer');
  cpSync(webBuild, staticDir, { recursive: true });
  cpSync(emptyBuild, join(staticDir, EMPTY_DIR), { recursive: true });
  const dataDir = context.tempDir('maestro-bench-renderer-');
  await seedDataDir(dataDir);
  const core = await createCore({ dataDir, env: benchEnv(), purpose: 'bench' });
  context.defer(() => core.dispose());
  const server = await startWebApp({
    auth: core.auth,
    preferences: new FilePreferencesStore(join(dataDir, 'web-preferences.json')),
    staticDir,
  });
  context.defer(() => server.close());
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  context.defer(() => browser.close());
  const oursIpc: (readonly string[])[] = [];
  const baselineIpc: (readonly string[])[] = [];
  const result = await paired({
    rounds: context.settings.rendererRounds,
    warmup: 2,
    ours: async () => {
      const load = await loadUntilReady(browser, server.appUrl);
      oursIpc.push(load.ipc);
      return load.ms;
    },
    // The same token in the fragment: the shim takes it exactly as it does on the real page.
    baseline: async () => {
      const load = await loadUntilReady(browser, `${server.origin}/${EMPTY_DIR}/web.html#token=${server.token}`);
      baselineIpc.push(load.ipc);
      return load.ms;
    },
  });
  const expected = [...FIRST_RENDER_CHANNELS].sort().join(', ');
  const oursOff = oursIpc.filter((ipc) => [...ipc].sort().join(', ') !== expected);
  const baselineOff = baselineIpc.filter((ipc) => ipc.length > 0);
  return {
    result,
    invariants: [
      {
        name: "the page asks for its first render's data once per channel",
        ok: oursOff.length === 0,
        detail:
          oursOff.length === 0
            ? `${expected} in each of ${oursIpc.length} loads`
            : `${oursOff.length} loads asked for: ${oursOff.map((ipc) => ipc.join(', ')).join(' | ')}`,
      },
      {
        name: 'the baseline page asks for no data',
        ok: baselineOff.length === 0,
        detail:
          baselineOff.length === 0
            ? `no request in ${baselineIpc.length} loads`
            : `asked for: ${baselineOff.map((ipc) => ipc.join(', ')).join(' | ')}`,
      },
    ],
  };
}

export const rendererBenchmark: Benchmark = {
  id: 'renderer',
  title: 'Renderer: initial JavaScript and time to the provider list in Chromium',
  async run(context: BenchContext): Promise<BenchRow[]> {
    context.log('building the renderer …');
    const webBuild = await buildRenderer('web');
    const initial = initialJavaScript(
      context.settings.separateAppBuild ? await buildRenderer('app') : webBuild,
      'index.html',
    );
    const web = initialJavaScript(webBuild, 'web.html');
    const timing = await timeProviderList(context, webBuild, await buildRenderer('empty'));
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
        invariants: [
          { name: 'found the entry scripts', ok: initial.files.length > 0, detail: initial.files.join(', ') },
        ],
        notes: [
          `app window (index.html): ${initial.files.join(', ')}; ${kib(initial.rawBytes).toFixed(0)} KiB before compression`,
          `web page (web.html: the shim, with what it imports preloaded): ${kib(web.gzipBytes).toFixed(1)} KiB gzip initially`,
        ],
        pass: initial.files.length > 0 && kib(initial.gzipBytes) <= 100,
      },
      pairedRow({
        id: 'renderer-provider-list',
        name: 'navigation → provider list (Chromium)',
        unit: 'ms',
        baselineName: 'empty page, same bundle setup',
        result: timing.result,
        target: { kind: 'ratio', max: 1.5 },
        invariants: timing.invariants,
        notes: [
          'through the loopback web transport with the real core (3 providers signed in); times in the page clock from navigation start',
          'baseline: the same Vite build (config, plugins, chunking, web.html and its shim, React and ReactDOM, the stylesheet) whose app renders one empty element instead of the provider list and asks for no data (scripts/bench/empty-app.ts), served by the same server with the same headers and CSP',
        ],
      }),
    ];
  },
};
