import type {
  OAuthCapableDefinition,
  ProviderDefinition,
  RedirectMode,
  RequestSettings,
} from '../core/providers/definition.js';
import { REDIRECT_MODES, offersOAuth } from '../core/providers/definition.js';
import type { EnvRef, StringOrEnv } from './config-schema.js';
import { apiVersionSchema, quotaProjectSchema } from './config-schema.js';
import type { ResolvedOAuthConfig, ResolvedProviderConfig } from './config-types.js';
import type { ProblemList } from './config-values.js';
import { checkServiceUrl, envPrefixOf, resolveStringOrEnv } from './config-values.js';
import { keyVariablesFor } from './overrides.js';

interface ResolveInput {
  readonly definition: ProviderDefinition;
  readonly section: Readonly<Record<string, unknown>>;
  readonly oauth: Readonly<Record<string, unknown>>;
  readonly env: NodeJS.ProcessEnv;
  readonly problems: ProblemList;
  readonly where: string;
  readonly defaultTimeout: number;
  readonly deepLinkScheme: string;
}

/** Reads one setting: environment override, else the file's value, else the default. */
class SettingReader {
  constructor(private readonly input: ResolveInput) {}

  /** A URL setting; a bad value from env or file is reported and skipped. */
  url(envSuffix: string, fileValue: unknown, fileField: string, fallback: string): string {
    const { env, problems, definition } = this.input;
    const envName = `${envPrefixOf(definition.id)}${envSuffix}`;
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      const checked = checkServiceUrl(fromEnv.trim());
      if (checked.ok) return checked.url;
      problems.add(envName, `${checked.reason}; it was ignored`, definition.id);
    }
    const fromFile = resolveStringOrEnv(fileValue as StringOrEnv | undefined, env);
    if (fromFile !== undefined) {
      const checked = checkServiceUrl(fromFile);
      if (checked.ok) return checked.url;
      problems.add(`${this.input.where}.${fileField}`, `${checked.reason}; the default is used`, definition.id);
    }
    return fallback;
  }

  /** A plain string override from the environment (scopes, ports, mode), validated by `parse`. */
  envValue<T>(envSuffix: string, parse: (raw: string) => T | undefined, what: string): T | undefined {
    const envName = `${envPrefixOf(this.input.definition.id)}${envSuffix}`;
    const raw = this.input.env[envName];
    if (raw === undefined || raw.trim() === '') return undefined;
    const parsed = parse(raw.trim());
    if (parsed === undefined)
      this.input.problems.add(envName, `must be ${what}; it was ignored`, this.input.definition.id);
    return parsed;
  }
}

function parsePorts(raw: string): number[] | undefined {
  const ports = raw.split(',').map((part) => Number(part.trim()));
  return ports.length > 0 && ports.every((port) => Number.isInteger(port) && port >= 0 && port <= 65535)
    ? ports
    : undefined;
}

function parseRedirectMode(raw: string): RedirectMode | undefined {
  return (REDIRECT_MODES as readonly string[]).includes(raw) ? (raw as RedirectMode) : undefined;
}

function parseBoolean(raw: string): boolean | undefined {
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  return undefined;
}

/** For a provider without discovery, endpoints move with an overridden issuer (same paths, new origin). */
function endpointFor(defaultEndpoint: string, issuerOverridden: boolean, issuer: string): string {
  if (!issuerOverridden) return defaultEndpoint;
  const path = new URL(defaultEndpoint).pathname;
  return new URL(path, `${issuer}/`).href;
}

type OAuthInput = ResolveInput & { readonly definition: OAuthCapableDefinition };

function isOAuthInput(input: ResolveInput): input is OAuthInput {
  return offersOAuth(input.definition);
}

type ClientSettings = Pick<ResolvedOAuthConfig, 'clientId' | 'clientIdHint' | 'clientSecret'>;
type EndpointSettings = Pick<
  ResolvedOAuthConfig,
  'issuer' | 'discovery' | 'authorizationEndpoint' | 'tokenEndpoint' | 'revocationEndpoint' | 'pasteRedirectUri'
>;

