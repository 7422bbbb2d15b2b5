import type { IncomingMessage } from 'node:http';
import type { GatewayError } from './gateway-errors.js';

export type BodyOutcome =
  { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly error: GatewayError };

/**
 * Reads the whole request body (it is sent again on the one retry after a 401), refusing it as
 * soon as it passes `maxBytes` and when the client goes quiet for `idleMs`.
 */
export function readBody(request: IncomingMessage, maxBytes: number, idleMs: number): Promise<BodyOutcome> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > maxBytes) return Promise.resolve({ ok: false, error: tooLarge(maxBytes) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyOutcome): void => {
      clearTimeout(timer);
      request.removeAllListeners('data');
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, error: { kind: 'body_timeout', message: `the request body stalled for ${idleMs} ms.` } });
    }, idleMs);
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ ok: false, error: tooLarge(maxBytes) });
        return;
      }
      chunks.push(chunk);
      timer.refresh();
    });
    request.once('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    request.once('error', () =>
      finish({ ok: false, error: { kind: 'body_timeout', message: 'the request body ended early.' } }),
    );
  });
}

function tooLarge(maxBytes: number): GatewayError {
  return {
    kind: 'body_too_large',
    message: `the request body is larger than the gateway's limit of ${maxBytes} bytes.`,
  };
}
