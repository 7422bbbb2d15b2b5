import type { ResolvedCredential } from '../core/auth-service.js';
import { decideHandOut } from '../agent/plan-credential-hook.js';
import type { Command } from './args.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { fail, report } from './report.js';
import { sdkOptionsFor } from './sdk-options.js';
import type { ToolBackend } from './tool-backend.js';

/**
 * `the-maestro token`, in its own module: the agent-first fast path (agent-first.ts) imports this
 * and not tool-commands.ts, whose status line pulls in the gateway view's zod schemas — some 4 ms
 * of module evaluation a hook would pay in every new process for a command it never runs.
 */
export async function runTokenCommand(
  backend: ToolBackend,
  command: Extract<Command, { name: 'token' }>,
  io: Pick<CliIo, 'stdout' | 'stderr'>,
): Promise<ExitCode> {
  const result = await backend.token(command.provider, {
    refresh: command.refresh,
    ...(command.account !== undefined ? { account: command.account } : {}),
    ...(command.minValidSeconds !== undefined ? { minValidSeconds: command.minValidSeconds } : {}),
  });
  if (!result.ok) return fail(result.error, command.json, io);
  const decision = decideHandOut(result.value, 'token');
  if (!decision.allowed) return fail(decision.error, command.json, io);
  if (decision.notice !== null) io.stderr(`${decision.notice}\n`);
  return report(result, command.json, io, (value) => `${value.secret}\n`, tokenJson);
}

/** `token --json`: the credential, its headers and base URL, and options for the provider's official SDK. */
export function tokenJson(value: ResolvedCredential): unknown {
  return {
    provider: value.provider,
    source: value.source,
    method: value.method,
    account: value.account,
    token: value.secret,
    expiresAt: value.expiresAt === null ? null : new Date(value.expiresAt).toISOString(),
    headers: value.headers,
    apiBaseUrl: value.apiBaseUrl,
    plan: value.plan,
    sdk: sdkOptionsFor(value),
  };
}
