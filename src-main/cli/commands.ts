import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import type { LoginResultView } from '../../src-shared/view-models.js';
import type { AuthService } from '../core/auth-service.js';
import type { Command } from './args.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { formatError, formatModels, formatModelTest, formatStatus } from './format.js';
import { planCredentialUse } from '../core/plan-credentials.js';

/** The terminal, injected so the commands can be tested without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input (an API key piped in). */
  readStdin(): Promise<string>;
  /** Standard input line by line (a pasted code while waiting for the browser). */
  stdinLines(): AsyncIterable<string>;
  openBrowser(url: string): Promise<boolean>;
  now(): number;
}

type Runnable = Exclude<Command, { name: 'help' } | { name: 'version' }>;

/** Runs one command against the core; returns the exit code. Secrets are printed by `token` only. */
export async function runCommand(auth: AuthService, command: Runnable, io: CliIo): Promise<ExitCode> {
  switch (command.name) {
    case 'status': {
      const status = await auth.status();
      io.stdout(command.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, io.now()));
      return EXIT.ok;
    }
    case 'login-key':
      return loginWithKey(auth, command, io);
    case 'login-oauth':
      return loginWithOAuth(auth, command, io);
    case 'logout': {
      const result = await auth.logout({ provider: command.provider, ...optionalAccount(command.account) });
      if (result.ok && result.value.warning !== undefined && !command.json) io.stderr(`${result.value.warning}\n`);
      return report(
        result,
        command.json,
        io,
        (value) =>
          `Removed ${value.removed} stored credential${value.removed === 1 ? '' : 's'} for ${command.provider}${value.revoked ? ' and revoked its tokens at the provider' : ''}.\n`,
      );
    }
    case 'models': {
      const result = await auth.listModels({ provider: command.provider, refresh: command.refresh });
      return report(result, command.json, io, formatModels);
    }
    case 'use':
      return use(auth, command, io);
    case 'test': {
      const result = await auth.testModel({
        provider: command.provider,
        ...optionalAccount(command.account),
        ...(command.model !== undefined ? { model: command.model } : {}),
      });
      return report(result, command.json, io, formatModelTest);
    }
    case 'token': {
      const result = await auth.resolve(command.provider, optionalAccount(command.account));
      // Where a plan credential may go is decided in one place (plan-credentials.ts); `token` labels it.
      const decision = result.ok ? planCredentialUse(result.value, 'token') : undefined;
      if (decision !== undefined && !decision.allowed) return fail(decision.error, command.json, io);
      if (decision?.label !== undefined) io.stderr(`the-maestro: ${decision.label}\n`);
      return report(
        result,
        command.json,
        io,
        (value) => `${value.secret}\n`,
        (value) => ({
          provider: value.provider,
          source: value.source,
          method: value.method,
          account: value.account,
          token: value.secret,
          expiresAt: value.expiresAt === null ? null : new Date(value.expiresAt).toISOString(),
          headers: value.headers,
          apiBaseUrl: value.apiBaseUrl,
          plan: value.plan,
        }),
      );
    }
  }
}

function optionalAccount(account: string | undefined): { account?: string } {
  return account !== undefined ? { account } : {};
}

/** Prints a result: its value on stdout (text or JSON), or its error on stderr with the matching exit code. */
function report<T>(
  result: Result<T>,
  json: boolean,
  io: CliIo,
  text: (value: T) => string,
  toJson: (value: T) => unknown = (value) => value,
): ExitCode {
  if (!result.ok) return fail(result.error, json, io);
  io.stdout(json ? `${JSON.stringify(toJson(result.value), null, 2)}\n` : text(result.value));
  return EXIT.ok;
}

function fail(error: ErrorInfo, json: boolean, io: CliIo): ExitCode {
  io.stderr(formatError(error, json));
  return exitCodeFor(error.code);
}

function loginText(view: LoginResultView): string {
  const what =
    view.method === 'api_key'
      ? `API key ${view.maskedKey ?? ''}`.trim()
      : `OAuth sign-in${view.identity !== null ? ` as ${view.identity}` : ''}`;
  const check = view.validated ? '' : ' (not validated: the provider could not be reached)';
  const plan =
    view.plan === 'enabled'
      ? " You're using your ChatGPT plan: eligible usage by The Maestro counts against it; manage it at https://chatgpt.com/settings/usage."
      : '';
  return `Saved ${what} for ${view.provider}, account "${view.account}"${check}.${plan}\n`;
}

