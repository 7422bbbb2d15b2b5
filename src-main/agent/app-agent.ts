import type { Logger } from '../log/logger.js';
import type { AgentAuth } from './agent-handler.js';
import { AgentStartError, startAgent } from './agent-server.js';

/**
 * Starts the agent inside the app, over the app's core (its data key opened by the OS keychain):
 * from then on the command line and every hook get the app's credentials through it, with no
 * key-file wrapping. When it cannot start (another agent — `the-maestro agent` — already serves
 * the directory, or the directory is not private) the app runs on without it and logs why.
 * Returns how to stop it, or null.
 */
export async function startAppAgent(input: {
  readonly dataDir: string;
  readonly auth: AgentAuth;
  readonly logger: Logger;
}): Promise<(() => Promise<void>) | null> {
  try {
    const agent = await startAgent({
      dataDir: input.dataDir,
      auth: input.auth,
      log: (line) => input.logger.info(line),
    });
    return () => agent.close();
  } catch (error) {
    if (!(error instanceof AgentStartError)) throw error;
    input.logger.warn('the command-line agent did not start', { error });
    return null;
  }
}
