import type * as client from 'openid-client';
import type { ErrorInfo } from '../../../src-shared/errors.js';
import { AuthError } from '../auth-error.js';
import { asRecord } from '../providers/json-fields.js';
import { IdTokenSignatureError, KeySetError } from './id-token-signature.js';
import { openIdClient } from './openid-client-module.js';

/**
 * Turns what openid-client throws into our AuthError codes. What a person reads names the
 * provider and the step; the provider's own error code is kept in `providerCode` for diagnostics.
 * Nothing from a response body other than a short error code is ever copied into a message.
 */

export type OAuthPhase = 'discovery' | 'exchange' | 'refresh' | 'revocation';

export interface OAuthErrorContext {
  readonly provider: string;
  readonly displayName: string;
  readonly phase: OAuthPhase;
  /** Token-endpoint error codes after which a refresh can never succeed (the definition's list). */
  readonly permanentCodes?: readonly string[];
  /** Sentences explaining a refused refresh, by error code (the definition's `refreshRefusedAdvice`). */
  readonly refreshAdvice?: Readonly<Record<string, string>>;
}

/** What went wrong, independent of the library's error classes. */
type Failure =
  | { readonly kind: 'network' }
  | { readonly kind: 'response'; readonly status: number; readonly providerCode: string | undefined }
  | { readonly kind: 'protocol'; readonly detail: string }
  /** The ID token failed a check: its signature, a claim (`nonce`, `aud`, `iss`, …) or its times. */
  | { readonly kind: 'id_token'; readonly check: string }
  | { readonly kind: 'unknown' };

const PROVIDER_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;

function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && PROVIDER_CODE.test(value) ? value : undefined;
}

/** Reads an error code from a non-standard error body, e.g. OpenAI's `{ error: { code, type } }`. */
async function codeFromResponse(response: Response): Promise<string | undefined> {
  try {
    const error = asRecord(await response.clone().json())?.['error'];
    if (typeof error === 'string') return safeCode(error);
    const record = asRecord(error);
    return safeCode(record?.['code']) ?? safeCode(record?.['type']);
  } catch {
    // Not JSON, or already read: the status alone has to do.
  }
  return undefined;
}

function challengeCode(error: client.WWWAuthenticateChallengeError): string | undefined {
  const challenges: unknown = error.cause;
  if (!Array.isArray(challenges)) return undefined;
  for (const challenge of challenges as { parameters?: Record<string, unknown> }[]) {
    const code = safeCode(challenge.parameters?.['error']);
    if (code !== undefined) return code;
  }
  return undefined;
}

/** Node's ERR_INVALID_ARG_* TypeErrors are our bugs, not the network's. */
function isInvalidArgument(error: TypeError): boolean {
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_INVALID_ARG');
}

/** Which ID-token check an openid-client error is, if it is one (oauth4webapi's codes and causes). */
function idTokenCheck(error: { code?: string; message: string; cause?: unknown }): string | undefined {
  // openid-client wraps oauth4webapi's error, whose own `cause` names the claim.
  const inner = error.cause instanceof Error ? error.cause : error;
  switch (error.code) {
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED': {
      const claim = asRecord(inner.cause)?.['claim'];
      return typeof claim === 'string' && PROVIDER_CODE.test(claim) ? `its "${claim}" claim` : 'a claim';
    }
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return 'its validity period (expired or not yet valid)';
    case 'OAUTH_KEY_SELECTION_FAILED':
      return 'its signing key, which is not in the published key set';
    case 'OAUTH_INVALID_RESPONSE':
      return /signature/i.test(inner.message) ? 'its signature' : undefined;
    case undefined:
    default:
      return undefined;
  }
}

async function classify(error: unknown): Promise<Failure> {
  if (error instanceof IdTokenSignatureError) return { kind: 'id_token', check: error.check };
  if (error instanceof KeySetError) {
    return error.status !== undefined && error.status >= 500
      ? { kind: 'response', status: error.status, providerCode: undefined }
      : { kind: 'protocol', detail: `its key set: ${error.detail}` };
  }
  const openid = await openIdClient();
  if (error instanceof openid.ResponseBodyError)
    return { kind: 'response', status: error.status, providerCode: safeCode(error.error) };
  if (error instanceof openid.WWWAuthenticateChallengeError)
    return { kind: 'response', status: error.status, providerCode: challengeCode(error) };
  if (error instanceof openid.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') return { kind: 'network' };
    const idToken = idTokenCheck(error);
    if (idToken !== undefined) return { kind: 'id_token', check: idToken };
    if (error.cause instanceof Response) {
      return { kind: 'response', status: error.cause.status, providerCode: await codeFromResponse(error.cause) };
    }
    return { kind: 'protocol', detail: error.code ?? 'invalid response' };
  }
  // fetch() rejects with a TypeError for refused connections, resets and DNS failures.
  if (error instanceof TypeError && !isInvalidArgument(error)) return { kind: 'network' };
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return { kind: 'network' };
  return { kind: 'unknown' };
}

