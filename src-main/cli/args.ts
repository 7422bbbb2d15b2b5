import { parseArgs } from 'node:util';
import { describeParseArgsError } from './parse-args-error.js';
import { type GatewayCommand, parsePort } from './gateway-args.js';

/** A command line the person typed, parsed and checked. */
export type Command =
  | { readonly name: 'status'; readonly json: boolean; readonly acknowledge?: boolean }
  | {
      readonly name: 'login-key';
      readonly provider: string;
      readonly account?: string;
      readonly validate: boolean;
      readonly json: boolean;
    }
  | {
      readonly name: 'login-oauth';
      readonly provider: string;
      readonly account?: string;
      readonly browser: boolean;
      /** Ask for consent again, to (re-)enable plan usage. */
      readonly enablePlan: boolean;
      readonly json: boolean;
    }
  | { readonly name: 'logout'; readonly provider: string; readonly account?: string; readonly json: boolean }
  | { readonly name: 'models'; readonly provider: string; readonly refresh: boolean; readonly json: boolean }
  | {
      readonly name: 'use';
      readonly provider: string;
      readonly account?: string;
      readonly model?: string;
      readonly json: boolean;
    }
  | {
      readonly name: 'token';
      readonly provider: string;
      readonly account?: string;
      readonly json: boolean;
      /** One forced refresh first (for hooks re-run after a 401). */
      readonly refresh: boolean;
      readonly minValidSeconds?: number;
    }
  | {
      readonly name: 'exec';
      /** Empty: every provider's active credential. */
      readonly providers: readonly string[];
      readonly account?: string;
      readonly keepEnv: boolean;
      /** Point each tool at the running local gateway (base URL + gateway key) instead of handing out credentials. */
      readonly gateway: boolean;
      /** The command and its arguments (after `--`). */
      readonly argv: readonly [string, ...string[]];
    }
  | { readonly name: 'agent' }
  | GatewayCommand
  | {
      readonly name: 'test';
      readonly provider: string;
      readonly account?: string;
      readonly model?: string;
      readonly json: boolean;
    }
  | { readonly name: 'help' }
  | { readonly name: 'version' };

