// Child process of main-bundle.test.ts: loads the BUILT app (out/main/index.js) in plain Node with
// `electron` stubbed (see register-electron-stub.mjs), drives it like Electron would — IPC calls
// from our window's top frame and from a foreign frame, the app protocol, the preload in a
// sandbox-like context — then quits and prints one JSON report on stdout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import * as electron from 'electron';

const outDir = process.argv[2];
const canary = process.argv[3];
const stub = electron.stubState;
const OUR_FRAME = { url: 'app://maestro/index.html', parent: null };
const FOREIGN_FRAME = { url: 'https://evil.example/', parent: null };

async function until(predicate, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function call(channel, payload = {}, frame = OUR_FRAME) {
  const handler = stub.ipcHandlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return handler({ senderFrame: frame, sender: {} }, payload);
}

/** Runs the CommonJS preload the way a sandboxed renderer would: `require` knows only electron. */
function loadPreload() {
  const code = readFileSync(join(outDir, 'preload', 'index.cjs'), 'utf8');
  const required = [];
  const module = { exports: {} };
  const sandboxRequire = (id) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found in the sandbox: ${id}`);
  };
  vm.runInNewContext(code, {
    require: sandboxRequire,
    module,
    exports: module.exports,
    console,
    Promise,
    TypeError,
    Error,
    Object,
    Symbol,
    JSON,
  });
  const api = stub.exposed.get('maestro');
  return {
    required,
    domains: api === undefined ? [] : Object.keys(api).sort(),
    frozen: api !== undefined && Object.isFrozen(api),
  };
}

async function main() {
  await import(pathToFileURL(join(outDir, 'main', 'index.js')).href);
  await until(() => stub.ipcHandlers.size > 0 && stub.trays.length > 0, 'the app to be ready');
  const report = { channels: [...stub.ipcHandlers.keys()].sort(), errorBoxes: stub.errorBoxes };
  report.privilegedSchemes = stub.privilegedSchemes;
  report.window = { url: stub.windows[0]?.loadedUrl, webPreferences: stub.windows[0]?.options.webPreferences };
  report.providersList = await call('providers.list');
  report.sessionGet = await call('session.get');
  report.settingsGet = await call('settings.get');
  report.foreign = await call('session.get', {}, FOREIGN_FRAME);
  report.invalid = await call('auth.saveApiKey', { provider: 'anthropic', apiKey: canary, extra: true });
  report.saved = await call('auth.saveApiKey', { provider: 'anthropic', apiKey: canary, validate: false });
  report.afterSave = await call('providers.list');
  const page = await stub.protocolHandlers.get('app')(new Request('app://maestro/index.html'));
  report.page = {
    status: page.status,
    csp: page.headers.get('content-security-policy'),
    body: (await page.text()).slice(0, 200),
  };
  report.preload = loadPreload();
  report.tray = stub.trays[0]?.menus.at(-1)?.template.map((item) => item.label ?? `(${item.type})`);
  report.trayImage = { path: stub.trays[0]?.image.path, empty: stub.trays[0]?.image.isEmpty() };
  electron.app.quit();
  await until(() => stub.exited, 'quit to finish disposing');
  report.handlersAfterQuit = stub.ipcHandlers.size;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
