import { useEffect, useId, useState } from 'react';
import { describeCommandLineTool, type CommandLineToolView } from '../../src-shared/command-line-tool-view.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import { useMaestro } from '../app/maestro-context.js';
import { ErrorMessage } from './Feedback.js';

/**
 * "Install command-line tool": puts `the-maestro` (a launcher that runs this app with `--cli`) on
 * the PATH, says where and whether a terminal will find it, and removes it again. The web
 * transport has no app executable to launch: there the section says so and offers no button.
 */
export function CommandLineToolSection() {
  const { api } = useMaestro();
  const id = useId();
  const [view, setView] = useState<CommandLineToolView | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api.cli.get().then((reply) => {
      if (!live) return;
      setView(reply.ok ? reply.value : null);
      setError(reply.ok ? null : reply.error);
    });
    return () => {
      live = false;
    };
  }, [api]);

  const change = async (action: 'install' | 'uninstall'): Promise<void> => {
    setBusy(true);
    const reply = await api.cli[action]();
    setBusy(false);
    if (reply.ok) setView(reply.value);
    setError(reply.ok ? null : reply.error);
  };

  const canInstall = view?.state === 'not_installed' || view?.state === 'outdated';
  const canUninstall = view?.state === 'installed' || view?.state === 'outdated';
  return (
    <section className="panel" aria-labelledby={`${id}-cli`}>
      <h2 id={`${id}-cli`}>Command-line tool</h2>
      <p className="hint">
        Puts <code>the-maestro</code> on your PATH, so Claude Code (<code>apiKeyHelper</code>), Codex (
        <code>auth.command</code>) and your scripts can run <code>the-maestro token</code> or{' '}
        <code>the-maestro exec</code>.
      </p>
      {error?.code === 'not_configured' ? <p className="hint">{error.message}</p> : null}
      {error !== null && error.code !== 'not_configured' ? <ErrorMessage error={error} announce /> : null}
      {view !== null ? (
        <>
          <p role="status">{describeCommandLineTool(view)}</p>
          <div className="tool-actions">
            {canInstall ? (
              <button type="button" disabled={busy} onClick={() => void change('install')}>
                Install command-line tool
              </button>
            ) : null}
            {canUninstall ? (
              <button type="button" disabled={busy} onClick={() => void change('uninstall')}>
                Uninstall command-line tool
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