async function loginWithKey(
  auth: AuthService,
  command: Extract<Command, { name: 'login-key' }>,
  io: CliIo,
): Promise<ExitCode> {
  const apiKey = (await io.readStdin()).trim();
  if (apiKey === '')
    return fail(
      {
        code: 'invalid_input',
        message:
          'No API key on standard input. Pipe it in, e.g. `printenv MY_KEY | the-maestro login anthropic --api-key-stdin`.',
      },
      command.json,
      io,
    );
  const result = await auth.saveApiKey({
    provider: command.provider,
    apiKey,
    validate: command.validate,
    ...optionalAccount(command.account),
  });
  if (!result.ok && (result.error.code === 'provider_unavailable' || result.error.code === 'network_error')) {
    const hint = {
      ...result.error,
      message: `${result.error.message} Nothing was stored. To store the key without checking it, run the command again with --no-validate.`,
    };
    return fail(hint, command.json, io);
  }
  return report(result, command.json, io, loginText);
}

async function loginWithOAuth(
  auth: AuthService,
  command: Extract<Command, { name: 'login-oauth' }>,
  io: CliIo,
): Promise<ExitCode> {
  const started = await auth.startOAuth({
    provider: command.provider,
    ...optionalAccount(command.account),
    ...(command.enablePlan ? { consent: true } : {}),
  });
  if (!started.ok) return fail(started.error, command.json, io);
  const flow = started.value;
  io.stderr(`Open this address to sign in to ${command.provider}:\n\n  ${flow.authorizationUrl}\n\n`);
  if (command.browser && !(await io.openBrowser(flow.authorizationUrl)))
    io.stderr('(Could not open a browser; open the address yourself.)\n');
  io.stderr(
    flow.redirectMode === 'paste'
      ? 'Then paste the code shown by the provider here and press Enter.\n'
      : 'Waiting for the browser… If it cannot reach this machine, paste the code or the full address it ended on here and press Enter.\n',
  );
  const result = await Promise.race([auth.waitForOAuth(flow.flowId), pasteLoop(auth, flow.flowId, io)]);
  auth.cancelOAuth(flow.flowId);
  if (result.ok && result.value.plan === 'not_enabled') {
    // Kept, and said plainly: the sign-in worked, the plan may not be used (openai-siwc.md §7.3).
    const status = await auth.providerStatus(command.provider);
    const mark = status.ok
      ? status.value.accounts.find((account) => account.account === result.value.account)
      : undefined;
    if (mark?.lastError !== undefined && mark.lastError !== null && !command.json)
      io.stderr(`the-maestro: ${mark.lastError.message}\n`);
  }
  return report(result, command.json, io, loginText);
}

/** Reads pasted lines until one completes the flow; a wrong paste is reported and another line awaited. */
async function pasteLoop(auth: AuthService, flowId: string, io: CliIo): Promise<Result<LoginResultView>> {
  for await (const line of io.stdinLines()) {
    if (line.trim() === '') continue;
    const result = await auth.submitPastedCode({ flowId, pasted: line });
    if (
      result.ok ||
      result.error.code === 'oauth_flow_expired' ||
      result.error.code === 'oauth_exchange_failed' ||
      result.error.code === 'oauth_denied'
    )
      return result;
    io.stderr(`${result.error.message} Try again.\n`);
  }
  // Standard input ended: keep waiting for the browser, which the other branch of the race does.
  return new Promise<never>(() => undefined);
}

async function use(auth: AuthService, command: Extract<Command, { name: 'use' }>, io: CliIo): Promise<ExitCode> {
  const switched = await auth.setActiveProvider({ provider: command.provider, ...optionalAccount(command.account) });
  if (!switched.ok) return fail(switched.error, command.json, io);
  if (command.model !== undefined) {
    const selected = await auth.selectModel({ provider: command.provider, model: command.model });
    if (!selected.ok) return fail(selected.error, command.json, io);
  }
  const provider = (await auth.status()).providers.find((item) => item.id === command.provider);
  return report(
    { ok: true, value: provider },
    command.json,
    io,
    (view) =>
      `Active provider: ${command.provider}${view?.account !== null && view?.account !== undefined ? `, account "${view.account}"` : ''}${view?.selectedModel !== null && view?.selectedModel !== undefined ? `, model ${view.selectedModel}` : ''}.\n`,
  );
}
