import type { Result } from '../../src-shared/errors.js';
import type { ModelListView, StatusView } from '../../src-shared/view-models.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import type { FreshnessOptions } from '../agent/fresh-credential.js';
import type { AgentGatewayAnswer } from '../agent/agent-gateway.js';

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
  /**
   * The local gateway served beside the agent: its status, and its key when `withKey` and it is
   * on. Null when no agent runs (no gateway can be reached through the store alone).
   */
  gateway(withKey: boolean): Promise<AgentGatewayAnswer | null>;
}
