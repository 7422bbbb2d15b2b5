import type { StorageProtectionView } from '../../src-shared/view-models.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { ResolvedConfig } from '../config/config-types.js';
import { loadConfig } from '../config/load-config.js';
import { configFileIn } from '../config/paths.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { Auth } from './auth.js';
import type { AuthService } from './auth-service.js';
import type { CredentialStore } from './store/credential-store.js';
import { DefinedProviderAuth } from './providers/defined-provider-auth.js';
import type { KeyProvider } from './store/key-provider.js';
import { OAuthClients } from './oauth/oauth-client.js';
import { PkceFlowManager } from './oauth/flow-manager.js';
import { createRevokeCredential } from './oauth/revoke.js';
import { LeasedTokenRefresher } from './oauth/token-refresher.js';
import type { OAuthProviderLookup } from './oauth/oauth-types.js';
import { noOAuthProtocol, oauthProtocolFor } from './oauth/protocol.js';
import { defaultCliKeyProviders, openCredentialStore } from './store/open-store.js';
import { createProviderApi } from './providers/api.js';
import { offersOAuth } from './providers/definition.js';
import type { ProviderAuth } from './providers/registry.js';
import { ProviderRegistry } from './providers/registry.js';
import { SessionManager } from './session/session-manager.js';

export interface CoreOptions {
  /** The data directory (database, key file, config file by default). */
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to `<dataDir>/config.json`. */
  readonly configFile?: string;
  /** What protects the data key; defaults to the command line's (THE_MAESTRO_MASTER_KEY or a 0600 key file). */
  readonly keyProviders?: readonly KeyProvider[];
  /** Keep credentials in memory only (no protection worth persisting them under). */
  readonly memoryOnly?: boolean;
  readonly keyProviderTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Who is composing the core, for logs. */
  readonly purpose?: 'app' | 'cli' | 'web' | 'test' | 'bench';
  /** Providers to use instead of the built-in list (tests, tutorials). */
  readonly registry?: ProviderRegistry;
}

/** The composed core: the unified interface plus what the shell needs to know about storage. */
export interface Core {
  readonly auth: AuthService;
  readonly store: CredentialStore;
  readonly config: ResolvedConfig;
  readonly protection: StorageProtectionView;
  dispose(): Promise<void>;
}

/** How the OAuth machinery finds a provider: only those that offer OAuth, with their resolved configuration. */
export function oauthProviderLookup(registry: ProviderRegistry, config: ResolvedConfig): OAuthProviderLookup {
  return (id) => {
    const definition = registry.get(id);
    const providerConfig = config.providers.get(id);
    return definition !== undefined && offersOAuth(definition) && providerConfig !== undefined ? { definition, config: providerConfig } : undefined;
  };
}

/**
 * The composition root of the core, shared by the app, the command line and the web transport:
 * configuration, encrypted store, provider API, OAuth machinery, sessions and the coordinator.
 * It only builds and connects; every decision lives in the parts.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const fetchOption = options.fetch !== undefined ? { fetch: options.fetch } : {};
  const registry = options.registry ?? new ProviderRegistry();
  const config = loadConfig({ file: options.configFile ?? configFileIn(options.dataDir), definitions: registry.definitions, env });
  const opened = await openCredentialStore({
    dataDir: options.dataDir,
    keyProviders: options.keyProviders ?? defaultCliKeyProviders(options.dataDir, env),
    clock,
    logger,
    ...(options.memoryOnly !== undefined ? { memoryOnly: options.memoryOnly } : {}),
    ...(options.keyProviderTimeoutMs !== undefined ? { keyProviderTimeoutMs: options.keyProviderTimeoutMs } : {}),
  });
  const { store } = opened;
  const lookup = oauthProviderLookup(registry, config);
  const clients = new OAuthClients({ ...fetchOption, logger });
  const api = createProviderApi({ ...fetchOption, logger });
  const providers = new Map<string, ProviderAuth>();
  for (const definition of registry.definitions) {
    const providerConfig = config.providers.get(definition.id);
    if (providerConfig === undefined) continue;
    const context = lookup(definition.id);
    const protocol = context !== undefined ? oauthProtocolFor(context, clients, clock, logger) : noOAuthProtocol(definition);
    providers.set(definition.id, new DefinedProviderAuth(definition, providerConfig, api, env, protocol));
  }
  const flows = new PkceFlowManager({ lookup, store, clock, logger, clients });
  const auth = new Auth({
    registry,
    providers,
    config,
    store,
    sessions: new SessionManager(store, registry, clock),
    api,
    flows,
    refresher: new LeasedTokenRefresher({ lookup, store, clock, logger, clients }),
    revoke: createRevokeCredential({ lookup, logger, clients }),
    env,
    clock,
    logger,
    protection: opened.protection,
  });
  logger.debug('core ready', { purpose: options.purpose ?? 'app', dataDir: options.dataDir, protection: opened.protection.level });
  return {
    auth,
    store,
    config,
    protection: opened.protection,
    async dispose() {
      await auth.dispose();
      store.close();
    },
  };
}
