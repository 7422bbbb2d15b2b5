import { useEffect, useId, useState, type SubmitEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { OAuthStartView } from '../../src-shared/ipc-schemas.js';
import { formatCountdown } from '../app/format.js';
import { useMaestro } from '../app/maestro-context.js';
import { useNow } from '../app/use-now.js';
import { ErrorMessage, Spinner, SuccessMessage } from './Feedback.js';

type Phase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | {
      readonly kind: 'waiting';
      readonly flow: OAuthStartView;
      readonly submitting: boolean;
      readonly pasteError: ErrorInfo | null;
    }
  | { readonly kind: 'done'; readonly account: string }
  | { readonly kind: 'failed'; readonly error: ErrorInfo };

export interface OAuthPanelProps {
  readonly provider: string;
  readonly displayName: string;
  /** The account label to sign in as, or null for the default; undefined while the label is invalid. */
  readonly account: string | null | undefined;
  /** The start button's label (default "Continue in your browser"; a plan sign-in says "Continue with ChatGPT"). */
  readonly buttonLabel?: string;
  /** The heading above the button (default "Sign in with <provider>"); null for none. */
  readonly title?: string | null;
  /** Ask for consent again: how a person (re-)enables plan usage. */
  readonly consent?: boolean;
  /** The button is a secondary action (an account picker's row). */
  readonly secondary?: boolean;
}

/** "Continue in your browser", the waiting state with the address and a paste field, cancel. */
export function OAuthPanel({
  provider,
  displayName,
  account,
  buttonLabel = 'Continue in your browser',
  title,
  consent = false,
  secondary = false,
}: OAuthPanelProps) {
  // Typed as always there, but absent outside a secure context.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  const { api } = useMaestro();
  const id = useId();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [pasted, setPasted] = useState('');
  // Copying can fail (no clipboard outside a secure context, or permission refused): say so.
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const flowId = phase.kind === 'waiting' ? phase.flow.flowId : null;
  const now = useNow(flowId !== null);

  useEffect(() => {
    if (flowId === null) return undefined;
    // However the browser comes back (loopback, deep link, paste), main reports the end here.
    return api.on('auth.flowFinished', (event) => {
      if (event.flowId !== flowId) return;
      if (event.ok) setPhase({ kind: 'done', account: event.account });
      else if (event.error.code === 'cancelled') setPhase({ kind: 'idle' });
      else setPhase({ kind: 'failed', error: event.error });
    });
  }, [api, flowId]);

  const start = async (): Promise<void> => {
    if (account === undefined) return;
    setPhase({ kind: 'starting' });
    const reply = await api.auth.startOAuth({
      provider,
      ...(account !== null ? { account } : {}),
      ...(consent ? { consent: true } : {}),
    });
    setPasted('');
    setPhase(
      reply.ok
        ? { kind: 'waiting', flow: reply.value, submitting: false, pasteError: null }
        : { kind: 'failed', error: reply.error },
    );
  };
  const cancel = async (): Promise<void> => {
    if (phase.kind === 'waiting') await api.auth.cancelOAuth({ flowId: phase.flow.flowId });
    setPhase({ kind: 'idle' });
  };
  const submitPaste = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (phase.kind !== 'waiting') return;
    const { flow } = phase;
    setPhase({ ...phase, submitting: true, pasteError: null });
    const reply = await api.auth.submitPastedCode({ flowId: flow.flowId, pasted });
    setPhase((current) => {
      if (current.kind !== 'waiting' || current.flow.flowId !== flow.flowId) return current;
      return reply.ok
        ? { kind: 'done', account: reply.value.account }
        : { ...current, submitting: false, pasteError: reply.error };
    });
  };

  if (phase.kind !== 'waiting') {
    return (
      <div className={secondary ? 'oauth-panel compact' : 'oauth-panel'}>
        {title !== null ? <h4>{title ?? `Sign in with ${displayName}`}</h4> : null}
        <button
          type="button"
          className={secondary ? undefined : 'primary'}
          onClick={() => void start()}
          disabled={phase.kind === 'starting' || account === undefined}
        >
          {buttonLabel}
        </button>
        <div className="form-status" aria-live="polite">
          {phase.kind === 'starting' ? <Spinner label="Preparing the sign-in page…" /> : null}
          {phase.kind === 'failed' ? <ErrorMessage error={phase.error} announce /> : null}
          {phase.kind === 'done' ? (
            <SuccessMessage>
              Signed in to {displayName} as “{phase.account}”.
            </SuccessMessage>
          ) : null}
        </div>
      </div>
    );
  }

  const { flow } = phase;
  return (
    <div className="oauth-panel waiting" role="group" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Waiting for you to sign in with {displayName}</h4>
      <Spinner
        label={
          flow.browserOpened
            ? 'Finish signing in in the browser window we opened.'
            : 'Open the sign-in page, then come back here.'
        }
      />
      <p className="oauth-link">
        <a href={flow.startUrl} target="_blank" rel="noopener noreferrer">
          Open the {displayName} sign-in page
        </a>
        <button
          type="button"
          onClick={() => {
            setCopied(null);
            const written = clipboard?.writeText(flow.startUrl) ?? Promise.reject(new Error('no clipboard'));
            written.then(
              () => setCopied('copied'),
              () => setCopied('failed'),
            );
          }}
        >
          Copy address
        </button>
      </p>
      {copied === 'copied' ? <p role="status">Address copied.</p> : null}
      {copied === 'failed' ? (
        <p className="message message-error" role="alert">
          The address could not be copied. Select it in the field below and copy it yourself.
        </p>
      ) : null}
      <label htmlFor={`${id}-url`} className="visually-hidden">
        Sign-in address
      </label>
      <input id={`${id}-url`} className="mono url-field" readOnly value={flow.startUrl} />
      <p className="hint">This address on your computer opens the sign-in page once.</p>
      {flow.acceptsPaste ? (
        <form className="paste-form" onSubmit={(event) => void submitPaste(event)}>
          <label htmlFor={`${id}-paste`}>
            If the browser shows a code, or cannot come back, paste the code or the full address here
          </label>
          <div className="input-row">
            <input
              id={`${id}-paste`}
              autoComplete="off"
              spellCheck={false}
              value={pasted}
              onChange={(event) => setPasted(event.target.value)}
              disabled={phase.submitting}
            />
            <button type="submit" disabled={phase.submitting || pasted.trim().length === 0}>
              Submit code
            </button>
          </div>
        </form>
      ) : null}
      <div className="form-status" aria-live="polite">
        {phase.submitting ? <Spinner label="Finishing sign-in…" /> : null}
        {phase.pasteError !== null ? <ErrorMessage error={phase.pasteError} announce /> : null}
      </div>
      <p className="hint">
        This sign-in expires <time dateTime={flow.expiresAt}>{formatCountdown(flow.expiresAt, now)}</time>.{' '}
        <button type="button" onClick={() => void cancel()}>
          Cancel
        </button>
      </p>
    </div>
  );
}
