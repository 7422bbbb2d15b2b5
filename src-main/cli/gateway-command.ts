import type { Core } from '../core/create-core.js';
import { SealedGatewayKey } from '../gateway/gateway-key.js';
import { startGateway } from '../gateway/gateway-server.js';
import { GATEWAY_PROVIDERS } from '../gateway/gateway-types.js';
import type { Logger } from '../log/logger.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export type { GatewayCommand } from './gateway-args.js';
export { parsePort } from './gateway-args.js';
import type { GatewayCommand } from './gateway-args.js';

function describe(url: string, key: string | null): string {
  const lines = [`The Maestro gateway is listening on ${url} (loopback only). Stop it with Ctrl-C.`, ''];
  for (const provider of GATEWAY_PROVIDERS) lines.push(`  ${provider.padEnd(10)} ${url}/${provider}`);
  lines.push('');
  lines.push(
    key === null
      ? 'Clients send the gateway key as their API key (`the-maestro gateway --show-key` prints it).'
      : `Gateway key (send it as the API key; shown now only): ${key}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Starts the gateway over the core's credentials and waits for `stop`; the key is printed only when new, rotated or asked for. */
export async function runGatewayCommand(
  core: Core,
  command: GatewayCommand,
  io: { stdout(text: string): void },
  logger: Logger,
  stop: Promise<void>,
): Promise<ExitCode> {
  const key = new SealedGatewayKey(core.store);
  const isNew = !key.exists();
  const current = command.rotateKey ? key.rotate() : key.current();
  const shown = isNew || command.rotateKey || command.showKey ? current : null;
  const gateway = await startGateway({ credentials: core.auth, key, port: command.port, logger });
  try {
    io.stdout(
      command.json
        ? `${JSON.stringify({ url: gateway.url, port: gateway.port, ...(shown !== null ? { key: shown } : {}) })}\n`
        : describe(gateway.url, shown),
    );
    await stop;
    return EXIT.ok;
  } finally {
    await gateway.close();
  }
}
