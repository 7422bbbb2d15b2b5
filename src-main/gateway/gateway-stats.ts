import { GATEWAY_PROVIDERS, type GatewayProvider, type GatewayProviderStats } from './gateway-types.js';

/** Per-provider request counters and the last error, for the window and `status`. */
export class GatewayStats {
  private readonly byProvider = new Map<GatewayProvider, GatewayProviderStats>(
    GATEWAY_PROVIDERS.map((provider) => [provider, { requests: 0, lastError: null }]),
  );

  constructor(private readonly now: () => number) {}

  record(provider: GatewayProvider, status: number, error: string | null): void {
    const previous = this.byProvider.get(provider) ?? { requests: 0, lastError: null };
    const failed = status >= 400 || error !== null;
    this.byProvider.set(provider, {
      requests: previous.requests + 1,
      lastError: failed ? { status, message: error ?? `HTTP ${status}`, at: this.now() } : previous.lastError,
    });
  }

  snapshot(): Record<GatewayProvider, GatewayProviderStats> {
    const empty: GatewayProviderStats = { requests: 0, lastError: null };
    return {
      anthropic: this.byProvider.get('anthropic') ?? empty,
      openai: this.byProvider.get('openai') ?? empty,
      google: this.byProvider.get('google') ?? empty,
    };
  }
}
