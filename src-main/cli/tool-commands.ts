import type { Command } from './args.js';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import { EXIT } from './exit-codes.js';
import { formatModels, formatStatus } from './format.js';
import { formatGatewayLine, gatewayJson } from './gateway-status.js';
import { fail, report } from './report.js';
import { runTokenCommand } from './token-command.js';
import type { ToolBackend } from './tool-backend.js';

/** The commands a running agent can answer (exec has its own file: it starts a process). */
export type ToolCommand = Extract<Command, { name: 'status' | 'models' | 'use' | 'token' }>;

export function isToolCommand(command: Command): command is ToolCommand {
  return command.name === 'status' || command.name === 'models' || command.name === 'use' || command.name === 'token';
}

/** Runs status, models, use or token against the agent or the core; secrets are printed by `token` only. */
export async function runToolCommand(
  backend: ToolBackend,
  command: ToolCommand,
  io: Pick<CliIo, 'stdout' | 'stderr' | 'now'>,
): Promise<ExitCode> {
  switch (command.name) {
    case 'status': {
      const status = await backend.status();
      const gateway = await backend.gateway(false);
      io.stdout(
        command.json
          ? `${JSON.stringify({ ...status, gateway: gatewayJson(gateway) }, null, 2)}\n`
          : `${formatStatus(status, io.now())}${formatGatewayLine(gateway)}\n`,
      );
      return EXIT.ok;
    }
    case 'models':
      return report(
        await backend.listModels({ provider: command.provider, refresh: command.refresh }),
        command.json,
        io,
        formatModels,
      );
    case 'use': {
      const result = await backend.use({
        provider: command.provider,
        ...(command.account !== undefined ? { account: command.account } : {}),
        ...(command.model !== undefined ? { model: command.model } : {}),
      });
      if (!result.ok) return fail(result.error, command.json, io);
      const view = result.value.providers.find((item) => item.id === command.provider);
      return report({ ok: true, value: view }, command.json, io, () => {
        const account = view?.account !== null && view?.account !== undefined ? `, account "${view.account}"` : '';
        const model =
          view?.selectedModel !== null && view?.selectedModel !== undefined ? `, model ${view.selectedModel}` : '';
        return `Active provider: ${command.provider}${account}${model}.\n`;
      });
    }
    case 'token':
      return runTokenCommand(backend, command, io);
  }
}
