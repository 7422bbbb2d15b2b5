import { GATEWAY_OFF, type GatewayStatusView } from '../../src-shared/gateway-view.js';

/** What the agent needs of the gateway it serves beside (GatewayController fits). */
export interface AgentGateway {
  status(): GatewayStatusView;
  key(): string;
}

/**
 * The agent's answer to `gateway`: the switch's status, and the key only when asked for and the
 * gateway is on (`exec --gateway` hands it to the child as its "API key"; `status` never asks).
 */
export interface AgentGatewayAnswer {
  readonly gateway: GatewayStatusView;
  readonly key: string | null;
}

/** An agent that serves no gateway (`the-maestro agent`) answers that it is off. */
export function gatewayAnswer(gateway: AgentGateway | undefined, withKey: boolean): AgentGatewayAnswer {
  if (gateway === undefined) return { gateway: GATEWAY_OFF, key: null };
  const status = gateway.status();
  return { gateway: status, key: withKey && status.enabled ? gateway.key() : null };
}
