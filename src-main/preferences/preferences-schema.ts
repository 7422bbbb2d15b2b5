import { z } from 'zod';
import { themeField } from '../../src-shared/ipc-fields.js';
import { DEFAULT_PREFERENCES, type Preferences, type WindowBounds } from './preferences-types.js';

const dimension = z.number().int().min(100).max(100_000);
const coordinate = z.number().int().min(-100_000).max(100_000);

const windowBoundsSchema = z.object({
  x: coordinate.exactOptional(),
  y: coordinate.exactOptional(),
  width: dimension,
  height: dimension,
}) satisfies z.ZodType<WindowBounds>;

/** Each field falls back to its default on its own, so one bad value does not reset the others. */
const fields = {
  theme: themeField,
  closeToTray: z.boolean(),
  allowWeakStorage: z.boolean(),
  shareWithCommandLine: z.boolean(),
  windowBounds: windowBoundsSchema.nullable(),
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
    windowBounds: read('windowBounds'),
  });
}

/** Validates a patch strictly (a bad value is a caller's bug, not stored data to forgive). */
export function parsePreferencesPatch(patch: Partial<Preferences>): Partial<Preferences> {
  return z.strictObject({
    theme: fields.theme.exactOptional(),
    closeToTray: fields.closeToTray.exactOptional(),
    allowWeakStorage: fields.allowWeakStorage.exactOptional(),
    shareWithCommandLine: fields.shareWithCommandLine.exactOptional(),
    windowBounds: fields.windowBounds.exactOptional(),
  }).parse(patch);
}
