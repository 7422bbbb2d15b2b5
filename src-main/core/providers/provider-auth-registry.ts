import type { Result } from '../../../src-shared/errors.js';
import { err, ok } from '../../../src-shared/errors.js';
import type { ProviderAuth } from './provider-auth.js';

/**
 * The providers as composed for this run (definition + resolved configuration + the shared OAuth
 * machinery), in display order: the core's one way to find a provider by id. The coordinator, and
 * through it every front end, looks providers up here; the OAuth machinery is reached only through
 * the ProviderAuth that owns a sign-in.
 */
export class ProviderAuthRegistry {
  private readonly byId: ReadonlyMap<string, ProviderAuth>;

  constructor(readonly all: readonly ProviderAuth[]) {
    const map = new Map<string, ProviderAuth>();
    for (const provider of all) {
      if (map.has(provider.id)) throw new Error(`Duplicate provider id in registry: ${provider.id}`);
      map.set(provider.id, provider);
    }
    this.byId = map;
  }

  get ids(): readonly string[] {
    return this.all.map((provider) => provider.id);
  }

  get(id: string): ProviderAuth | undefined {
    return this.byId.get(id);
  }

  /** The provider, or the `unknown_provider` error that lists the known ones. */
  lookup(id: string): Result<ProviderAuth> {
    const provider = this.byId.get(id);
    if (provider !== undefined) return ok(provider);
    return err({
      code: 'unknown_provider',
      message: `Unknown provider "${id.slice(0, 64)}". Known providers: ${this.ids.join(', ')}.`,
    });
  }

  /** The provider whose sign-in this is (pending, or finished a moment ago). */
  signInOwner(flowId: string): ProviderAuth | undefined {
    return this.all.find((provider) => provider.hasSignIn(flowId));
  }
}
