import { describe, expect, it } from 'vitest';
import { UsageError, parseCommandLine } from '../../../src-main/cli/args.js';

describe('parseCommandLine for the tool commands', () => {
  it('reads token --refresh and --min-valid', () => {
    expect(parseCommandLine(['token', 'openai', '--refresh', '--min-valid', '600']).command).toEqual({
      name: 'token',
      provider: 'openai',
      json: false,
      refresh: true,
      minValidSeconds: 600,
    });
  });

  it('keeps everything after -- for exec, options of the command included', () => {
    expect(
      parseCommandLine([
        'exec',
        '--provider',
        'openai',
        '--provider',
        'google',
        '--keep-env',
        '--',
        'codex',
        '--json',
        '--',
        'x',
      ]).command,
    ).toEqual({
      name: 'exec',
      providers: ['openai', 'google'],
      keepEnv: true,
      gateway: false,
      argv: ['codex', '--json', '--', 'x'],
    });
    expect(parseCommandLine(['exec', '--', 'gemini']).command).toEqual({
      name: 'exec',
      providers: [],
      keepEnv: false,
      gateway: false,
      argv: ['gemini'],
    });
  });

  it('parses agent', () => {
    expect(parseCommandLine(['agent']).command).toEqual({ name: 'agent' });
  });

  it.each([
    [['exec']],
    [['exec', '--']],
    [['exec', 'gemini']],
    [['exec', '--json', '--', 'gemini']],
    [['agent', 'now']],
    [['token', 'openai', '--min-valid', '-1']],
    [['token', 'openai', '--keep-env']],
  ])('rejects %j as a usage error', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
  });
});
