import type { GatewayStatusView } from '../../src-shared/gateway-view.js';
import { startGateway } from './gateway-server.js';
import type { GatewayHandle, GatewayOptions } from './gateway-types.js';

export type { GatewayStatusView } from '../../src-shared/gateway-view.js';

/**
 * The gateway as a switch (Settings, `agent --gateway`): off by default, turned on and off any
 * number of times, one server at most. Concurrent switches are applied in order.
 */
export class GatewayController {
  private handle: GatewayHandle | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GatewayOptions) {}

  status(): GatewayStatusView {
    const handle = this.handle;
    return handle === null
      ? { enabled: false, port: null, url: null, providers: null }
      : { enabled: true, port: handle.port, url: handle.url, providers: handle.stats() };
  }

  /** Turns the gateway on or off; a failure to listen (port taken) rejects and leaves it off. */
  setEnabled(enabled: boolean): Promise<GatewayStatusView> {
    const next = this.queue.then(async () => {
      if (enabled && this.handle === null) this.handle = await startGateway(this.options);
      if (!enabled && this.handle !== null) {
        const closing = this.handle;
        this.handle = null;
        await closing.close();
      }
      return this.status();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Stops the server if it runs. */
  async dispose(): Promise<void> {
    await this.setEnabled(false);
  }
}
