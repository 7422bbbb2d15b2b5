import type { GatewayPortSource, GatewayStatusView } from '../../src-shared/gateway-view.js';
import { startGateway } from './gateway-server.js';
import type { GatewayHandle, GatewayKeySource, GatewayOptions } from './gateway-types.js';

export type { GatewayStatusView } from '../../src-shared/gateway-view.js';

/** A gateway key that can also be replaced (SealedGatewayKey). */
export interface RotatableGatewayKey extends GatewayKeySource {
  rotate(): string;
}

export interface GatewayControllerOptions extends Omit<GatewayOptions, 'port' | 'key'> {
  readonly key: RotatableGatewayKey;
  /** The chosen port (null or absent: any free port) and where it came from. */
  readonly port?: number | null;
  readonly portSource?: GatewayPortSource;
}

/** The gateway could not listen; the message names the port and says the gateway is off. */
export class GatewayStartError extends Error {
  override readonly name = 'GatewayStartError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * The gateway as a switch (Settings, `the-maestro gateway`): off by default, turned on and off any
 * number of times, one server at most, on the chosen port or any free one. Concurrent switches are
 * applied in order. It also holds the key for the main process (clipboard, `exec --gateway` over
 * the agent's private socket); the key is never part of its status.
 */
export class GatewayController {
  private handle: GatewayHandle | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private port: number | null;
  private portSource: GatewayPortSource;

  constructor(private readonly options: GatewayControllerOptions) {
    this.port = options.port === undefined || options.port === 0 ? null : options.port;
    this.portSource = this.port === null ? 'automatic' : (options.portSource ?? 'automatic');
  }

  status(): GatewayStatusView {
    const handle = this.handle;
    const chosen = { configuredPort: this.port, portSource: this.portSource };
    return handle === null
      ? { enabled: false, port: null, ...chosen, url: null, providers: null }
      : { enabled: true, port: handle.port, ...chosen, url: handle.url, providers: handle.stats() };
  }

  /** Turns the gateway on or off; a failure to listen (port taken) rejects with GatewayStartError and leaves it off. */
  setEnabled(enabled: boolean): Promise<GatewayStatusView> {
    return this.enqueue(async () => {
      if (enabled && this.handle === null) this.handle = await this.listen();
      if (!enabled) await this.stop();
    });
  }

  /**
   * Chooses the port (null: any free port). A running gateway moves to it at once; if the new port
   * is taken, the gateway is off afterwards and the promise rejects naming the port.
   */
  setPort(port: number | null, source: GatewayPortSource): Promise<GatewayStatusView> {
    return this.enqueue(async () => {
      const changed = port !== this.port;
      this.port = port;
      this.portSource = port === null ? 'automatic' : source;
      if (changed && this.handle !== null) {
        await this.stop();
        this.handle = await this.listen();
      }
    });
  }

  /** The gateway key, for the main process only (clipboard, the agent's private socket). */
  key(): string {
    return this.options.key.current();
  }

  /** Replaces the key: clients holding the old one are refused from their next request. */
  rotateKey(): GatewayStatusView {
    this.options.key.rotate();
    return this.status();
  }

  /** Stops the server if it runs. */
  async dispose(): Promise<void> {
    await this.setEnabled(false);
  }

  private enqueue(change: () => Promise<void>): Promise<GatewayStatusView> {
    const next = this.queue.then(async () => {
      await change();
      return this.status();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async listen(): Promise<GatewayHandle> {
    try {
      return await startGateway({ ...this.options, port: this.port ?? 0 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const where = this.port === null ? 'a free port' : `port ${this.port}`;
      throw new GatewayStartError(
        code === 'EADDRINUSE'
          ? `Port ${this.port ?? 0} is already in use by another program, so the gateway is off: choose another port, or leave the port empty for any free one.`
          : code === 'EACCES'
            ? `The gateway may not listen on ${where} (EACCES), so it is off: choose a port from 1024 up.`
            : `The gateway could not listen on ${where} (${code}), so it is off.`,
        code,
      );
    }
  }

  private async stop(): Promise<void> {
    if (this.handle === null) return;
    const closing = this.handle;
    this.handle = null;
    await closing.close();
  }
}
