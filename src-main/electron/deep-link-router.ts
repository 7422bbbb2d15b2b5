import type { Logger } from '../log/logger.js';
import type { Disposer } from '../core/auth-service.js';

/** Receives a deep link once the core can complete it (e.g. `auth.handleDeepLink`). */
export type DeepLinkHandler = (url: string) => unknown;

/** How many links are kept while the core is starting; a flood beyond this drops the oldest. */
export const MAX_QUEUED_DEEP_LINKS = 16;

/**
 * Routes deep links from the OS to the core. macOS delivers the launch URL by `open-url` before
 * `ready`, and a second instance can hand one over while the core is still opening its store:
 * links that arrive before a handler is attached are queued, in order, and delivered on attach.
 */
export class DeepLinkRouter {
  private readonly queue: string[] = [];
  private handler: DeepLinkHandler | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly maxQueued = MAX_QUEUED_DEEP_LINKS,
  ) {}

  /** Hands a link to the core now, or queues it until the core is ready. */
  deliver(url: string): void {
    if (this.handler !== null) {
      this.invoke(this.handler, url);
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.logger.warn('deep link queue full; dropped the oldest link');
    }
    this.queue.push(url);
  }

  /** Links waiting for the core. */
  get pending(): number {
    return this.queue.length;
  }

  /** Attaches the core's handler and drains the queue into it; the disposer detaches it again. */
  attach(handler: DeepLinkHandler): Disposer {
    this.handler = handler;
    for (const url of this.queue.splice(0)) this.invoke(handler, url);
    return () => {
      if (this.handler === handler) this.handler = null;
    };
  }

  private invoke(handler: DeepLinkHandler, url: string): void {
    // A bad link is the sender's problem, never a crash of the main process.
    Promise.resolve()
      .then(() => handler(url))
      .catch((error: unknown) => this.logger.warn('deep link handler failed', { error }));
  }
}
