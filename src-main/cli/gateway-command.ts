import { GATEWAY_PORT_MAX, GATEWAY_PORT_MIN, type GatewayPortSource } from '../../src-shared/gateway-view.js';
import { AgentStartError, startAgent, type RunningAgent } from '../agent/agent-server.js';
import type { Core } from '../core/create-core.js';
import { GatewayController, GatewayStartError } from '../gateway/gateway-controller.js';
import { SealedGatewayKey } from '../gateway/gateway-key.js';
import { GATEWAY_PROVIDERS } from '../gateway/gateway-types.js';
import type { Logger } from '../log/logger.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export type { GatewayCommand } from './gateway-args.js';
export { parsePort } from './gateway-args.js';
import type { GatewayCommand } from './gateway-args.js';

/** The environment variable that chooses the port when --port is not given. */
export const GATEWAY_PORT_ENV = 'THE_MAESTRO_GATEWAY_PORT';

function describe(url: string, key: string | null): string {
  const lines = [`The Maestro gateway is listening on ${url} (loopback only). Stop it with Ctrl-C.`, ''];
  for (const provider of GATEWAY_PROVIDERS) lines.push(`  ${provider.padEnd(10)} ${url}/${provider}`);
  lines.push('');
  lines.push(
    key === null
      ? 'Clients send the gateway key as their API key (`the-maestro gateway --show-key` prints it; `the-maestro exec --gateway -- <command>` passes it).'
      : `Gateway key (send it as the API key; shown now only): ${key}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The port and its origin: --port, else THE_MAESTRO_GATEWAY_PORT (1024–65535), else any free port. */
export function chosenPort(
  command: GatewayCommand,
  env: NodeJS.ProcessEnv,
): { readonly port: number; readonly source: GatewayPortSource } | { readonly error: string } {
  if (command.portFromFlag) return { port: command.port, source: 'command_line' };
  const text = env[GATEWAY_PORT_ENV];
  if (text === undefined || text === '') return { port: 0, source: 'automatic' };
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < GATEWAY_PORT_MIN || port > GATEWAY_PORT_MAX)
    return { error: `${GATEWAY_PORT_ENV} must be a whole number from ${GATEWAY_PORT_MIN} to ${GATEWAY_PORT_MAX}.` };
  return { port, source: 'environment' };
}

/**
 * Serves the agent's socket beside the gateway, so `exec --gateway` and `status` find it. When
 * another agent already serves the directory (the app), the gateway runs on without one, said once.
 */
async function agentBeside(
  core: Core,
  gateway: GatewayController,
  dataDir: string,
  io: { stderr(text: string): void },
): Promise<RunningAgent | null> {
  try {
    return await startAgent({ dataDir, auth: core.auth, gateway });
  } catch (error) {
    if (!(error instanceof AgentStartError)) throw error;
    io.stderr(
      `the-maestro: this gateway serves no agent socket (${error.message}), so \`exec --gateway\` and \`status\` do not see it.\n`,
    );
    return null;
  }
}

/**
 * Starts the gateway over the core's credentials, with an agent socket beside it when `dataDir` is
 * given, and waits for `stop`; the key is printed only when new, rotated or asked for.
 */
export async function runGatewayCommand(
  core: Core,
  command: GatewayCommand,
  io: { stdout(text: string): void; stderr(text: string): void },
  logger: Logger,
  stop: Promise<void>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly dataDir?: string } = {},
): Promise<ExitCode> {
  const chosen = chosenPort(command, options.env ?? {});
  if ('error' in chosen) {
    io.stderr(`the-maestro: ${chosen.error}\n`);
    return EXIT.usage;
  }
  const key = new SealedGatewayKey(core.store);
  const isNew = !key.exists();
  const current = command.rotateKey ? key.rotate() : key.current();
  const shown = isNew || command.rotateKey || command.showKey ? current : null;
  const gateway = new GatewayController({
    credentials: core.auth,
    key,
    port: chosen.port,
    portSource: chosen.source,
    logger,
  });
  try {
    const view = await gateway.setEnabled(true);
    const url = view.url ?? '';
    const agent = options.dataDir === undefined ? null : await agentBeside(core, gateway, options.dataDir, io);
    try {
      io.stdout(
        command.json
          ? `${JSON.stringify({ url, port: view.port, ...(shown !== null ? { key: shown } : {}) })}\n`
          : describe(url, shown),
      );
      await stop;
      return EXIT.ok;
    } finally {
      await agent?.close();
    }
  } catch (error) {
    if (!(error instanceof GatewayStartError)) throw error;
    io.stderr(`the-maestro: ${error.message}\n`);
    return EXIT.failure;
  } finally {
    await gateway.dispose();
  }
}
