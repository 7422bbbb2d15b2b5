// Child process of cli-in-app.test.ts: launches the BUILT main bundle the way `electron . --cli …`
// does (process.defaultApp set, argv = [electron, app path, --cli, …args]) in plain Node with
// `electron` stubbed, so the app's own entry point must hand over to the command line bundle.
// At exit it reports on stderr what the app side did meanwhile (it must have done nothing).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as electron from 'electron';

const [outDir, ...args] = process.argv.slice(2);
const appDir = join(outDir, '..');
process.defaultApp = true;
process.argv = [process.execPath, appDir, ...args];
process.on('exit', (code) => {
  const stub = electron.stubState;
  const appSide = {
    code,
    privilegedSchemes: stub.privilegedSchemes.length,
    lockRequests: stub.lockRequests ?? 0,
    ipcHandlers: stub.ipcHandlers.size,
  };
  process.stderr.write(`\nAPP-SIDE ${JSON.stringify(appSide)}\n`);
});
await import(pathToFileURL(join(outDir, 'main', 'index.js')).href);