/** The OAuth client: the provider's environment variable wins over the file's value (a literal or `{ env }`). */
function resolveClient(input: OAuthInput): ClientSettings {
  const { definition, oauth, env } = input;
  const def = definition.oauth;
  const clientIdRef: StringOrEnv = (oauth['clientId'] as StringOrEnv | undefined) ?? { env: def.clientIdEnv };
  const secretRef =
    (oauth['clientSecret'] as StringOrEnv | undefined) ??
    (def.clientSecretEnv !== undefined ? { env: def.clientSecretEnv } : undefined);
  const secretFromEnv =
    def.clientSecretEnv !== undefined ? resolveStringOrEnv({ env: def.clientSecretEnv }, env) : undefined;
  return {
    clientId:
      resolveStringOrEnv({ env: def.clientIdEnv } satisfies EnvRef, env) ??
      resolveStringOrEnv(clientIdRef, env) ??
      null,
    clientIdHint:
      def.planSignIn !== undefined
        ? `none is needed: The Maestro registers itself at your first sign-in; to use a partner or organisation client instead, set ${def.clientIdEnv} (or providers.${definition.id}.oauth.clientId in the config file)`
        : `set ${def.clientIdEnv} (or providers.${definition.id}.oauth.clientId in the config file)${def.clientSecretEnv !== undefined ? ` and ${def.clientSecretEnv}` : ''}`,
    clientSecret: secretFromEnv ?? resolveStringOrEnv(secretRef, env) ?? null,
  };
}

/** The authorization server's endpoints; those of a provider without discovery follow an overridden issuer. */
function resolveEndpoints(input: OAuthInput, read: SettingReader): EndpointSettings {
  const { oauth } = input;
  const def = input.definition.oauth;
  const issuer = read.url('OAUTH_ISSUER', oauth['issuer'], 'oauth.issuer', def.issuer);
  const moved = issuer !== def.issuer;
  const optional = (envSuffix: string, field: string, fallback: string | undefined): string | null => {
    const value = read.url(
      envSuffix,
      oauth[field],
      `oauth.${field}`,
      fallback !== undefined ? endpointFor(fallback, moved, issuer) : '',
    );
    return value === '' ? null : value;
  };
  return {
    issuer,
    discovery:
      read.envValue('OAUTH_DISCOVERY', parseBoolean, 'true or false') ??
      (oauth['discovery'] as boolean | undefined) ??
      def.discovery,
    authorizationEndpoint: read.url(
      'OAUTH_AUTHORIZATION_ENDPOINT',
      oauth['authorizationEndpoint'],
      'oauth.authorizationEndpoint',
      endpointFor(def.authorizationEndpoint, moved, issuer),
    ),
    tokenEndpoint: read.url(
      'OAUTH_TOKEN_ENDPOINT',
      oauth['tokenEndpoint'],
      'oauth.tokenEndpoint',
      endpointFor(def.tokenEndpoint, moved, issuer),
    ),
    revocationEndpoint: optional('OAUTH_REVOCATION_ENDPOINT', 'revocationEndpoint', def.revocationEndpoint),
    pasteRedirectUri: optional('OAUTH_PASTE_REDIRECT_URI', 'pasteRedirectUri', def.pasteRedirectUri),
  };
}

/** The OAuth settings of a provider that offers no OAuth: never available, and it says why. */
function noOAuth(input: ResolveInput): ResolvedOAuthConfig {
  if (Object.keys(input.oauth).length > 0) {
    input.problems.add(
      `${input.where}.oauth`,
      `${input.definition.displayName} offers no OAuth sign-in; these settings were ignored`,
      input.definition.id,
    );
  }
  return {
    clientId: null,
    clientIdHint: `${input.definition.displayName} offers no browser sign-in for other apps; use an API key`,
    clientSecret: null,
    issuer: '',
    discovery: false,
    authorizationEndpoint: '',
    tokenEndpoint: '',
    revocationEndpoint: null,
    pasteRedirectUri: null,
    scopes: [],
    redirectMode: 'loopback',
    loopbackHost: '127.0.0.1',
    loopbackPorts: [0],
    loopbackPath: '/callback',
    deepLinkScheme: input.deepLinkScheme,
    extraAuthorizationParams: {},
    allowInsecureLoopbackIssuer: false,
  };
}

