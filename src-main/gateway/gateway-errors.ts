import type { ServerResponse } from 'node:http';
import { assertNever } from '../../src-shared/errors.js';
import type { GatewayProvider } from './gateway-types.js';

/** The gateway's own failures, each with the HTTP status it answers with. */
export type GatewayErrorKind =
  | 'foreign_host'
  | 'missing_key'
  | 'wrong_key'
  | 'browser_refused'
  | 'unknown_route'
  | 'body_too_large'
  | 'body_timeout'
  | 'no_credential'
  | 'plan_credential'
  | 'upstream_unreachable'
  | 'upstream_timeout';

export interface GatewayError {
  readonly kind: GatewayErrorKind;
  readonly message: string;
}

const STATUS: Readonly<Record<GatewayErrorKind, number>> = {
  foreign_host: 403,
  missing_key: 401,
  wrong_key: 401,
  browser_refused: 403,
  unknown_route: 404,
  body_too_large: 413,
  body_timeout: 408,
  no_credential: 401,
  plan_credential: 403,
  upstream_unreachable: 502,
  upstream_timeout: 504,
};

export function statusOf(kind: GatewayErrorKind): number {
  return STATUS[kind];
}

function anthropicType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function openAiType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

function googleStatus(status: number): string {
  switch (status) {
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 408:
    case 504:
      return 'DEADLINE_EXCEEDED';
    case 502:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  }
}

/**
 * The error body in the provider's own shape, so each SDK shows the message. A path that names no
 * provider gets OpenAI's shape, the one most clients understand.
 */
export function errorBody(provider: GatewayProvider | undefined, error: GatewayError): unknown {
  const status = statusOf(error.kind);
  const message = `The Maestro gateway: ${error.message}`;
  const which = provider ?? 'openai';
  switch (which) {
    case 'anthropic':
      return { type: 'error', error: { type: anthropicType(status), message } };
    case 'openai':
      return { error: { message, type: openAiType(status), code: error.kind } };
    case 'google':
      return { error: { code: status, message, status: googleStatus(status) } };
    default:
      return assertNever(which);
  }
}

/** Answers with the gateway's own error (no CORS headers, ever) unless an answer has begun. */
export function sendError(response: ServerResponse, provider: GatewayProvider | undefined, error: GatewayError): void {
  if (response.headersSent || response.destroyed) return;
  const body = JSON.stringify(errorBody(provider, error));
  response.writeHead(statusOf(error.kind), {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-maestro-gateway-error': error.kind,
  });
  response.end(body);
}
