import type { Result } from '../../src-shared/errors.js';
import type { ModelListView, StatusView } from '../../src-shared/view-models.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import type { AgentQuery } from '../agent/agent-client.js';
import type { AgentGatewayAnswer } from '../agent/agent-gateway.js';
import { callAgent } from '../agent/agent-client.js';
import type { ToolBackend } from './tool-backend.js';

/**
 * Thrown when the agent cannot answer, so the command runs again against the store: `absent`
 * quietly (no agent runs), `broken` with a note on stderr (one was there and failed).
 */
export class AgentUnavailable extends Error {
  override readonly name = 'AgentUnavailable';
  constructor(
    readonly kind: 'absent' | 'broken',
    reason: string,
  ) {
    super(reason);
  }
}

/** The tool commands answered by a running agent. The agent is the same user's process: its values are trusted as typed. */
export function agentBackend(endpoint: string): ToolBackend {
  async function ask<T>(query: AgentQuery): Promise<Result<T>> {
    const call = await callAgent(endpoint, query);
    if (call.kind === 'absent') throw new AgentUnavailable('absent', 'no agent is running');
    if (call.kind === 'broken') throw new AgentUnavailable('broken', call.reason);
    const { response } = call;
    return response.ok ? { ok: true, value: response.value as T } : { ok: false, error: response.error };
  }
  return {
    async status() {
      const result = await ask<StatusView>({ op: 'status' });
      if (!result.ok) throw new AgentUnavailable('broken', result.error.message);
      return result.value;
    },
    token: (provider, options) => ask<ResolvedCredential>({ op: 'token', provider, ...options }),
    listModels: (input) => ask<ModelListView>({ op: 'models', provider: input.provider, refresh: input.refresh }),
    use: (input) => ask<StatusView>({ op: 'use', ...input }),
    async gateway(withKey) {
      // An agent of an older version does not know the operation: it serves no gateway.
      const result = await ask<AgentGatewayAnswer>({ op: 'gateway', key: withKey });
      return result.ok ? result.value : null;
    },
  };
}
