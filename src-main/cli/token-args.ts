import type { ParsedCommandLine } from './args.js';

/** The options a `token` command line may carry, and whether each takes a value. */
const TOKEN_OPTIONS: Readonly<Record<string, 'flag' | 'value'>> = {
  json: 'flag',
  refresh: 'flag',
  account: 'value',
  'min-valid': 'value',
  'data-dir': 'value',
  config: 'value',
};

/**
 * Reads `the-maestro token …` as hooks write it, without node:util: its `parseArgs` loads some 50
 * internal modules, and a hook pays for them in every new process. Anything else — another
 * command, an unknown or repeated option, a value that needs explaining — gives null, and the full
 * parser (args.ts) reads the line and says what is wrong. A test checks that every line accepted
 * here parses to the same result there.
 */
export function parseTokenCommandLine(argv: readonly string[]): ParsedCommandLine | null {
  const positionals: string[] = [];
  const values = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('-')) {
      positionals.push(argument);
      continue;
    }
    if (!argument.startsWith('--') || argument === '--') return null;
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals < 0 ? undefined : equals);
    const kind = TOKEN_OPTIONS[name];
    if (kind === undefined || values.has(name)) return null;
    if (kind === 'flag') {
      if (equals >= 0) return null;
      values.set(name, true);
      continue;
    }
    const value = equals >= 0 ? argument.slice(equals + 1) : argv[(index += 1)];
    if (value === undefined || value === '' || value.startsWith('-')) return null;
    values.set(name, value);
  }
  const [name, provider, ...rest] = positionals;
  if (name !== 'token' || provider === undefined || provider === '' || rest.length > 0) return null;
  const text = (key: string): string | undefined => {
    const value = values.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  const minValid = text('min-valid');
  if (minValid !== undefined && (!/^\d+$/.test(minValid) || !Number.isSafeInteger(Number(minValid)))) return null;
  const account = text('account');
  const dataDir = text('data-dir');
  const configFile = text('config');
  return {
    command: {
      name: 'token',
      provider,
      json: values.has('json'),
      refresh: values.has('refresh'),
      ...(account !== undefined ? { account } : {}),
      ...(minValid !== undefined ? { minValidSeconds: Number(minValid) } : {}),
    },
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(configFile !== undefined ? { configFile } : {}),
  };
}