const STEP: Readonly<Record<OAuthPhase, string>> = {
  discovery: 'reading its sign-in configuration',
  exchange: 'finishing the sign-in',
  refresh: 'refreshing the sign-in',
  revocation: 'revoking the sign-in',
};

function responseError(failure: Extract<Failure, { kind: 'response' }>, context: OAuthErrorContext): ErrorInfo {
  const { provider, displayName, phase } = context;
  const extra = {
    provider,
    status: failure.status,
    ...(failure.providerCode !== undefined ? { providerCode: failure.providerCode } : {}),
  };
  const said = failure.providerCode !== undefined ? ` (${failure.providerCode})` : '';
  if (failure.status >= 500 || failure.status === 429 || phase === 'discovery') {
    return {
      code: 'provider_unavailable',
      message: `${displayName} could not answer while ${STEP[phase]} (HTTP ${failure.status}). Try again shortly.`,
      retryable: true,
      ...extra,
    };
  }
  if (phase === 'refresh') {
    const permanent =
      failure.providerCode !== undefined && (context.permanentCodes ?? []).includes(failure.providerCode);
    const advice = failure.providerCode !== undefined ? context.refreshAdvice?.[failure.providerCode] : undefined;
    return permanent
      ? {
          code: 'reauth_required',
          message: `Sign in to ${displayName} again: it no longer accepts the saved sign-in${said}.${advice !== undefined ? ` ${advice}` : ''}`,
          retryable: false,
          ...extra,
        }
      : {
          code: 'oauth_exchange_failed',
          message: `${displayName} refused to refresh the sign-in${said}.`,
          retryable: false,
          ...extra,
        };
  }
  if (failure.providerCode === 'access_denied') {
    return { code: 'oauth_denied', message: `${displayName} did not grant access.`, ...extra };
  }
  return {
    code: 'oauth_exchange_failed',
    message: `${displayName} refused the sign-in while ${STEP[phase]}${said}. Start the sign-in again.`,
    ...extra,
  };
}

/** A response that broke the protocol: a bad exchange, a discovery document for another issuer, or a glitch. */
function protocolError(detail: string, context: OAuthErrorContext): ErrorInfo {
  const { provider, displayName, phase } = context;
  switch (phase) {
    case 'exchange':
      return {
        code: 'oauth_exchange_failed',
        message: `${displayName} sent a sign-in response The Maestro could not accept (${detail}).`,
        provider,
      };
    case 'discovery':
      // e.g. the document names another issuer (mix-up) or is malformed: a configuration problem, not an outage.
      return {
        code: 'config_invalid',
        message: `${displayName}'s sign-in configuration does not match the configured issuer or is malformed (${detail}).`,
        provider,
      };
    case 'refresh':
    case 'revocation':
      return {
        code: 'provider_unavailable',
        message: `${displayName} sent an unexpected response while ${STEP[phase]} (${detail}).`,
        provider,
        retryable: true,
      };
  }
}

/** Maps anything thrown by an OAuth step to an AuthError (an AuthError passes through unchanged). */
export async function toOAuthError(error: unknown, context: OAuthErrorContext): Promise<AuthError> {
  if (error instanceof AuthError) return error;
  const failure = await classify(error);
  const { provider, displayName, phase } = context;
  switch (failure.kind) {
    case 'network':
      return new AuthError(
        {
          code: 'network_error',
          message: `Could not reach ${displayName} while ${STEP[phase]}. Check the connection and try again.`,
          provider,
          retryable: true,
        },
        { cause: error },
      );
    case 'response':
      return new AuthError(responseError(failure, context), { cause: error });
    case 'protocol':
      return new AuthError(protocolError(failure.detail, context), { cause: error });
    case 'id_token':
      return new AuthError(
        {
          code: 'oauth_id_token_invalid',
          message: `${displayName}'s sign-in answer failed the identity check (${failure.check}) and was refused. Nothing was stored; start the sign-in again.`,
          provider,
        },
        { cause: error },
      );
    case 'unknown':
      return new AuthError(
        {
          code: 'internal',
          message: `Something unexpected went wrong while ${STEP[phase]} with ${displayName}.`,
          provider,
        },
        { cause: error },
      );
  }
}
