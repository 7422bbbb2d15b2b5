import { describe, expect, it } from 'vitest';
import { keepsRunning, UsageError, parseCommandLine } from '../../../src-main/cli/args.js';
import { EXIT, exitCodeFor } from '../../../src-main/cli/exit-codes.js';

describe('parseCommandLine', () => {
  it('parses every documented command', () => {
    expect(parseCommandLine(['status', '--json']).command).toEqual({ name: 'status', json: true });
    expect(
      parseCommandLine(['login', 'openai', '--api-key-stdin', '--account', 'work', '--no-validate']).command,
    ).toEqual({
      name: 'login-key',
      provider: 'openai',
      account: 'work',
      validate: false,
      json: false,
    });
    expect(parseCommandLine(['login', 'google', '--oauth', '--no-browser']).command).toEqual({
      name: 'login-oauth',
      provider: 'google',
      browser: false,
      enablePlan: false,
      json: false,
    });
    expect(parseCommandLine(['login', 'openai', '--oauth', '--enable-plan']).command).toMatchObject({
      name: 'login-oauth',
      enablePlan: true,
    });
    expect(
      parseCommandLine(['test', 'openai', '--model', 'gpt-6.1-sol', '--account', 'work', '--json']).command,
    ).toEqual({
      name: 'test',
      provider: 'openai',
      model: 'gpt-6.1-sol',
      account: 'work',
      json: true,
    });
    expect(parseCommandLine(['models', 'anthropic', '--refresh']).command).toEqual({
      name: 'models',
      provider: 'anthropic',
      refresh: true,
      json: false,
    });
    expect(parseCommandLine(['use', 'openai', '--model', 'gpt-5']).command).toEqual({
      name: 'use',
      provider: 'openai',
      model: 'gpt-5',
      json: false,
    });
    expect(parseCommandLine(['token', 'anthropic', '--json']).command).toEqual({
      name: 'token',
      provider: 'anthropic',
      json: true,
      refresh: false,
    });
    expect(parseCommandLine(['logout', 'google', '--account', 'personal']).command).toEqual({
      name: 'logout',
      provider: 'google',
      account: 'personal',
      json: false,
    });
  });

  it('takes the global options anywhere on the line', () => {
    const parsed = parseCommandLine(['--data-dir', '/tmp/x', 'status', '--config', '/tmp/c.json']);
    expect(parsed).toEqual({ command: { name: 'status', json: false }, dataDir: '/tmp/x', configFile: '/tmp/c.json' });
  });

  it.each([
    [['frobnicate']],
    [['login', 'openai']],
    [['login', 'openai', '--oauth', '--api-key-stdin']],
    [['login', 'openai', '--api-key-stdin', '--no-browser']],
    [['models']],
    [['status', 'extra']],
    [['token', 'openai', '--min-valid', 'soon']],
    [['status', '--unknown']],
    [['use', 'openai', '--model']],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
  });

  it('shows help when asked, and calls a missing command a usage error', () => {
    expect(parseCommandLine(['--help']).command).toEqual({ name: 'help' });
    expect(() => parseCommandLine([])).toThrow(new UsageError('No command given.'));
    expect(() => parseCommandLine(['--data-dir', '/tmp/x'])).toThrow(new UsageError('No command given.'));
  });

  it.each([
    [['status', '--unknown'], 'Unknown option --unknown.'],
    [['status', '-x'], 'Unknown option -x.'],
    [['use', 'openai', '--model'], 'The option --model needs a value.'],
    [['status', '--json=yes'], 'The option --json takes no value.'],
  ])('says what is wrong with %j in its own words, not Node’s', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(new UsageError(message));
  });
});

describe('exitCodeFor', () => {
  it('gives scripts the documented exit codes', () => {
    expect(exitCodeFor('invalid_credentials')).toBe(EXIT.notAuthenticated);
    expect(exitCodeFor('not_authenticated')).toBe(3);
    expect(exitCodeFor('reauth_required')).toBe(3);
    expect(exitCodeFor('provider_unavailable')).toBe(4);
    expect(exitCodeFor('network_error')).toBe(4);
    expect(exitCodeFor('unknown_provider')).toBe(2);
    expect(exitCodeFor('internal')).toBe(1);
  });
});

describe('keepsRunning', () => {
  it('names the servers and exec, which keep zod’s compiled parsers; every other command is one-shot', () => {
    const running = (argv: string[]): boolean => keepsRunning(parseCommandLine(argv).command);
    expect(running(['agent'])).toBe(true);
    expect(running(['gateway', '--port', '0'])).toBe(true);
    expect(running(['exec', '--', 'node'])).toBe(true);
    for (const argv of [
      ['status'],
      ['token', 'anthropic'],
      ['models', 'openai'],
      ['use', 'openai'],
      ['logout', 'openai'],
    ])
      expect(running(argv)).toBe(false);
  });
});
