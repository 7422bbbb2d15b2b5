import type { StoredAuthMethod } from '../../../src-shared/auth-types.js';
import type { ErrorInfo, Result } from '../../../src-shared/errors.js';
import { err, ok } from '../../../src-shared/errors.js';
import type { ModelListView } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import type { Clock } from '../clock.js';
import { toErrorInfo } from '../auth-error.js';
import type { ModelCache } from '../store/model-cache.js';
import type { ProviderApi } from '../providers/api-types.js';
import type { ProviderDefinition } from '../providers/definition.js';

/** A cached model list younger than this is served without asking the provider. */
export const MODEL_CACHE_TTL_MS = 6 * 60 * 60_000;

/** The working credential a model list is fetched with (a resolved credential is one). */
export interface ListingCredential {
  readonly method: StoredAuthMethod;
  readonly secret: string;
}

export interface ModelRequest {
  readonly definition: ProviderDefinition;
  readonly config: ResolvedProviderConfig;
  /** Where the list is cached (default: the provider id). */
  readonly cacheKey?: string;
  readonly refresh: boolean;
  readonly selectedModel: string | null;
  /** Resolves the credential to list with; called only when the provider must be asked. */
  readonly credential: () => Promise<Result<ListingCredential>>;
}

/**
 * Model lists: fetched with the provider's credential (all pages), cached in the store with a
 * timestamp, and served from cache — marked stale — when the provider cannot be asked.
 */
export class ModelCatalog {
  constructor(
    private readonly store: ModelCache,
    private readonly api: ProviderApi,
    private readonly clock: Clock,
  ) {}

  async list(request: ModelRequest): Promise<Result<ModelListView>> {
    const provider = request.definition.id;
    const key = request.cacheKey ?? provider;
    const cached = this.store.loadModels(key);
    const fresh = cached !== null && this.clock.now() - cached.fetchedAt < MODEL_CACHE_TTL_MS;
    if (fresh && !request.refresh) return ok(this.view(request, cached.models, cached.fetchedAt, false, null));
    const credential = await request.credential();
    if (!credential.ok) return this.fallback(request, credential.error);
    try {
      const auth =
        credential.value.method === 'api_key'
          ? ({ kind: 'api_key', apiKey: credential.value.secret } as const)
          : ({ kind: 'bearer', accessToken: credential.value.secret } as const);
      const models = await this.api.listModels(request.definition, request.config, auth);
      const fetchedAt = this.clock.now();
      this.store.saveModels(key, models, fetchedAt);
      return ok(this.view(request, models, fetchedAt, false, null));
    } catch (error) {
      return this.fallback(request, toErrorInfo(error, provider));
    }
  }

  /** The cached list, marked stale, when there is one; the error otherwise. */
  private fallback(request: ModelRequest, error: ErrorInfo): Result<ModelListView> {
    const cached = this.store.loadModels(request.cacheKey ?? request.definition.id);
    if (cached === null) return err(error);
    // Whatever stopped us asking the provider, the cached list could not be confirmed: it is stale.
    return ok(this.view(request, cached.models, cached.fetchedAt, true, error));
  }

  private view(
    request: ModelRequest,
    models: ModelListView['models'],
    fetchedAt: number,
    stale: boolean,
    error: ErrorInfo | null,
  ): ModelListView {
    return {
      provider: request.definition.id,
      models,
      fetchedAt: new Date(fetchedAt).toISOString(),
      stale,
      selectedModel: request.selectedModel,
      error,
    };
  }
}
