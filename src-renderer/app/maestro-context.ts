import { createContext, useContext, useMemo, useSyncExternalStore } from 'react';
import type { ErrorInfo } from '../../src-shared/errors.js';
import type { MaestroApi } from '../../src-shared/ipc-contract.js';
import type { SettingsView } from '../../src-shared/ipc-fields.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import type { MaestroStore } from './maestro-store.js';

export interface MaestroState {
  readonly api: MaestroApi;
  /** Null until the first answer arrives. */
  readonly status: StatusView | null;
  readonly settings: SettingsView | null;
  readonly loadError: ErrorInfo | null;
  // Function-valued properties, not methods: components destructure them.
  readonly setStatus: (status: StatusView) => void;
  /** Merges one provider's fresh view (a reply) into the status shown. */
  readonly updateProvider: (view: ProviderStatusView) => void;
  readonly setSettings: (settings: SettingsView) => void;
}

export const MaestroContext = createContext<MaestroState | null>(null);

/** The app's state and API; components below <App> use it. */
export function useMaestro(): MaestroState {
  const state = useContext(MaestroContext);
  if (state === null) throw new Error('useMaestro outside <MaestroContext>');
  return state;
}

/** The store's status and settings (loaded from before the first render, then kept current by events). */
export function useMaestroState(store: MaestroStore): MaestroState {
  const { status, settings, loadError } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return useMemo(
    () => ({
      api: store.api,
      status,
      settings,
      loadError,
      setStatus: store.setStatus,
      setSettings: store.setSettings,
      updateProvider: store.updateProvider,
    }),
    [store, status, settings, loadError],
  );
}
