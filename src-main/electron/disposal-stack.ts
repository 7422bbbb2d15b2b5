import type { Logger } from '../log/logger.js';

/** Something to undo at quit: closes a store, removes a listener, destroys the tray. */
export type AsyncDisposer = () => void | Promise<void>;

/**
 * Collects disposers as the app starts and runs them in reverse order at quit, so what was built
 * last (windows, IPC handlers) goes first and the core (the store) closes last. Each disposer
 * runs once; one that fails is logged and the rest still run.
 */
export class DisposalStack {
  private readonly entries: { readonly name: string; readonly dispose: AsyncDisposer }[] = [];
  private disposing: Promise<void> | null = null;

  constructor(private readonly logger: Logger) {}

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
    try {
      await dispose();
    } catch (error) {
      this.logger.error('disposing failed', { name, error });
    }
  }
}
