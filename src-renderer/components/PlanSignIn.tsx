import { useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { AccountView, ProviderStatusView } from '../../src-shared/view-models.js';
import type { PlanSignInView } from '../../src-shared/plan.js';
import { stateLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';
import { OAuthPanel } from './OAuthPanel.js';

/** A label no stored account of the provider has yet, for "Use a different account". */
function freeLabel(accounts: readonly AccountView[]): string {
  const taken = new Set(accounts.map((account) => account.account));
  let n = 2;
  while (taken.has(`chatgpt ${n}`)) n += 1;
  return `chatgpt ${n}`;
}

/** One saved ChatGPT sign-in: continue with it (or enable its plan), or sign out of it. */
function SavedAccount({
  provider,
  account,
  plan,
}: {
  readonly provider: ProviderStatusView;
  readonly account: AccountView;
  readonly plan: PlanSignInView;
}) {
  const { api } = useMaestro();
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const enabled = account.plan === true;
  const who = account.identity ?? account.account;
  const signOut = async (): Promise<void> => {
    const reply = await api.auth.logout({ provider: provider.id, account: account.account, method: 'oauth' });
    setError(reply.ok ? null : reply.error);
    setWarning(reply.ok ? (reply.value.warning ?? null) : null);
  };
  return (
    <li className="account-row" aria-label={`ChatGPT account ${account.account}`}>
      <div className="account-main">
        <span className="account-name">{account.account}</span>
        <span className="muted">{who}</span>
        <span className={`badge badge-${enabled ? account.state : 'invalid'}`}>
          {enabled ? stateLabel(account.state) : `${plan.planName} not enabled`}
        </span>
        {provider.account === account.account && provider.source === 'oauth' ? (
          <span className="badge badge-active">In use</span>
        ) : null}
      </div>
      <div className="account-actions">
        {enabled ? (
          <OAuthPanel
            provider={provider.id}
            displayName={provider.displayName}
            account={account.account}
            buttonLabel={`Continue as ${who}`}
            title={null}
            secondary
          />
        ) : (
          <OAuthPanel
            provider={provider.id}
            displayName={provider.displayName}
            account={account.account}
            buttonLabel={`Enable ${plan.planName}`}
            title={null}
            consent
            secondary
          />
        )}
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
      {error !== null ? <ErrorMessage error={error} announce /> : null}
      {warning !== null ? (
        <p className="notice notice-warning" role="status">
          {warning}
        </p>
      ) : null}
    </li>
  );
}

/**
 * Sign in with ChatGPT as OpenAI's guidelines ask (openai-siwc.md §8): "Continue with ChatGPT"
 * among the sign-in options, and an account picker — continue with a saved account, use a
 * different account (a new registration, the others stay signed in), sign out.
 */
export function PlanSignIn({
  provider,
  account,
}: {
  readonly provider: ProviderStatusView;
  /** The label typed in the sign-in section, null for none, undefined while invalid. */
  readonly account: string | null | undefined;
}) {
  const plan = provider.planSignIn;
  if (plan === undefined) return null;
  const saved = provider.accounts.filter((entry) => entry.method === 'oauth');
  return (
    <div className="plan-sign-in" role="group" aria-label={plan.buttonLabel}>
      <h4>Use your {plan.planName}</h4>
      {saved.length === 0 ? (
        <>
          <OAuthPanel
            provider={provider.id}
            displayName={provider.displayName}
            account={account}
            buttonLabel={plan.buttonLabel}
            title={null}
          />
          <p className="hint">
            No setup needed: The Maestro registers itself with your ChatGPT account at the first sign-in. Eligible usage
            counts against your {plan.planName}, which you manage in ChatGPT settings.
          </p>
        </>
      ) : (
        <>
          <ul className="account-list" aria-label="ChatGPT accounts">
            {saved.map((entry) => (
              <SavedAccount key={entry.credentialId} provider={provider} account={entry} plan={plan} />
            ))}
          </ul>
          <OAuthPanel
            provider={provider.id}
            displayName={provider.displayName}
            account={account === null ? freeLabel(provider.accounts) : account}
            buttonLabel="Use a different account"
            title={null}
            secondary
          />
        </>
      )}
    </div>
  );
}
