/**
 * Chapter 11: the local gateway in front of the core. One call starts it; any tool then uses
 * `<url>/anthropic`, `<url>/openai/v1` or `<url>/google` as its base URL and the gateway key as
 * its API key, and the gateway injects the active account's real credential per request.
 */
import type { Core } from '../../../../src-main/core/create-core.js';
import { SealedGatewayKey } from '../../../../src-main/gateway/gateway-key.js';
import { startGateway } from '../../../../src-main/gateway/gateway-server.js';
import type { GatewayHandle } from '../../../../src-main/gateway/gateway-types.js';

export interface RunningGateway {
  readonly gateway: GatewayHandle;
  /** What clients send as their API key; sealed in the store like any credential. */
  readonly gatewayKey: string;
}

export async function serveGateway(core: Core): Promise<RunningGateway> {
  const key = new SealedGatewayKey(core.store);
  // port 0: any free port; the handle says which. Loopback only, always.
  const gateway = await startGateway({ credentials: core.auth, key, port: 0 });
  return { gateway, gatewayKey: key.current() };
}

/** A plain HTTP call through the gateway, as curl or an SDK would make it. */
export async function listModelsThrough(running: RunningGateway, account?: string): Promise<Response> {
  return fetch(`${running.gateway.url}/openai/v1/models`, {
    headers: {
      authorization: `Bearer ${running.gatewayKey}`,
      ...(account !== undefined ? { 'x-maestro-account': account } : {}),
    },
  });
}
