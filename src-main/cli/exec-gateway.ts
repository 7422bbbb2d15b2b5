import { ACCOUNT_LABEL_PATTERN } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { Command } from './args.js';
import type { CredentialEnv } from './exec-env.js';
import type { ToolBackend } from './tool-backend.js';

type ExecCommand = Extract<Command, { name: 'exec' }>;
type EnvEntry = Extract<CredentialEnv, { ok: true }>;

/** The providers the gateway serves (gateway-types.ts; repeated here so `exec` loads no gateway code). */
const GATEWAY_ROUTES = ['anthropic', 'openai', 'google'] as const;
type GatewayRoute = (typeof GATEWAY_ROUTES)[number];

/** The sentence when no gateway is running. */
export const NO_GATEWAY_RUNNING =
  "No gateway is running: turn it on in The Maestro's Settings (Local gateway), or run `the-maestro gateway` in another terminal.";

/**
 * The variables that point one provider's tools at the gateway: the route as base URL (with
 * `@account` when one was asked for) and the gateway key as the "API key". Claude Code and the
 * Anthropic SDK read ANTHROPIC_BASE_URL + ANTHROPIC_API_KEY; Codex and the OpenAI SDK
 * OPENAI_BASE_URL (…/v1) + OPENAI_API_KEY; Gemini CLI and @google/genai GOOGLE_GEMINI_BASE_URL +
 * GEMINI_API_KEY (Vertex AI mode would bypass it, so its switch is cleared).
 */
export function gatewayEnv(url: string, key: string, provider: GatewayRoute, account: string | undefined): EnvEntry {
  const base = `${url}/${provider}${account !== undefined ? `@${encodeURIComponent(account)}` : ''}`;
  switch (provider) {
    case 'anthropic':
      return { ok: true, set: { ANTHROPIC_BASE_URL: base, ANTHROPIC_API_KEY: key }, clear: ['ANTHROPIC_AUTH_TOKEN'] };
    case 'openai':
      return { ok: true, set: { OPENAI_BASE_URL: `${base}/v1`, OPENAI_API_KEY: key }, clear: [] };
    case 'google':
      return {
        ok: true,
        set: { GOOGLE_GEMINI_BASE_URL: base, GEMINI_API_KEY: key },
        // @google/genai prefers GOOGLE_API_KEY (and warns when both are set): a key of the person's
        // own there would go to the gateway and be refused, so it is cleared like Vertex AI's switch.
        clear: ['GOOGLE_API_KEY', 'GOOGLE_GENAI_USE_VERTEXAI'],
      };
  }
}

function isGatewayRoute(provider: string): provider is GatewayRoute {
  return (GATEWAY_ROUTES as readonly string[]).includes(provider);
}

/**
 * `exec --gateway`: the gateway's address and key from the running agent (its private socket),
 * turned into each named provider's variables (all three when none is named). Refused, with the
 * reason, when no gateway runs, a provider is not one the gateway serves, or the account label is
 * not one.
 */
export async function execGatewayEntries(
  backend: ToolBackend,
  command: ExecCommand,
): Promise<{ readonly ok: true; readonly entries: EnvEntry[] } | { readonly ok: false; readonly error: ErrorInfo }> {
  const unknown = command.providers.find((provider) => !isGatewayRoute(provider));
  if (unknown !== undefined)
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `The gateway serves ${GATEWAY_ROUTES.join(', ')}; "${unknown}" is not one of them.`,
      },
    };
  if (command.account !== undefined && !ACCOUNT_LABEL_PATTERN.test(command.account))
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `"${command.account}" is not an account label (1–64 letters, digits, spaces or . _ @ + -).`,
      },
    };
  const answer = await backend.gateway(true);
  if (answer === null || !answer.gateway.enabled || answer.gateway.url === null || answer.key === null)
    return { ok: false, error: { code: 'not_configured', message: NO_GATEWAY_RUNNING } };
  const { url } = answer.gateway;
  const key = answer.key;
  const providers = command.providers.length > 0 ? command.providers.filter(isGatewayRoute) : GATEWAY_ROUTES;
  return { ok: true, entries: providers.map((provider) => gatewayEnv(url, key, provider, command.account)) };
}
