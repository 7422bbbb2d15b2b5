import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import { errorDetail, errorTitle } from '../app/error-text.js';
import { CHATGPT_USAGE_URL } from '../../src-shared/plan.js';

/** A small inline spinner with a text label (the label is what screen readers hear). */
export function Spinner({ label }: { readonly label: string }) {
  return (
    <span className="spinner-row">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}

/**
 * An error with its headline and the sentence from main. `announce` makes it an alert (a
 * result of what the person just did); stored errors shown in a status are not announced.
 */
export function ErrorMessage({
  error,
  announce = false,
  children,
}: {
  readonly error: ErrorInfo;
  readonly announce?: boolean;
  readonly children?: ReactNode;
}) {
  return (
    <div className="message message-error" role={announce ? 'alert' : undefined} data-code={error.code}>
      <p>
        <strong>{errorTitle(error.code)}.</strong> {errorDetail(error)}
      </p>
      {error.code === 'plan_usage_limit' ? (
        // The usage-limit state's primary action (openai-siwc.md §8), never a switch to another way of paying.
        <p>
          <a className="button primary" href={CHATGPT_USAGE_URL} target="_blank" rel="noopener noreferrer">
            Manage usage
          </a>
        </p>
      ) : null}
      {children}
    </div>
  );
}

export function SuccessMessage({ children }: { readonly children: ReactNode }) {
  return (
    <div className="message message-success" role="status">
      <p>{children}</p>
    </div>
  );
}
