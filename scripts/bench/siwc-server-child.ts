/**
 * The Sign-in-with-ChatGPT fake (test/fakes/openai-siwc.ts) in its own process, like the OIDC
 * server of oidc-server-child.ts: its RSA signing and HTTP handling run beside the core, not in the
 * event loop being measured. Over the IPC channel:
 *   → { type: 'ready', issuer }   ← { type: 'counters' } → { type: 'counters', tokenRequests }
 *   ← { type: 'reset' } → { type: 'reset' }   ← { type: 'close' } (exits)
 */
import { startSiwcFake } from '../../test/fakes/openai-siwc.js';

type Request = { readonly type: 'counters' | 'reset' | 'close' };

const fake = await startSiwcFake();
const send = (message: unknown): void => {
  process.send?.(message);
};
process.on('message', (message: Request) => {
  switch (message.type) {
    case 'counters':
      send({ type: 'counters', tokenRequests: fake.counters.tokenRequests });
      return;
    case 'reset':
      fake.reset();
      send({ type: 'reset' });
      return;
    case 'close':
      void fake.close().then(() => process.exit(0));
      return;
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', issuer: fake.issuer });
