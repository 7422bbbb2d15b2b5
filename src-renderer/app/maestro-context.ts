import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { MaestroApi } from '../../src-shared/ipc-contract.js';
import type { SettingsView } from '../../src-shared/ipc-fields.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';

export interface MaestroState {
  readonly api: MaestroApi;
  /** Null until the first answer arrives. */
  readonly status: StatusView | null;
  readonly settings: SettingsView | null;
  readonly loadError: ErrorInfo | null;
  setStatus(status: StatusView): void;
  /** Merges one provider's fresh view (a reply) into the status shown. */
  updateProvider(view: ProviderStatusView): void;
  setSettings(settings: SettingsView): void;
}

export const MaestroContext = createContext<MaestroState | null>(null);

/** The app's state and API; components below <App> use it. */
export function useMaestro(): MaestroState {
  const state = useContext(MaestroContext);
  if (state === null) throw new Error('useMaestro outside <MaestroContext>');
  return state;
}

/** Loads status and settings once, then follows `status.changed` events. */
export function useMaestroState(api: MaestroApi): MaestroState {
  const [status, setStatus] = useState<StatusView | null>(null);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let live = true;
    const unsubscribe = api.on('status.changed', (next) => setStatus(next));
    void api.session.get().then((reply) => {
      if (!live) return;
      if (reply.ok) setStatus(reply.value);
      else setLoadError(reply.error);
    });
    void api.settings.get().then((reply) => {
      if (live && reply.ok) setSettings(reply.value);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);

  return useMemo(
    () => ({
      api,
      status,
      settings,
      loadError,
      setStatus,
      setSettings,
      updateProvider: (view: ProviderStatusView) =>
        setStatus((current) =>
          current === null ? current : { ...current, providers: current.providers.map((provider) => (provider.id === view.id ? view : provider)) },
        ),
    }),
    [api, status, settings, loadError],
  );
}
