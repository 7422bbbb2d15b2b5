/**
 * Values of Chromium's Linux `--password-store` switch, as Electron documents them for
 * `safeStorage.getSelectedStorageBackend()` (https://www.electronjs.org/docs/latest/api/safe-storage):
 * `basic` → `basic_text`, `gnome-libsecret` → `gnome_libsecret`, `kwallet`, `kwallet5`, `kwallet6`.
 * Pure data: the window imports it without pulling zod into its bundle.
 */
export const PASSWORD_STORES = ['gnome-libsecret', 'kwallet6', 'kwallet5', 'kwallet', 'basic'] as const;
export type PasswordStore = (typeof PASSWORD_STORES)[number];

/** `auto`: no switch; Electron picks the keyring from the desktop environment it recognises. */
export const PASSWORD_STORE_CHOICES = ['auto', ...PASSWORD_STORES] as const;
export type PasswordStoreChoice = (typeof PASSWORD_STORE_CHOICES)[number];

/** Whether a stored or received value is one of the choices (a hand-edited file may hold anything). */
export function isPasswordStoreChoice(value: unknown): value is PasswordStoreChoice {
  return typeof value === 'string' && (PASSWORD_STORE_CHOICES as readonly string[]).includes(value);
}
