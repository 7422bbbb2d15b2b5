import { describe, expect, it } from 'vitest';
import { commandLineArguments } from '../../../src-main/electron/command-line-launch.js';

const LINK = 'app.themaestro.desktop:/oauth/openai/callback?code=a&state=s';

describe('commandLineArguments', () => {
  it('takes everything after --cli as the first argument of the packaged executable', () => {
    expect(commandLineArguments(['/opt/The Maestro/the-maestro', '--cli', 'token', '--json'], false)).toEqual([
      'token',
      '--json',
    ]);
    expect(commandLineArguments(['C:\\The Maestro.exe', '--cli'], false)).toEqual([]);
  });

  it('skips the app path when run unpackaged, and switches a launcher puts in front', () => {
    expect(commandLineArguments(['electron', '.', '--cli', 'status'], true)).toEqual(['status']);
    expect(commandLineArguments(['AppRun', '--no-sandbox', '--cli', 'status'], false)).toEqual(['status']);
  });

  it('never starts the command line from a deep link or a later argument', () => {
    expect(commandLineArguments(['the-maestro'], false)).toBeNull();
    expect(commandLineArguments(['the-maestro', LINK], false)).toBeNull();
    expect(commandLineArguments(['the-maestro', LINK, '--cli', 'status'], false)).toBeNull();
    expect(commandLineArguments(['electron', '--cli', 'status'], true)).toBeNull();
  });
});
