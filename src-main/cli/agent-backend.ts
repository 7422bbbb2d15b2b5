import type { Result } from '../../src-shared/errors.js';
import type { ModelListView, StatusView } from '../../src-shared/view-models.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import type { AgentQuery } from '../agent/agent-client.js';
import type { AgentGatewayAnswer } from '../agent/agent-gateway.js';
import type { AgentResponse } from '../agent/protocol.js';
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

/** One question to the agent; AgentUnavailable when it cannot answer. */
async function askAgent(endpoint: string, query: AgentQuery): Promise<AgentResponse> {
  const call = await callAgent(endpoint, query);
  if (call.kind === 'absent') throw new AgentUnavailable('absent', 'no agent is running');
  if (call.kind === 'broken') throw new AgentUnavailable('broken', call.reason);
  return call.response;
}

/**
 * The tool commands answered by a running agent. The agent is the same user's process: its values
 * are trusted as typed. `onNotices` receives the storage notices the agent sends with an answer.
 */
export function agentBackend(
  endpoint: string,
  onNotices: (notices: readonly string[]) => void = () => undefined,
): ToolBackend {
  async function ask<T>(query: AgentQuery): Promise<Result<T>> {
    const response = await askAgent(endpoint, query);
    if (response.notices !== undefined) onNotices(response.notices);
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

/**
 * `status --acknowledge` through the agent: how many notices it forgot. An agent from before the
 * `acknowledge` operation refuses it: the caller then opens the store itself, as without an agent.
 */
export async function acknowledgeThroughAgent(endpoint: string): Promise<number> {
  const response = await askAgent(endpoint, { op: 'acknowledge' });
  if (!response.ok)
    throw new AgentUnavailable('broken', `the running agent could not acknowledge (${response.error.message})`);
  const value = response.value as { readonly acknowledged?: unknown } | null;
  return typeof value?.acknowledged === 'number' ? value.acknowledged : 0;
}
