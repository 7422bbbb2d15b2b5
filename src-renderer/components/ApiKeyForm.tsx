import { useId, useState, type SubmitEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { LoginResultView } from '../../src-shared/view-models.js';
import { offersStoreUnvalidated } from '../app/error-text.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage, Spinner, SuccessMessage } from './Feedback.js';

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking'; readonly validate: boolean }
  | { readonly kind: 'failed'; readonly error: ErrorInfo }
  | { readonly kind: 'saved'; readonly result: LoginResultView };

/** A hint while typing; the provider has the last word (keys are never rejected on their shape). */
function localHint(key: string): string | null {
  const trimmed = key.trim();
  if (trimmed.length === 0) return null;
  if (/\s/.test(trimmed)) return 'API keys do not contain spaces; check what you pasted.';
  if (trimmed.length < 20) return 'This looks short for an API key.';
  return null;
}

export interface ApiKeyFormProps {
  readonly provider: string;
  readonly displayName: string;
  readonly consoleUrl: string;
  /** The account label to store under, or null for the default; undefined while the label is invalid. */
  readonly account: string | null | undefined;
}

/** Masked API key field: checked live with the provider on save, with a precise error. */
export function ApiKeyForm({ provider, displayName, consoleUrl, account }: ApiKeyFormProps) {
  const { api } = useMaestro();
  const id = useId();
  const [key, setKey] = useState('');
  const [shown, setShown] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const save = async (validate: boolean): Promise<void> => {
    if (account === undefined) return;
    setPhase({ kind: 'checking', validate });
    const reply = await api.auth.saveApiKey({
      provider,
      apiKey: key,
      validate,
      ...(account !== null ? { account } : {}),
    });
    if (reply.ok) {
      setKey('');
      setShown(false);
      setPhase({ kind: 'saved', result: reply.value });
    } else {
      setPhase({ kind: 'failed', error: reply.error });
    }
  };
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    void save(true);
  };

  const hint = localHint(key);
  const busy = phase.kind === 'checking';
  return (
    <form className="api-key-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>API key</h4>
      <label htmlFor={`${id}-key`}>{displayName} API key</label>
      <div className="input-row">
        <input
          id={`${id}-key`}
          type={shown ? 'text' : 'password'}
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(event) => {
            setKey(event.target.value);
            if (phase.kind !== 'checking') setPhase({ kind: 'idle' });
          }}
          aria-describedby={`${id}-hint`}
          disabled={busy}
        />
        <button type="button" aria-pressed={shown} onClick={() => setShown(!shown)} disabled={busy}>
          {shown ? 'Hide' : 'Show'}
        </button>
        <button type="submit" className="primary" disabled={busy || key.trim().length === 0 || account === undefined}>
          Save key
        </button>
      </div>
      <p id={`${id}-hint`} className="hint">
        {hint ?? (
          <>
            Get a key from the{' '}
            <a href={consoleUrl} target="_blank" rel="noopener noreferrer">
              {displayName} console
            </a>
            . It is checked with {displayName} before it is stored, encrypted.
          </>
        )}
      </p>
      <div className="form-status" aria-live="polite">
        {phase.kind === 'checking' ? (
          <Spinner label={phase.validate ? `Checking the key with ${displayName}…` : 'Storing the key…'} />
        ) : null}
        {phase.kind === 'failed' ? (
          <ErrorMessage error={phase.error} announce>
            {offersStoreUnvalidated(phase.error.code) ? (
              <button type="button" onClick={() => void save(false)} disabled={key.trim().length === 0}>
                Store without checking
              </button>
            ) : null}
          </ErrorMessage>
        ) : null}
        {phase.kind === 'saved' ? (
          <SuccessMessage>
            Key {phase.result.maskedKey ?? ''} saved for account “{phase.result.account}”
            {phase.result.validated ? `, checked with ${displayName}.` : ', not checked yet.'}
          </SuccessMessage>
        ) : null}
      </div>
    </form>
  );
}
