import type { StatusView } from '../../src-shared/view-models.js';
import { AccountRow } from './AccountRow.js';

/** Every stored account of every provider: switch, rename, remove. */
export function AccountsTab({ status }: { readonly status: StatusView }) {
  return (
    <div className="accounts-tab">
      {status.providers.map((provider) => (
        <section key={provider.id} className="panel" aria-labelledby={`accounts-${provider.id}`}>
          <h2 id={`accounts-${provider.id}`}>{provider.displayName}</h2>
          {provider.accounts.length === 0 ? (
            <p className="muted">{provider.source === 'env' ? 'Using an API key from the environment; nothing is stored.' : 'No stored accounts.'}</p>
          ) : (
            <ul className="account-list">
              {provider.accounts.map((account) => (
                <AccountRow
                  key={account.credentialId}
                  account={account}
                  providerName={provider.displayName}
                  inUse={provider.account === account.account && provider.activeMethod === account.method}
                  providerActive={status.activeProvider === provider.id}
                />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
