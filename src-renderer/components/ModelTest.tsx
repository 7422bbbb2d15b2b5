import { useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ModelTestView, ProviderStatusView } from '../../src-shared/view-models.js';
import { sourceLabel } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage, Spinner, SuccessMessage } from './Feedback.js';

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'testing'; readonly model: string | null }
  | { readonly kind: 'passed'; readonly result: ModelTestView }
  | { readonly kind: 'failed'; readonly error: ErrorInfo };

/**
 * "Test this model": one short streamed request with the credential in use; the reply's first
 * words, how long the first token took, and which credential and account answered.
 */
export function ModelTest({ provider }: { readonly provider: ProviderStatusView }) {
  const { api } = useMaestro();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const model = provider.selectedModel;
  const test = async (): Promise<void> => {
    setPhase({ kind: 'testing', model });
    const reply = await api.models.test({ provider: provider.id, ...(model !== null ? { model } : {}) });
    setPhase(reply.ok ? { kind: 'passed', result: reply.value } : { kind: 'failed', error: reply.error });
  };
  return (
    <div className="model-test">
      <button type="button" onClick={() => void test()} disabled={phase.kind === 'testing' || provider.source === null}>
        Test this model
      </button>
      <div className="form-status" aria-live="polite">
        {phase.kind === 'testing' ? <Spinner label={`Asking ${phase.model ?? 'the first model'}…`} /> : null}
        {phase.kind === 'failed' ? <ErrorMessage error={phase.error} announce /> : null}
        {phase.kind === 'passed' ? (
          <SuccessMessage>
            <strong>{phase.result.model}</strong> answered in {phase.result.firstTokenMs} ms (first token),{' '}
            {phase.result.totalMs} ms in all, with{' '}
            {phase.result.account !== null
              ? `account “${phase.result.account}” (${sourceLabel(phase.result.source)})`
              : sourceLabel(phase.result.source)}
            {phase.result.plan !== null ? `, using your ${phase.result.plan}` : ''}: <q>{phase.result.reply}</q>
          </SuccessMessage>
        ) : null}
      </div>
    </div>
  );
}
