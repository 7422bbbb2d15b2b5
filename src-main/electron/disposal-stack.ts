import type { Logger } from '../log/logger.js';

/** Something to undo at quit: closes a store, removes a listener, destroys the tray. */
export type AsyncDisposer = () => void | Promise<void>;

/** How long one disposer may take at quit before the next one runs anyway. */
export const DISPOSER_TIMEOUT_MS = 3_000;

/**
 * Collects disposers as the app starts and runs them in reverse order at quit, so what was built
 * last (windows, IPC handlers) goes first and the core (the store) closes last. Each disposer
 * runs once; one that fails is logged and the rest still run; one that hangs is given up on after
 * its time box (logged), so one stuck listener never keeps the app from quitting.
 */
export class DisposalStack {
  private readonly entries: { readonly name: string; readonly dispose: AsyncDisposer }[] = [];
  private disposing: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = DISPOSER_TIMEOUT_MS,
  ) {}

  add(name: string, dispose: AsyncDisposer): void {
    if (this.disposing !== null) {
      // Built while quitting (a late callback): undo it straight away.
      void this.runOne(name, dispose);
      return;
    }
    this.entries.push({ name, dispose });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every disposer once, last added first; later calls return the same promise. */
  disposeAll(): Promise<void> {
    this.disposing ??= (async () => {
      for (const entry of this.entries.splice(0).reverse()) await this.runOne(entry.name, entry.dispose);
    })();
    return this.disposing;
  }

  private async runOne(name: string, dispose: AsyncDisposer): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      timer = setTimeout(() => resolve('timed out'), this.timeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(dispose), timedOut]);
      if (outcome === 'timed out') this.logger.error('disposing timed out; quitting anyway', { name });
    } catch (error) {
      this.logger.error('disposing failed', { name, error });
    } finally {
      clearTimeout(timer);
    }
  }
}
