import type { ModelInfo } from '../../../src-shared/auth-types.js';

/** A provider's model list as last fetched. */
export interface CachedModels {
  readonly provider: string;
  readonly models: readonly ModelInfo[];
  readonly fetchedAt: number;
}

/** The model lists last fetched per provider (not secret; only a cache). */
export interface ModelCache {
  saveModels(provider: string, models: readonly ModelInfo[], fetchedAt: number): void;
  /** The cached list, or null when there is none or it no longer reads. */
  loadModels(provider: string): CachedModels | null;
}
