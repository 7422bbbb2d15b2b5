export { startGateway } from './gateway-server.js';
export { SealedGatewayKey, GATEWAY_KEY_PROVIDER, newGatewayKey } from './gateway-key.js';
export type {
  GatewayCredentials,
  GatewayHandle,
  GatewayKeySource,
  GatewayOptions,
  GatewayProviderStats,
} from './gateway-types.js';
export { isChatGptPlanCredential, GATEWAY_PROVIDERS } from './gateway-types.js';
export {
  GatewayController,
  GatewayStartError,
  type GatewayStatusView,
  type RotatableGatewayKey,
} from './gateway-controller.js';
