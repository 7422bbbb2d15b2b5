import type { OAuthFlowView } from '../../../src-shared/view-models.js';
import type { OAuthCredential } from '../credentials.js';
import type {
  CompletedSignIn,
  FlowFinishedEvent,
  RefreshRequest,
  RevokeOutcome,
  SignInCallback,
  StartSignInOptions,
} from './provider-auth.js';

/**
 * The shared OAuth machinery (PKCE flows, the leased single-flight refresher, revocation) as one
 * provider's `ProviderAuth` uses it, already bound to that provider's definition and
 * configuration. Implemented once in `../oauth` (provider-oauth.ts) and handed to
 * DefinedProviderAuth by the composition root; providers never import the machinery itself.
 */
export interface ProviderOAuth {
  start(options: StartSignInOptions): Promise<OAuthFlowView>;
  complete(callback: SignInCallback): Promise<CompletedSignIn>;
  waitFor(flowId: string): Promise<CompletedSignIn>;
  cancel(flowId: string): boolean;
  /** Whether a sign-in (pending or just finished) belongs to this provider. */
  owns(flowId: string): boolean;
  onDidFinish(listener: (event: FlowFinishedEvent) => void): () => void;
  refresh(request: RefreshRequest): Promise<OAuthCredential>;
  revoke(credential: OAuthCredential): Promise<RevokeOutcome>;
}
