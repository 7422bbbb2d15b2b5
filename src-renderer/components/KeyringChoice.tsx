import { useId } from 'react';
import type { PasswordStoreChoice } from '../../src-shared/password-store.js';
import { PASSWORD_STORE_CHOICES } from '../../src-shared/password-store.js';

const KEYRING_NAMES: Readonly<Record<PasswordStoreChoice, string>> = {
  auto: 'Chosen by Electron from the desktop environment',
  'gnome-libsecret': 'GNOME Keyring or another Secret Service (libsecret)',
  kwallet6: 'KWallet 6',
  kwallet5: 'KWallet 5',
  kwallet: 'KWallet 4',
  basic: 'None (basic text: no protection)',
};

/**
 * Linux: the keyring Chromium's `--password-store` switch names, for desktops Electron does not
 * recognise (tiling window managers get `basic_text`). Saved now, applied at the next start.
 */
export function KeyringChoice({
  choice,
  onChange,
}: {
  readonly choice: PasswordStoreChoice;
  readonly onChange: (choice: PasswordStoreChoice) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Keyring</label>
      <select
        id={id}
        value={choice}
        onChange={(event) => {
          const picked = PASSWORD_STORE_CHOICES.find((value) => value === event.target.value);
          if (picked !== undefined) onChange(picked);
        }}
      >
        {PASSWORD_STORE_CHOICES.map((value) => (
          <option key={value} value={value}>
            {KEYRING_NAMES[value]}
          </option>
        ))}
      </select>
      <p className="hint">
        Which keyring protects the credentials' key (<code>--password-store</code>). Takes effect after The Maestro is
        restarted; a <code>--password-store</code> given on the command line wins.
      </p>
    </div>
  );
}
