/**
 * The local authorization server (test/fakes/oauth-server.ts, npm oidc-provider) in its own
 * process, as a real one would be: its CPU time runs beside the core's instead of inside the
 * same event loop, so the refresh and callback benchmarks measure the app, not the server
 * competing with it. Talks to its parent over the IPC channel:
 *   → { type: 'ready', issuer }   ← { type: 'counters' } → { type: 'counters', tokenRequests, byGrant }
 *   ← { type: 'reset' } → { type: 'reset' }   ← { type: 'close' } (exits)
 */
import { startOidcServer } from '../../test/fakes/oauth-server.js';

type Request = { readonly type: 'counters' | 'reset' | 'close' };

const server = await startOidcServer({ accessTokenTtlSeconds: 3600 });
const send = (message: unknown): void => {
  process.send?.(message);
};
process.on('message', (message: Request) => {
  switch (message.type) {
    case 'counters':
      send({ type: 'counters', tokenRequests: server.counters.tokenRequests, byGrant: server.counters.byGrant });
      return;
    case 'reset':
      server.resetCounters();
      send({ type: 'reset' });
      return;
    case 'close':
      void server.close().then(() => process.exit(0));
      return;
  }
});
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', issuer: server.issuer });
