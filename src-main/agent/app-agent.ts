import type { Logger } from '../log/logger.js';
import type { AgentGateway } from './agent-gateway.js';
import type { AgentAuth } from './agent-handler.js';
import { AgentStartError, startAgent } from './agent-server.js';
import type { StorageNoticeSource } from './storage-notice-forwarder.js';

/**
 * Starts the agent inside the app, over the app's core (its data key opened by the OS keychain):
 * from then on the command line and every hook get the app's credentials through it, with no
 * key-file wrapping. When it cannot start (another agent — `the-maestro agent` — already serves
 * the directory, or the directory is not private) the app runs on without it and logs why.
 * Never throws; returns how to stop it, or null.
 */
export async function startAppAgent(input: {
  readonly dataDir: string;
  readonly auth: AgentAuth;
  /** The app's credential store (absent when credentials are kept in memory only). */
  readonly notices?: StorageNoticeSource;
  readonly logger: Logger;
  /** The app's gateway switch: `status` shows it and `exec --gateway` asks it for the address and key. */
  readonly gateway?: AgentGateway;
}): Promise<(() => Promise<void>) | null> {
  try {
    const agent = await startAgent({
      dataDir: input.dataDir,
      auth: input.auth,
      ...(input.gateway !== undefined ? { gateway: input.gateway } : {}),
      ...(input.notices !== undefined ? { notices: input.notices } : {}),
      log: (line) => input.logger.info(line),
    });
    return () => agent.close();
  } catch (error) {
    // The app works without its agent: whatever went wrong is logged, never thrown.
    input.logger.warn(
      error instanceof AgentStartError ? 'the command-line agent did not start' : 'the command-line agent failed',
      { error },
    );
    return null;
  }
}
