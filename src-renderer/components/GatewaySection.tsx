import { useEffect, useId, useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { GatewayStatusView } from '../../src-shared/gateway-view.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';
import { GatewayKeyActions } from './GatewayKeyActions.js';
import { GatewayPortField } from './GatewayPortField.js';

const PROVIDER_NAMES = { anthropic: 'Anthropic', openai: 'OpenAI', google: 'Google' } as const;
const REFRESH_MS = 3_000;

/** Where the port came from, in words. */
const PORT_ORIGIN = {
  automatic: 'any free port',
  settings: 'chosen here',
  command_line: 'from --port',
  environment: 'from THE_MAESTRO_GATEWAY_PORT',
} as const;

/**
 * The local gateway's switch (off by default), its port, its address while on, per-provider
 * counters and last errors, and the key's actions. The gateway key never reaches the window: main
 * copies it to the clipboard.
 */
export function GatewaySection() {
  const { api } = useMaestro();
  const id = useId();
  const [view, setView] = useState<GatewayStatusView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const enabled = view?.enabled === true;

  useEffect(() => {
    let live = true;
    const load = (): void =>
      void api.gateway.get().then((reply) => {
        if (!live) return;
        setView(reply.ok ? reply.value : null);
        setError(reply.ok ? null : reply.error);
      });
    load();
    const timer = enabled ? setInterval(load, REFRESH_MS) : undefined;
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, enabled]);

  const toggle = async (on: boolean): Promise<void> => {
    // Shown at once (a checkbox must not lag behind the click); main's answer then wins.
    const before = view;
    if (before !== null) setView({ ...before, enabled: on });
    const reply = await api.gateway.setEnabled({ enabled: on });
    setView(reply.ok ? reply.value : before);
    setError(reply.ok ? null : reply.error);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-gateway`}>
      <h2 id={`${id}-gateway`}>Local gateway</h2>
      <p className="hint">
        One address per provider on this computer for tools such as Claude Code, Codex and Gemini CLI: they send the
        gateway key, and the active account&apos;s credential is added to each request.
      </p>
      {error?.code === 'not_configured' ? <p className="hint">{error.message}</p> : null}
      {error !== null && error.code !== 'not_configured' ? <ErrorMessage error={error} announce /> : null}
      {view !== null ? (
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(event) => void toggle(event.target.checked)} />
          Serve the local gateway
        </label>
      ) : null}
      {view !== null ? (
        <>
          <GatewayPortField view={view} onChange={setView} />
          <GatewayKeyActions onChange={setView} />
        </>
      ) : null}
      {view?.url != null && view.providers !== null ? (
        <>
          <p>
            Listening on <code>{view.url}</code> (port {view.port}, {PORT_ORIGIN[view.portSource]}).
          </p>
          <ul>
            {(['anthropic', 'openai', 'google'] as const).map((provider) => {
              const stats = view.providers?.[provider];
              return (
                <li key={provider}>
                  {PROVIDER_NAMES[provider]} <code>{`${view.url ?? ''}/${provider}`}</code>: {stats?.requests ?? 0}{' '}
                  requests
                  {stats?.lastError != null
                    ? ` — last error HTTP ${stats.lastError.status}: ${stats.lastError.message}`
                    : ''}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}
