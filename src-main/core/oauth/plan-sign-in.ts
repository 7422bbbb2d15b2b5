import { randomBytes } from 'node:crypto';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import { AuthError } from '../auth-error.js';
import type { OAuthCredential } from '../credentials.js';
import type { PlanSignInDefinition } from '../providers/definition.js';
import type { CredentialStore } from '../store/credential-store.js';
import type { OAuthProviderContext } from './oauth-types.js';
import type { PlanRegistrations } from './plan-registrations.js';

/**
 * The steps of a plan sign-in ("Sign in with ChatGPT" for open-source apps, openai-siwc.md §2–§4)
 * that an ordinary authorization-code flow does not have: which client asks (the placeholder of a
 * first sign-in, the account's issued client, or a configured one), the extra authorization
 * parameters, the issued client id in the callback, and the account and plan checks after the
 * exchange. Everything here is decided before any token request or right after the validated one.
 */

/** The plan-specific part of one pending attempt. */
export interface PlanAttempt {
  /** The authorization request's client: the account's issued id, a configured one, or the registration placeholder. */
  readonly clientId: string;
  /** A first sign-in to this account: the callback must carry the client id OpenAI issued. */
  readonly registering: boolean;
  /** The OIDC nonce the ID token must carry. */
  readonly nonce: string;
  /** On a returning sign-in, the `sub` the new ID token must have. */
  readonly expectedSubject?: string;
  /** Parameters added to the authorization request. */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface PlanAttemptInput {
  readonly context: OAuthProviderContext;
  readonly plan: PlanSignInDefinition;
  readonly registrations: PlanRegistrations;
  readonly store: CredentialStore;
  readonly accountLabel: string;
  readonly issuer: string;
  /** The person chose to (re-)enable plan usage: ask for consent again (`prompt=consent`). */
  readonly consent: boolean;
}

/** Issued client ids are short and printable (`oaiapp_…`); anything else is not one. */
const ISSUED_CLIENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The account's current OAuth credential, when there is one that opens (a damaged row is simply not a hint). */
function savedCredential(
  store: CredentialStore,
  provider: string,
  accountLabel: string,
): { credential: OAuthCredential | undefined; clientRefused: boolean } {
  try {
    const found = store.find({ provider, authMethod: 'oauth', accountLabel });
    // OpenAI refused the registered client itself (deleted, or the app disconnected): register anew.
    const clientRefused = found?.meta.invalidReason?.providerCode === 'invalid_client';
    const credential = found?.open();
    return { credential: credential?.kind === 'oauth' ? credential : undefined, clientRefused };
  } catch {
    return { credential: undefined, clientRefused: false };
  }
}

/**
 * Decides who asks and with what: a first sign-in registers (`dynamic_agent_client`,
 * `agent_name_hint`); a returning one uses its issued client with `id_token_hint`/`login_hint`; a
 * configured client skips registration. Every attempt carries the host id, the resource and a nonce.
 */
export function planAttempt(input: PlanAttemptInput): PlanAttempt {
  const { context, plan, registrations, accountLabel, issuer } = input;
  const provider = context.definition.id;
  const configured = context.config.oauth.clientId;
  const found = savedCredential(input.store, provider, accountLabel);
  const saved = found.credential;
  const registration = found.clientRefused ? undefined : registrations.get(provider, accountLabel, issuer);
  const clientId = configured ?? registration?.clientId ?? plan.registrationClientId;
  const registering = configured === null && registration === undefined;
  // The saved credential speaks for this account only if it was issued by this issuer to this client.
  const same = saved !== undefined && saved.issuer === issuer && (saved.clientId ?? configured) === clientId;
  const expectedSubject = (same ? saved.subject : undefined) ?? registration?.subject;
  const email = (same ? saved.email : undefined) ?? registration?.email;
  const nonce = randomBytes(32).toString('base64url');
  const parameters: Record<string, string> = {
    ext_agent_host_id: registrations.hostId(),
    resource: plan.resource,
    nonce,
  };
  if (registering) parameters['agent_name_hint'] = plan.agentName;
  if (!registering && same && saved.idToken !== undefined) parameters['id_token_hint'] = saved.idToken;
  if (!registering && email !== undefined) parameters['login_hint'] = email;
  if (input.consent) parameters['prompt'] = 'consent';
  return {
    clientId,
    registering,
    nonce,
    parameters,
    ...(expectedSubject !== undefined ? { expectedSubject } : {}),
  };
}

/**
 * The client the code is exchanged with, from the callback (openai-siwc.md §3): a first sign-in
 * must come back with the issued client id; a returning one may omit it but never name another.
 * Refused here, a callback costs no token request.
 */
export function planCallbackClient(
  params: URLSearchParams,
  attempt: PlanAttempt,
  plan: PlanSignInDefinition,
  provider: string,
): string {
  const returned = params.get('client_id');
  if (attempt.registering) {
    if (returned === null || returned === plan.registrationClientId || !ISSUED_CLIENT_ID.test(returned)) {
      throw AuthError.of(
        'oauth_registration_incomplete',
        'OpenAI did not finish registering The Maestro for this account: its answer carries no client id. Nothing was stored; start the sign-in again.',
        { provider },
      );
    }
    return returned;
  }
  if (returned !== null && returned !== attempt.clientId) {
    throw AuthError.of(
      'oauth_client_mismatch',
      'The sign-in answer names another app registration than the one this account uses, and was refused. Your saved sign-in is unchanged; start the sign-in again.',
      { provider },
    );
  }
  return attempt.clientId;
}

/** After a validated exchange: a returning sign-in must be the same account (openai-siwc.md §4.1, 7). */
export function checkPlanAccount(credential: OAuthCredential, attempt: PlanAttempt, provider: string): void {
  if (credential.subject === undefined) {
    throw AuthError.of(
      'oauth_id_token_invalid',
      'OpenAI finished the sign-in without an ID token naming the account, so it was refused. Nothing was stored; start the sign-in again.',
      { provider },
    );
  }
  if (attempt.expectedSubject !== undefined && credential.subject !== attempt.expectedSubject) {
    throw AuthError.of(
      'oauth_account_mismatch',
      'You signed in to a different ChatGPT account than the one saved under this label, so nothing was changed. To add that account, sign in with another account label (“Use a different account”).',
      { provider },
    );
  }
}

/** Whether the granted scope (the token response's, which is authoritative) lets the tokens spend the plan. */
export function planGranted(scope: string | undefined, plan: PlanSignInDefinition): boolean {
  return (scope ?? '').split(/\s+/).includes(plan.planScope);
}

/** The mark of a sign-in kept without plan usage, with the choices OpenAI lists (openai-siwc.md §7.3). */
export function planNotEnabled(plan: PlanSignInDefinition, provider: string): ErrorInfo {
  return {
    code: 'plan_not_enabled',
    provider,
    retryable: false,
    message: `${plan.planName} not enabled: you are signed in, but OpenAI did not allow The Maestro to use your ${plan.planName}. Enable it (sign in again with \`the-maestro login ${provider} --oauth --enable-plan\`, or “Enable ${plan.planName}” in the window), or use an OpenAI API key instead.`,
  };
}
