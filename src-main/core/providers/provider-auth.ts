import type { AuthMethod } from '../../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import type { OAuthFlowView, UnavailableMethod } from '../../../src-shared/view-models.js';
import type { ResolvedProviderConfig } from '../../config/config-types.js';
import { AuthError } from '../auth-error.js';
import type { Credential, OAuthCredential } from '../credentials.js';
import type { ProviderDefinition, RedirectMode } from './definition.js';

/** Which methods a provider offers right now, and why the others are not offered. */
export interface MethodAvailability {
  readonly available: readonly AuthMethod[];
  readonly unavailable: readonly UnavailableMethod[];
}

/** An API key the environment offers: the variable it came from and its value. */
export interface EnvironmentKey {
  readonly variable: string;
  readonly apiKey: string;
}

/**
 * Parameters of `authenticate`: the method that yields a credential at once. OAuth takes two
 * steps (`startSignIn`, then the browser's answer reaches `completeSignIn`), and the environment
 * is read, never stored, by `environmentKey`.
 */
export interface AuthenticateParams {
  readonly method: 'api_key';
  readonly apiKey: string;
  /** Ask the provider whether the key works before accepting it. */
  readonly validate: boolean;
}

export interface StartSignInOptions {
  /** An account label already parsed by `parseAccountLabel`. */
  readonly accountLabel: string;
  /** Overrides the configured redirect mode for this sign-in. */
  readonly redirectMode?: RedirectMode;
  /** The person chose to (re-)enable plan usage: the provider asks for consent again (`prompt=consent`). */
  readonly consent?: boolean;
}

/**
 * How the browser's answer reaches a pending sign-in when the loopback receiver does not catch it
 * by itself: a code (or the whole address) the person pasted into that sign-in, or a deep link on
 * this provider's callback path. Every route ends in the same completion step.
 */
export type SignInCallback =
  | { readonly route: 'paste'; readonly flowId: string; readonly pasted: string }
  | { readonly route: 'deep_link'; readonly url: string };

/** A sign-in whose credential the store has committed. */
export interface CompletedSignIn {
  readonly flowId: string;
  readonly provider: string;
  readonly account: string;
  readonly credentialId: string;
}

/** Told when a sign-in ends, however it ends (the window's `auth.flowFinished` event). */
export type FlowFinishedEvent =
  | (CompletedSignIn & { readonly ok: true })
  | {
      readonly flowId: string;
      readonly provider: string;
      readonly account: string;
      readonly ok: false;
      readonly error: ErrorInfo;
    };

/** What revocation achieved; it is best effort and never throws. */
export interface RevokeOutcome {
  readonly revoked: boolean;
  /** Why nothing was revoked, for the log. */
  readonly reason?: string;
}

/** A stored OAuth credential to keep fresh, by its row: refreshing is single flight per row, in this process and across processes. */
export interface RefreshRequest {
  readonly credentialId: string;
  /** Refresh even when the access token is not due (after the provider refused it). */
  readonly force?: boolean;
}

/**
 * The story's `ProviderAuth` behaviour: one implementation per provider, the same for all of them
 * (DefinedProviderAuth over a definition), the OAuth mechanics shared. The coordinator reaches a
 * provider only through this interface — every sign-in, completion, refresh, validation and
 * sign-out — so the command line, the window and the web transport all meet the same behaviour.
 * Failures are thrown as AuthError with a code.
 */
export interface ProviderAuth {
  readonly id: string;
  readonly definition: ProviderDefinition;
  /** The definition overlaid with the configuration file and the environment. */
  readonly config: ResolvedProviderConfig;

  /** The story's method detection: what works now, and exactly what is missing for the rest. */
  availableMethods(): MethodAvailability;
  /** The first of the provider's API-key variables that is set, read now; null when none is. */
  environmentKey(): EnvironmentKey | null;
  /** Produces a credential from an API key (checked with the provider unless told not to). */
  authenticate(params: AuthenticateParams): Promise<Credential>;

  /** Starts an OAuth sign-in (PKCE S256 + state) and returns what the person needs to open. */
  startSignIn(options: StartSignInOptions): Promise<OAuthFlowView>;
  /** Completes this provider's pending sign-in from a pasted code or a deep link. */
  completeSignIn(callback: SignInCallback): Promise<CompletedSignIn>;
  /** Resolves when the sign-in completes by any route (loopback, deep link, paste). */
  waitForSignIn(flowId: string): Promise<CompletedSignIn>;
  /** Ends a pending sign-in; false when this provider has none with that id. */
  cancelSignIn(flowId: string): boolean;
  /** Whether the sign-in with this id is this provider's (pending, or finished a moment ago). */
  hasSignIn(flowId: string): boolean;
  /** Every sign-in of this provider that ends, by any route; returns the disposer. */
  onDidFinishSignIn(listener: (event: FlowFinishedEvent) => void): () => void;

  /** Asks the provider whether the credential works now. */
  validateCredentials(credential: Credential): Promise<Credential>;
  /** A usable OAuth credential for the stored row: as stored while not due, else refreshed exactly once across callers and processes. */
  refreshCredentials(request: RefreshRequest): Promise<OAuthCredential>;
  /** Revokes (RFC 7009) what this install owns, best effort; the caller deletes locally whatever the answer. */
  revokeCredentials(credential: OAuthCredential): Promise<RevokeOutcome>;
}

/** The refusal of a wait on a sign-in no provider knows (never started, or finished long ago). */
export function noSuchSignIn(): AuthError {
  return AuthError.of('oauth_state_invalid', 'There is no such sign-in in progress. Start the sign-in again.');
}

/** The refusal of a code pasted into a sign-in that no longer waits for one. */
export function signInNotWaiting(): AuthError {
  return AuthError.of(
    'oauth_state_invalid',
    'This sign-in is no longer waiting for a code (finished, cancelled or expired). Start it again.',
  );
}
