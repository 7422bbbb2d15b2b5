import type { ModelInfo } from '../../../src-shared/auth-types.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import type { ApiAuth } from '../credentials.js';
import type { ProviderDefinition } from './definition.js';

/**
 * Talks to a provider's REST API with a credential: validation and model listing. Timeouts,
 * bounded retries with backoff (429 with retry-after, 5xx, 529 — never for insufficient_quota or
 * bad credentials), size limits on bodies; failures are thrown as AuthError with our codes.
 */
export interface ProviderApi {
  /** The cheapest authenticated request; resolves when the provider accepts the credential. */
  validate(definition: ProviderDefinition, config: ResolvedProviderConfig, auth: ApiAuth): Promise<void>;
  /** Every page of the model list. */
  listModels(definition: ProviderDefinition, config: ResolvedProviderConfig, auth: ApiAuth): Promise<ModelInfo[]>;
}
