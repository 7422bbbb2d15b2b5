/**
 * The packaged flow in a real Electron (Playwright `_electron`): the hardened window, the UI from
 * app://maestro with its CSP, the preload API over real IPC to the real core. They need the
 * Electron binary, which this machine cannot download: here they are reported skipped, with
 * the reason; where `npm install` fetched Electron they run against the built app (`npm run build`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The binary electron's installer would have put in node_modules/electron/dist (named in path.txt). */
function electronBinary(): string | null {
  if (process.env['ELECTRON_EXEC_PATH'] !== undefined) return process.env['ELECTRON_EXEC_PATH'];
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const executablePath = electronBinary();
const hasElectronBinary = executablePath !== null;

test.skip(
  !hasElectronBinary,
  'No Electron binary on this machine: electron@45 downloads it on first use and there is no network here ' +
    '(see environment.md). The shell is covered by its unit tests and the built-bundle smoke test instead.',
);

let dataDir: string;
let app: ElectronApplication;
/** The app this test launched, if it got that far: afterEach closes it. */
let launched: ElectronApplication | undefined;
let page: Page;

async function launch(extraArgs: readonly string[] = []): Promise<void> {
  if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('Build the app first: npm run build');
  dataDir = mkdtempSync(join(tmpdir(), 'maestro-electron-e2e-'));
  launched = await electron.launch({
    ...(executablePath !== null ? { executablePath } : {}),
    args: [root, ...extraArgs],
    cwd: root,
    env: {
      ...process.env,
      THE_MAESTRO_DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: '',
      OPENAI_API_KEY: '',
      GEMINI_API_KEY: '',
      GOOGLE_API_KEY: '',
    },
  });
  app = launched;
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
}

test.afterEach(async () => {
  await launched?.close();
  launched = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

test('opens one hardened window with the UI from the app protocol', async () => {
  await launch();
  expect(page.url()).toBe('app://maestro/index.html');
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  // No Node in the page (nodeIntegration off, context isolation and the sandbox on).
  expect(
    await page.evaluate(() => [
      typeof (globalThis as { require?: unknown }).require,
      typeof (globalThis as { process?: unknown }).process,
    ]),
  ).toEqual(['undefined', 'undefined']);
});

test('serves the page with the strict CSP header', async () => {
  await launch();
  const csp = await page.evaluate(async () =>
    (await fetch('app://maestro/index.html')).headers.get('content-security-policy'),
  );
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  const evalOutcome = await page.evaluate(() => {
    try {
      return String((0, globalThis.eval)('1'));
    } catch (error) {
      return String(error);
    }
  });
  expect(evalOutcome).toMatch(/EvalError|Content Security Policy|unsafe-eval/);
});

test('exposes the frozen contract API, answered by the real core over IPC', async () => {
  await launch();
  const reply = await page.evaluate(async () => {
    const api = (
      globalThis as unknown as { maestro: { providers: { list(): Promise<{ ok: boolean; value: { id: string }[] }> } } }
    ).maestro;
    return { frozen: Object.isFrozen(api), list: await api.providers.list() };
  });
  expect(reply.frozen).toBe(true);
  expect(reply.list.ok).toBe(true);
  expect(reply.list.value.map((provider) => provider.id)).toEqual(['anthropic', 'google', 'openai']);
});

test('denies navigation and new windows', async () => {
  await launch();
  const opened = await page.evaluate(() => window.open('https://example.com/') === null);
  expect(opened).toBe(true);
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe('app://maestro/index.html');
  expect(app.windows()).toHaveLength(1);
});

test('keeps credentials in memory only on Linux basic_text and says so', async () => {
  test.skip(process.platform !== 'linux', 'basic_text is a Linux backend');
  await launch(['--password-store=basic']);
  const storage = await page.evaluate(async () => {
    const api = (
      globalThis as unknown as {
        maestro: { session: { get(): Promise<{ value: { storage: { persistent: boolean; warnings: string[] } } }> } };
      }
    ).maestro;
    return (await api.session.get()).value.storage;
  });
  expect(storage.persistent).toBe(false);
  expect(storage.warnings.join(' ')).toMatch(/memory only/);
});
