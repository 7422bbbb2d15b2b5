/**
 * Provider contexts for the OAuth tests, in the three styles of the real providers, pointing at
 * the local authorization servers; plus a real credential store in a temporary directory.
 * The definitions are the real ones; only the resolved configuration points at 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../../../src-main/core/clock.js';
import type { ResolvedOAuthConfig, ResolvedProviderConfig } from '../../../../../src-main/config/config-types.js';
import { anthropicDefinition } from '../../../../../src-main/core/providers/anthropic.js';
import { googleDefinition } from '../../../../../src-main/core/providers/google.js';
import { MemoryKeyProvider } from '../../../../../src-main/core/store/key-providers/memory-key-provider.js';
import type { CredentialStore } from '../../../../../src-main/core/store/credential-store.js';
import type { OAuthCredential } from '../../../../../src-main/core/credentials.js';
import type { OAuthFlowManager, OAuthProviderContext } from '../../../../../src-main/core/oauth/oauth-types.js';
import { openCredentialStore } from '../../../../../src-main/core/store/open-store.js';
import { openaiDefinition } from '../../../../../src-main/core/providers/openai.js';
import type { OAuthCapableDefinition } from '../../../../../src-main/core/providers/definition.js';
import type { SqliteCredentialStore } from '../../../../../src-main/core/store/sqlite/sqlite-store.js';
import type { AnthropicOAuthServer } from '../../../../fakes/anthropic-oauth.js';
import { ANTHROPIC_FAKE_CLIENT_ID } from '../../../../fakes/anthropic-oauth.js';
import { completeInBrowser } from '../../../../fakes/browser-login.js';
import type { OidcServer } from '../../../../fakes/oauth-server.js';
import {
  FAKE_DEEP_LINK_SCHEME,
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
} from '../../../../fakes/oauth-server.js';

function configOf(definition: OAuthCapableDefinition, oauth: Partial<ResolvedOAuthConfig>): ResolvedProviderConfig {
  const def = definition.oauth;
  return {
    provider: definition.id,
    apiBaseUrl: definition.defaultApiBaseUrl,
    apiKeyEnvVars: definition.apiKeyEnvVars,
    requestTimeoutMs: 5_000,
    oauth: {
      clientId: null,
      clientIdHint: `set ${def.clientIdEnv}`,
      clientSecret: null,
      issuer: def.issuer,
      discovery: def.discovery,
      authorizationEndpoint: def.authorizationEndpoint,
      tokenEndpoint: def.tokenEndpoint,
      revocationEndpoint: def.revocationEndpoint ?? null,
      scopes: def.scopes,
      redirectMode: def.redirectModes[0] ?? 'loopback',
      loopbackHost: def.loopback.host,
      loopbackPorts: [0],
      loopbackPath: def.loopback.path,
      pasteRedirectUri: def.pasteRedirectUri ?? null,
      deepLinkScheme: FAKE_DEEP_LINK_SCHEME,
      extraAuthorizationParams: def.extraAuthorizationParams,
      allowInsecureLoopbackIssuer: true,
      ...oauth,
    },
  };
}

/**
 * OpenAI with an organisation's configured client (no registration; Sign in with ChatGPT itself is
 * tested against its own fake, test/fakes/openai-siwc.ts): discovery, loopback on 127.0.0.1 or a
 * deep link (the organisation's client is configured for one), public client, rotating refresh
 * tokens, revocation.
 */
export function openaiStyle(
  server: Pick<OidcServer, 'issuer'>,
  oauth: Partial<ResolvedOAuthConfig> = {},
): OAuthProviderContext {
  return {
    definition: openaiDefinition,
    config: configOf(openaiDefinition, {
      clientId: PUBLIC_CLIENT_ID,
      issuer: server.issuer,
      revocationEndpoint: null,
      redirectMode: 'deep_link',
      ...oauth,
    }),
  };
}

/** Google style: discovery, loopback on 127.0.0.1, client secret, refresh responses without refresh_token. */
export function googleStyle(server: OidcServer, oauth: Partial<ResolvedOAuthConfig> = {}): OAuthProviderContext {
  return {
    definition: googleDefinition,
    config: configOf(googleDefinition, {
      clientId: GOOGLE_STYLE_CLIENT_ID,
      clientSecret: GOOGLE_STYLE_CLIENT_SECRET,
      issuer: server.issuer,
      revocationEndpoint: null,
      // The local AS knows the OIDC scopes only; Google's API scopes would be dropped anyway.
      scopes: ['openid', 'email'],
      ...oauth,
    }),
  };
}

/** Anthropic style: no discovery, JSON token body, paste page showing `code#state`, no revocation. */
export function anthropicStyle(
  fake: AnthropicOAuthServer,
  oauth: Partial<ResolvedOAuthConfig> = {},
): OAuthProviderContext {
  return {
    definition: anthropicDefinition,
    config: configOf(anthropicDefinition, {
      clientId: ANTHROPIC_FAKE_CLIENT_ID,
      issuer: fake.origin,
      discovery: false,
      authorizationEndpoint: fake.authorizationEndpoint,
      tokenEndpoint: fake.tokenEndpoint,
      revocationEndpoint: null,
      pasteRedirectUri: fake.pasteRedirectUri,
      ...oauth,
    }),
  };
}

/** Signs in through the real flow (deep link for discovery providers, paste for Anthropic) and returns the stored row's id. */
export async function signIn(
  manager: OAuthFlowManager,
  context: OAuthProviderContext,
  accountLabel = 'default',
): Promise<string> {
  const paste = context.definition.id === 'anthropic';
  const view = await manager.start(context, { accountLabel, redirectMode: paste ? 'paste' : 'deep_link' });
  const back = await completeInBrowser(view.authorizationUrl);
  const done = paste
    ? await manager.submitPasted(view.flowId, back.href)
    : await manager.handleDeepLink(context, back.href);
  return done.credentialId;
}

/** Makes a stored OAuth credential's access token look expired (the store's own compare-and-swap write). */
export function expireAccessToken(store: CredentialStore, credentialId: string, at: number = Date.now() - 1000): void {
  const row = store.get(credentialId);
  if (row === null || row.credential.kind !== 'oauth') throw new Error('no OAuth credential to expire');
  const outcome = store.rotate({
    id: credentialId,
    expectedGeneration: row.meta.generation,
    credential: { ...row.credential, expiresAt: at },
    expiresAt: at,
  });
  if (!outcome.ok) throw new Error(`could not expire the credential: ${outcome.reason}`);
}

/** The stored OAuth secret of a row (tests only). */
export function oauthSecretOf(
  store: CredentialStore,
  credentialId: string,
): OAuthCredential & { readonly generation: number } {
  const row = store.get(credentialId);
  if (row === null || row.credential.kind !== 'oauth') throw new Error('no OAuth credential stored');
  return { ...row.credential, generation: row.meta.generation };
}

export interface TestStore {
  readonly store: SqliteCredentialStore;
  readonly dataDir: string;
  /** Closes the store and removes the directory. */
  dispose(): void;
}

/** A real encrypted store on disk in a fresh temporary directory. */
export async function openTestStore(
  options: { clock?: Clock; dataDir?: string; masterKey?: Uint8Array } = {},
): Promise<TestStore> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'maestro-oauth-'));
  const keyProvider = new MemoryKeyProvider({
    ...(options.masterKey !== undefined ? { key: options.masterKey } : {}),
    protection: 'key_file',
  });
  const { store } = await openCredentialStore({
    dataDir,
    keyProviders: [keyProvider],
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  return {
    store,
    dataDir,
    dispose: () => {
      store.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
