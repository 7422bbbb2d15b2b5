import { useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { GatewayStatusView } from '../../src-shared/gateway-view.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage, SuccessMessage } from './Feedback.js';

type Done = 'copied' | 'rotated' | null;

/**
 * "Copy gateway key" and "Rotate key". The window never holds the key: main writes it to the
 * clipboard, and a rotation (confirmed here first) happens in main too.
 */
export function GatewayKeyActions({ onChange }: { readonly onChange: (view: GatewayStatusView) => void }) {
  const { api } = useMaestro();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<Done>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const copy = async (): Promise<void> => {
    const reply = await api.gateway.copyKey();
    setDone(reply.ok ? 'copied' : null);
    setError(reply.ok ? null : reply.error);
  };
  const rotate = async (): Promise<void> => {
    setConfirming(false);
    const reply = await api.gateway.rotateKey({ confirmed: true });
    setDone(reply.ok ? 'rotated' : null);
    setError(reply.ok ? null : reply.error);
    if (reply.ok) onChange(reply.value);
  };

  return (
    <div className="gateway-key">
      <div className="input-row">
        <button type="button" onClick={() => void copy()}>
          Copy gateway key
        </button>
        <button type="button" onClick={() => (setConfirming(true), setDone(null))} disabled={confirming}>
          Rotate key…
        </button>
      </div>
      {confirming ? (
        <div className="message" role="alertdialog" aria-label="Rotate the gateway key?">
          <p>
            Rotate the gateway key? Every tool using the current key is refused from its next request until it gets the
            new one.
          </p>
          <div className="input-row">
            <button type="button" className="danger" onClick={() => void rotate()}>
              Rotate key
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {done === 'copied' ? (
        <SuccessMessage>
          The gateway key is on the clipboard. Paste it where a tool asks for its API key.
        </SuccessMessage>
      ) : null}
      {done === 'rotated' ? (
        <SuccessMessage>A new gateway key is in use; copy it again for your tools.</SuccessMessage>
      ) : null}
      {error !== null ? <ErrorMessage error={error} announce /> : null}
    </div>
  );
}
