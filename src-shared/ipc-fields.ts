/**
 * Zod schemas for the fields a renderer may send over IPC: bounded, patterned, trimmed where a
 * paste adds whitespace. The contract's inputs are strict objects built from these.
 */
import * as z from 'zod/mini';
import { ACCOUNT_LABEL_PATTERN, AUTH_METHODS, PROVIDER_ID_PATTERN, STORED_AUTH_METHODS } from './auth-types.js';
import { PASSWORD_STORE_CHOICES, type PasswordStoreChoice } from './password-store.js';

/** A provider id as the registry spells it (`anthropic`); the registry decides whether it exists. */
export const providerIdField = z
  .string()
  .check(z.maxLength(32), z.regex(PROVIDER_ID_PATTERN, 'must be a provider id such as "anthropic"'));

/** An account label: 1–64 letters, digits, spaces and `._@+-`, starting with a letter or digit. */
export const accountLabelField = z
  .string()
  .check(
    z.maxLength(64),
    z.regex(ACCOUNT_LABEL_PATTERN, 'must be 1–64 letters, digits, spaces or ._@+- and start with a letter or digit'),
  );

/** An API key: printable ASCII without spaces, at most 4 KB (surrounding whitespace from a paste is trimmed). */
export const apiKeyField = z
  .string()
  .check(
    z.maxLength(4096),
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.regex(/^[\x21-\x7e]+$/, 'must be printable characters without spaces'),
  );

/** An OAuth flow id as the main process issued it. */
export const flowIdField = z
  .string()
  .check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:-]+$/, 'must be a flow id'));

/** What a person pasted back from the browser: a bare code, `code#state`, or the full redirect URL. */
export const pastedCodeField = z.string().check(z.maxLength(8192), z.trim(), z.minLength(1, 'must not be empty'));

/** A model id as a provider lists it (`claude-sonnet-4-5`, `gemini-2.5-pro`, `gpt-4o`). */
export const modelIdField = z
  .string()
  .check(z.minLength(1), z.maxLength(256), z.regex(/^[A-Za-z0-9._:/@+-]+$/, 'must be a model id'));

/** How the browser comes back; mirrors `REDIRECT_MODES` of the provider definitions (checked in src-main/ipc). */
export const REDIRECT_MODE_VALUES = ['loopback', 'deep_link', 'paste'] as const;
export const redirectModeField = z.enum(REDIRECT_MODE_VALUES);

export const storedAuthMethodField = z.enum(STORED_AUTH_METHODS);
export const authMethodField = z.enum(AUTH_METHODS);

/** A fallback order: each source at most once, at least one. */
export const fallbackOrderField = z.array(authMethodField).check(
  z.minLength(1),
  z.maxLength(AUTH_METHODS.length),
  z.refine((order) => new Set(order).size === order.length, 'must not repeat a source'),
);

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const themeField = z.enum(THEMES);

/** Settings a person sees and changes in the window: the core's fallback order plus non-secret UI preferences. */
export interface SettingsView {
  readonly fallbackOrder: readonly (typeof AUTH_METHODS)[number][];
  readonly theme: Theme;
  /**
   * Closing the window keeps The Maestro running in the tray (true) or quits it (false); null
   * decides by whether the desktop shows tray icons (Linux; macOS and Windows always do).
   */
  readonly closeToTray: boolean | null;
  /** The person explicitly accepts storing credentials with weak protection when the OS offers none (takes effect on restart). */
  readonly allowWeakStorage: boolean;
  /** The command line may open the app's credentials (through its key file); takes effect on restart. */
  readonly shareWithCommandLine: boolean;
  /** Linux only: the keyring Chromium's `--password-store` switch names at the next start. */
  readonly passwordStore?: PasswordStoreChoice;
}

/** The keyring choice on Linux (src-shared/password-store.ts). */
export const passwordStoreField = z.enum(PASSWORD_STORE_CHOICES);

/** Output schema of settings.get / settings.update. */
export const settingsViewSchema = z.object({
  fallbackOrder: z.readonly(z.array(authMethodField)),
  theme: themeField,
  closeToTray: z.nullable(z.boolean()),
  allowWeakStorage: z.boolean(),
  shareWithCommandLine: z.boolean(),
  passwordStore: z.exactOptional(passwordStoreField),
}) satisfies z.ZodMiniType<SettingsView>;
