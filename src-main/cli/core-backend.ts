import type { AuthService } from '../core/auth-service.js';
import { resolveFresh } from '../agent/fresh-credential.js';
import type { ToolBackend } from './tool-backend.js';

/** The tool commands answered by the core opened in this process (no agent runs). */
export function coreBackend(auth: AuthService): ToolBackend {
  return {
    status: () => auth.status(),
    token: (provider, options) => resolveFresh(auth, provider, options),
    listModels: (input) => auth.listModels(input),
    // The gateway is served by an agent (the app, `the-maestro gateway`); none runs here.
    gateway: () => Promise.resolve(null),
    async use(input) {
      const switched = await auth.setActiveProvider({
        provider: input.provider,
        ...(input.account !== undefined ? { account: input.account } : {}),
      });
      if (!switched.ok || input.model === undefined) return switched;
      const selected = await auth.selectModel({ provider: input.provider, model: input.model });
      if (!selected.ok) return selected;
      return { ok: true, value: await auth.status() };
    },
  };
}
