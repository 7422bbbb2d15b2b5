import { GATEWAY_OFF, type GatewayPortSource, type GatewayStatusView } from '../../src-shared/gateway-view.js';
import type { AgentGatewayAnswer } from '../agent/agent-gateway.js';

/** Where the port came from, in words. */
function portOrigin(source: GatewayPortSource): string {
  switch (source) {
    case 'automatic':
      return 'any free port';
    case 'settings':
      return 'chosen in Settings';
    case 'command_line':
      return 'from --port';
    case 'environment':
      return 'from THE_MAESTRO_GATEWAY_PORT';
  }
}

/** `status`'s gateway line: on or off, the address, and where the port came from. */
export function formatGatewayLine(answer: AgentGatewayAnswer | null): string {
  if (answer === null) return 'Gateway: off (no agent is running: open The Maestro, or run `the-maestro gateway`)';
  const view = answer.gateway;
  if (view.enabled && view.url !== null)
    return `Gateway: on at ${view.url} (port ${view.port ?? '?'}, ${portOrigin(view.portSource)})`;
  const port = view.configuredPort !== null ? `; port ${view.configuredPort} ${portOrigin(view.portSource)}` : '';
  return `Gateway: off (turn it on in The Maestro's Settings, or run \`the-maestro gateway\`${port})`;
}

/** `status --json`'s gateway field: the view (off when no agent answered), never the key. */
export function gatewayJson(answer: AgentGatewayAnswer | null): GatewayStatusView {
  return answer?.gateway ?? GATEWAY_OFF;
}
