import type { ErrorInfo } from '../../../src-shared/errors.js';
import type { OAuthFlowView } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import type { CredentialMeta } from '../store/credential-store.js';
import type { OAuthCredential } from '../credentials.js';
import type { OAuthCapableDefinition, RedirectMode } from '../providers/definition.js';

/** What the OAuth machinery needs to know about a provider: its definition and resolved config. */
export interface OAuthProviderContext {
  readonly definition: OAuthCapableDefinition;
  readonly config: ResolvedProviderConfig;
}

/** Looks a provider up by id; undefined for an unknown id. */
export type OAuthProviderLookup = (provider: string) => OAuthProviderContext | undefined;

export interface StartFlowOptions {
  readonly accountLabel: string;
  /** Overrides the configured redirect mode for this flow. */
  readonly redirectMode?: RedirectMode;
}

/** The outcome of a completed flow: the credential is committed to the store when this exists. */
export interface CompletedLogin {
  readonly flowId: string;
  readonly meta: CredentialMeta;
}

/** Pushed when a flow ends, however it ends (the window's `auth.flowFinished` event). */
export type FlowFinishedEvent =
  | { readonly flowId: string; readonly provider: string; readonly account: string; readonly ok: true; readonly credentialId: string }
  | { readonly flowId: string; readonly provider: string; readonly account: string; readonly ok: false; readonly error: ErrorInfo };

/** Pending OAuth authorizations and their single completion step (see architecture.md, OAuth). */
export interface OAuthFlowManager {
  /** Builds the authorization URL (PKCE S256 + state), starts the loopback receiver when the mode needs it. */
  start(provider: string, options: StartFlowOptions): Promise<OAuthFlowView>;
  /** One completion for all three ways back: callback parameters with `state` (and `iss` if sent). */
  complete(callbackParams: URLSearchParams): Promise<CompletedLogin>;
  /** A pasted bare code (for this flow), `code#state`, or the full redirect URL. */
  submitPasted(flowId: string, pasted: string): Promise<CompletedLogin>;
  /** A deep link delivered by the OS; parsed exactly, then completed. */
  handleDeepLink(url: string): Promise<CompletedLogin>;
  /** Resolves when the flow completes by any route (loopback, deep link, paste); rejects with AuthError otherwise. */
  waitFor(flowId: string): Promise<CompletedLogin>;
  cancel(flowId: string): boolean;
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
  ensureFresh(credentialId: string, options?: { readonly force?: boolean }): Promise<{ meta: CredentialMeta; credential: OAuthCredential }>;
}

/** RFC 7009 revocation of what this install owns; best effort, short timeout, never throws. */
export type RevokeCredential = (provider: string, credential: OAuthCredential) => Promise<{ readonly revoked: boolean; readonly reason?: string }>;
