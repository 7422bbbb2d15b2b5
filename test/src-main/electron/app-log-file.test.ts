import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./support/fake-electron.js')).electronMockFactory());

import { startShell, type ShellOptions } from '../../../src-main/electron/app-shell.js';
import { createLogger } from '../../../src-main/log/logger.js';
import { LOG_FILE_NAME, RotatingLogFile } from '../../../src-main/log/rotating-log-file.js';
import { createAuthServiceDouble } from '../../support/auth-service-double.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';
import { shellOptionsFor } from './support/shell-options.js';
import { fake, resetFakeElectron } from './support/fake-electron.js';

/** The packaged app's log file: in Electron's logs folder, owner-only, redacted, closed last on quit. */
let temp: ReturnType<typeof makeTempDir>;

function shellOptions(logFile: RotatingLogFile): ShellOptions {
  const logger = createLogger({ sink: (line) => logFile.write(line), scope: 'app' });
  const auth = createAuthServiceDouble();
  return shellOptionsFor(
    temp.dir,
    async () => {
      logger.info('opening the core', { apiKey: 'sk-ant-api03-NEVER-IN-THE-LOG-0001' });
      return { auth, dispose: async () => logger.info('core closed') };
    },
    { logger, logFile },
  );
}

beforeEach(() => {
  resetFakeElectron();
  temp = makeTempDir('maestro-app-log-');
});
afterEach(() => temp.remove());

describe('the app log file', () => {
  it('is written in Electron’s logs folder (0700, file 0600), redacted, from before ready until the last disposer', async () => {
    const logs = join(temp.dir, 'logs');
    fake.app.paths.set('logs', logs);
    const logFile = new RotatingLogFile();
    const shell = startShell(shellOptions(logFile));
    expect(logFile.path).toBe(join(logs, LOG_FILE_NAME));
    fake.app.makeReady();
    await shell.ready;
    fake.app.quit();
    await vi.waitFor(() => expect(fake.app.exited).toBe(true));

    const text = readFileSync(join(logs, LOG_FILE_NAME), 'utf8');
    const messages = text
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { message: string }).message);
    expect(messages[0]).toBe('log file');
    expect(messages).toContain('opening the core');
    expect(messages).toContain('The Maestro is ready');
    expect(messages).toContain('core closed');
    expect(text).not.toContain('NEVER-IN-THE-LOG');
    if (process.platform !== 'win32') {
      expect(statSync(logs).mode & 0o777).toBe(0o700);
      expect(statSync(join(logs, LOG_FILE_NAME)).mode & 0o777).toBe(0o600);
    }
  });

  it('is not opened by an instance that hands over to the running one', () => {
    fake.app.paths.set('logs', join(temp.dir, 'logs'));
    fake.app.lockResult = false;
    const logFile = new RotatingLogFile();
    startShell(shellOptions(logFile));
    expect(logFile.path).toBeNull();
  });
});
