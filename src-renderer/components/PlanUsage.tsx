import { useEffect, useId, useRef, useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ProviderStatusView } from '../../src-shared/view-models.js';
import type { PlanSignInView } from '../../src-shared/plan.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';

/** "Using ChatGPT plan · Manage usage", shown beside the model selector while the plan pays (openai-siwc.md §8). */
export function PlanUsage({ plan }: { readonly plan: PlanSignInView }) {
  if (!plan.inUse) return null;
  return (
    <p className="plan-usage">
      <span className="badge badge-active">Using {plan.planName}</span>{' '}
      <a href={plan.manageUsageUrl} target="_blank" rel="noopener noreferrer">
        Manage usage
      </a>
    </p>
  );
}

/**
 * The one-time "You're using your ChatGPT plan" notice, after the first sign-in with plan usage
 * enabled; "Got it" dismisses it for good (in every window and process of this installation).
 */
export function PlanNotice({ provider }: { readonly provider: ProviderStatusView }) {
  const { api, updateProvider } = useMaestro();
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const plan = provider.planSignIn;
  useEffect(() => button.current?.focus(), []);
  if (plan === undefined || !plan.noticeDue) return null;
  const acknowledge = async (): Promise<void> => {
    const reply = await api.plan.acknowledgeNotice({ provider: provider.id });
    if (reply.ok) updateProvider(reply.value);
    else setError(reply.error);
  };
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-text`}
      >
        <h2 id={`${id}-title`}>You&apos;re using your {plan.planName}</h2>
        <p id={`${id}-text`}>
          Eligible usage in The Maestro now counts against your {plan.planName}. You manage it, and any limit for this
          app, in ChatGPT settings:{' '}
          <a href={plan.manageUsageUrl} target="_blank" rel="noopener noreferrer">
            Manage usage
          </a>
          .
        </p>
        {error !== null ? <ErrorMessage error={error} announce /> : null}
        <button ref={button} type="button" className="primary" onClick={() => void acknowledge()}>
          Got it
        </button>
      </div>
    </div>
  );
}
