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
import type { SqliteCredentialStore } from './store/sqlite/sqlite-store.js';
import { DefinedProviderAuth } from './providers/defined-provider-auth.js';
import type { KeyProvider } from './store/key-provider.js';
import { OAuthClients } from './oauth/oauth-client.js';
import { PkceFlowManager } from './oauth/flow-manager.js';
import type { OAuthMachinery } from './oauth/provider-oauth.js';
import { providerOAuth } from './oauth/provider-oauth.js';
import { createRevokeCredential } from './oauth/revoke.js';
import { LeasedTokenRefresher } from './oauth/token-refresher.js';
import { defaultCliKeyProviders, openCredentialStore } from './store/open-store.js';
import { createProviderApi } from './providers/api.js';
import { createStreamingApi } from './providers/api-stream.js';
import type { ProviderApi } from './providers/api-types.js';
import { offersOAuth } from './providers/definition.js';
import { ProviderAuthRegistry } from './providers/provider-auth-registry.js';
import { ProviderRegistry } from './providers/registry.js';
import { SessionManager } from './session/session-manager.js';
import { QuotaProjectStore } from './session/quota-projects.js';
import type { StateStore } from './store/state-store.js';

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
  /** `keyProviders` is all the person allows (the app): other wrappings of the data key are removed. */
  readonly exclusiveKeyProviders?: boolean;
  readonly keyProviderTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Where this process's log file is (shown in status), when it keeps one. */
  readonly logFile?: string;
  /** Who is composing the core, for logs. */
  readonly purpose?: 'app' | 'cli' | 'web' | 'test' | 'bench';
  /** Providers to use instead of the built-in list (tests, tutorials). */
  readonly registry?: ProviderRegistry;
}

/** The composed core: the unified interface plus what the shell needs to know about storage. */
export interface Core {
  readonly auth: AuthService;
  /** The whole store (credentials, state, model cache, leases), for scripts and tests; the parts receive only their interface. */
  readonly store: SqliteCredentialStore;
  readonly config: ResolvedConfig;
  readonly protection: StorageProtectionView;
  dispose(): Promise<void>;
}

/** What every provider is composed with. */
interface ProviderParts {
  readonly config: ResolvedConfig;
  readonly api: ProviderApi;
  readonly env: NodeJS.ProcessEnv;
  readonly oauth: OAuthMachinery;
  /** Where the window's quota projects are kept. */
  readonly store: StateStore;
}

/**
 * Each defined provider as it runs: its definition, its resolved configuration, the provider API
 * and, when the definition offers OAuth, the shared OAuth machinery bound to it.
 */
function composeProviders(registry: ProviderRegistry, parts: ProviderParts): ProviderAuthRegistry {
  const quotaProjects = new QuotaProjectStore(parts.store);
  return new ProviderAuthRegistry(
    registry.definitions.map((definition) => {
      const config = parts.config.providers.get(definition.id);
      // loadConfig resolves a configuration for every definition it is given.
      if (config === undefined) throw new Error(`no configuration was resolved for provider ${definition.id}`);
      const oauth = offersOAuth(definition) ? providerOAuth({ definition, config }, parts.oauth) : null;
      const chosen =
        definition.quotaProject !== undefined ? { chosenQuotaProject: () => quotaProjects.get(definition.id) } : {};
      return new DefinedProviderAuth({ definition, config, api: parts.api, env: parts.env, oauth, ...chosen });
    }),
  );
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
  const config = loadConfig({
    file: options.configFile ?? configFileIn(options.dataDir),
    definitions: registry.definitions,
    env,
  });
  const opened = await openCredentialStore({
    dataDir: options.dataDir,
    keyProviders: options.keyProviders ?? defaultCliKeyProviders(options.dataDir, env),
    clock,
    logger,
    ...(options.memoryOnly !== undefined ? { memoryOnly: options.memoryOnly } : {}),
    ...(options.exclusiveKeyProviders === true ? { exclusiveKeyProviders: true } : {}),
    ...(options.keyProviderTimeoutMs !== undefined ? { keyProviderTimeoutMs: options.keyProviderTimeoutMs } : {}),
  });
  const { store } = opened;
  const clients = new OAuthClients({ ...fetchOption, logger });
  const api = createProviderApi({ ...fetchOption, logger });
  const flows = new PkceFlowManager({ store, clock, logger, clients });
  const oauth: OAuthMachinery = {
    flows,
    refresher: new LeasedTokenRefresher({ store, clock, logger, clients }),
    revoke: createRevokeCredential({ logger, clients }),
  };
  const auth = new Auth({
    providers: composeProviders(registry, { config, api, env, oauth, store }),
    config,
    store,
    sessions: new SessionManager(store, registry, clock),
    api,
    stream: createStreamingApi({ ...fetchOption, logger }),
    clock,
    logger,
    protection: opened.protection,
    ...(options.logFile !== undefined ? { logFile: options.logFile } : {}),
  });
  logger.debug('core ready', {
    purpose: options.purpose ?? 'app',
    dataDir: options.dataDir,
    protection: opened.protection.level,
  });
  return {
    auth,
    store,
    config,
    protection: opened.protection,
    async dispose() {
      await auth.dispose();
      // Cancels the sign-ins still pending and closes their loopback receivers.
      await flows.dispose();
      store.close();
    },
  };
}
