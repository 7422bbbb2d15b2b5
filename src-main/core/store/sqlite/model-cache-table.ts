import type Database from 'better-sqlite3';
import * as z from 'zod/mini';
import type { ModelInfo } from '../../../../src-shared/auth-types.js';
import type { Logger } from '../../../log/logger.js';
import type { CachedModels } from '../model-cache.js';
import { StatementCache } from './statement-cache.js';
import { parseStoredJson } from './stored-json.js';

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

/** The `model_cache` table: each provider's model list as last fetched, JSON. */
export class ModelCacheTable {
  private readonly statements: StatementCache;

  constructor(
    db: Database.Database,
    private readonly logger: Logger,
  ) {
    this.statements = new StatementCache(db);
  }

  save(provider: string, models: readonly ModelInfo[], fetchedAt: number): void {
    this.statements
      .get(
        'INSERT INTO model_cache (provider, models, fetched_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (provider) DO UPDATE SET models = excluded.models, fetched_at = excluded.fetched_at',
      )
      .run(provider, JSON.stringify(models), fetchedAt);
  }

  /** The cached list; a cache entry that no longer parses is dropped (it is only a cache). */
  load(provider: string): CachedModels | null {
    const row = this.statements
      .get<[string], { models: string; fetched_at: number }>(
        'SELECT models, fetched_at FROM model_cache WHERE provider = ?',
      )
      .get(provider);
    if (row === undefined) return null;
    const parsed = z.array(modelInfoSchema).safeParse(parseStoredJson(row.models));
    if (!parsed.success) {
      this.logger.warn('dropping unreadable model cache entry', { provider });
      this.statements.get('DELETE FROM model_cache WHERE provider = ?').run(provider);
      return null;
    }
    return { provider, models: parsed.data.map(toModelInfo), fetchedAt: row.fetched_at };
  }
}
