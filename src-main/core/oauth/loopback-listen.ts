import type { Server } from 'node:http';
import { AuthError } from '../auth-error.js';

/**
 * Binding the loopback receiver. A redirect registered as `localhost` may be resolved by the
 * browser to 127.0.0.1 or to ::1, so the receiver must hold the port on both: otherwise another
 * local program listening on `[::1]:<port>` receives the authorization code and state.
 */

type BindOutcome = { readonly kind: 'bound'; readonly port: number } | { readonly kind: 'taken' | 'no_address' };

/** Listens on one address; `taken` when someone else holds it, `no_address` when the machine has no such address (no IPv6). */
function bind(server: Server, host: string, port: number): Promise<BindOutcome> {
  return new Promise<BindOutcome>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve({ kind: 'taken' });
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') resolve({ kind: 'no_address' });
      else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      if (typeof address === 'object' && address !== null) resolve({ kind: 'bound', port: address.port });
      else reject(new Error('the loopback receiver has no port'));
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // ipv6Only: [::1] must not also claim 127.0.0.1 (it cannot, but be explicit about what is held).
    server.listen({ port, host, exclusive: true, ...(host === '::1' ? { ipv6Only: true } : {}) });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

function hijackRisk(port: number): AuthError {
  return AuthError.of(
    'network_error',
    `Another program is listening on [::1]:${String(port)}, where the browser may deliver the sign-in code for localhost:${String(port)}. ` +
      'The Maestro does not start the sign-in while it does: close that program, or paste the code instead.',
    { retryable: true },
  );
}

/** How many fresh ports to try when the port is chosen by the system and its ::1 twin happens to be taken. */
const ANY_PORT_ATTEMPTS = 5;

/**
 * Binds `ipv4` on the first free port of `ports` and, when `ipv6` is given (a `localhost`
 * registration), the same port on ::1 too. A fixed port whose ::1 side someone else holds refuses
 * the flow; with port 0 another free port is tried. Rejects when every port is taken.
 */
export async function listenOnLoopback(ipv4: Server, ipv6: Server | null, ports: readonly number[]): Promise<number> {
  for (const port of ports) {
    for (let attempt = 0; attempt < (port === 0 ? ANY_PORT_ATTEMPTS : 1); attempt += 1) {
      const first = await bind(ipv4, '127.0.0.1', port);
      if (first.kind !== 'bound') break;
      if (ipv6 === null) return first.port;
      const second = await bind(ipv6, '::1', first.port);
      if (second.kind !== 'taken') return first.port;
      await closeServer(ipv4);
      if (port !== 0) throw hijackRisk(first.port);
    }
  }
  throw AuthError.of(
    'network_error',
    `The sign-in callback could not listen on 127.0.0.1 (ports ${ports.join(', ')} are in use). Close the program using them, or paste the code instead.`,
    { retryable: true },
  );
}
