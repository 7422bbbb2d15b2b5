import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src-main/log/logger.js';
import { LOG_FILE_NAME, RotatingLogFile } from '../../../src-main/log/rotating-log-file.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

const posix = process.platform !== 'win32';

describe('the rotating log file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let logs: string;
  beforeEach(() => {
    temp = makeTempDir();
    logs = join(temp.dir, 'logs');
  });
  afterEach(() => temp.remove());

  it('rotates by size and keeps only the newest files', () => {
    const file = new RotatingLogFile({ maxBytes: 100, maxFiles: 3 });
    file.openIn(logs);
    // 40 lines of 25 bytes: four lines fit in 100 bytes, so ten files' worth were written.
    for (let index = 0; index < 40; index += 1) file.write(`line ${String(index).padStart(18, '0')}`);
    file.close();
    expect(readdirSync(logs).sort()).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const name of readdirSync(logs)) expect(statSync(join(logs, name)).size).toBeLessThanOrEqual(100);
    const lines = (name: string) => readFileSync(join(logs, name), 'utf8').trim().split('\n');
    expect(lines(LOG_FILE_NAME).at(-1)).toBe(`line ${String(39).padStart(18, '0')}`);
    expect(lines(`${LOG_FILE_NAME}.2`)[0]).toBe(`line ${String(28).padStart(18, '0')}`);
  });

  it('continues a file left by an earlier run and rotates it when full', () => {
    mkdirSync(logs);
    writeFileSync(join(logs, LOG_FILE_NAME), `${'x'.repeat(90)}\n`);
    const file = new RotatingLogFile({ maxBytes: 100, maxFiles: 5 });
    file.openIn(logs);
    file.write('a new run begins here');
    file.close();
    expect(readFileSync(join(logs, LOG_FILE_NAME), 'utf8')).toBe('a new run begins here\n');
    expect(readFileSync(join(logs, `${LOG_FILE_NAME}.1`), 'utf8')).toBe(`${'x'.repeat(90)}\n`);
  });

  it.runIf(posix)('creates the file 0600 inside a folder made 0700, even a folder that existed loosely', () => {
    mkdirSync(logs, { mode: 0o755 });
    chmodSync(logs, 0o755);
    const file = new RotatingLogFile();
    file.openIn(logs);
    file.write('hello');
    file.close();
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    expect(statSync(join(logs, LOG_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('never writes through a symbolic link planted in its place, and says so once', () => {
    mkdirSync(logs, { mode: 0o700 });
    const target = join(temp.dir, 'elsewhere.txt');
    writeFileSync(target, '');
    symlinkSync(target, join(logs, LOG_FILE_NAME));
    const failures: string[] = [];
    const file = new RotatingLogFile({ onFailure: (message) => failures.push(message) });
    file.openIn(logs);
    file.write('secret-free line');
    file.write('another');
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(failures).toEqual([expect.stringContaining('cannot write its log file')]);
  });

  it('keeps the lines logged before its folder is known and writes them first', () => {
    const file = new RotatingLogFile();
    file.write('before ready');
    expect(file.path).toBeNull();
    expect(file.openIn(logs)).toBe(join(logs, LOG_FILE_NAME));
    file.write('after ready');
    file.close();
    expect(readFileSync(join(logs, LOG_FILE_NAME), 'utf8')).toBe('before ready\nafter ready\n');
  });

  it('holds no secret written through the logger', () => {
    const file = new RotatingLogFile();
    file.openIn(logs);
    const logger = createLogger({ sink: (line) => file.write(line) });
    logger.info('refreshed with refresh_token=1//0gSECRETREFRESHTOKEN and key sk-ant-api03-SECRETKEY0001', {
      authorization: 'Bearer ya29.SECRETACCESS',
      body: '{"access_token":"SECRET-ACCESS-0002","expires_in":3600}',
      url: 'https://example.test/cb?code=SECRET-CODE-0003&state=SECRET-STATE-0004',
    });
    file.close();
    const written = readFileSync(join(logs, LOG_FILE_NAME), 'utf8');
    expect(written).toContain('refreshed with');
    expect(written).not.toMatch(/SECRET/);
    expect(existsSync(join(logs, `${LOG_FILE_NAME}.1`))).toBe(false);
  });

  it('appends a batch in order with writeAll, rotating by size within it as line by line', () => {
    const file = new RotatingLogFile({ maxBytes: 100, maxFiles: 3 });
    file.openIn(logs);
    const numbered = (index: number): string => `line ${String(index).padStart(18, '0')}`;
    file.writeAll([0, 1, 2, 3, 4, 5].map(numbered));
    file.write('after the batch');
    file.close();
    const lines = (name: string) => readFileSync(join(logs, name), 'utf8').trim().split('\n');
    expect(lines(`${LOG_FILE_NAME}.1`)).toEqual([0, 1, 2, 3].map(numbered));
    expect(lines(LOG_FILE_NAME)).toEqual([numbered(4), numbered(5), 'after the batch']);
  });
});
