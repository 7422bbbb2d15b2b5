import * as z from 'zod/mini';
import type { QuotaProjectView } from '../../../src-shared/quota-project.js';
import { QUOTA_PROJECT_PATTERN } from '../../../src-shared/quota-project.js';
import type { ProviderAuth } from '../providers/provider-auth.js';
import type { StateStore } from '../store/state-store.js';
import { DerivedCache } from './derived-cache.js';

const QUOTA_PROJECTS_KEY = 'quota-projects';

/** Stored data is untrusted: a value that is not a project id is dropped, not sent. */
const storedSchema = z.record(z.string(), z.string().check(z.regex(QUOTA_PROJECT_PATTERN)));

/**
 * Quota projects chosen in the window, per provider (Google), persisted in the store so the
 * command line sends the same `x-goog-user-project` as the app. Not secrets.
 */
export class QuotaProjectStore {
  private readonly cache: DerivedCache;

  constructor(private readonly store: StateStore) {
    this.cache = new DerivedCache(store);
  }

  get(provider: string): string | null {
    return this.all()[provider] ?? null;
  }

  /** Sets the provider's project, or clears it with null (the config file's value applies again). */
  set(provider: string, quotaProject: string | null): void {
    const others = Object.entries(this.all()).filter(([id]) => id !== provider);
    const next = quotaProject === null ? others : [...others, [provider, quotaProject] as const];
    this.store.setState(QUOTA_PROJECTS_KEY, Object.fromEntries(next));
  }

  private all(): Readonly<Record<string, string>> {
    return this.cache.get(QUOTA_PROJECTS_KEY, () => {
      const parsed = storedSchema.safeParse(this.store.getState(QUOTA_PROJECTS_KEY));
      return parsed.success ? parsed.data : {};
    });
  }
}

/** The quota project in use for `auth` and where it comes from; `chosen` is the window's value, if any. */
export function quotaProjectView(auth: ProviderAuth, chosen: string | null): QuotaProjectView {
  const { config } = auth;
  const source =
    config.quotaProjectSource === 'env' ? 'env' : chosen !== null ? 'window' : (config.quotaProjectSource ?? null);
  return {
    provider: auth.id,
    quotaProject: config.requestSettings?.quotaProject ?? null,
    source,
    envVar: auth.definition.quotaProject?.env ?? '',
  };
}
