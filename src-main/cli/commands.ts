import type { Result } from '../../src-shared/errors.js';
import type { LoginResultView } from '../../src-shared/view-models.js';
import type { AuthService } from '../core/auth-service.js';
import type { Command } from './args.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { coreBackend } from './core-backend.js';
import { fail, report } from './report.js';
import { runToolCommand } from './tool-commands.js';
import { formatModelTest } from './format.js';

export type { CliIo } from './cli-io.js';

type Runnable = Exclude<
  Command,
  { name: 'help' } | { name: 'version' } | { name: 'exec' } | { name: 'agent' } | { name: 'gateway' }
>;

/** Runs one command against the core; returns the exit code. Secrets are printed by `token` only. */
export async function runCommand(auth: AuthService, command: Runnable, io: CliIo): Promise<ExitCode> {
  switch (command.name) {
    case 'status':
    case 'models':
    case 'use':
    case 'token':
      return runToolCommand(coreBackend(auth), command, io);
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
          `Removed ${value.removed} stored credential${value.removed === 1 ? '' : 's'} for ${command.provider}, account "${value.account}"${value.revoked ? ', and revoked its tokens at the provider' : ''}.\n`,
      );
    }
    case 'test': {
      const result = await auth.testModel({
        provider: command.provider,
        ...optionalAccount(command.account),
        ...(command.model !== undefined ? { model: command.model } : {}),
      });
      return report(result, command.json, io, formatModelTest);
    }
  }
}

function optionalAccount(account: string | undefined): { account?: string } {
  return account !== undefined ? { account } : {};
}

function loginText(view: LoginResultView): string {
  const what =
    view.method === 'api_key'
      ? `API key ${view.maskedKey ?? ''}`.trim()
      : `OAuth sign-in${view.identity !== null ? ` as ${view.identity}` : ''}`;
  // Nothing was tried: the person asked for no check (--no-validate); the provider was not asked.
  const check = view.validated ? '' : ' (not validated: --no-validate skips the check with the provider)';

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
