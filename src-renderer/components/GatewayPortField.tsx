import { useId, useState, type SubmitEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import {
  GATEWAY_PORT_MAX,
  GATEWAY_PORT_MIN,
  GATEWAY_PORT_RULE,
  type GatewayStatusView,
} from '../../src-shared/gateway-view.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage, SuccessMessage } from './Feedback.js';

/** The typed text as a port: null for empty (any free port), undefined when it is not a valid port. */
function parsePortText(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,5}$/.test(trimmed)) return undefined;
  const port = Number(trimmed);
  return port >= GATEWAY_PORT_MIN && port <= GATEWAY_PORT_MAX ? port : undefined;
}

/**
 * The gateway's port, remembered in Settings (empty: any free port). A running gateway moves to
 * the new port; a port in use is refused by main with a sentence naming it, and the gateway is off.
 */
export function GatewayPortField({
  view,
  onChange,
}: {
  readonly view: GatewayStatusView;
  readonly onChange: (view: GatewayStatusView | null) => void;
}) {
  const { api } = useMaestro();
  const id = useId();
  const [text, setText] = useState(view.configuredPort === null ? '' : String(view.configuredPort));
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const port = parsePortText(text);
  const valid = port !== undefined;

  const submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (port === undefined) return;
    const reply = await api.gateway.setPort({ port });
    setSaved(reply.ok);
    setError(reply.ok ? null : reply.error);
    // A refused port leaves the gateway off: ask main for what is true now.
    if (reply.ok) onChange(reply.value);
    else void api.gateway.get().then((current) => onChange(current.ok ? current.value : null));
  };

  return (
    <form className="gateway-port" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={`${id}-port`}>Gateway port</label>
        <div className="input-row">
          <input
            id={`${id}-port`}
            inputMode="numeric"
            value={text}
            placeholder="any free port"
            maxLength={5}
            onChange={(event) => {
              setText(event.target.value);
              setSaved(false);
            }}
            aria-invalid={!valid}
            aria-describedby={`${id}-port-hint`}
          />
          <button type="submit" disabled={!valid}>
            Save port
          </button>
        </div>
        <p id={`${id}-port-hint`} className={valid ? 'hint' : 'hint hint-error'}>
          {valid ? `${GATEWAY_PORT_MIN}–${GATEWAY_PORT_MAX}; empty for any free port.` : GATEWAY_PORT_RULE}
        </p>
      </div>
      {saved ? (
        <SuccessMessage>
          {port === null ? 'The gateway will use any free port.' : `The gateway will use port ${port}.`}
        </SuccessMessage>
      ) : null}
      {error !== null ? <ErrorMessage error={error} announce /> : null}
    </form>
  );
}
