import { useId, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import { ACCOUNT_LABEL_PATTERN } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { AccountView } from '../../src-shared/view-models.js';
import { sourceLabel, stateLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';

type Mode = 'view' | 'rename' | 'confirm-remove';

export interface AccountRowProps {
  readonly account: AccountView;
  readonly providerName: string;
  /** This is the account its provider uses. */
  readonly inUse: boolean;
}

/** One stored account: use it (its provider becomes the active one), rename it, remove it (with a confirmation step). */
export function AccountRow({ account, inUse, providerName }: AccountRowProps) {
  const { api, setStatus, updateProvider } = useMaestro();
  const id = useId();
  const [mode, setMode] = useState<Mode>('view');
  const [newLabel, setNewLabel] = useState(account.account);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const labelValid = ACCOUNT_LABEL_PATTERN.test(newLabel.trim());

  const use = async (): Promise<void> => {
    const reply = await api.session.setActiveProvider({ provider: account.provider, account: account.account });
    if (reply.ok) setStatus(reply.value);
    setError(reply.ok ? null : reply.error);
  };
  const rename = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const reply = await api.accounts.rename({ provider: account.provider, from: account.account, to: newLabel.trim() });
    if (reply.ok) {
      updateProvider(reply.value);
      setMode('view');
    }
    setError(reply.ok ? null : reply.error);
  };
  const remove = async (): Promise<void> => {
    const reply = await api.auth.logout({
      provider: account.provider,
      account: account.account,
      method: account.method,
    });
    setMode('view');
    setError(reply.ok ? null : reply.error);
  };

  // Escape leaves the rename form or the removal question, as it does a dialog.
  const onEscape = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    setNewLabel(account.account);
    setMode('view');
  };
  const name = `${account.account} (${sourceLabel(account.method)})`;
  return (
    <li className="account-row" aria-label={`${providerName} account ${name}`}>
      <div className="account-main">
        <span className="account-name">{account.account}</span>
        <span className="muted">{sourceLabel(account.method)}</span>
        <span className={`badge badge-${account.state}`}>{stateLabel(account.state)}</span>
        <span className="mono muted">{account.maskedKey ?? account.identity ?? ''}</span>
      </div>
      {mode === 'view' ? (
        <div className="account-actions">
          {/* The account its provider uses says so on its button, whether or not that provider is the active one. */}
          <button type="button" onClick={() => void use()} disabled={inUse}>
            {inUse ? 'In use' : 'Use'}
          </button>
          <button type="button" onClick={() => setMode('rename')}>
            Rename
          </button>
          <button type="button" onClick={() => setMode('confirm-remove')}>
            Remove
          </button>
        </div>
      ) : null}
      {mode === 'rename' ? (
        <form className="account-actions" onSubmit={(event) => void rename(event)} onKeyDown={onEscape}>
          <label htmlFor={`${id}-rename`}>New label for {account.account}</label>
          <input
            id={`${id}-rename`}
            value={newLabel}
            maxLength={64}
            onChange={(event) => setNewLabel(event.target.value)}
            aria-invalid={!labelValid}
            autoFocus
          />
          <button type="submit" disabled={!labelValid}>
            Save
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      ) : null}
      {mode === 'confirm-remove' ? (
        <div className="account-actions" role="group" aria-label="Confirm removal" onKeyDown={onEscape}>
          <span>
            Remove “{account.account}” from {providerName}?{' '}
            {account.method === 'oauth'
              ? 'Tokens this install owns are revoked; the account stays signed in elsewhere.'
              : `The key is deleted from this computer only; it keeps working at ${providerName} until you delete it there.`}
          </span>
          <button type="button" className="danger" onClick={() => void remove()} autoFocus>
            Remove
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Keep
          </button>
        </div>
      ) : null}
      {error !== null ? <ErrorMessage error={error} announce /> : null}
    </li>
  );
}
