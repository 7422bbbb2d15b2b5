import type { OAuthFlowView } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import type { CredentialMeta } from '../store/credential-store.js';
import type { OAuthCredential } from '../credentials.js';
import type { OAuthCapableDefinition } from '../providers/definition.js';
import type {
  CompletedSignIn,
  FlowFinishedEvent,
  RevokeOutcome,
  StartSignInOptions,
} from '../providers/provider-auth.js';

export type {
  CompletedSignIn,
  FlowFinishedEvent,
  RevokeOutcome,
  StartSignInOptions,
} from '../providers/provider-auth.js';

/**
 * A provider as the OAuth machinery sees it: its definition and resolved configuration. Every
 * entry point of the machinery takes the one it works for (the provider's ProviderAuth passes
 * its own), so the machinery never looks a provider up.
 */
export interface OAuthProviderContext {
  readonly definition: OAuthCapableDefinition;
  readonly config: ResolvedProviderConfig;
}

/** Pending OAuth authorizations of every provider and their single completion step (see architecture.md, OAuth). */
export interface OAuthFlowManager {
  /** Builds the authorization URL (PKCE S256 + state), starts the loopback receiver when the mode needs it. */
  start(context: OAuthProviderContext, options: StartSignInOptions): Promise<OAuthFlowView>;
  /** One completion for all three ways back: callback parameters with `state` (and `iss` if sent). */
  complete(callbackParams: URLSearchParams): Promise<CompletedSignIn>;
  /** A pasted bare code (for this flow), `code#state`, or the full redirect URL. */
  submitPasted(flowId: string, pasted: string): Promise<CompletedSignIn>;
  /** A deep link on the provider's callback path, delivered by the OS; parsed exactly, then completed. */
  handleDeepLink(context: OAuthProviderContext, url: string): Promise<CompletedSignIn>;
  /** Resolves when the flow completes by any route (loopback, deep link, paste); rejects with AuthError otherwise. */
  waitFor(flowId: string): Promise<CompletedSignIn>;
  cancel(flowId: string): boolean;
  /** The provider a flow (pending or recently finished) belongs to. */
  providerOf(flowId: string): string | undefined;
  onDidFinish(listener: (event: FlowFinishedEvent) => void): () => void;
  /** Cancels every flow and closes every loopback receiver. */
  dispose(): Promise<void>;
}

/** Keeps OAuth credentials fresh: single flight per credential, in-process and across processes. */
export interface TokenRefresher {
  /**
   * Returns a usable credential: as stored when it is not due, otherwise refreshed exactly once
   * across all callers and processes. `force` refreshes even if not expired (after a 401).
   * Permanent failures mark the row invalid and throw AuthError `reauth_required`; transient
   * ones throw `provider_unavailable`/`network_error` (with bounded backoff) and leave the row as is.
   */
  ensureFresh(
    context: OAuthProviderContext,
    credentialId: string,
    options?: { readonly force?: boolean },
  ): Promise<{ meta: CredentialMeta; credential: OAuthCredential }>;
}

/** RFC 7009 revocation of what this install owns; best effort, short timeout, never throws. */
export type RevokeCredential = (context: OAuthProviderContext, credential: OAuthCredential) => Promise<RevokeOutcome>;
