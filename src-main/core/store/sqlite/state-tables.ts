import type Database from 'better-sqlite3';
import * as z from 'zod/mini';
import type { ModelInfo } from '../../../../src-shared/auth-types.js';
import type { Logger } from '../../../log/logger.js';
import type { CachedModels } from '../credential-store.js';
import { StatementCache } from './statement-cache.js';

const modelInfoSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  contextWindow: z.optional(z.number()),
  outputTokenLimit: z.optional(z.number()),
  createdAt: z.optional(z.string()),
  description: z.optional(z.string()),
});

function toModelInfo(model: z.infer<typeof modelInfoSchema>): ModelInfo {
  const { contextWindow, outputTokenLimit, createdAt, description, ...rest } = model;
  return {
    ...rest,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(outputTokenLimit !== undefined ? { outputTokenLimit } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** Non-secret tables: the model list cache and key/value app state, both JSON. */
export class StateTables {
  private readonly statements: StatementCache;

  constructor(
    db: Database.Database,
    private readonly logger: Logger,
  ) {
    this.statements = new StatementCache(db);
  }

  saveModels(provider: string, models: readonly ModelInfo[], fetchedAt: number): void {
    this.statements
      .get(
        'INSERT INTO model_cache (provider, models, fetched_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (provider) DO UPDATE SET models = excluded.models, fetched_at = excluded.fetched_at',
      )
      .run(provider, JSON.stringify(models), fetchedAt);
  }

  /** The cached list; a cache entry that no longer parses is dropped (it is only a cache). */
  loadModels(provider: string): CachedModels | null {
    const row = this.statements
      .get<[string], { models: string; fetched_at: number }>('SELECT models, fetched_at FROM model_cache WHERE provider = ?')
      .get(provider);
    if (row === undefined) return null;
    const parsed = z.array(modelInfoSchema).safeParse(safeJson(row.models));
    if (!parsed.success) {
      this.logger.warn('dropping unreadable model cache entry', { provider });
      this.statements.get('DELETE FROM model_cache WHERE provider = ?').run(provider);
      return null;
    }
    return { provider, models: parsed.data.map(toModelInfo), fetchedAt: row.fetched_at };
  }

  /** The value as stored; callers that need certainty validate it (this table is not a trust boundary). */
  getState<T>(key: string): T | null {
    const value = this.statements.get<[string], string>('SELECT value FROM app_state WHERE key = ?').pluck().get(key);
    if (value === undefined) return null;
    const json = safeJson(value);
    return json === undefined ? null : (json as T);
  }

  /** Stores `value` as JSON; `null` or `undefined` removes the key. */
  setState(key: string, value: unknown): void {
    const json = value === undefined || value === null ? undefined : JSON.stringify(value);
    if (json === undefined) {
      this.statements.get('DELETE FROM app_state WHERE key = ?').run(key);
      return;
    }
    this.statements
      .get('INSERT INTO app_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, json);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not a secret and not ours to repair: treat as absent.
    return undefined;
  }
}
