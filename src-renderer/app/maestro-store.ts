import type { ErrorInfo } from '../../src-shared/errors.js';
import type { MaestroApi } from '../../src-shared/ipc-contract.js';
import type { SettingsView } from '../../src-shared/ipc-fields.js';
import type { ProviderStatusView, StatusView } from '../../src-shared/view-models.js';

/** What the window shows from main: null until the first answer arrives. */
export interface MaestroSnapshot {
  readonly status: StatusView | null;
  readonly settings: SettingsView | null;
  readonly loadError: ErrorInfo | null;
}

/**
 * The app's data from main, outside React: created before the first render (main.tsx), so the
 * first requests (FIRST_RENDER_CHANNELS) are on their way while React loads and mounts instead of
 * starting from an effect after the first paint — and when the replies are in by then, the first
 * render already shows the providers. It follows `status.changed` from the start.
 * Shaped for `useSyncExternalStore`.
 */
export interface MaestroStore {
  readonly api: MaestroApi;
  // Function-valued properties, not methods: React calls them detached from the store.
  readonly getSnapshot: () => MaestroSnapshot;
  readonly subscribe: (listener: () => void) => () => void;
  readonly setStatus: (status: StatusView) => void;
  /** Merges one provider's fresh view (a reply) into the status shown. */
  readonly updateProvider: (view: ProviderStatusView) => void;
  readonly setSettings: (settings: SettingsView) => void;
}

export function createMaestroStore(api: MaestroApi): MaestroStore {
  let snapshot: MaestroSnapshot = { status: null, settings: null, loadError: null };
  const listeners = new Set<() => void>();
  const update = (change: Partial<MaestroSnapshot>): void => {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener();
  };

  // Subscribed before asking, so no change between the answer and the subscription is missed; and
  // once a change has been pushed, a reply to the first request (possibly older) is not shown over it.
  let changed = false;
  api.on('status.changed', (status) => {
    changed = true;
    update({ status });
  });
  void api.session.get().then((reply) => {
    if (reply.ok && changed) return;
    update(reply.ok ? { status: reply.value } : { loadError: reply.error });
  });
  void api.settings.get().then((reply) => {
    if (reply.ok) update({ settings: reply.value });
  });

  return {
    api,
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setStatus: (status) => update({ status }),
    updateProvider: (view) => {
      const { status } = snapshot;
      if (status === null) return;
      update({
        status: {
          ...status,
          providers: status.providers.map((provider) => (provider.id === view.id ? view : provider)),
        },
      });
    },
    setSettings: (settings) => update({ settings }),
  };
}
