#!/usr/bin/env node
// Electron 45 fetches its binary on first use rather than at `npm install`, while electron-vite
// expects it to be there already ("Electron uninstall"). `npm start` and `npm run dev` call this
// first: it downloads the binary once, or says plainly why the window cannot open.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');

function installed() {
  return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!installed()) {
  process.stdout.write('Downloading the Electron binary (first start only)…\n');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0 || !installed()) {
    process.stderr.write(
      '\nThe Electron binary could not be downloaded, so the desktop window cannot open on this machine.\n' +
        'Check the network (or set ELECTRON_MIRROR), then run `npm start` again.\n' +
        'Without Electron, `npm run start:web` serves the same window, backed by the same core, in a browser.\n',
    );
    process.exit(1);
  }
}
