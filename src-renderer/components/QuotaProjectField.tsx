import { useEffect, useId, useState, type SubmitEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import { QUOTA_PROJECT_PATTERN, type QuotaProjectView } from '../../src-shared/quota-project.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage, SuccessMessage } from './Feedback.js';

function sourceText(view: QuotaProjectView): string {
  switch (view.source) {
    case 'env':
      return `Set by ${view.envVar}, which wins over this field.`;
    case 'window':
      return 'Set here; sent as x-goog-user-project with your Google sign-in.';
    case 'file':
      return 'From the config file; a value saved here replaces it.';
    case null:
      return 'Not set. Without one, Google may refuse your browser sign-in (403 about a quota project).';
  }
}

/**
 * Google's quota project (`x-goog-user-project`), set in the window and kept by the core for the
 * CLI too. A disclosure that asks the core only when opened: the first render loads nothing extra.
 */
export function QuotaProjectField({ provider }: { readonly provider: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="provider-help quota-project" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Quota project</summary>
      {open ? <QuotaProjectForm provider={provider} /> : null}
    </details>
  );
}

function QuotaProjectForm({ provider }: { readonly provider: string }) {
  const { api } = useMaestro();
  const id = useId();
  const [view, setView] = useState<QuotaProjectView | null>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    void api.providers.getQuotaProject({ provider }).then((reply) => {
      if (!live) return;
      if (reply.ok) {
        setView(reply.value);
        setValue(reply.value.quotaProject ?? '');
      } else setError(reply.error);
    });
    return () => {
      live = false;
    };
  }, [api, provider]);

  const trimmed = value.trim();
  const valid = trimmed === '' || QUOTA_PROJECT_PATTERN.test(trimmed);
  const fromEnv = view?.source === 'env';
  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (!valid) return;
    const reply = await api.providers.setQuotaProject({ provider, quotaProject: trimmed === '' ? null : trimmed });
    setSaved(reply.ok);
    if (reply.ok) {
      setView(reply.value);
      setValue(reply.value.quotaProject ?? '');
      setError(null);
    } else setError(reply.error);
  };

  return (
    <form className="quota-project" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={`${id}-input`}>Google Cloud project ID</label>
        <div className="input-row">
          <input
            id={`${id}-input`}
            value={value}
            placeholder="my-gemini-project"
            maxLength={30}
            disabled={fromEnv}
            onChange={(event) => {
              setValue(event.target.value);
              setSaved(false);
            }}
            aria-invalid={!valid}
            aria-describedby={`${id}-hint`}
          />
          <button type="submit" disabled={fromEnv || !valid || view === null}>
            Save project
          </button>
        </div>
        <p id={`${id}-hint`} className={valid ? 'hint' : 'hint hint-error'}>
          {valid
            ? view !== null
              ? sourceText(view)
              : ' '
            : 'Use the project ID: 6–30 lowercase letters, digits or hyphens, starting with a letter (or the project number).'}
        </p>
      </div>
      {saved ? (
        <SuccessMessage>
          {view?.quotaProject !== null && view?.quotaProject !== undefined
            ? `Quota project saved: ${view.quotaProject}.`
            : 'Quota project cleared.'}
        </SuccessMessage>
      ) : null}
      {error !== null ? <ErrorMessage error={error} announce /> : null}
    </form>
  );
}
