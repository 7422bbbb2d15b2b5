import type { ProviderOAuth } from '../providers/provider-oauth.js';
import { noSuchSignIn, signInNotWaiting } from '../providers/provider-auth.js';
import type { OAuthFlowManager, OAuthProviderContext, RevokeCredential, TokenRefresher } from './oauth-types.js';

/** The OAuth machinery of one core, shared by every provider: the flows, the leased refresher, revocation. */
export interface OAuthMachinery {
  readonly flows: OAuthFlowManager;
  readonly refresher: TokenRefresher;
  readonly revoke: RevokeCredential;
}

/**
 * One provider's `ProviderOAuth`: the shared machinery with this provider's definition and
 * configuration on every call. A sign-in id is answered only by the provider that started it.
 */
export function providerOAuth(context: OAuthProviderContext, machinery: OAuthMachinery): ProviderOAuth {
  const { flows, refresher, revoke } = machinery;
  const provider = context.definition.id;
  const owns = (flowId: string): boolean => flows.providerOf(flowId) === provider;
  return {
    start: (options) => flows.start(context, options),
    complete(callback) {
      if (callback.route === 'deep_link') return flows.handleDeepLink(context, callback.url);
      return owns(callback.flowId)
        ? flows.submitPasted(callback.flowId, callback.pasted)
        : Promise.reject(signInNotWaiting());
    },
    waitFor: (flowId) => (owns(flowId) ? flows.waitFor(flowId) : Promise.reject(noSuchSignIn())),
    cancel: (flowId) => owns(flowId) && flows.cancel(flowId),
    owns,
    onDidFinish: (listener) =>
      flows.onDidFinish((event) => {
        if (event.provider === provider) listener(event);
      }),
    async refresh(request) {
      return (await refresher.ensureFresh(context, request.credentialId, { force: request.force === true })).credential;
    },
    revoke: (credential) => revoke(context, credential),
  };
}
