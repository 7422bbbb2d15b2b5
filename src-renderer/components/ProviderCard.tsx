import { useId, useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ProviderStatusView } from '../../src-shared/view-models.js';
import { stateLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';
import { SignInSection } from './SignInSection.js';
import { StatusDetails } from './StatusDetails.js';

/** One provider: its status at a glance, making it the active one, and signing in. */
export function ProviderCard({
  provider,
  active,
}: {
  readonly provider: ProviderStatusView;
  readonly active: boolean;
}) {
  const { api, setStatus } = useMaestro();
  const id = useId();
  const [switchError, setSwitchError] = useState<ErrorInfo | null>(null);
  const use = async (): Promise<void> => {
    const reply = await api.session.setActiveProvider({ provider: provider.id });
    if (reply.ok) setStatus(reply.value);
    setSwitchError(reply.ok ? null : reply.error);
  };
  return (
    <article className={`card state-${provider.state}`} aria-labelledby={`${id}-name`} data-provider={provider.id}>
      <header className="card-header">
        <h2 id={`${id}-name`}>{provider.displayName}</h2>
        <span className={`badge badge-${provider.state}`}>{stateLabel(provider.state)}</span>
        {active ? (
          <span className="badge badge-active">Active</span>
        ) : (
          <button type="button" onClick={() => void use()} disabled={provider.source === null}>
            Use {provider.displayName}
          </button>
        )}
      </header>
      {switchError !== null ? <ErrorMessage error={switchError} announce /> : null}
      <StatusDetails provider={provider} />
      <SignInSection provider={provider} />
    </article>
  );
}
