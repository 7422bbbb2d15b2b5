import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { AccountView, ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import { STATUS_ACCOUNT_LIMIT } from '../../src-shared/view-models.js';
import { useMaestro } from '../app/maestro-context.js';
import { AccountRow } from './AccountRow.js';
import { ErrorMessage } from './Feedback.js';

/**
 * One provider's stored accounts: those the status carries (the first page and the one in use),
 * then further pages on request — a person with thousands of accounts is never sent them all.
 */
function ProviderAccounts({ provider }: { readonly provider: ProviderStatusView }) {
  const { api } = useMaestro();
  const [more, setMore] = useState<readonly AccountView[]>([]);
  const [nextOffset, setNextOffset] = useState(STATUS_ACCOUNT_LIMIT);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  // A status change (sign-in, rename, removal) starts the extra pages over.
  useEffect(() => {
    setMore([]);
    setNextOffset(STATUS_ACCOUNT_LIMIT);
  }, [provider.accounts, provider.accountTotal]);

  const shownIds = new Set(provider.accounts.map((account) => account.credentialId));
  const accounts = [...provider.accounts, ...more.filter((account) => !shownIds.has(account.credentialId))];
  const remaining = provider.accountTotal - accounts.length;

  const showMore = async (): Promise<void> => {
    setLoading(true);
    const reply = await api.accounts.list({ provider: provider.id, offset: nextOffset, limit: STATUS_ACCOUNT_LIMIT });
    setLoading(false);
    if (!reply.ok) {
      setError(reply.error);
      return;
    }
    setError(null);
    setMore((current) => [...current, ...reply.value.accounts]);
    setNextOffset(reply.value.offset + reply.value.accounts.length);
  };

  if (accounts.length === 0) {
    return (
      <p className="muted">
        {provider.source === 'env'
          ? 'Using an API key from the environment; nothing is stored.'
          : 'No stored accounts.'}
      </p>
    );
  }
  return (
    <>
      <ul className="account-list">
        {accounts.map((account) => (
          <AccountRow
            key={account.credentialId}
            account={account}
            providerName={provider.displayName}
            inUse={provider.account === account.account && provider.activeMethod === account.method}
          />
        ))}
      </ul>
      {remaining > 0 ? (
        <p className="account-more">
          <span className="muted">
            Showing {accounts.length} of {provider.accountTotal}.
          </span>{' '}
          <button type="button" onClick={() => void showMore()} disabled={loading}>
            {loading ? 'Loading…' : `Show ${Math.min(remaining, STATUS_ACCOUNT_LIMIT)} more`}
          </button>
        </p>
      ) : null}
      {error !== null ? <ErrorMessage error={error} /> : null}
    </>
  );
}

/** Every stored account of every provider: switch, rename, remove. */
export function AccountsTab({ status }: { readonly status: StatusView }) {
  return (
    <div className="accounts-tab">
      {status.providers.map((provider) => (
        <section key={provider.id} className="panel" aria-labelledby={`accounts-${provider.id}`}>
          <h2 id={`accounts-${provider.id}`}>{provider.displayName}</h2>
          <ProviderAccounts provider={provider} />
        </section>
      ))}
    </div>
  );
}
