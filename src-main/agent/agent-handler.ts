import type { ErrorInfo, Result } from '../../src-shared/errors.js';
import type { AuthService } from '../core/auth-service.js';
import { type AgentGateway, gatewayAnswer } from './agent-gateway.js';
import { decideHandOut } from './plan-credential-hook.js';
import { resolveFresh } from './fresh-credential.js';
import type { AgentRequest, AgentResponse } from './protocol.js';
import { ForwardedNotices } from './storage-notice-forwarder.js';

/** What the agent needs of the core: the operations it answers, nothing more. */
export type AgentAuth = Pick<AuthService, 'status' | 'resolve' | 'listModels' | 'setActiveProvider' | 'selectModel'>;

function answer(id: number, result: Result<unknown>): AgentResponse {
  return result.ok ? { v: 1, id, ok: true, value: result.value } : { v: 1, id, ok: false, error: result.error };
}

const NO_NOTICES = new ForwardedNotices(undefined);

/**
 * Answers one checked request from the core, with the pending storage notices on the answer (as a
 * direct run prints them). Errors come from the core, whose messages never hold a secret.
 */
export async function handleAgentRequest(
  auth: AgentAuth,
  request: AgentRequest,
  notices: ForwardedNotices = NO_NOTICES,
  gateway?: AgentGateway,
): Promise<AgentResponse> {
  if (request.op === 'acknowledge')
    return answer(request.id, { ok: true, value: { acknowledged: notices.acknowledge() } });
  const response = await answerOp(auth, request, notices, gateway);
  const pending = notices.pending();
  return pending.length > 0 ? { ...response, notices: pending } : response;
}

async function answerOp(
  auth: AgentAuth,
  request: Exclude<AgentRequest, { op: 'acknowledge' }>,
  notices: ForwardedNotices,
  gateway: AgentGateway | undefined,
): Promise<AgentResponse> {
  switch (request.op) {
    case 'gateway':
      return answer(request.id, { ok: true, value: gatewayAnswer(gateway, request.key === true) });
    case 'status':
      return answer(request.id, { ok: true, value: await auth.status() });
    case 'token': {
      const result = await resolveFresh(auth, request.provider, {
        ...(request.account !== undefined ? { account: request.account } : {}),
        ...(request.refresh !== undefined ? { refresh: request.refresh } : {}),
        ...(request.minValidSeconds !== undefined ? { minValidSeconds: request.minValidSeconds } : {}),
      });
      if (!result.ok) return answer(request.id, result);
      const decision = decideHandOut(result.value, 'agent');
      return decision.allowed ? answer(request.id, result) : answer(request.id, { ok: false, error: decision.error });
    }
    case 'models':
      return answer(
        request.id,
        await auth.listModels({ provider: request.provider, refresh: request.refresh === true }),
      );
    case 'use':
      return answer(request.id, await use(auth, request));
  }
}

async function use(auth: AgentAuth, request: Extract<AgentRequest, { op: 'use' }>): Promise<Result<unknown>> {
  const switched = await auth.setActiveProvider({
    provider: request.provider,
    ...(request.account !== undefined ? { account: request.account } : {}),
  });
  if (!switched.ok || request.model === undefined) return switched;
  const selected = await auth.selectModel({ provider: request.provider, model: request.model });
  if (!selected.ok) return selected;
  return { ok: true, value: await auth.status() };
}

/** The error an agent answers with when the core threw (a bug): generic, so nothing from inside leaks. */
export const INTERNAL_ERROR: ErrorInfo = {
  code: 'internal',
  message: 'The agent failed to answer this request; its log says more.',
};