function resolveOAuth(input: ResolveInput, read: SettingReader): ResolvedOAuthConfig {
  if (!isOAuthInput(input)) return noOAuth(input);
  const { oauth, env } = input;
  const def = input.definition.oauth;
  return {
    ...resolveClient(input),
    ...resolveEndpoints(input, read),
    scopes:
      read.envValue('OAUTH_SCOPES', (raw) => raw.split(/\s+/), 'space-separated scopes') ??
      (oauth['scopes'] as string[] | undefined) ??
      def.scopes,
    redirectMode:
      read.envValue('OAUTH_REDIRECT_MODE', parseRedirectMode, `one of ${REDIRECT_MODES.join(', ')}`) ??
      (oauth['redirectMode'] as RedirectMode | undefined) ??
      def.redirectModes[0] ??
      'loopback',
    loopbackHost: def.loopback.host,
    loopbackPorts:
      read.envValue('OAUTH_LOOPBACK_PORTS', parsePorts, 'comma-separated port numbers') ??
      (oauth['loopbackPorts'] as number[] | undefined) ??
      def.loopback.ports,
    loopbackPath: def.loopback.path,
    deepLinkScheme: input.deepLinkScheme,
    extraAuthorizationParams: def.extraAuthorizationParams,
    allowInsecureLoopbackIssuer: parseBoolean(env['THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER'] ?? '') === true,
  };
}

/** A setting from a named environment variable, checked by `schema`; a bad value is reported and ignored. */
function envSetting(input: ResolveInput, envName: string, schema: typeof apiVersionSchema): string | undefined {
  const raw = input.env[envName]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  input.problems.add(
    envName,
    `${parsed.error.issues[0]?.message ?? 'is invalid'}; it was ignored`,
    input.definition.id,
  );
  return undefined;
}

/** A file field the provider does not take is reported by name and ignored. */
function unusedField(input: ResolveInput, field: string, what: string): void {
  if (input.section[field] === undefined) return;
  input.problems.add(
    `${input.where}.${field}`,
    `${input.definition.displayName} takes no ${what}; it was ignored`,
    input.definition.id,
  );
}

type RequestSettingsResult = Pick<ResolvedProviderConfig, 'requestSettings' | 'quotaProjectSource'>;

/** API version and quota project: the environment variable wins over the file's field, else the default. */
function resolveRequestSettings(input: ResolveInput): RequestSettingsResult {
  const { definition, section } = input;
  const settings: { apiVersion?: string; quotaProject?: string } = {};
  let quotaProjectSource: 'env' | 'file' | undefined;
  if (definition.apiVersion !== undefined) {
    settings.apiVersion =
      envSetting(input, definition.apiVersion.env, apiVersionSchema) ??
      (section['apiVersion'] as string | undefined) ??
      definition.apiVersion.default;
  } else unusedField(input, 'apiVersion', 'API version setting');
  if (definition.quotaProject !== undefined) {
    const fromEnv = envSetting(input, definition.quotaProject.env, quotaProjectSchema);
    const fromFile = section['quotaProject'] as string | undefined;
    const quotaProject = fromEnv ?? fromFile;
    if (quotaProject !== undefined) settings.quotaProject = quotaProject;
    quotaProjectSource = fromEnv !== undefined ? 'env' : fromFile !== undefined ? 'file' : undefined;
  } else unusedField(input, 'quotaProject', 'quota project');
  const requestSettings: RequestSettings = settings;
  return { requestSettings, ...(quotaProjectSource !== undefined ? { quotaProjectSource } : {}) };
}

/** Overlays a provider's definition with its file section and the environment. */
export function resolveProviderConfig(input: ResolveInput): ResolvedProviderConfig {
  const read = new SettingReader(input);
  const { definition, section } = input;
  const named = section['apiKey'] as EnvRef | undefined;
  const apiKeyRef =
    named !== undefined && keyVariablesFor(definition, [named.env], `${input.where}.apiKey`, input.problems).length > 0
      ? named
      : undefined;
  const listed = section['apiKeyEnv'] as string[] | undefined;
  const allowed =
    listed !== undefined ? keyVariablesFor(definition, listed, `${input.where}.apiKeyEnv`, input.problems) : [];
  const apiKeyEnv = allowed.length > 0 ? allowed : definition.apiKeyEnvVars;
  return {
    provider: definition.id,
    apiBaseUrl: read.url('API_BASE_URL', section['apiBaseUrl'], 'apiBaseUrl', definition.defaultApiBaseUrl),
    apiKeyEnvVars:
      apiKeyRef !== undefined ? [apiKeyRef.env, ...apiKeyEnv.filter((name) => name !== apiKeyRef.env)] : apiKeyEnv,
    requestTimeoutMs: (section['requestTimeoutMs'] as number | undefined) ?? input.defaultTimeout,
    oauth: resolveOAuth(input, read),
    ...resolveRequestSettings(input),
  };
}
