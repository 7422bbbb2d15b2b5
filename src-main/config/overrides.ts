import type { EndpointOverrideView } from '../../src-shared/view-models.js';
import type { ProviderDefinition } from '../core/providers/definition.js';
import { offersOAuth } from '../core/providers/definition.js';
import type { ResolvedProviderConfig } from './config-types.js';
import type { ProblemList } from './config-values.js';
import { checkServiceUrl, envPrefixOf } from './config-values.js';

/**
 * Endpoint overrides redirect every stored key or sign-in of a provider to another server, so
 * each one is listed with where it came from (shown by `status` and in the window's Settings).
 */

export const INSECURE_LOOPBACK_SWITCH = 'THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER';

interface OverrideInput {
  readonly definition: ProviderDefinition;
  readonly resolved: ResolvedProviderConfig;
  readonly section: Readonly<Record<string, unknown>>;
  readonly oauth: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  /** `<file>: providers.<id>`, as problems name the section. */
  readonly where: string;
}

/** A URL without its query or credentials: enough to recognise the server, nothing that could be a secret. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

function sourceOf(
  input: OverrideInput,
  value: string,
  envSuffix: string,
  fileField: string,
  fileValue: unknown,
): string | null {
  const envName = `${envPrefixOf(input.definition.id)}${envSuffix}`;
  const fromEnv = input.env[envName]?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    const checked = checkServiceUrl(fromEnv);
    if (checked.ok && checked.url === value) return envName;
  }
  return fileValue !== undefined ? `${input.where}.${fileField}` : null;
}

/** The overridden endpoints of one provider, each with the variable or file field it came from. */
export function providerOverrides(input: OverrideInput): EndpointOverrideView[] {
  const { definition, resolved } = input;
  const found: EndpointOverrideView[] = [];
  const add = (
    setting: string,
    value: string | null,
    fallback: string | null,
    env: string,
    field: string,
    file: unknown,
  ): void => {
    if (value === null || value === fallback) return;
    const source = sourceOf(input, value, env, field, file);
    if (source !== null) found.push({ provider: definition.id, setting, value: shown(value), source });
  };
  add(
    'API base URL',
    resolved.apiBaseUrl,
    definition.defaultApiBaseUrl,
    'API_BASE_URL',
    'apiBaseUrl',
    input.section['apiBaseUrl'],
  );
  if (!offersOAuth(definition)) return found;
  const def = definition.oauth;
  const { oauth } = resolved;
  add('OAuth issuer', oauth.issuer, def.issuer, 'OAUTH_ISSUER', 'oauth.issuer', input.oauth['issuer']);
  add(
    'OAuth authorization endpoint',
    oauth.authorizationEndpoint,
    def.authorizationEndpoint,
    'OAUTH_AUTHORIZATION_ENDPOINT',
    'oauth.authorizationEndpoint',
    input.oauth['authorizationEndpoint'],
  );
  add(
    'OAuth token endpoint',
    oauth.tokenEndpoint,
    def.tokenEndpoint,
    'OAUTH_TOKEN_ENDPOINT',
    'oauth.tokenEndpoint',
    input.oauth['tokenEndpoint'],
  );
  add(
    'OAuth revocation endpoint',
    oauth.revocationEndpoint,
    def.revocationEndpoint ?? null,
    'OAUTH_REVOCATION_ENDPOINT',
    'oauth.revocationEndpoint',
    input.oauth['revocationEndpoint'],
  );
  return found;
}

/** The switch that admits plain-http sign-in servers on loopback addresses, when it is on. */
export function insecureLoopbackOverride(env: NodeJS.ProcessEnv): EndpointOverrideView[] {
  return /^(1|true|yes)$/i.test(env[INSECURE_LOOPBACK_SWITCH]?.trim() ?? '')
    ? [
        {
          provider: null,
          setting: 'Plain-http sign-in servers on this machine',
          value: 'allowed',
          source: INSECURE_LOOPBACK_SWITCH,
        },
      ]
    : [];
}

/** The words a provider's key variables carry (ANTHROPIC, GEMINI, GOOGLE, OPENAI), from its own defaults and its id. */
function keyWords(definition: ProviderDefinition): string[] {
  const words = definition.apiKeyEnvVars.map((name) => name.split('_')[0] ?? '').filter((word) => word !== '');
  return [...new Set([definition.id.toUpperCase().replace(/-/g, '_'), ...words])];
}

/**
 * `apiKeyEnv` may name only variables that look like this provider's keys (its name and KEY):
 * another name (AWS_SECRET_ACCESS_KEY) would send that secret to the provider. Such names are
 * dropped with a problem that says why.
 */
export function keyVariablesFor(
  definition: ProviderDefinition,
  names: readonly string[],
  field: string,
  problems: ProblemList,
): string[] {
  const words = keyWords(definition);
  return names.filter((name) => {
    const upper = name.toUpperCase();
    if (
      definition.apiKeyEnvVars.includes(name) ||
      (upper.includes('KEY') && words.some((word) => upper.includes(word)))
    )
      return true;
    problems.add(
      field,
      `${name} does not look like a key variable for ${definition.displayName} (its name must contain KEY and one of ${words.join(', ')}); it was ignored, so its value is never sent to ${definition.displayName}`,
      definition.id,
    );
    return false;
  });
}
