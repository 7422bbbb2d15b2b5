import type { ErrorCode, ErrorInfo } from '../../src-shared/errors.js';

/**
 * The one exception type of the core. Inside the core, failures are thrown as AuthError; at the
 * boundaries (coordinator results, IPC, CLI) they become plain `ErrorInfo` values.
 * The message is written for a person and never contains a secret.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.info = info;
  }

  get code(): ErrorCode {
    return this.info.code;
  }

  static of(code: ErrorCode, message: string, extra: Omit<ErrorInfo, 'code' | 'message'> = {}): AuthError {
    return new AuthError({ code, message, ...extra });
  }
}

/**
 * Turns anything thrown into an ErrorInfo. An AuthError keeps its info; anything else is a bug
 * or an unexpected failure, reported as `internal` without leaking its message (which could hold
 * data we do not control).
 */
export function toErrorInfo(error: unknown, provider?: string): ErrorInfo {
  if (error instanceof AuthError) {
    return provider !== undefined && error.info.provider === undefined ? { ...error.info, provider } : error.info;
  }
  return {
    code: 'internal',
    message: 'Something unexpected went wrong inside The Maestro. Your stored credentials are unchanged.',
    ...(provider !== undefined ? { provider } : {}),
  };
}

export function isAuthError(error: unknown, code?: ErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}
