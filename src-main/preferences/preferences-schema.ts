import * as z from 'zod/mini';
import { passwordStoreField, themeField } from '../../src-shared/ipc-fields.js';
import { gatewayPortSchema } from '../../src-shared/gateway-view-schema.js';
import { DEFAULT_PREFERENCES, type Preferences, type WindowBounds } from './preferences-types.js';

const dimension = z.number().check(z.int(), z.gte(100), z.lte(100_000));
const coordinate = z.number().check(z.int(), z.gte(-100_000), z.lte(100_000));

const windowBoundsSchema = z.object({
  x: z.exactOptional(coordinate),
  y: z.exactOptional(coordinate),
  width: dimension,
  height: dimension,
}) satisfies z.ZodMiniType<WindowBounds>;

/** Each field falls back to its default on its own, so one bad value does not reset the others. */
const fields = {
  theme: themeField,
  closeToTray: z.nullable(z.boolean()),
  allowWeakStorage: z.boolean(),
  shareWithCommandLine: z.boolean(),
  passwordStore: passwordStoreField,
  gatewayPort: z.nullable(gatewayPortSchema),
  windowBounds: z.nullable(windowBoundsSchema),
} as const;

/**
 * Reads preferences from untrusted stored data (a hand-edited file, an older version's store):
 * valid fields are kept, anything else takes its default; unknown fields are dropped.
 */
export function parsePreferences(value: unknown): Preferences {
  const source = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const read = <K extends keyof typeof fields>(key: K): Preferences[K] => {
    const parsed = fields[key].safeParse(Object.hasOwn(source, key) ? source[key] : undefined);
    return (parsed.success ? parsed.data : DEFAULT_PREFERENCES[key]) as Preferences[K];
  };
  return Object.freeze({
    theme: read('theme'),
    closeToTray: read('closeToTray'),
    allowWeakStorage: read('allowWeakStorage'),
    shareWithCommandLine: read('shareWithCommandLine'),
    passwordStore: read('passwordStore'),
    gatewayPort: read('gatewayPort'),
    windowBounds: read('windowBounds'),
  });
}

/** Validates a patch strictly (a bad value is a caller's bug, not stored data to forgive). */
export function parsePreferencesPatch(patch: Partial<Preferences>): Partial<Preferences> {
  return z
    .strictObject({
      theme: z.exactOptional(fields.theme),
      closeToTray: z.exactOptional(fields.closeToTray),
      allowWeakStorage: z.exactOptional(fields.allowWeakStorage),
      shareWithCommandLine: z.exactOptional(fields.shareWithCommandLine),
      passwordStore: z.exactOptional(fields.passwordStore),
      gatewayPort: z.exactOptional(fields.gatewayPort),
      windowBounds: z.exactOptional(fields.windowBounds),
    })
    .parse(patch);
}
