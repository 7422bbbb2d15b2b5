import { useId, useState } from 'react';
import type { CredentialSource } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { SettingsView, Theme } from '../../src-shared/ipc-fields.js';
import type { StatusView } from '../../src-shared/view-models.js';
import { sourceLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { OverridesPanel } from './OverridesPanel.js';
import { ErrorMessage } from './Feedback.js';
import { CommandLineToolSection } from './CommandLineToolSection.js';
import { GatewaySection } from './GatewaySection.js';
import { LogFileNote } from './LogFileNote.js';
import { StorageNotice } from './StorageNotice.js';
import { KeyringChoice } from './KeyringChoice.js';
import { WindowCloseChoice } from './WindowCloseChoice.js';
import type { PasswordStoreChoice } from '../../src-shared/password-store.js';

const THEME_NAMES: Readonly<Record<Theme, string>> = { system: 'Same as the system', light: 'Light', dark: 'Dark' };
// Keys of a typed record, not the contract's THEMES: importing that would pull zod into the window's bundle.
const THEMES = Object.keys(THEME_NAMES) as Theme[];

type Patch = {
  fallbackOrder?: CredentialSource[];
  theme?: Theme;
  closeToTray?: boolean | null;
  allowWeakStorage?: boolean;
  shareWithCommandLine?: boolean;
  passwordStore?: PasswordStoreChoice;
};

/** Theme, tray behaviour, fallback order, storage protection, configuration problems. */
export function SettingsTab({ status, settings }: { readonly status: StatusView; readonly settings: SettingsView }) {
  const { api, setSettings } = useMaestro();
  const id = useId();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const update = async (patch: Patch): Promise<void> => {
    // Shown at once (a radio or checkbox must not lag behind the click); main's answer then wins.
    setSettings({ ...settings, ...patch });
    const reply = await api.settings.update(patch);
    setSettings(reply.ok ? reply.value : settings);
    setError(reply.ok ? null : reply.error);
  };
  const move = (index: number, by: number): void => {
    const order = [...settings.fallbackOrder];
    const [item] = order.splice(index, 1);
    if (item === undefined) return;
    order.splice(index + by, 0, item);
    void update({ fallbackOrder: order });
  };

  return (
    <div className="settings-tab">
      {error !== null ? <ErrorMessage error={error} announce /> : null}
      <section className="panel" aria-labelledby={`${id}-storage`}>
        <h2 id={`${id}-storage`}>Storage protection</h2>
        <StorageNotice status={status} compact={false} />
        {!status.storage.persistent || status.storage.level === 'memory_only' || settings.allowWeakStorage ? (
          <label className="check">
            <input
              type="checkbox"
              checked={settings.allowWeakStorage}
              onChange={(event) => void update({ allowWeakStorage: event.target.checked })}
            />
            Store credentials on disk even though this system offers only weak protection (applies after a restart)
          </label>
        ) : null}
        <label className="check">
          <input
            type="checkbox"
            checked={settings.shareWithCommandLine}
            onChange={(event) => void update({ shareWithCommandLine: event.target.checked })}
          />
          Let the command line (<code>the-maestro</code>) use these credentials: their key is then also protected by a
          key file readable only by you, which is weaker than the system keychain (applies after a restart)
        </label>
        {settings.passwordStore !== undefined ? (
          <KeyringChoice choice={settings.passwordStore} onChange={(passwordStore) => void update({ passwordStore })} />
        ) : null}
        <p className="hint" data-testid="share-explanation">
          While The Maestro is open (or <code>the-maestro agent</code> runs), the command line and your tools&apos;
          hooks ask it for credentials and need no key file, so this can stay off. It only matters for using the
          credentials while neither runs, and it costs a key file in the data folder that can open them for anyone who
          can read your files.
        </p>
      </section>
      <CommandLineToolSection />
      <section className="panel" aria-labelledby={`${id}-order`}>
        <h2 id={`${id}-order`}>Fallback order</h2>
        <p className="hint">When a provider is asked for a credential, these are tried in this order.</p>
        <ol className="order-list">
          {settings.fallbackOrder.map((source, index) => (
            <li key={source}>
              <span>{sourceLabel(source)}</span>
              <button
                type="button"
                onClick={() => move(index, -1)}
                disabled={index === 0}
                aria-label={`Move ${sourceLabel(source)} up`}
              >
                ↑
              </button>
              <button
                type="button"
                onClick={() => move(index, 1)}
                disabled={index === settings.fallbackOrder.length - 1}
                aria-label={`Move ${sourceLabel(source)} down`}
              >
                ↓
              </button>
            </li>
          ))}
        </ol>
      </section>
      <section className="panel" aria-labelledby={`${id}-look`}>
        <h2 id={`${id}-look`}>Window and tray</h2>
        <fieldset>
          <legend>Theme</legend>
          {THEMES.map((theme) => (
            <label key={theme} className="check">
              <input
                type="radio"
                name={`${id}-theme`}
                value={theme}
                checked={settings.theme === theme}
                onChange={() => void update({ theme })}
              />
              {THEME_NAMES[theme]}
            </label>
          ))}
        </fieldset>
        <WindowCloseChoice
          closeToTray={settings.closeToTray}
          onChange={(closeToTray) => void update({ closeToTray })}
        />
      </section>
      <OverridesPanel overrides={status.overrides} />
      <GatewaySection />
      {status.configProblems.length > 0 ? (
        <section className="panel" aria-labelledby={`${id}-config`}>
          <h2 id={`${id}-config`}>Configuration problems</h2>
          {status.configProblems.map((problem, index) => (
            <ErrorMessage key={index} error={problem} />
          ))}
        </section>
      ) : null}
      <LogFileNote logFile={status.logFile} />
    </div>
  );
}
