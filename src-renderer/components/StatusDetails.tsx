import { useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ProviderStatusView } from '../../src-shared/view-models.js';
import { formatCountdown, sourceLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { useNow } from '../app/use-now.js';
import { ErrorMessage, Spinner } from './Feedback.js';

/** State, method and source, account, masked key, live expiry countdown, model, last error with retry. */
export function StatusDetails({ provider }: { readonly provider: ProviderStatusView }) {
  const { api, updateProvider } = useMaestro();
  const now = useNow(provider.expiresAt !== null);
  const [checking, setChecking] = useState(false);
  const [retryError, setRetryError] = useState<ErrorInfo | null>(null);
  // Whether the error shown is the answer to the person's own check (announced) or older news.
  const [checked, setChecked] = useState(false);
  const identity = provider.accounts.find(
    (account) => account.account === provider.account && account.method === provider.activeMethod,
  )?.identity;

  const retry = async (): Promise<void> => {
    setChecking(true);
    setRetryError(null);
    const reply = await api.auth.validate({
      provider: provider.id,
      ...(provider.account !== null ? { account: provider.account } : {}),
    });
    setChecking(false);
    setChecked(true);
    if (reply.ok) updateProvider(reply.value);
    else setRetryError(reply.error);
  };

  const lastError = retryError ?? provider.lastError;
  return (
    <div className="status-details">
      <dl className="details">
        <div>
          <dt>Using</dt>
          <dd>{provider.source !== null ? sourceLabel(provider.source) : '—'}</dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd>
            {provider.account ?? '—'}
            {identity ? <span className="muted"> ({identity})</span> : null}
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd className="mono">{provider.maskedKey ?? '—'}</dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>
            {provider.expiresAt !== null ? (
              <time dateTime={provider.expiresAt}>{formatCountdown(provider.expiresAt, now)}</time>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{provider.selectedModel ?? 'None selected'}</dd>
        </div>
      </dl>
      <div className="status-actions">
        {lastError !== null ? (
          <ErrorMessage error={lastError} announce={checked}>
            <button type="button" onClick={() => void retry()} disabled={checking}>
              Retry
            </button>
          </ErrorMessage>
        ) : null}
        {checking ? <Spinner label={`Checking with ${provider.displayName}…`} /> : null}
        {lastError === null && provider.source !== null && !checking ? (
          <button type="button" className="link-button" onClick={() => void retry()}>
            Check now
          </button>
        ) : null}
      </div>
    </div>
  );
}
