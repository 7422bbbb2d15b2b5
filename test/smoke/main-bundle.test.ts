import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/electron/content-security-policy.js';
import { CHANNEL_NAMES } from '../../src-shared/ipc-contract.js';
import { makeTempDir, readAllFiles } from '../support/storage/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = `${root}out`;
const BUILT = ['main/index.js', 'preload/index.cjs', 'renderer-app/index.html'].map((file) => `${outDir}/${file}`);
const CANARY = 'sk-ant-api03-SMOKECANARY0123456789abcdefXYZ9';

/** The newest modification time among the sources the bundle is built from. */
function newestSource(): number {
  let newest = 0;
  for (const dir of ['src-main', 'src-shared', 'src-renderer']) {
    for (const name of readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })) {
      newest = Math.max(newest, statSync(`${root}${dir}/${name}`).mtimeMs);
    }
  }
  return newest;
}

/** Builds with electron-vite when the bundle is missing or older than its sources (the test runner normally built it already). */
function ensureBuilt(): void {
  const fresh = BUILT.every((file) => existsSync(file) && statSync(file).mtimeMs >= newestSource());
  if (fresh) return;
  const bin = `${root}node_modules/electron-vite/bin/electron-vite.js`;
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stdout}\n${result.stderr}`);
}

function runBundle(dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !/_API_KEY$|^NODE_OPTIONS$|^THE_MAESTRO_/.test(name),
  );
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(inherited),
    THE_MAESTRO_DATA_DIR: dataDir,
    HOME: dataDir,
    XDG_CONFIG_HOME: dataDir,
  };
  const args = [
    '--import',
    `${root}test/smoke/register-electron-stub.mjs`,
    `${root}test/smoke/run-main-bundle.mjs`,
    outDir,
    CANARY,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dataDir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Report {
  channels: string[];
  errorBoxes: unknown[];
  privilegedSchemes: unknown[];
  window: { url: string; webPreferences: Record<string, unknown> };
  providersList: { ok: boolean; value: { id: string; accounts: { maskedKey: string | null }[] }[] };
  sessionGet: { ok: boolean; value: { storage: { persistent: boolean; level: string } } };
  settingsGet: { ok: boolean; value: Record<string, unknown> };
  foreign: { ok: boolean; error: { code: string } };
  invalid: { ok: boolean; error: { code: string } };
  saved: { ok: boolean; value: { provider: string; validated: boolean; maskedKey: string | null } };
  afterSave: Report['providersList'];
  page: { status: number; csp: string; body: string };
  preload: { required: string[]; domains: string[]; frozen: boolean };
  tray: string[];
  trayImage: { path: string; empty: boolean };
  handlersAfterQuit: number;
}

describe('the built main bundle in plain Node, electron stubbed, with the real core', () => {
  const temp = makeTempDir('maestro-smoke-');
  let report: Report;
  let stderr = '';

  beforeAll(async () => {
    ensureBuilt();
    const run = await runBundle(temp.dir);
    stderr = run.stderr;
    if (run.code !== 0) throw new Error(`the bundle failed (exit ${String(run.code)}):\n${run.stderr}`);
    report = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Report;
  }, 300_000);
  afterAll(() => temp.remove());

  it('starts without an error box and registers a handler for every contract channel', () => {
    expect(report.errorBoxes).toEqual([]);
    expect(report.channels).toEqual([...CHANNEL_NAMES].sort());
  });

  it("carries better-sqlite3's JavaScript and opens only its native addon from node_modules", () => {
    const bundle = readFileSync(`${outDir}/main/index.js`, 'utf8');
    // An import of the package would load its CommonJS files through Node's loader at start-up.
    expect(bundle).not.toMatch(/from ["']better-sqlite3["']|require\(["']better-sqlite3["']\)/);
    expect(bundle).toContain('nativeBinding: sqliteAddonPath()');
  });

  it('answers providers.list, session.get and settings.get from the real core', () => {
    expect(report.providersList.ok).toBe(true);
    expect(report.providersList.value.map((provider) => provider.id)).toEqual(['anthropic', 'google', 'openai']);
    expect(report.sessionGet).toMatchObject({
      ok: true,
      value: { storage: { persistent: true, level: 'os_keychain' } },
    });
    expect(report.settingsGet).toMatchObject({ ok: true, value: { fallbackOrder: ['oauth', 'api_key', 'env'] } });
  });

  it('refuses a foreign frame and an invalid payload with result errors', () => {
    expect(report.foreign).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(report.invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('stores an API key sealed: the reply and the list show only the masked tail, the disk never the key', () => {
    expect(report.saved).toMatchObject({
      ok: true,
      value: { provider: 'anthropic', validated: false, maskedKey: '…XYZ9' },
    });
    const anthropic = report.afterSave.value.find((provider) => provider.id === 'anthropic');
    expect(anthropic?.accounts.map((account) => account.maskedKey)).toEqual(['…XYZ9']);
    expect(JSON.stringify(report)).not.toContain(CANARY);
    for (const [name, bytes] of readAllFiles(temp.dir)) {
      expect(bytes.includes(Buffer.from(CANARY)), name).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(CANARY).toString('base64'))), name).toBe(false);
    }
    expect(stderr).not.toContain(CANARY);
  });

  it('serves the built UI from app://maestro with the strict CSP into a hardened window', () => {
    expect(report.page.status).toBe(200);
    expect(report.page.csp).toBe(CONTENT_SECURITY_POLICY);
    expect(report.page.body.toLowerCase()).toContain('<!doctype html>');
    expect(report.window.url).toBe('app://maestro/index.html');
    expect(report.window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(report.window.webPreferences['preload'])).toMatch(/out\/preload\/index\.cjs$/);
    expect(report.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('has a sandbox-ready preload: one CommonJS file requiring only electron, exposing the frozen API', () => {
    expect(report.preload.required).toEqual(['electron']);
    expect(report.preload.domains).toEqual([
      'accounts',
      'auth',
      'cli',
      'gateway',
      'models',
      'on',
      'plan',
      'providers',
      'session',
      'settings',
      'storage',
    ]);
    expect(report.preload.frozen).toBe(true);
  });

  it('builds the tray from the core status and removes every handler at quit', () => {
    expect(report.tray).toEqual(expect.arrayContaining(['Sign in…', 'Open The Maestro', 'Quit']));
    expect(report.tray.some((label) => label.startsWith('Anthropic · default'))).toBe(true);
    expect(report.handlersAfterQuit).toBe(0);
  });

  it('opens the generated tray icon from resources/tray beside out/ (packed into app.asar the same way)', () => {
    expect(report.trayImage).toEqual({ path: `${root}resources/tray/tray.png`, empty: false });
  });
});
