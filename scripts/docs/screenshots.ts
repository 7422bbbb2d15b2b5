/**
 * `npm exec -- tsx scripts/docs/screenshots.ts` (after `npm run build:renderer`): the PNGs in
 * docs/images. It starts the local fake providers and authorization server from test/fakes, the
 * REAL core in a temporary data directory, and the web transport serving the built renderer;
 * signs in the way a person would (API keys for two Anthropic accounts, OpenAI by OAuth, a Google
 * key from the environment); then photographs the window in Chromium and the tray menu rendered
 * from the app's own menu template. Nothing reaches the network beyond 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { buildTrayTemplate } from '../../src-main/electron/tray-template.js';
import { FilePreferencesStore } from '../../src-main/preferences/file-preferences.js';
import { startWebApp } from '../../src-main/web/web-app.js';
import { completeInBrowser } from '../../test/fakes/browser-login.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../test/fakes/index.js';
import { PUBLIC_CLIENT_ID, startOidcServer } from '../../test/fakes/oauth-server.js';
import { trayMenuHtml } from './tray-menu-html.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'docs', 'images');
const KEYS = {
  work: 'sk-ant-api03-docs-work-account-7c1e',
  personal: 'sk-ant-api03-docs-personal-acct-90b4',
  google: 'AIzaSyDocs-environment-key-d3a8',
};
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function check<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** The state a person would have after a few minutes with the app. */
async function signInLikeAPerson(core: Core, acceptToken: (token: string) => void): Promise<void> {
  const { auth } = core;
  check(await auth.saveApiKey({ provider: 'anthropic', apiKey: KEYS.personal, account: 'personal' }));
  check(await auth.saveApiKey({ provider: 'anthropic', apiKey: KEYS.work, account: 'work' }));
  const flow = check(await auth.startOAuth({ provider: 'openai' }));
  check(
    await auth.submitPastedCode({ flowId: flow.flowId, pasted: (await completeInBrowser(flow.authorizationUrl)).href }),
  );
  // The fake OpenAI API accepts the access token the local authorization server issued.
  acceptToken(check(await auth.resolve('openai')).secret);
  for (const provider of ['anthropic', 'google', 'openai']) check(await auth.listModels({ provider }));
  check(await auth.selectModel({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929' }));
  check(await auth.selectModel({ provider: 'openai', model: 'gpt-5' }));
  check(await auth.setActiveProvider({ provider: 'anthropic', account: 'work' }));
}

async function photographWindow(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.getByText('Active:').waitFor();
  await page.screenshot({ path: join(OUT, 'window-providers.png'), fullPage: true });
  await page.getByRole('tab', { name: 'Models' }).click();
  await page.getByText('Claude Sonnet 4.5').first().waitFor();
  await page.screenshot({ path: join(OUT, 'window-models.png'), clip: { x: 0, y: 0, width: 1280, height: 720 } });
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await page.getByText('personal').first().waitFor();
  await page.screenshot({ path: join(OUT, 'window-accounts.png'), clip: { x: 0, y: 0, width: 1280, height: 650 } });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'maestro-docs-'));
  const [anthropic, google, openai, oidc] = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.work, KEYS.personal] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
    startOpenAiApi(),
    startOidcServer(),
  ]);
  const env: NodeJS.ProcessEnv = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    GEMINI_API_KEY: KEYS.google,
    OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
    THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
  };
  const core = await createCore({ dataDir, env, purpose: 'test' });
  const server = await startWebApp({
    auth: core.auth,
    preferences: new FilePreferencesStore(join(dataDir, 'web-preferences.json')),
    staticDir: join(ROOT, 'out', 'renderer'),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await signInLikeAPerson(core, (token) => openai.validTokens.add(token));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await photographWindow(page, server.appUrl);
    // A fresh page: the window's page carries the app's CSP, which (rightly) refuses inline styles.
    const tray = await browser.newPage({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 1 });
    await tray.setContent(trayMenuHtml(buildTrayTemplate(await core.auth.status())));
    await tray.locator('body').screenshot({ path: join(OUT, 'tray-menu.png') });
    process.stdout.write(
      `Wrote window-providers.png, window-models.png, window-accounts.png and tray-menu.png to ${OUT}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
    await core.dispose();
    await Promise.all([anthropic.close(), google.close(), openai.close(), oidc.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
