import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/args.js';
import { parseTokenCommandLine } from '../../../src-main/cli/token-args.js';

/** The full parser's answer, or null where it refuses the line. */
function full(argv: readonly string[]) {
  try {
    return parseCommandLine(argv);
  } catch {
    return null;
  }
}

const word = fc.constantFrom(
  'anthropic',
  'openai',
  'google',
  'work',
  '30',
  '0',
  '-1',
  '1e3',
  'a b',
  '',
  '--',
  '-x',
  'x=y',
);
const piece = fc.oneof(
  word,
  fc.constantFrom(
    'token',
    'status',
    'exec',
    '--json',
    '--refresh',
    '--account',
    '--account=me',
    '--account=',
    '--min-valid',
    '--min-valid=60',
    '--min-valid=x',
    '--data-dir',
    '--data-dir=/tmp/d',
    '--config',
    '--json=1',
    '--model',
    '-h',
    '--help',
    '--version',
  ),
  fc.string({ maxLength: 6 }),
);

describe('the fast path reads `token` exactly as the full parser does', () => {
  it('reads the lines hooks write', () => {
    expect(parseTokenCommandLine(['token', 'anthropic'])).toEqual(full(['token', 'anthropic']));
    const line = ['token', 'openai', '--account', 'work', '--min-valid', '300', '--refresh', '--json'];
    expect(parseTokenCommandLine(line)).toEqual({
      command: {
        name: 'token',
        provider: 'openai',
        account: 'work',
        minValidSeconds: 300,
        refresh: true,
        json: true,
      },
    });
    expect(parseTokenCommandLine(line)).toEqual(full(line));
    expect(parseTokenCommandLine(['--data-dir=/d', 'token', 'google', '--config', '/c.json'])).toEqual(
      full(['--data-dir=/d', 'token', 'google', '--config', '/c.json']),
    );
  });

  it('leaves everything else to the full parser', () => {
    for (const line of [
      ['status'],
      ['token'],
      ['token', 'a', 'b'],
      ['token', 'a', '--min-valid', 'x'],
      ['token', 'a', '--model', 'm'],
    ])
      expect(parseTokenCommandLine(line)).toBeNull();
  });

  it('accepts no line the full parser reads differently (property)', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }),
        fc.array(piece, { maxLength: 3 }),
        word,
        fc.array(piece, { maxLength: 4 }),
        (anything, before, provider, after) => {
          // Lines of any shape, and lines shaped like a token command with odd options around it.
          for (const argv of [anything, [...before, 'token', provider, ...after]]) {
            const fast = parseTokenCommandLine(argv);
            if (fast !== null) expect(fast).toEqual(full(argv));
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('takes every well-formed token line (property)', () => {
    const line = fc.record({
      provider: fc.constantFrom('anthropic', 'openai', 'google'),
      account: fc.option(fc.constantFrom('work', 'me@example.com'), { nil: undefined }),
      minValid: fc.option(fc.nat({ max: 100_000 }), { nil: undefined }),
      refresh: fc.boolean(),
      json: fc.boolean(),
    });
    fc.assert(
      fc.property(line, (input) => {
        const argv = [
          'token',
          input.provider,
          ...(input.account !== undefined ? ['--account', input.account] : []),
          ...(input.minValid !== undefined ? [`--min-valid=${input.minValid}`] : []),
          ...(input.refresh ? ['--refresh'] : []),
          ...(input.json ? ['--json'] : []),
        ];
        expect(parseTokenCommandLine(argv)).toEqual(full(argv));
      }),
    );
  });
});
