import { AuthError } from '../../auth-error.js';

/**
 * Time-boxes a key provider call: an OS keyring that never answers (a known Linux failure)
 * becomes AuthError `encryption_unavailable` after `ms`, instead of hanging the app. The
 * underlying call is not cancelled (keyring APIs offer no way to); its late result is ignored.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(
        AuthError.of(
          'encryption_unavailable',
          `${what} did not answer within ${ms} ms; the system's secret storage may be locked or hanging.`,
          { retryable: true },
        ),
      );
    }, ms);
  });
  // A late rejection of the abandoned call must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
