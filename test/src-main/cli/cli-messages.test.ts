import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../support/run-cli.js';

/**
 * What a person reads when something is off around the command line, pinned word for word:
 * each message says what is wrong in their terms and nothing about how the program is built.
 */
let root: string;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'maestro-cli-messages-'));
  dataDir = join(root, 'data');
  // Nothing listens here: no command in this file may reach a provider.
  env = cliEnv({ THE_MAESTRO_DATA_DIR: dataDir, THE_MAESTRO_ANTHROPIC_API_BASE_URL: 'http://127.0.0.1:9' });
});
afterEach(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

const KEY = 'sk-ant-api03-messages-0123456789abcdef';
const isRoot = process.getuid?.() === 0;

async function storeKey(account?: string): Promise<void> {
  const args = ['login', 'anthropic', '--api-key-stdin', '--no-validate'];
  const run = await runCli(account === undefined ? args : [...args, '--account', account], env, `${KEY}\n`);
  expect(run.code).toBe(0);
}

describe('the command line explains', () => {
  it('a missing master.key once, in plain words', async () => {
    await storeKey();
    unlinkSync(join(dataDir, 'master.key'));
    const run = await runCli(['token', 'anthropic'], env);
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `the-maestro: Your stored credentials cannot be opened. The key file ${join(dataDir, 'master.key')} is missing; restore it from a backup (a new key cannot open what the old one protected). Nothing was changed. No agent is running to answer instead: open The Maestro, or run \`the-maestro agent\`, and try again.\n`,
    });
  });

  it.skipIf(isRoot)('a read-only data folder: it must be writable', async () => {
    await storeKey();
    chmodSync(dataDir, 0o500);
    const run = await runCli(['status'], env);
    chmodSync(dataDir, 0o700);
    expect(run).toMatchObject({
      code: 1,
      stderr: `the-maestro: The data folder ${dataDir} is read-only; The Maestro must be able to write in it (it keeps its database there).\n`,
    });
  });

  it('a --config that names a missing file, instead of ignoring it', async () => {
    const missing = join(root, 'no-such-config.json');
    const run = await runCli(['status', '--config', missing], env);
    expect(run).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `the-maestro: The configuration file ${missing} (given with --config) does not exist.\n`,
    });
  });

  it('a --data-dir that names a file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await runCli(['status', '--data-dir', file], env);
    expect(run).toMatchObject({
      code: 2,
      stderr: `the-maestro: --data-dir ${file} names a file; it must name a folder (one that does not exist yet is created).\n`,
    });
    const byEnv = await runCli(['status'], { ...env, THE_MAESTRO_DATA_DIR: file });
    expect(byEnv).toMatchObject({
      code: 1,
      stderr: `the-maestro: The data folder ${file} is a file; The Maestro needs a folder there.\n`,
    });
  });

  it('an unknown option in its own words, not Node’s parser’s', async () => {
    const run = await runCli(['status', '--jsn'], env);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('the-maestro: Unknown option --jsn.');
    expect(run.stderr).toContain('Usage: the-maestro <command> [options]');
  });

  it('no command at all: the usage, as a usage error (exit 2)', async () => {
    const run = await runCli([], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe('the-maestro: No command given.');
    expect(run.stderr).toContain('Usage: the-maestro <command> [options]');
  });

  it('logout: names the account it removed, and no account the person did not name', async () => {
    const nothing = await runCli(['logout', 'anthropic'], env);
    expect(nothing).toMatchObject({
      code: 2,
      stderr: 'the-maestro: Nothing is stored for Anthropic; there is nothing to log out of.\n',
    });
    await storeKey('work');
    const removed = await runCli(['logout', 'anthropic'], env);
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed 1 stored credential for anthropic, account "work".\n' });
    const named = await runCli(['logout', 'anthropic', '--account', 'home'], env);
    expect(named).toMatchObject({ code: 2, stderr: 'the-maestro: Nothing is stored for Anthropic account "home".\n' });
  });
});

describe('the data folder', () => {
  it('is tightened to its owner when it already exists with wider permissions', async () => {
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    expect((await runCli(['status'], env)).code).toBe(0);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('is left alone when it is a shared folder that is not only ours (a home or /tmp-like folder)', async () => {
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'notes.txt'), 'the person’s own file');
    expect((await runCli(['status'], { ...env, THE_MAESTRO_DATA_DIR: dataDir })).code).toBe(0);
    // The store was created in it, but the folder keeps the mode the person gave it.
    expect(statSync(dataDir).mode & 0o777).toBe(0o755);
  });
});
