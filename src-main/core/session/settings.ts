import * as z from 'zod/mini';
import { AUTH_METHODS } from '../../../src-shared/auth-types.js';
import type { CredentialSource } from '../../../src-shared/auth-types.js';
import type { Result } from '../../../src-shared/errors.js';
import { err, ok } from '../../../src-shared/errors.js';
import type { StateStore } from '../store/state-store.js';
import { DerivedCache } from './derived-cache.js';
// A refused order is reported with zod's message: it must be English, as with classic zod.
import '../../zod-english.js';

const SETTINGS_KEY = 'settings';

const fallbackOrderSchema = z.array(z.enum(AUTH_METHODS)).check(
  z.minLength(1),
  z.maxLength(AUTH_METHODS.length),
  z.refine((order) => new Set(order).size === order.length, 'The fallback order must not repeat a method.'),
);

const storedSchema = z.object({ fallbackOrder: z.optional(fallbackOrderSchema) });

/** Settings of the core that a person can change (not secrets). */
export interface CoreSettings {
  readonly fallbackOrder: readonly CredentialSource[];
}

/**
 * Settings a person changes in the window (persisted in the store, shared with the CLI), over
 * the configuration file's values.
 */
export class CoreSettingsStore {
  private readonly cache: DerivedCache;

  constructor(
    private readonly store: StateStore,
    private readonly configuredOrder: readonly CredentialSource[],
  ) {
    this.cache = new DerivedCache(store);
  }

  get(): CoreSettings {
    return this.cache.get(SETTINGS_KEY, () => {
      const parsed = storedSchema.safeParse(this.store.getState(SETTINGS_KEY));
      const order = parsed.success ? parsed.data.fallbackOrder : undefined;
      return { fallbackOrder: order ?? this.configuredOrder };
    });
  }

  update(patch: Partial<CoreSettings>): Result<CoreSettings> {
    if (patch.fallbackOrder !== undefined) {
      const parsed = fallbackOrderSchema.safeParse(patch.fallbackOrder);
      if (!parsed.success) {
        return err({
          code: 'invalid_input',
          message: parsed.error.issues[0]?.message ?? 'The fallback order is not valid.',
        });
      }
      this.store.setState(SETTINGS_KEY, { fallbackOrder: parsed.data });
    }
    return ok(this.get());
  }
}
