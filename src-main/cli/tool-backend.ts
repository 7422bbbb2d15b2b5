import type { Result } from '../../src-shared/errors.js';
import type { ModelListView, StatusView } from '../../src-shared/view-models.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import type { FreshnessOptions } from '../agent/fresh-credential.js';

/**
 * What `status`, `models`, `use`, `token` and `exec` need: answered by a running agent over its
 * socket, or by the core opened in this process when no agent runs.
 */
export interface ToolBackend {
  status(): Promise<StatusView>;
  token(provider: string, options: FreshnessOptions): Promise<Result<ResolvedCredential>>;
  listModels(input: { readonly provider: string; readonly refresh: boolean }): Promise<Result<ModelListView>>;
  use(input: {
    readonly provider: string;
    readonly account?: string;
    readonly model?: string;
  }): Promise<Result<StatusView>>;
}
