import { anthropicDefinition } from './anthropic.js';
import { googleDefinition } from './google.js';
import { openaiDefinition } from './openai.js';
import type { ProviderDefinition } from './definition.js';

/**
 * Every provider The Maestro knows, in display order. An explicit list: no registration by
 * import side effect. Adding a provider is one new file and one line here.
 */
export const PROVIDER_DEFINITIONS = [anthropicDefinition, googleDefinition, openaiDefinition] as const;

export type ProviderId = (typeof PROVIDER_DEFINITIONS)[number]['id'];

/**
 * The provider definitions a core is built from (the built-in list unless a test or the tutorial
 * passes another). Finding a composed provider by id is ProviderAuthRegistry's job.
 */
export class ProviderRegistry {
  private readonly known: ReadonlySet<string>;

  constructor(readonly definitions: readonly ProviderDefinition[] = PROVIDER_DEFINITIONS) {
    const known = new Set<string>();
    for (const definition of definitions) {
      if (known.has(definition.id)) throw new Error(`Duplicate provider id in registry: ${definition.id}`);
      known.add(definition.id);
    }
    this.known = known;
  }

  get ids(): readonly string[] {
    return this.definitions.map((definition) => definition.id);
  }

  has(id: string): boolean {
    return this.known.has(id);
  }
}
