import { useId, useState } from 'react';
import { ACCOUNT_LABEL_PATTERN, type AuthMethod } from '../../src-shared/auth-types.js';
import { assertNever } from '../../src-shared/errors.js';
import type { ProviderStatusView } from '../../src-shared/view-models.js';
import { ApiKeyForm } from './ApiKeyForm.js';
import { GoogleClientHelp } from './GoogleClientHelp.js';
import { QuotaProjectField } from './QuotaProjectField.js';
import { OAuthPanel } from './OAuthPanel.js';
import { PlanSignIn } from './PlanSignIn.js';

function methodName(method: AuthMethod): string {
  switch (method) {
    case 'oauth':
      return 'Browser sign-in (OAuth)';
    case 'api_key':
      return 'API key';
    case 'env':
      return 'Environment variable';
    default:
      return assertNever(method, 'method');
  }
}

/** The methods available now, and for the others why not and what to do; an account label for another account. */
export function SignInSection({ provider }: { readonly provider: ProviderStatusView }) {
  const id = useId();
  const [label, setLabel] = useState('');
  const trimmed = label.trim();
  const labelValid = trimmed.length === 0 || ACCOUNT_LABEL_PATTERN.test(trimmed);
  // null = the default account; undefined = not usable until fixed.
  const account = trimmed.length === 0 ? null : labelValid ? trimmed : undefined;
  const signedIn = provider.accounts.length > 0;
  const has = (method: AuthMethod): boolean => provider.availableMethods.includes(method);

  return (
    <section className="sign-in" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{signedIn ? 'Add or replace a sign-in' : 'Sign in'}</h3>
      <div className="field">
        <label htmlFor={`${id}-label`}>Account label (optional)</label>
        <input
          id={`${id}-label`}
          value={label}
          placeholder="default"
          maxLength={64}
          onChange={(event) => setLabel(event.target.value)}
          aria-invalid={!labelValid}
          aria-describedby={`${id}-label-hint`}
        />
        <p id={`${id}-label-hint`} className={labelValid ? 'hint' : 'hint hint-error'}>
          {labelValid
            ? signedIn
              ? 'Use a new label (e.g. “work”) to keep another account beside the current one.'
              : 'Name this account if you will use more than one.'
            : 'Use letters, digits, spaces or . _ @ + -, starting with a letter or digit.'}
        </p>
      </div>
      <div className="methods">
        {has('api_key') ? (
          <ApiKeyForm
            provider={provider.id}
            displayName={provider.displayName}
            consoleUrl={provider.consoleUrl}
            account={account}
          />
        ) : null}
        {has('oauth') && provider.planSignIn !== undefined ? (
          <PlanSignIn provider={provider} account={account} />
        ) : null}
        {has('oauth') && provider.planSignIn === undefined ? (
          <OAuthPanel provider={provider.id} displayName={provider.displayName} account={account} />
        ) : null}
      </div>
      {has('env') ? (
        <p className="hint">An API key from the environment is available and used when nothing else is stored.</p>
      ) : null}
      {provider.unavailableMethods.length > 0 ? (
        <ul className="unavailable" aria-label="Methods not available">
          {provider.unavailableMethods.map((entry) => (
            <li key={entry.method}>
              {entry.method === 'oauth' ? (
                // Why browser sign-in is missing and how to set it up runs to a paragraph: one line until asked.
                <details className="unavailable-why">
                  <summary>
                    <strong>{methodName(entry.method)}:</strong> not set up here
                  </summary>
                  <p>{entry.reason}</p>
                </details>
              ) : (
                <>
                  <strong>{methodName(entry.method)}:</strong> {entry.reason}
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {provider.id === 'google' ? <QuotaProjectField provider={provider.id} /> : null}
      {provider.id === 'google' ? <GoogleClientHelp oauthAvailable={has('oauth')} /> : null}
    </section>
  );
}
