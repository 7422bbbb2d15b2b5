import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import type { ResolvedOAuthConfig } from '../../config/config-types.js';
import { openIdClient } from './openid-client-module.js';

/**
 * The authorization request (RFC 6749 §4.1.1) with PKCE S256 (RFC 7636) and a one-time `state`.
 * Both secrets are 32 random bytes, base64url (as openid-client's own generators make them).
 */

/** The per-flow secrets; they never leave the main process (the challenge is derived). */
export interface FlowSecrets {
  readonly state: string;
  readonly codeVerifier: string;
}

export function newFlowSecrets(): FlowSecrets {
  return { state: randomBytes(32).toString('base64url'), codeVerifier: randomBytes(32).toString('base64url') };
}

/** Parameters the extra-parameter configuration may never override (they carry the flow's security). */
const RESERVED = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'request',
  'request_uri',
  'nonce',
  'resource',
  'ext_agent_host_id',
  'agent_name_hint',
  'id_token_hint',
  'login_hint',
  'prompt',
]);

/**
 * Builds the URL the browser opens. Only S256 is ever sent: there is no code path without a
 * challenge. Provider extras (Google's `access_type=offline`, Anthropic's `code=true`) come first
 * and cannot replace the reserved parameters; a plan sign-in's own parameters (nonce, resource,
 * host id, hints: plan-sign-in.ts) are the flow's, not configuration.
 */
export async function buildAuthorizationRequestUrl(
  configuration: client.Configuration,
  oauth: ResolvedOAuthConfig,
  redirectUri: string,
  secrets: FlowSecrets,
  flowParameters: Readonly<Record<string, string>> = {},
): Promise<URL> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(oauth.extraAuthorizationParams)) {
    if (!RESERVED.has(name)) parameters[name] = value;
  }
  Object.assign(parameters, flowParameters);
  parameters['response_type'] = 'code';
  parameters['redirect_uri'] = redirectUri;
  parameters['scope'] = oauth.scopes.join(' ');
  parameters['state'] = secrets.state;
  const openid = await openIdClient();
  parameters['code_challenge'] = await openid.calculatePKCECodeChallenge(secrets.codeVerifier);
  parameters['code_challenge_method'] = 'S256';
  return openid.buildAuthorizationUrl(configuration, parameters);
}