export interface ParsedCommandLine {
  readonly command: Command;
  readonly dataDir?: string;
  readonly configFile?: string;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The help text, naming the providers the registry knows. */
export function usage(providers: readonly string[]): string {
  return `Usage: the-maestro <command> [options]

Commands:
  status [--json]                                   every provider: methods, state, account, model
  status --acknowledge                              stop repeating a storage notice (damaged database)
  login <provider> --api-key-stdin [--account <label>] [--no-validate]
                                                    save an API key read from standard input
  login <provider> --oauth [--no-browser] [--account <label>] [--enable-plan]
                                                    sign in with your browser (or paste the code);
                                                    for openai: Sign in with ChatGPT, no setup needed
  logout <provider> [--account <label>]             revoke (best effort) and delete stored credentials
  models <provider> [--refresh] [--json]            list the provider's models
  use <provider> [--account <label>] [--model <id>] choose the active provider, account and model
  token <provider> [--account <label>] [--refresh] [--min-valid <seconds>] [--json]
                                                    print a working credential (stdout: the secret alone;
                                                    --json adds headers, expiry and SDK options)
  exec [--provider <p>]… [--account <label>] [--keep-env] [--gateway] -- <command> [args…]
                                                    run a command with the credentials in its environment
                                                    (--gateway: with the local gateway's address and key)
  agent                                             serve credentials to the command line and tools
                                                    (foreground; the app runs one while it is open)
  gateway [--port <n>] [--rotate-key] [--show-key]  serve the local gateway (see README, "The local gateway")
  test <provider> [--model <id>] [--account <label>] [--json]
                                                    send one short streamed request: does this model answer?

Providers: ${providers.join(', ')}
Global options: --data-dir <dir> (or THE_MAESTRO_DATA_DIR), --config <file>, --help, --version
Exit codes: 0 ok, 1 other failure, 2 usage, 3 not authenticated or credentials invalid,
            4 provider or network unavailable`;
}

const OPTIONS = {
  json: { type: 'boolean' },
  'api-key-stdin': { type: 'boolean' },
  oauth: { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  'no-validate': { type: 'boolean' },
  'enable-plan': { type: 'boolean' },
  refresh: { type: 'boolean' },
  'min-valid': { type: 'string' },
  provider: { type: 'string', multiple: true },
  'keep-env': { type: 'boolean' },
  gateway: { type: 'boolean' },
  acknowledge: { type: 'boolean' },
  account: { type: 'string' },
  model: { type: 'string' },
  port: { type: 'string' },
  'rotate-key': { type: 'boolean' },
  'show-key': { type: 'boolean' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const ALLOWED: Readonly<Record<string, readonly (keyof Values)[]>> = {
  status: ['json', 'acknowledge'],
  login: ['api-key-stdin', 'oauth', 'no-browser', 'no-validate', 'enable-plan', 'account', 'json'],
  logout: ['account', 'json'],
  models: ['refresh', 'json'],
  use: ['account', 'model', 'json'],
  token: ['account', 'json', 'refresh', 'min-valid'],
  exec: ['provider', 'account', 'keep-env', 'gateway'],
  agent: [],
  gateway: ['port', 'rotate-key', 'show-key', 'json'],
  test: ['account', 'model', 'json'],
};

/** The commands that live on after answering (servers, and `exec` while its command runs); the rest are one-shot. */
export function keepsRunning(command: Command): boolean {
  return command.name === 'agent' || command.name === 'gateway' || command.name === 'exec';
}

/** Parses argv (without node and script). Unknown options, missing values and stray words are usage errors. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  // `exec … -- <command> [args…]`: everything after the first `--` belongs to the command.
  const separator = argv.indexOf('--');
  const isExec = separator >= 0 && argv.slice(0, separator).includes('exec');
  const own = isExec ? argv.slice(0, separator) : argv;
  const child = isExec ? argv.slice(separator + 1) : [];
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...own], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseArgsError(error));
  }
  const { values, positionals } = parsed;
  const global = {
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    ...(values.config !== undefined ? { configFile: values.config } : {}),
  };
  if (values.version === true) return { command: { name: 'version' }, ...global };
  const [name, provider, ...rest] = positionals;
  if (values.help === true || name === 'help') return { command: { name: 'help' }, ...global };
  if (name === undefined) throw new UsageError('No command given.');
  const allowed = ALLOWED[name];
  if (allowed === undefined) throw new UsageError(`Unknown command "${name}".`);
  for (const key of Object.keys(values) as (keyof Values)[]) {
    if (key !== 'data-dir' && key !== 'config' && !allowed.includes(key))
      throw new UsageError(`The option --${key} does not apply to "${name}".`);
  }
  if (name === 'exec' || name === 'agent') {
    if (provider !== undefined) throw new UsageError(`Unexpected argument "${provider}".`);
    return { command: name === 'exec' ? buildExec(values, child) : { name: 'agent' }, ...global };
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0] ?? ''}".`);
  return { command: buildCommand(name, provider, values), ...global };
}

function buildCommand(name: string, provider: string | undefined, values: Values): Command {
  const json = values.json === true;
  const account = values.account !== undefined ? { account: values.account } : {};
  if (name === 'status') {
    if (provider !== undefined) throw new UsageError(`Unexpected argument "${provider}".`);
    return { name: 'status', json, ...(values.acknowledge === true ? { acknowledge: true } : {}) };
  }
  if (name === 'gateway') {
    if (provider !== undefined) throw new UsageError(`Unexpected argument "${provider}".`);
    const port = parsePort(values.port);
    if (port === undefined) throw new UsageError('--port needs a number from 0 (any free port) to 65535.');
    return {
      name,
      port,
      portFromFlag: values.port !== undefined,
      rotateKey: values['rotate-key'] === true,
      showKey: values['show-key'] === true,
      json,
    };
  }
  if (provider === undefined)
    throw new UsageError(`"${name}" needs a provider, e.g. \`the-maestro ${name} anthropic\`.`);
  switch (name) {
    case 'login':
      return buildLogin(provider, values, json);
    case 'logout':
      return { name: 'logout', provider, json, ...account };
    case 'models':
      return { name: 'models', provider, refresh: values.refresh === true, json };
    case 'use':
      return {
        name: 'use',
        provider,
        json,
        ...account,
        ...(values.model !== undefined ? { model: values.model } : {}),
      };
    case 'test':
      return {
        name: 'test',
        provider,
        json,
        ...account,
        ...(values.model !== undefined ? { model: values.model } : {}),
      };
    default:
      return {
        name: 'token',
        provider,
        json,
        refresh: values.refresh === true,
        ...account,
        ...minValid(values['min-valid']),
      };
  }
}

function minValid(text: string | undefined): { minValidSeconds?: number } {
  if (text === undefined) return {};
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seconds))
    throw new UsageError(`--min-valid takes a whole number of seconds, not "${text}".`);
  return { minValidSeconds: seconds };
}

function buildExec(values: Values, child: readonly string[]): Command {
  const [program, ...args] = child;
  if (program === undefined || program === '')
    throw new UsageError('exec needs a command after `--`, e.g. `the-maestro exec -- gemini`.');
  return {
    name: 'exec',
    providers: values.provider ?? [],
    keepEnv: values['keep-env'] === true,
    gateway: values.gateway === true,
    argv: [program, ...args],
    ...(values.account !== undefined ? { account: values.account } : {}),
  };
}

function buildLogin(provider: string, values: Values, json: boolean): Command {
  const account = values.account !== undefined ? { account: values.account } : {};
  const byKey = values['api-key-stdin'] === true;
  const byOAuth = values.oauth === true;
  if (byKey === byOAuth) throw new UsageError('login needs exactly one of --api-key-stdin or --oauth.');
  if (byKey) {
    if (values['no-browser'] === true) throw new UsageError('--no-browser goes with --oauth.');
    if (values['enable-plan'] === true) throw new UsageError('--enable-plan goes with --oauth.');
    return { name: 'login-key', provider, validate: values['no-validate'] !== true, json, ...account };
  }
  if (values['no-validate'] === true) throw new UsageError('--no-validate goes with --api-key-stdin.');
  return {
    name: 'login-oauth',
    provider,
    browser: values['no-browser'] !== true,
    enablePlan: values['enable-plan'] === true,
    json,
    ...account,
  };
}
